"""The engine's fast paths change nothing but the time they take.

The checks' fast paths (``sim.core.checks``, "Fast paths") may only accept what the full
field-by-field checks accept; here each check is compared, on awkward values (``str`` and
``int`` subclasses, ``bool`` times, boundaries, NaN, wrong types), with the field-by-field
checks (``check_*_fields``) that the fast paths fall back to and that alone decide refusals.
The values the engine builds without their dataclass ``__init__`` (``sim.core.records``) must
equal, print, hash and pickle like those built by it, and Amazon RMAs keep their numbers.
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from hashlib import blake2b
from typing import Any

import pytest
from engine_fixtures import DELIVERED, REQUESTED, T0, World, addr, item
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core import records
from sim.core.checks import (
    check_address,
    check_address_fields,
    check_authorization,
    check_authorization_fields,
    check_order,
    check_order_fields,
    check_request,
    check_request_fields,
)
from sim.core.errors import EngineError
from sim.core.limits import (
    FIRST_INSTANT,
    LAST_INSTANT,
    MAX_ID_LENGTH,
    MAX_ITEMS,
    MAX_PRICE,
    MAX_QUANTITY,
    MAX_TEXT_LENGTH,
)
from sim.core.rma import ALPHABET, amazon_rma
from sim.core.values import (
    DAY,
    Address,
    Authorization,
    BatchItem,
    BatchOutcome,
    CloseReason,
    Holiday,
    Label,
    LabelChoice,
    LabelType,
    Link,
    Notification,
    NotificationKind,
    Order,
    OrderItem,
    Outcome,
    Payer,
    Policy,
    Recipient,
    ReturnRequest,
    Rma,
    RmaSource,
    Status,
)


class Text(str):
    """A ``str`` subclass: valid for the full checks, never taken by a fast path."""


class Number(int):
    """An ``int`` subclass, likewise."""


IDS = st.sampled_from(
    ["R1", "x" * MAX_ID_LENGTH, "x" * (MAX_ID_LENGTH + 1), "", "é", Text("R1"), Text(""),
     None, 5, b"R1"]
)
INSTANTS = st.sampled_from(
    [REQUESTED, FIRST_INSTANT, FIRST_INSTANT - 1, LAST_INSTANT, LAST_INSTANT + 1, 0, -5, True,
     False, Number(REQUESTED), 1.5, None, "2026"]
)
QUANTITIES = st.sampled_from([1, 2, MAX_QUANTITY, MAX_QUANTITY + 1, 0, -1, True, 1.0,
                              Number(2), None])
PRICES = st.sampled_from([0.0, -0.0, 10.0, float(MAX_PRICE), MAX_PRICE + 0.5, -1.0, math.nan,
                          math.inf, 10, True, None, "1"])
COMMENTS = st.sampled_from([None, "", "ok", "x" * MAX_TEXT_LENGTH, "x" * (MAX_TEXT_LENGTH + 1),
                            Text("ok"), 5])


def same(fast: Callable[[], Any], reference: Callable[[], Any]) -> None:
    """Both answer the same, or both raise the same: for a refusal, the same code, message
    and details."""
    try:
        expected: Any = reference()
    except Exception as error:  # any exception: the fast path must raise the same one
        with pytest.raises(type(error)) as raised:
            fast()
        if isinstance(error, EngineError):
            got = raised.value
            assert isinstance(got, EngineError)
            assert (got.code, got.message, got.details) == (
                error.code, error.message, error.details
            )
        return
    assert fast() == expected


# ------------------------------------------------------------------ checks: fast == full


@settings(max_examples=400, deadline=None)
@given(IDS, IDS, IDS, IDS, QUANTITIES, INSTANTS, COMMENTS)
def test_a_request_is_checked_as_field_by_field(
    rid: Any, oid: Any, sku: Any, reason: Any, quantity: Any, at: Any, comment: Any
) -> None:
    request = ReturnRequest(rid, oid, sku, quantity, reason, at, comment)
    same(lambda: check_request(request), lambda: check_request_fields(request))


ITEMS = st.builds(
    OrderItem, st.sampled_from(["SKU1", "SKU2", "", Text("SKU1"), None]),
    st.sampled_from(["toys", "", "x" * (MAX_ID_LENGTH + 1)]), QUANTITIES, PRICES,
)


@settings(max_examples=400, deadline=None)
@given(IDS, IDS, INSTANTS, INSTANTS, st.lists(ITEMS, max_size=3), st.booleans())
def test_an_order_is_checked_as_field_by_field(
    oid: Any, sid: Any, ordered: Any, delivered: Any, items: list[OrderItem], as_list: bool
) -> None:
    order = Order(oid, sid, "B1", ordered, delivered, items if as_list else tuple(items))  # type: ignore[arg-type]
    same(lambda: check_order(order), lambda: check_order_fields(order))


@pytest.mark.parametrize(
    "items",
    [
        (item("SKU1"), item("SKU2"), item("SKU1")),  # a sku twice, every field plain
        (item("SKU1"), item(Text("SKU1"))),
        (item("SKU1", unit_price=5),),  # an int price
        tuple(item(f"SKU{n}") for n in range(MAX_ITEMS + 1)),
        (),
    ],
    ids=["sku-twice", "sku-twice-subclass", "int-price", "too-many", "none"],
)
def test_an_order_with_these_items_is_checked_as_field_by_field(
    items: tuple[OrderItem, ...]
) -> None:
    order = Order("O1", "S1", "B1", T0, DELIVERED, items)
    same(lambda: check_order(order), lambda: check_order_fields(order))


@settings(max_examples=300, deadline=None)
@given(
    IDS, INSTANTS, st.sampled_from([None, "A1"]), st.sampled_from([None, addr("A9")]),
    st.sampled_from([None, LabelChoice(), LabelChoice(LabelType.SELLER_PREPAID, "UPS", "1Z"),
                     LabelChoice(LabelType.AMAZON_PREPAID)]),
)
def test_an_authorization_is_checked_as_field_by_field(
    rid: Any, at: Any, address_id: Any, address: Any, label: Any
) -> None:
    a = Authorization(rid, at, None, label, address_id, address)
    same(lambda: check_authorization(a), lambda: check_authorization_fields(a))


@settings(max_examples=400, deadline=None)
@given(IDS, IDS, IDS, IDS, IDS, IDS, IDS, COMMENTS)
def test_an_address_is_checked_as_field_by_field(
    address_id: Any, name: Any, line1: Any, city: Any, region: Any, postal_code: Any,
    country: Any, line2: Any,
) -> None:
    a = Address(address_id, name, line1, city, region, postal_code, country, line2)
    same(lambda: check_address("settings.return_addresses[0]", a),
         lambda: check_address_fields("settings.return_addresses[0]", a))


# ------------------------------------------------------------------ the engine's own fast paths


def _world() -> World:
    w = World()
    w.seller("S1")
    w.individual("S2")
    w.order("O1", items=(item("SKU1", quantity=3), item("SKU2", "electronics")))
    w.order("O2", "S2")
    return w


def _script(w: World, text: Callable[[str], str], at: Callable[[int], int]) -> list[Any]:
    """Every op on returns, with ids through ``text`` and times through ``at``."""
    e = w.engine
    answers: list[Any] = []

    def refusal(error: EngineError) -> tuple[Any, ...]:
        return (error.code, error.message, error.details)  # errors compare by identity

    def run(call: Callable[[], Any]) -> None:
        try:
            answer = call()
        except EngineError as error:
            answer = refusal(error)
        if isinstance(answer, BatchOutcome):
            answer = [(i.return_id, i.ok, i.return_, i.error and refusal(i.error))
                      for i in answer.results], answer.notifications
        answers.append(answer)

    run(lambda: e.request_return(ReturnRequest(text("R1"), text("O1"), text("SKU1"), 1,
                                               text("CR-DEFECTIVE"), at(REQUESTED))))
    run(lambda: e.request_return(ReturnRequest(text("R2"), text("O2"), text("SKU1"), 1,
                                               text("CR-UNWANTED_ITEM"), at(REQUESTED), "hi")))
    record = e.get_return("R1")
    assert record.rma is not None
    rma = record.rma.number
    run(lambda: e.receive(text("S1"), text(rma), at(REQUESTED - DAY)))  # before the request
    run(lambda: e.receive(text("S9"), text(rma), at(REQUESTED + DAY)))  # unknown seller
    run(lambda: e.receive(text("S1"), text(rma), at(REQUESTED + DAY)))
    run(lambda: e.receive(text("S1"), text(rma), at(REQUESTED + DAY)))  # received already
    run(lambda: e.reply(text("R2"), at(REQUESTED + 1), "checking"))
    run(lambda: e.authorize(Authorization(text("R2"), at(REQUESTED))))  # before the reply
    run(lambda: e.authorize_batch([text("R2"), text("R9")], at(REQUESTED + 2)))
    run(lambda: e.close(text("R1"), at(REQUESTED + 2 * DAY)))
    run(lambda: e.close(text("R1"), at(REQUESTED + 3 * DAY)))  # closed already
    run(lambda: e.close(text("R9"), at(REQUESTED)))
    run(lambda: e.close(text("R2"), at(REQUESTED + DAY)))  # too early
    return answers


@pytest.mark.parametrize(
    ("text", "at"),
    [(Text, lambda t: t), (lambda s: s, Number), (Text, Number)],
    ids=["str-subclass-ids", "int-subclass-times", "both"],
)
def test_ops_answer_the_same_whether_or_not_a_fast_path_takes_them(
    text: Callable[[str], str], at: Callable[[int], int]
) -> None:
    assert _script(_world(), text, at) == _script(_world(), lambda s: s, lambda t: t)


def test_a_new_holiday_is_used_at_once() -> None:
    """The holiday's bounds are cached by identity: another holiday is another entry."""
    w = World()
    w.seller("S1")
    w.order("O1", ordered_at=T0, delivered_at=DELIVERED, quantity=2)
    day = date(2026, 3, 1)
    w.engine.set_policy(Policy(holiday=Holiday(day, day, date(2026, 12, 31))))
    first = w.request("R1").return_
    w.engine.set_policy(Policy(holiday=Holiday(day, day, date(2027, 1, 31))))
    second = w.request("R2").return_
    assert second.window_closes_at - first.window_closes_at == 31 * DAY


