"""A report's own decisions against the reference policy, row by row, through the engine.

Each row is replayed in the reference engine as the return it describes: a professional seller
with the marketplace defaults, an order on the row's order date, a request on its request date,
and, when the report shows a label the engine did not give at once, the seller's manual
authorization with that label. A report has dates, not times, and no delivery date, so the
window check gives the report the benefit of the doubt: a request the report calls in policy is
replayed with the latest delivery the scenario allows (ordered at the day's last second, request
at its first), one it calls out of policy with the earliest. Only what no plausible time or
delivery explains counts as a disagreement, with the clause (docs/policy.md) it turns on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sim.calibration.categories import UNMAPPED
from sim.calibration.reading import Reports, ReturnRow
from sim.core.engine import ReferenceEngine
from sim.model.scenario_spec import Scenario
from sim.rap.envelope import handle
from sim.reports.returns_report import LABEL_TEXT, PAYER_TEXT, STATUS_TEXT

COLUMNS = ("In policy", "Return request status", "Label type", "Label to be paid by")
_LABELS = {text: label.value for label, text in LABEL_TEXT.items()}
_PAYERS = {payer.value: text for payer, text in PAYER_TEXT.items()}
_STATUS = {status.value: text for status, text in STATUS_TEXT.items()}
_LABEL_TEXT = {label.value: text for label, text in LABEL_TEXT.items()}
_ADDRESS = {"address_id": "A1", "name": "Returns desk", "line1": "1 Dock Rd", "city": "Reno",
            "region": "NV", "postal_code": "89501", "country": "US"}
Pair = dict[str, Any]


@dataclass(frozen=True)
class Disagreement:
    row: ReturnRow
    column: str
    report: str
    engine: str
    clause: str
    why: str
    case: tuple[Pair, ...]  # the rap/1 exchanges that replay it, setup first

    def __str__(self) -> str:
        return (f"{self.row.where} order {self.row.order_id}: {self.column}: report "
                f"{self.report!r}, engine {self.engine!r} ({self.clause}: {self.why})")


@dataclass(frozen=True)
class CheckResult:
    rows: int
    tables: Mapping[str, Counter[tuple[str, str]]]  # column -> (engine, report) -> rows
    agree: Mapping[str, int]
    checked: Mapping[str, int]
    disagreements: tuple[Disagreement, ...]
    setup: tuple[Pair, ...] = field(default=())


def _stamp(day: date, at: time, plus_days: float = 0.0) -> str:
    moment = datetime.combine(day, at, UTC) + timedelta(days=plus_days)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _policy(s: Scenario) -> dict[str, Any]:
    p = s.policy
    holiday = None if p.holiday is None else {
        "ordered_from": p.holiday.ordered_from.isoformat(),
        "ordered_to": p.holiday.ordered_to.isoformat(),
        "return_by": p.holiday.return_by.isoformat()}
    return {"default_window_days": p.default_window_days,
            "category_window_days": dict(p.category_window_days),
            "non_returnable_categories": list(p.non_returnable_categories),
            "transit_days": p.transit_days, "holiday": holiday,
            "prepaid_exempt_categories": list(p.prepaid_exempt_categories),
            "manual_response_hours": p.manual_response_hours,
            "seller_fault_reasons": list(p.seller_fault_reasons)}


class Session:
    """The engine, and the exchanges of the row being replayed."""

    def __init__(self, scenario: Scenario) -> None:
        self.engine = ReferenceEngine()
        self.seq = 0
        self.pairs: list[Pair] = []
        self.send("reset", {})
        self.send("set_policy", {"policy": _policy(scenario)})
        self.setup = tuple(self.pairs)

    def send(self, op: str, args: dict[str, Any]) -> dict[str, Any]:
        self.seq += 1
        request = {"seq": self.seq, "op": op, "args": args}
        response = handle(self.engine, request)
        self.pairs.append({"request": request, "response": response})
        return response


def _replay(session: Session, row: ReturnRow, n: int, variant: str, plan: str, category: str,
            band: tuple[float, float]) -> dict[str, Any]:
    """Seller, order and request for one row (the exchanges start afresh in
    ``session.pairs``); ``variant`` 'late' (latest delivery, earliest request) or 'early'."""
    session.pairs = []
    late = variant == "late"
    tag = f"{n}{plan[0]}"
    seller, order = f"S{tag}", f"{row.order_id}/{tag}"
    ordered = _stamp(row.order_date, time(23, 59, 59) if late else time(0, 0, 0))
    requested = _stamp(row.request_date, time(0, 0, 0) if late else time(23, 59, 59))
    lag = band[1] if late else band[0]
    delivered = min(_stamp(row.order_date, time(23, 59, 59) if late else time(0, 0, 0), lag),
                    requested)
    session.send("register_seller", {"seller_id": seller, "plan": plan,
                                     "settings": {"return_addresses": [_ADDRESS]}})
    sku = row.sku or "UNKNOWN-SKU"
    session.send("place_order", {
        "order_id": order, "seller_id": seller, "buyer_id": "B1", "ordered_at": ordered,
        "delivered_at": max(delivered, ordered),
        "items": [{"sku": sku, "category": category, "quantity": row.quantity,
                   "unit_price": 0}]})
    response = session.send("request_return", {
        "return_id": f"R{tag}", "order_id": order, "sku": sku,
        "quantity": row.quantity, "reason": row.reason or "CR-OTHER",
        "requested_at": requested})
    return response



class _Tally:
    """The cross-tables, and the row being replayed's findings (its case is complete only
    once the row's last exchange is made)."""

    def __init__(self) -> None:
        self.tables: dict[str, Counter[tuple[str, str]]] = {c: Counter() for c in COLUMNS}
        self.agree: Counter[str] = Counter()
        self.checked: Counter[str] = Counter()
        self.found: list[Disagreement] = []
        self.row: list[tuple[str, str, str, bool, str, str]] = []

    def __call__(self, column: str, engine: str, report: str, ok: bool, clause: str,
                 why: str) -> None:
        self.row.append((column, engine, report, ok, clause, why))

    def take_row(self) -> list[tuple[str, str, str, bool, str, str]]:
        taken, self.row = self.row, []
        return taken

    def commit(self, row: ReturnRow, notes: list[tuple[str, str, str, bool, str, str]],
               case: tuple[Pair, ...]) -> None:
        for column, engine, report, ok, clause, why in notes:
            self.tables[column][(engine, report)] += 1
            self.checked[column] += 1
            if ok:
                self.agree[column] += 1
            else:
                self.found.append(Disagreement(row, column, report, engine, clause, why, case))


