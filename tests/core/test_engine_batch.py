"""Rule 6: authorize_batch authorizes each pending id as a bare ``authorize`` would, and one
failure never stops the others."""

from __future__ import annotations

import re

from engine_fixtures import AMAZON_RMA, REQUESTED, World, addr

from sim.core.errors import ErrorCode
from sim.core.values import (
    HOUR,
    Label,
    LabelType,
    Mode,
    Notification,
    NotificationKind,
    Payer,
    Recipient,
    RmaSource,
    Status,
)

AT = REQUESTED + HOUR


def _pending(w: World, *return_ids: str, requested_at: int = REQUESTED) -> None:
    w.individual("S1", addresses=(addr("A1"), addr("A2")), default_return_address_id="A2")
    w.order("O1", quantity=50)
    for rid in return_ids:
        w.request(rid, "O1", requested_at=requested_at)


def test_batch_authorizes_every_pending_id_like_a_bare_authorize() -> None:
    w = World()
    _pending(w, "R1", "R2", "R3")
    out = w.engine.authorize_batch(["R1", "R2", "R3"], AT)
    assert [i.return_id for i in out.results] == ["R1", "R2", "R3"]
    numbers = []
    for item in out.results:
        assert item.ok is True and item.error is None
        r = item.return_
        assert r is not None
        assert r.status == Status.AUTHORIZED
        assert r.authorization == Mode.MANUAL
        assert r.authorized_at == AT
        assert r.label == Label(LabelType.AMAZON_UNPAID, Payer.CUSTOMER, None, None)
        assert r.return_address == addr("A2")
        assert r.respond_by is None
        assert r.rma is not None and r.rma.source == RmaSource.AMAZON
        assert re.fullmatch(AMAZON_RMA, r.rma.number)
        numbers.append(r.rma.number)
        assert w.engine.get_return(r.return_id) == r
    assert len(set(numbers)) == 3
    assert out.notifications == tuple(
        Notification(
            to=Recipient.BUYER,
            kind=NotificationKind.RETURN_AUTHORIZED,
            return_id=rid,
            at=AT,
            rma=number,
            label_type=LabelType.AMAZON_UNPAID,
            return_address_id="A2",
        )
        for rid, number in zip(["R1", "R2", "R3"], numbers, strict=True)
    )


def test_batch_failures_are_reported_per_id_and_never_stop_the_others() -> None:
    w = World()
    _pending(w, "R1", "R2", "R3", "R4")
    w.authorize("R2", AT)
    w.engine.close("R3", AT)
    w.engine.reply("R4", AT + HOUR, "checking")
    out = w.engine.authorize_batch(["R404", "R1", "R2", "R3", "R4"], AT)
    codes = [(i.return_id, i.ok, i.error.code if i.error else None) for i in out.results]
    assert codes == [
        ("R404", False, ErrorCode.UNKNOWN_RETURN),
        ("R1", True, None),
        ("R2", False, ErrorCode.INVALID_STATE),
        ("R3", False, ErrorCode.INVALID_STATE),
        ("R4", False, ErrorCode.INVALID_TIME),
    ]
    assert [i.return_ is None for i in out.results] == [True, False, True, True, True]
    assert [n.return_id for n in out.notifications] == ["R1"]
    assert w.engine.get_return("R4").status == Status.PENDING_AUTHORIZATION
    assert w.engine.get_return("R1").status == Status.AUTHORIZED


def test_batch_with_a_duplicated_id_fails_the_second_with_invalid_state() -> None:
    w = World()
    _pending(w, "R1", "R2")
    out = w.engine.authorize_batch(["R1", "R2", "R1"], AT)
    assert [i.ok for i in out.results] == [True, True, False]
    assert out.results[2].error is not None
    assert out.results[2].error.code == ErrorCode.INVALID_STATE
    assert [n.return_id for n in out.notifications] == ["R1", "R2"]


def test_batch_where_every_id_fails_succeeds_with_no_notifications() -> None:
    w = World()
    _pending(w, "R1")
    before = w.engine.get_return("R1")
    out = w.engine.authorize_batch(["R1"], REQUESTED - 1)
    assert out.results[0].ok is False
    assert out.results[0].error is not None
    assert out.results[0].error.code == ErrorCode.INVALID_TIME
    assert out.notifications == ()
    assert w.engine.get_return("R1") == before


def test_empty_batch_is_invalid_args() -> None:
    w = World()
    _pending(w, "R1")
    err = w.refuses(ErrorCode.INVALID_ARGS, lambda: w.engine.authorize_batch([], AT))
    assert err.details.get("field") == "return_ids"


def test_batch_with_an_empty_id_is_refused_whole() -> None:
    w = World()
    _pending(w, "R1")
    w.refuses(ErrorCode.INVALID_ARGS, lambda: w.engine.authorize_batch(["R1", ""], AT))
    assert w.engine.get_return("R1").status == Status.PENDING_AUTHORIZATION


def test_batch_rmas_avoid_each_other_and_earlier_ones() -> None:
    w = World()
    _pending(w, *[f"R{n}" for n in range(20)])
    first = w.engine.authorize_batch([f"R{n}" for n in range(10)], AT)
    second = w.engine.authorize_batch([f"R{n}" for n in range(10, 20)], AT)
    numbers = [
        i.return_.rma.number for i in first.results + second.results if i.return_ and i.return_.rma
    ]
    assert len(numbers) == 20
    assert len(set(numbers)) == 20