# ------------------------------------------------------------------ values built without __init__


def _alike(built: object, made: object) -> None:
    assert type(built) is type(made)
    assert built == made
    with pytest.raises(AttributeError):  # frozen, as the dataclass's own (a twin is not)
        setattr(built, fields(made)[0].name, None)  # type: ignore[arg-type]
    assert repr(built) == repr(made)
    if _hashable(made):
        assert hash(built) == hash(made)
    assert pickle.loads(pickle.dumps(built)) == made
    assert pickle.dumps(built) == pickle.dumps(made)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def test_notifications_are_as_the_dataclass_builds_them() -> None:
    _alike(
        records.return_requested("R1", T0, "CR-DEFECTIVE", True, (Link.REPLY,)),
        Notification(Recipient.SELLER, NotificationKind.RETURN_REQUESTED, "R1", T0,
                     reason="CR-DEFECTIVE", out_of_policy=True, links=(Link.REPLY,)),
    )
    _alike(
        records.return_authorized("R1", T0, "DAAAAAAARRMA", LabelType.AMAZON_UNPAID, "A1"),
        Notification(Recipient.BUYER, NotificationKind.RETURN_AUTHORIZED, "R1", T0,
                     rma="DAAAAAAARRMA", label_type=LabelType.AMAZON_UNPAID,
                     return_address_id="A1"),
    )
    _alike(
        records.return_closed("R1", T0, CloseReason.DECLINED),
        Notification(Recipient.BUYER, NotificationKind.RETURN_CLOSED, "R1", T0,
                     close_reason=CloseReason.DECLINED),
    )
    _alike(
        records.seller_reply("R1", T0, "hello"),
        Notification(Recipient.BUYER, NotificationKind.SELLER_REPLY, "R1", T0, message="hello"),
    )


