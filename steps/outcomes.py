"""*Then* steps: what the engine answered, judged against the policy."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from pytest_bdd import parsers, then

from sim.conformance.steps import phrases
from sim.conformance.steps.world import World, check, wrong
from sim.core.timefmt import format_timestamp
from sim.core.values import Link, Notification, NotificationKind, Recipient, ReturnRecord, RmaSource

AMAZON_RMA = re.compile(r"D[A-Za-z0-9]{7}RRMA")
"""Rule 7, as the contract writes it (kept here: the suite checks the contract, not the
reference's own constant)."""

TIME = phrases.TIME

# --------------------------------------------------------------------------- refusals


@then(parsers.re(r'it is refused with "(?P<code>[a-z_]+)"'))
def refused_with(world: World, code: str) -> None:
    check("the refusal code", world.refusal().code.value, code)


@then(parsers.re(r'the refusal names the field "(?P<field>[^"]+)"'))
def refusal_names_field(world: World, field: str) -> None:
    check("details.field of the refusal", world.refusal().details.get("field"), field)


@then(parsers.re(rf"the refusal says the return can be closed from (?P<when>{TIME})"))
def refusal_says_eligible(world: World, when: str) -> None:
    error = world.refusal()
    expected = format_timestamp(world.time(when, return_id=world.current_return))
    check("details.close_eligible_at of the refusal", error.details.get("close_eligible_at"),
          expected)


@then("the refusal details are:")
@phrases.takes_table(phrases.REFUSAL_DETAILS_TABLE)
def refusal_details_are(world: World, datatable: Sequence[Sequence[object]]) -> None:
    """Every field of ``details``, exactly (docs/protocol.md defines them per code); values
    are written as JSON (``"R1"``, ``2``)."""
    rows = phrases.table_rows(datatable, phrases.REFUSAL_DETAILS_TABLE.header)
    expected = {}
    for name, text in rows:
        try:
            expected[name] = json.loads(text)
        except ValueError:
            raise phrases.PhraseError(
                f"refusal details: the value of {name!r} must be JSON, got {text!r}") from None
    check("details of the refusal", world.refusal().details, expected)


@then(parsers.re(
    r'the refusal names category "(?P<category>[^"]+)", the seller\'s (?P<own>\d+) days and '
    r"the marketplace's (?P<market>\d+) days"
))
def refusal_names_windows(world: World, category: str, own: str, market: str) -> None:
    details = world.refusal().details
    check("details of the refusal", details, {
        "category": category, "seller_window_days": int(own),
        "marketplace_window_days": int(market),
    })


@then(parsers.re(r'return "(?P<return_id>[^"]+)" is unchanged'))
def return_unchanged(world: World, return_id: str) -> None:
    world.refusal()  # the step is about what a refusal left behind
    before = world.returns.get(return_id)
    if before is None:
        wrong(f"return {return_id!r} was never answered in this scenario")
    now = world.fetch(return_id)
    check(f"return {return_id!r} after the refusal", now, before)


@then(parsers.re(r'return "(?P<return_id>[^"]+)" does not exist'))
def return_does_not_exist(world: World, return_id: str) -> None:
    world.attempt(lambda: world.port.get_return(return_id))
    check(f"asking for return {return_id!r}",
          None if world.error is None else world.error.code.value, "unknown_return")


# --------------------------------------------------------------------------- the return


def expect_state(record: ReturnRecord, text: str) -> None:
    expected = phrases.expected_state(text)
    what = f"return {record.return_id!r}"
    check(f"the status of {what}", record.status, expected.status)
    if expected.authorization is not None:
        check(f"how {what} was authorized", record.authorization, expected.authorization)
        if record.rma is None:
            wrong(f"{what} is authorized but carries no RMA")
        if record.label is None:
            wrong(f"{what} is authorized but has no label")
        if record.return_address is None:
            wrong(f"{what} is authorized but has no return address")
    if expected.status.value == "pending_authorization":
        check(f"how {what} was authorized", record.authorization, None)
        check(f"the RMA of {what}", record.rma, None)
    if expected.close_reason is not None:
        check(f"why {what} closed", record.close_reason, expected.close_reason)
        if record.closed_at is None:
            wrong(f"{what} is closed but has no closed_at")


@then(parsers.re(r"the return is (?P<state>.+)"))
def return_is(world: World, state: str) -> None:
    expect_state(world.record(), state)


@then(parsers.re(r'return "(?P<return_id>[^"]+)" is (?P<state>(?!unchanged$).+)'))
def named_return_is(world: World, return_id: str, state: str) -> None:
    expect_state(world.fetch(return_id), state)


@then(parsers.re(r"the request is (?P<standing>in policy|out of policy: .+)"))
def request_standing(world: World, standing: str) -> None:
    record = world.record()
    violations = phrases.policy_standing(standing)
    check("policy_violations", record.policy_violations, violations)
    check("in_policy", record.in_policy, not violations)


@then(parsers.re(r"the label is (?P<label>.+)"))
def label_is(world: World, label: str) -> None:
    record = world.record()
    expected = phrases.label(label)
    if expected is None:
        check("the label", record.label, None)
        return
    if record.label is None:
        wrong(f"expected a label {label!r}, but return {record.return_id!r} has none")
    check("the label type", record.label.type, expected[0])
    check("who pays the label", record.label.paid_by, expected[1])


@then(parsers.re(
    r'the label\'s carrier is "(?P<carrier>[^"]+)" with tracking id "(?P<tracking>[^"]+)"'
))
def label_details(world: World, carrier: str, tracking: str) -> None:
    label = world.record().label
    if label is None:
        wrong("the return has no label")
    check("the label's carrier", label.carrier, carrier)
    check("the label's tracking id", label.tracking_id, tracking)


@then("the RMA is an Amazon RMA")
def rma_is_amazon(world: World) -> None:
    rma = world.record().rma
    if rma is None:
        wrong("the return has no RMA")
    check("the RMA source", rma.source, RmaSource.AMAZON)
    if not AMAZON_RMA.fullmatch(rma.number):
        wrong(f"an Amazon RMA looks like D + 7 letters or digits + RRMA, got {rma.number!r}")


@then(parsers.re(r'the RMA is the seller\'s own "(?P<number>[^"]+)"'))
def rma_is_own(world: World, number: str) -> None:
    rma = world.record().rma
    if rma is None:
        wrong("the return has no RMA")
    check("the RMA source", rma.source, RmaSource.SELLER)
    check("the RMA number", rma.number, number)


@then("the return has no RMA")
def no_rma(world: World) -> None:
    check("the RMA", world.record().rma, None)


@then(parsers.re(r"returns (?P<ids>.+) all have different Amazon RMAs"))
def distinct_rmas(world: World, ids: str) -> None:
    numbers = []
    for return_id in phrases.names(ids):
        rma = world.fetch(return_id).rma
        if rma is None or not AMAZON_RMA.fullmatch(rma.number):
            wrong(f"return {return_id!r} should carry an Amazon RMA, got {rma!r}")
        numbers.append(rma.number)
    if len(set(numbers)) != len(numbers):
        wrong(f"Amazon RMAs must be unique in the marketplace, got {numbers}")


def _goes_to(record: ReturnRecord, address_id: str) -> None:
    if record.return_address is None:
        wrong(f"return {record.return_id!r} has no return address")
    check("the return address", record.return_address, phrases.address(address_id))


@then(parsers.re(r'the return goes back to address "(?P<address_id>[^"]+)"'))
def goes_back_to(world: World, address_id: str) -> None:
    _goes_to(world.record(), address_id)


@then(parsers.re(r'return "(?P<return_id>[^"]+)" goes back to address "(?P<address_id>[^"]+)"'))
def named_goes_back_to(world: World, return_id: str, address_id: str) -> None:
    _goes_to(world.fetch(return_id), address_id)


@then("the return has no return address yet")
def no_address(world: World) -> None:
    check("the return address", world.record().return_address, None)


@then(parsers.re(rf"the return window closes (?P<when>{TIME})"))
def window_closes(world: World, when: str) -> None:
    record = world.record()
    check("window_closes_at", _show(record.window_closes_at),
          _show(world.time(when, return_id=record.return_id)))


@then(parsers.re(
    rf'return "(?P<return_id>[^"]+)" still has its window closing (?P<when>{TIME})'
))
def window_still_closes(world: World, return_id: str, when: str) -> None:
    record = world.fetch(return_id)
    check("window_closes_at", _show(record.window_closes_at),
          _show(world.time(when, return_id=return_id)))


@then(parsers.re(rf"the return stays open until (?P<when>{TIME})"))
def stays_open_until(world: World, when: str) -> None:
    record = world.record()
    check("close_eligible_at", _show(record.close_eligible_at),
          _show(world.time(when, return_id=record.return_id)))


@then(parsers.re(rf"the seller must respond by (?P<when>{TIME})"))
def respond_by(world: World, when: str) -> None:
    record = world.record()
    expected = world.time(when, return_id=record.return_id)
    check("respond_by", None if record.respond_by is None else _show(record.respond_by),
          _show(expected))


@then("the seller has no response deadline")
def no_deadline(world: World) -> None:
    check("respond_by", world.record().respond_by, None)


@then(parsers.re(rf"the return was (?P<what>authorized|received) (?P<when>{TIME})"))
def happened_at(world: World, what: str, when: str) -> None:
    record = world.record()
    actual = record.authorized_at if what == "authorized" else record.received_at
    check(f"{what}_at", None if actual is None else _show(actual),
          _show(world.time(when, return_id=record.return_id)))


def _show(instant: int) -> str:
    return format_timestamp(instant)


# --------------------------------------------------------------------------- notifications

_KINDS = {
    "return requested": NotificationKind.RETURN_REQUESTED,
    "return authorized": NotificationKind.RETURN_AUTHORIZED,
    "return closed": NotificationKind.RETURN_CLOSED,
    "seller reply": NotificationKind.SELLER_REPLY,
}
NOTIFICATIONS_TABLE = phrases.TableSpec(("to", "about"), tuple(_KINDS), key_column="about")
"""``to | about``, or ``return | to | about`` when a step is about several returns."""


@then("these notifications are sent:")
@phrases.takes_table(NOTIFICATIONS_TABLE)
def notifications_sent(world: World, datatable: Sequence[Sequence[object]]) -> None:
    header = [str(c).strip() for c in datatable[0]]
    rows = phrases.table_rows(datatable, header if "return" in header else ("to", "about"))
    if world.error is not None:
        world.record()  # fails with the refusal
    expected = []
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        if cells["about"] not in _KINDS:
            raise phrases.PhraseError(
                f"unknown notification {cells['about']!r}", unknown=cells["about"],
                known=NOTIFICATIONS_TABLE.keys, what="notification",
            )
        expected.append((
            Recipient(cells["to"]), _KINDS[cells["about"]],
            cells.get("return") or world.current_return,
        ))
    actual = [(n.to, n.kind, n.return_id) for n in world.notifications]
    check("the notifications (to, kind, return), in order", actual, expected)
    for n in world.notifications:
        check(f"the time of the {n.kind.value} notification", _show(n.at),
              _show(world.acted_at) if world.acted_at is not None else None)


def _one(world: World, to: Recipient, kind: NotificationKind) -> Notification:
    found = [n for n in world.notifications if n.to is to and n.kind is kind]
    if len(found) != 1:
        wrong(f"expected one {kind.value} notification to the {to.value}, got "
              f"{[(n.to.value, n.kind.value) for n in world.notifications]}")
    return found[0]


def _seller_email(world: World) -> Notification:
    if world.error is not None:
        world.record()
    return _one(world, Recipient.SELLER, NotificationKind.RETURN_REQUESTED)


@then(parsers.re(r'the seller\'s email gives the reason "(?P<reason>[^"]+)"'))
def email_reason(world: World, reason: str) -> None:
    check("the reason in the seller's email", _seller_email(world).reason, reason)


@then(parsers.re(r"the seller's email flags the request as (?P<flag>in policy|out of policy)"))
def email_flag(world: World, flag: str) -> None:
    check("out_of_policy in the seller's email", _seller_email(world).out_of_policy,
          flag == "out of policy")


@then(parsers.re(
    r"the seller's email carries (?P<links>no links|the links? (?P<names>.+))"
))
def email_links(world: World, links: str, names: str | None) -> None:
    expected = tuple(Link(n) for n in phrases.names(names)) if names else ()
    check("the links in the seller's email", _seller_email(world).links, expected)


@then(parsers.re(
    r'the buyer gets the RMA, an? (?P<label>.+) label and return address "(?P<address_id>[^"]+)"'
))
def buyer_gets_authorization(world: World, label: str, address_id: str) -> None:
    if world.error is not None:
        world.record()
    note = _one(world, Recipient.BUYER, NotificationKind.RETURN_AUTHORIZED)
    record = world.record()
    check("the RMA told to the buyer", note.rma, None if record.rma is None else record.rma.number)
    check("the label type told to the buyer", note.label_type, phrases.label_type(label))
    check("the return address told to the buyer", note.return_address_id, address_id)


@then(parsers.re(r"the buyer is told the return closed as (?P<reason>.+)"))
def buyer_told_closed(world: World, reason: str) -> None:
    note = _one(world, Recipient.BUYER, NotificationKind.RETURN_CLOSED)
    check("the close reason told to the buyer", note.close_reason, phrases.close_reason(reason))


@then(parsers.re(r'the buyer receives the seller\'s message "(?P<message>[^"]+)"'))
def buyer_gets_message(world: World, message: str) -> None:
    if world.error is not None:
        world.record()
    note = _one(world, Recipient.BUYER, NotificationKind.SELLER_REPLY)
    check("the seller's message", note.message, message)


# --------------------------------------------------------------------------- batch


@then("the batch results are:")
@phrases.takes_table(phrases.TableSpec(("return", "result")))
def batch_results(world: World, datatable: Sequence[Sequence[object]]) -> None:
    rows = phrases.table_rows(datatable, ("return", "result"))
    if world.batch is None:
        world.refusal()
        wrong("no batch result was answered")
    actual = []
    for item in world.batch.results:
        if item.ok:
            status = item.return_.status.value if item.return_ is not None else "(no record)"
            actual.append((item.return_id, "authorized" if status == "authorized" else status))
        else:
            code = item.error.code.value if item.error is not None else "(no error)"
            actual.append((item.return_id, f"refused: {code}"))
    check("the batch results, in order", actual, [tuple(r) for r in rows])