SELLERS = ("any", "professional", "individual")
"""``--seller``: the plan replayed. ``any`` tries a professional seller with the defaults, then
an individual one on manual authorization, and keeps the first that explains the row's status
and label (a report does not say which the seller is)."""


def check(reports: Reports, scenario: Scenario, sku_map: Mapping[str, str] | None = None,
          seller: str = "any") -> CheckResult:
    """Cross-tabulate the engine's decision against the report's columns (module docstring)."""
    session = Session(scenario)
    note = _Tally()
    bands = {n: (c.delivery_days.low, c.delivery_days.high)
             for n, c in scenario.categories.items()}
    widest = (min(b[0] for b in bands.values()), max(b[1] for b in bands.values()))
    plans = ("professional", "individual") if seller == "any" else (seller,)
    for n, row in enumerate(reports.rows, start=1):
        category = sku_map.get(row.sku or "", UNMAPPED) if sku_map else UNMAPPED
        band = bands.get(category, widest)
        best: tuple[int, list[tuple[str, str, str, bool, str, str]], tuple[Pair, ...]] | None
        best = None
        for plan in plans:
            _one(session, row, n, plan, category, band, note)
            notes = note.take_row()
            wrong = sum(not ok for column, _, _, ok, _, _ in notes if column != "In policy")
            if best is None or wrong < best[0]:
                best = (wrong, notes, _numbered(session.setup + tuple(session.pairs)))
            if wrong == 0:
                break
        assert best is not None
        note.commit(row, best[1], best[2])
    return CheckResult(len(reports.rows), note.tables, dict(note.agree), dict(note.checked),
                       tuple(note.found), session.setup)


def _numbered(pairs: tuple[Pair, ...]) -> tuple[Pair, ...]:
    """A case's exchanges with ``seq`` 1, 2, ... (as a fresh session would send them)."""
    return tuple({"request": {**p["request"], "seq": i},
                  "response": {**p["response"], "seq": i}}
                 for i, p in enumerate(pairs, start=1))