def test_small_values_are_as_the_dataclass_builds_them() -> None:
    w = World()
    w.seller("S1")
    w.order("O1")
    record = w.request("R1").return_
    note = records.seller_reply("R1", T0, "hello")
    _alike(records.outcome(record, (note,)), Outcome(record, (note,)))
    _alike(records.rma("X-1", RmaSource.SELLER), Rma("X-1", RmaSource.SELLER))
    _alike(records.plain_authorization("R1", T0), Authorization("R1", T0))
    _alike(records.batch_item("R1", True, record, None), BatchItem("R1", True, return_=record))
    _alike(records.plain_label(LabelType.AMAZON_PREPAID, Payer.SELLER),
           Label(LabelType.AMAZON_PREPAID, Payer.SELLER))


def test_records_are_as_the_dataclass_builds_them() -> None:
    w = World()
    w.seller("S1")
    w.order("O1")
    record = w.request("R1").return_
    rebuilt = type(record)(**{f.name: getattr(record, f.name) for f in fields(record)})
    _alike(record, rebuilt)
    closed = w.engine.close("R1", record.close_eligible_at).return_
    assert closed.status is Status.CLOSED
    _alike(records.evolve(closed), type(closed)(
        **{f.name: getattr(closed, f.name) for f in fields(closed)}
    ))


# ------------------------------------------------------------------ Amazon RMA numbers


def rma_reference(seller_id: str, return_id: str, used: set[str]) -> str:
    """The number as first written: the hash's base-62 digits, one division at a time."""
    salt = 0
    while True:
        digest = blake2b(f"{seller_id}\x1f{return_id}\x1f{salt}".encode(), digest_size=8).digest()
        n = int.from_bytes(digest, "big") % len(ALPHABET) ** 7
        body = []
        for _ in range(7):
            n, r = divmod(n, len(ALPHABET))
            body.append(ALPHABET[r])
        number = "D" + "".join(body) + "RRMA"
        if number not in used:
            return number
        salt += 1


def test_amazon_rmas_keep_their_numbers() -> None:
    assert amazon_rma("S1", "R1", set()) == "Dq4bjKo3RRMA"
    assert amazon_rma("S1", "R1", {"Dq4bjKo3RRMA"}) == "DwgbZ5KZRRMA"
    assert amazon_rma("A0G6H08SCFWVL", "R00000001", set()) == "DV5dRZvYRRMA"


@settings(max_examples=500, deadline=None)
@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20), st.integers(0, 3))
def test_amazon_rmas_are_the_hash_in_base_62(seller_id: str, return_id: str, taken: int) -> None:
    used: set[str] = set()
    for _ in range(taken):  # force salts: the numbers before are taken
        used.add(rma_reference(seller_id, return_id, used))
    assert amazon_rma(seller_id, return_id, used) == rma_reference(seller_id, return_id, used)
