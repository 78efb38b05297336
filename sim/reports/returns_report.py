"""``returns_report.tsv``: Amazon's returns report (GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE).

The columns, their order and the value formats are Amazon's (docs/results.md lists them), so
sellers' spreadsheets and scripts read a simulated run like a real one. One row per return request,
ordered by request time. Values Amazon's report uses that the model has no notion of (A-to-Z
claims, SafeT claims, invoices) are left empty or ``N``.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from pathlib import Path

from sim.core.values import Instant, LabelType, Payer, ReturnRecord, RmaSource, Status
from sim.model.output import ReturnExtra, RunOutput

COLUMNS = (
    "Order ID", "Order date", "Return request date", "Return request status", "Amazon RMA ID",
    "Merchant RMA ID", "Label type", "Label cost", "Currency code", "Return carrier",
    "Tracking ID", "Label to be paid by", "A-to-Z Claim", "Is prime", "ASIN", "Merchant SKU",
    "Item Name", "Return quantity", "Return Reason", "In policy", "Return type", "Resolution",
    "Invoice number", "Return delivery date", "Order Amount", "Order quantity",
    "SafeT Action reason", "SafeT claim id", "SafeT claim state", "SafeT claim creation time",
    "SafeT claim reimbursement amount", "Refunded Amount",
)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

STATUS_TEXT = {
    Status.PENDING_AUTHORIZATION: "Pending",
    Status.AUTHORIZED: "Approved",
    Status.RECEIVED: "Received",
    Status.CLOSED: "Closed",
}
LABEL_TEXT = {
    LabelType.AMAZON_PREPAID: "AmazonPrePaidLabel",
    LabelType.AMAZON_UNPAID: "AmazonUnPaidLabel",
    LabelType.SELLER_PREPAID: "SellerPrePaidLabel",
}
PAYER_TEXT = {Payer.SELLER: "Seller", Payer.CUSTOMER: "Customer"}


def amazon_date(instant: Instant) -> str:
    """``10-Jul-2025``: the report's date format (month names fixed, whatever the locale)."""
    t = time.gmtime(instant)
    return f"{t.tm_mday:02d}-{_MONTHS[t.tm_mon - 1]}-{t.tm_year}"


class _Dates:
    """:func:`amazon_date` memoized per UTC day: a report repeats a few hundred dates."""

    def __init__(self) -> None:
        self._by_day: dict[int, str] = {}

    def __call__(self, instant: Instant) -> str:
        day = instant // 86_400
        text = self._by_day.get(day)
        if text is None:
            text = self._by_day[day] = amazon_date(day * 86_400)
        return text


def _money(value: float) -> str:
    return f"{value:.2f}"


def row(
    r: ReturnRecord,
    extra: ReturnExtra,
    out: RunOutput,
    date: Callable[[Instant], str] = amazon_date,
) -> list[str]:
    """The report row of one return request."""
    catalog = out.catalog
    label = r.label
    rma = r.rma
    refunded = ""
    if r.received_at is not None:
        amount = extra.unit_price * r.quantity
        if (
            label is not None
            and label.type is LabelType.AMAZON_PREPAID
            and label.paid_by is Payer.CUSTOMER
            and extra.label_cost is not None
        ):
            amount -= extra.label_cost
        refunded = _money(max(0.0, amount))
    return [
        r.order_id,
        date(out.t0 + extra.ordered),
        date(r.requested_at),
        STATUS_TEXT[r.status],
        rma.number if rma is not None and rma.source is RmaSource.AMAZON else "",
        rma.number if rma is not None and rma.source is RmaSource.SELLER else "",
        LABEL_TEXT[label.type] if label is not None else "",
        _money(extra.label_cost) if extra.label_cost is not None else "",
        "USD",
        extra.carrier,  # set when the buyer shipped, or on a seller's own prepaid label
        extra.tracking,
        PAYER_TEXT[label.paid_by] if label is not None else "",
        "N",
        "Y" if extra.prime else "N",
        catalog.asins[extra.item],
        r.sku,
        catalog.sku_names[extra.item],
        str(r.quantity),
        r.reason,
        "Y" if r.in_policy else "N",
        "C-Returns",
        "StandardRefund" if r.authorized_at is not None else "",
        "",
        date(r.received_at) if r.received_at is not None else "",
        _money(extra.unit_price * extra.order_qty),
        str(extra.order_qty),
        "",
        "",
        "",
        "",
        "",
        refunded,
    ]


def write_report(out: RunOutput, path: Path) -> int:
    """Write the report; returns the number of rows (one per return request).

    A row is joined by hand unless a field needs quoting (a tab, a quote or a line break, as
    in an item name with inches), which only the csv writer spells: the same bytes, in about
    half the time of handing every row to the csv module."""
    records = sorted(out.records.values(), key=lambda r: (r.requested_at, r.return_id))
    with path.open("w", encoding="utf-8", newline="", buffering=1 << 20) as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(COLUMNS)
        dates = _Dates()
        extras = out.tally.extras
        tabs = len(COLUMNS) - 1
        for r in records:
            fields = row(r, extras[r.return_id], out, dates)
            line = "\t".join(fields)
            if line.count("\t") == tabs and '"' not in line and "\n" not in line and (
                "\r" not in line
            ):
                f.write(line + "\n")
            else:
                w.writerow(fields)
    return len(records)