def _one(session: Session, row: ReturnRow, n: int, plan: str, category: str,
         band: tuple[float, float], note: _Tally) -> None:
    variant = "early" if row.in_policy is False else "late"
    response = _replay(session, row, n, variant, plan, category, band)
    if not response["ok"]:
        error = response["error"]
        note("Return request status", f"refused ({error['code']})", row.status or "", False,
             "R01", f"the engine refused the request: {error['message']}")
        return
    record = response["result"]["return"]
    if row.in_policy is not None:
        engine_flag = "Y" if record["in_policy"] else "N"
        report_flag = "Y" if row.in_policy else "N"
        why = ("even with the latest delivery the scenario allows, the request is "
               f"{', '.join(record['policy_violations'])} (a seller's own longer window, C04, "
               "would explain it)" if row.in_policy else
               "even with the earliest delivery the scenario allows, the request is "
               "inside the window")
        clause = "C02" if "non_returnable" in record["policy_violations"] else "C15"
        note("In policy", engine_flag, report_flag, engine_flag == report_flag, clause, why)
    _decision(session, row, record, note)


def _decision(session: Session, row: ReturnRow, record: dict[str, Any], note: _Tally) -> None:
    """Status, label and payer: the engine's automatic decision, or the seller's manual
    authorization with the report's label replayed."""
    auto = record["status"] == "authorized"
    label_text = row.label_type
    status = row.status or ""
    engine_status = _STATUS.get(record["status"], record["status"])
    if auto:
        ok = label_text is not None
        note("Return request status", engine_status, status, ok, "C03",
             "the policy authorizes an in-policy request of a professional seller's non-exempt "
             "SKU at once; the report shows it " + ("pending or declined" if not ok else status))
        label = record["label"]
    else:
        note("Return request status", engine_status, status, True, "C05", "")
        label = None
        if label_text in _LABELS:
            args: dict[str, Any] = {"return_id": record["return_id"],
                                    "at": record["requested_at"],
                                    "label": {"type": _LABELS[label_text]}}
            if row.merchant_rma:
                args["rma"] = row.merchant_rma
            answer = session.send("authorize", args)
            if answer["ok"]:
                label = answer["result"]["return"]["label"]
            else:
                error = answer["error"]
                clause = "C09" if _LABELS[label_text] == "amazon_prepaid" else "C06"
                note("Label type", f"refused ({error['code']})", label_text, False, clause,
                     "the seller cannot authorize this by hand: " + error["message"]
                     + (" (an Amazon prepaid label comes only from C03's automatic "
                        "authorization)" if clause == "C09" else ""))
                return
    if label is None:
        return
    engine_label = _LABEL_TEXT[label["type"]]
    if label_text is not None:
        note("Label type", engine_label, label_text, engine_label == label_text, "C03",
             "an automatic authorization gives the Amazon prepaid label (an individual seller, "
             "an exempt SKU or another setting would explain a different one: C13, C14)")
    if row.payer is not None and engine_label == label_text:
        engine_payer = _PAYERS[label["paid_by"]]
        note("Label to be paid by", engine_payer, row.payer, engine_payer == row.payer, "C09",
             f"rule 4: a {label['type']} label for reason {row.reason} is paid by the "
             f"{label['paid_by']}")



def summary_text(result: CheckResult, listed: int | None = None) -> str:
    """The cross-tables and the disagreements (the first ``listed``, or all)."""
    out = [f"{result.rows} rows replayed in the reference engine"]
    for column in COLUMNS:
        checked = result.checked.get(column, 0)
        agree = result.agree.get(column, 0)
        out += ["", f"{column}: {agree} of {checked} agree"]
        for (engine, report), n in sorted(result.tables[column].items(),
                                          key=lambda kv: (-kv[1], kv[0])):
            out.append(f"  engine {engine or '-':<24} report {report or '-':<20} {n:>8}"
                       f"{'' if _agrees(result, column, engine, report) else '  disagree'}")
    shown = result.disagreements if listed is None else result.disagreements[:listed]
    out += ["", f"{len(result.disagreements)} disagreements"
            + (f" (the first {len(shown)} listed)" if len(shown) < len(result.disagreements)
               else "")]
    out += [f"  {d}" for d in shown]
    return "\n".join(out) + "\n"


def _agrees(result: CheckResult, column: str, engine: str, report: str) -> bool:
    return not any(d.column == column and d.engine == engine and d.report == report
                   for d in result.disagreements)
