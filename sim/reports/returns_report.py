"""``returns_report.tsv``: Amazon's returns report (GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE).

The columns, their order and the value formats are Amazon's (docs/results.md lists them), so
sellers' spreadsheets and scripts read a simulated run like a real one. One row per return request,
ordered by request time. Values Amazon's report uses that the model has no notion of (A-to-Z
claims, SafeT claims, invoices) are left empty or ``N``.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter
from pathlib import Path
from typing import TextIO

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
_TABS = len(COLUMNS) - 1  # in a line whose fields need no quoting

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


class _Dates(dict[int, str]):
    """:func:`amazon_date` by UTC day number, made on first use: a report repeats a few hundred
    dates, and a dict lookup that hits costs less than any call."""

    def __missing__(self, day: int) -> str:
        text = self[day] = amazon_date(day * 86_400)
        return text


def _money(value: float) -> str:
    return f"{value:.2f}"


class _Amounts(dict[float, str]):
    """:func:`_money` by value, made on first use: a report repeats its prices and label
    costs, and formatting a float costs about three dict lookups. Zero (equal to -0.0, which is
    spelled otherwise) and NaN (equal to nothing) are spelled each time, never kept."""

    def __missing__(self, value: float) -> str:
        text = f"{value:.2f}"
        if value and value == value:
            self[value] = text
        return text


def row(
    r: ReturnRecord,
    extra: ReturnExtra,
    out: RunOutput,
    date: Callable[[Instant], str] = amazon_date,
) -> list[str]:
    """The report row of one return request: the columns' definition, as a list of fields.
    :func:`write_report` spells the same row as one line (a test keeps the two equal)."""
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


class _OutOfOrder(Exception):
    """A record came before one requested earlier (:func:`_as_ordered`)."""


def _as_ordered(records: Iterable[ReturnRecord]) -> Iterator[ReturnRecord]:
    """``records`` as they come, each checked to follow the one before in request order (the
    report's order: request time, then return id), raising :class:`_OutOfOrder` at the first
    that does not. A run's records are kept in request order already (return ids are given
    in that order), so checking as they are written costs ~5 ms a year where sorting them
    cost ~90 ms (a sort still reads every record's two keys, scattered in memory)."""
    last_at: Instant | None = None
    last_id = ""
    for r in records:
        at, rid = r.requested_at, r.return_id
        if last_at is not None and (at < last_at or (at == last_at and rid < last_id)):
            raise _OutOfOrder(rid)
        last_at, last_id = at, rid
        yield r


def in_request_order(out: RunOutput) -> list[ReturnRecord]:
    """The records of ``out`` sorted into the report's order."""
    return sorted(out.records.values(), key=attrgetter("requested_at", "return_id"))


def report_lines(out: RunOutput, records: Iterable[ReturnRecord] | None = None
                 ) -> Iterator[str | list[str]]:
    """The report's rows of ``records`` (default: every record of ``out``, sorted into request
    order), each as its line (without the line break) or, when a field holds a tab, a quote
    or a line break (an item name with inches), as the fields for the csv module to quote.

    The fields of :func:`row`, inlined into one f-string with its lookups made once: a row
    still costs microseconds, most of them reading records scattered in memory, but a call, a
    list and a join less."""
    if records is None:
        records = in_request_order(out)
    extras = out.tally.extras
    asins, names, t0 = out.catalog.asins, out.catalog.sku_names, out.t0
    days, money = _Dates(), _Amounts()
    amazon, seller = RmaSource.AMAZON, RmaSource.SELLER
    prepaid, customer = LabelType.AMAZON_PREPAID, Payer.CUSTOMER
    for r in records:
        e = extras[r.return_id]
        label, rma, cost = r.label, r.rma, e.label_cost
        label_text = payer = amazon_rma = seller_rma = ""
        if label is not None:
            label_text, payer = LABEL_TEXT[label.type], PAYER_TEXT[label.paid_by]
        if rma is not None:
            if rma.source is amazon:
                amazon_rma = rma.number
            elif rma.source is seller:
                seller_rma = rma.number
        cost_text = "" if cost is None else money[cost]
        received = refunded = ""
        if r.received_at is not None:
            received = days[r.received_at // 86_400]
            amount = e.unit_price * r.quantity
            if (label is not None and label.type is prepaid and label.paid_by is customer
                    and cost is not None):
                amount -= cost
            refunded = money[max(0.0, amount)]
        line = (
            f"{r.order_id}\t{days[(t0 + e.ordered) // 86_400]}\t{days[r.requested_at // 86_400]}"
            f"\t{STATUS_TEXT[r.status]}\t{amazon_rma}\t{seller_rma}\t{label_text}"
            f"\t{cost_text}\tUSD\t{e.carrier}\t{e.tracking}\t{payer}"
            f"\tN\t{'Y' if e.prime else 'N'}\t{asins[e.item]}\t{r.sku}\t{names[e.item]}"
            f"\t{r.quantity}\t{r.reason}\t{'Y' if r.in_policy else 'N'}\tC-Returns"
            f"\t{'' if r.authorized_at is None else 'StandardRefund'}\t\t{received}"
            f"\t{money[e.unit_price * e.order_qty]}\t{e.order_qty}\t\t\t\t\t\t{refunded}"
        )
        if line.count("\t") == _TABS and '"' not in line and "\n" not in line and (
            "\r" not in line
        ):
            yield line
        else:
            yield row(r, e, out, amazon_date)


def _write_lines(f: TextIO, lines: list[str]) -> None:
    if lines:
        lines.append("")  # the text ends with a line break
        f.write("\n".join(lines))
        lines.clear()


def write_report(out: RunOutput, path: Path) -> int:
    """Write the report; returns the number of rows (one per return request).

    The records are written in the order they are kept, checked as they go to be in request
    order (:func:`_as_ordered`); should one not be, the file is written again from the
    records sorted. Lines are joined and written a few thousand at a time; a row that needs
    quoting goes through the csv writer, the one that knows how: the same bytes as handing
    every row to the csv module, in a fraction of the time."""
    with path.open("w", encoding="utf-8", newline="", buffering=1 << 20) as f:
        try:
            return _write_rows(f, report_lines(out, _as_ordered(out.records.values())))
        except _OutOfOrder:
            f.seek(0)
            f.truncate()
            return _write_rows(f, report_lines(out))


def _write_rows(f: TextIO, rows: Iterable[str | list[str]]) -> int:
    """Write the header and ``rows`` (:func:`report_lines`) to ``f``; their number."""
    count = 0
    w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(COLUMNS)
    lines: list[str] = []
    for line in rows:
        count += 1
        if isinstance(line, str):
            lines.append(line)
            if len(lines) == 4096:
                _write_lines(f, lines)
        else:
            _write_lines(f, lines)
            w.writerow(line)
    _write_lines(f, lines)
    return count
