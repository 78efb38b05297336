"""Rule 9: the packing slip's RMA finds the seller's authorized return when it arrives."""

from __future__ import annotations

from engine_fixtures import REQUESTED, World

from sim.core.errors import ErrorCode
from sim.core.values import DAY, HOUR, Status

AT = REQUESTED + 3 * DAY


def _authorized(w: World) -> str:
    r = w.authorized("R1")
    assert r.rma is not None
    return r.rma.number


def test_receive_by_amazon_rma_marks_the_return_received() -> None:
    w = World()
    number = _authorized(w)
    before = w.engine.get_return("R1")
    r = w.engine.receive("S1", number, AT)
    assert r.status == Status.RECEIVED
    assert r.received_at == AT
    assert r.closed_at is None and r.close_reason is None
    # Nothing else about the record moves.
    assert r.rma == before.rma and r.label == before.label
    assert r.authorized_at == before.authorized_at
    assert r.window_closes_at == before.window_closes_at
    assert r.close_eligible_at == before.close_eligible_at
    assert r.respond_by is None
    assert w.engine.get_return("R1") == r


def test_receive_by_custom_rma() -> None:
    w = World()
    w.pending("R1")
    w.authorize("R1", REQUESTED, rma="SLIP-42")
    r = w.engine.receive("S1", "SLIP-42", REQUESTED)
    assert (r.return_id, r.status) == ("R1", Status.RECEIVED)


def test_receive_after_the_window_and_transit_still_works() -> None:
    w = World()
    number = _authorized(w)
    late = w.engine.get_return("R1").close_eligible_at + 10 * DAY
    assert w.engine.receive("S1", number, late).status == Status.RECEIVED


def test_receive_for_an_unknown_seller_is_unknown_seller() -> None:
    w = World()
    number = _authorized(w)
    w.refuses(ErrorCode.UNKNOWN_SELLER, lambda: w.engine.receive("S404", number, AT))


def test_receive_with_an_rma_no_return_carries_is_unknown_rma() -> None:
    w = World()
    _authorized(w)
    w.refuses(ErrorCode.UNKNOWN_RMA, lambda: w.engine.receive("S1", "DAAAAAAARRMA", AT))


def test_receive_with_another_sellers_rma_is_unknown_rma() -> None:
    w = World()
    number = _authorized(w)
    w.seller("S2")
    w.refuses(ErrorCode.UNKNOWN_RMA, lambda: w.engine.receive("S2", number, AT))


def test_receive_twice_is_invalid_state() -> None:
    w = World()
    number = _authorized(w)
    w.engine.receive("S1", number, AT)
    w.refuses(ErrorCode.INVALID_STATE, lambda: w.engine.receive("S1", number, AT + HOUR))


def test_receive_a_closed_return_is_invalid_state() -> None:
    w = World()
    number = _authorized(w)
    eligible = w.engine.get_return("R1").close_eligible_at
    w.engine.close("R1", eligible)
    w.refuses(ErrorCode.INVALID_STATE, lambda: w.engine.receive("S1", number, eligible + DAY))


def test_receive_before_the_last_event_is_invalid_time() -> None:
    w = World()
    number = _authorized(w)
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.engine.receive("S1", number, REQUESTED - 1))
    w.engine.reply("R1", AT, "thanks")
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.engine.receive("S1", number, AT - 1))
    assert w.engine.receive("S1", number, AT).status == Status.RECEIVED


def test_receive_checks_time_before_state() -> None:
    w = World()
    number = _authorized(w)
    w.engine.receive("S1", number, AT)
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.engine.receive("S1", number, AT - 1))


def test_receive_checks_seller_before_rma() -> None:
    w = World()
    _authorized(w)
    w.refuses(ErrorCode.UNKNOWN_SELLER, lambda: w.engine.receive("S404", "NOPE", AT))


def test_receive_with_empty_ids_is_invalid_args() -> None:
    w = World()
    number = _authorized(w)
    err = w.refuses(ErrorCode.INVALID_ARGS, lambda: w.engine.receive("", number, AT))
    assert err.details.get("field") == "seller_id"
    w.refuses(ErrorCode.INVALID_ARGS, lambda: w.engine.receive("S1", "", AT))


def test_receive_schema_errors_come_before_lookups() -> None:
    """An empty rma does not fit the schema: over rap/1 it is invalid_args whatever the seller,
    so the typed API must agree (the same scenario in-process and over stdio)."""
    w = World()
    _authorized(w)
    w.refuses(ErrorCode.INVALID_ARGS, lambda: w.engine.receive("S404", "", AT))
