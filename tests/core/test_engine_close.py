"""Rule 8: closing a return: declined, not_returned from close_eligible_at on, completed."""

from __future__ import annotations

from engine_fixtures import DELIVERED, REQUESTED, World, rfc3339

from sim.core.errors import ErrorCode
from sim.core.values import (
    DAY,
    HOUR,
    CloseReason,
    Notification,
    NotificationKind,
    Policy,
    Recipient,
    Status,
)

ELIGIBLE = DELIVERED + 30 * DAY + 15 * DAY
"""close_eligible_at of the default return: window end plus 15 days of transit."""


def _closed(reason: CloseReason, at: int, return_id: str = "R1") -> Notification:
    return Notification(
        to=Recipient.BUYER,
        kind=NotificationKind.RETURN_CLOSED,
        return_id=return_id,
        at=at,
        close_reason=reason,
    )


def test_close_eligible_at_is_window_end_plus_transit_days() -> None:
    w = World(Policy(transit_days=7))
    r = w.authorized("R1")
    assert r.close_eligible_at == r.window_closes_at + 7 * DAY


def test_zero_transit_days_makes_the_return_closable_at_window_end() -> None:
    w = World(Policy(transit_days=0))
    r = w.authorized("R1")
    assert r.close_eligible_at == r.window_closes_at
    assert w.engine.close("R1", r.window_closes_at).return_.close_reason == CloseReason.NOT_RETURNED


def test_pending_closes_at_once_as_declined() -> None:
    w = World()
    w.pending("R1")
    out = w.engine.close("R1", REQUESTED)
    r = out.return_
    assert r.status == Status.CLOSED
    assert r.close_reason == CloseReason.DECLINED
    assert r.closed_at == REQUESTED
    assert r.respond_by is None
    assert r.authorization is None and r.rma is None and r.label is None
    assert out.notifications == (_closed(CloseReason.DECLINED, REQUESTED),)
    assert w.engine.get_return("R1") == r


def test_pending_closes_long_after_the_window_as_declined() -> None:
    w = World()
    w.pending("R1")
    assert w.engine.close("R1", ELIGIBLE + 100 * DAY).return_.close_reason == CloseReason.DECLINED


def test_authorized_one_second_before_close_eligible_at_is_too_early() -> None:
    w = World()
    r = w.authorized("R1")
    assert r.close_eligible_at == ELIGIBLE
    err = w.refuses(ErrorCode.TOO_EARLY, lambda: w.engine.close("R1", ELIGIBLE - 1))
    assert err.details == {"close_eligible_at": rfc3339(ELIGIBLE)}


def test_authorized_right_after_authorization_is_too_early() -> None:
    w = World()
    w.authorized("R1")
    w.refuses(ErrorCode.TOO_EARLY, lambda: w.engine.close("R1", REQUESTED))


def test_authorized_closes_at_close_eligible_at_as_not_returned() -> None:
    w = World()
    w.authorized("R1")
    out = w.engine.close("R1", ELIGIBLE)
    r = out.return_
    assert (r.status, r.close_reason, r.closed_at) == (
        Status.CLOSED,
        CloseReason.NOT_RETURNED,
        ELIGIBLE,
    )
    assert r.rma is not None and r.label is not None and r.authorized_at == REQUESTED
    assert r.received_at is None
    assert out.notifications == (_closed(CloseReason.NOT_RETURNED, ELIGIBLE),)


def test_manually_authorized_return_uses_the_same_eligibility() -> None:
    w = World()
    w.pending("R1")
    w.authorize("R1", REQUESTED + DAY)
    w.refuses(ErrorCode.TOO_EARLY, lambda: w.engine.close("R1", ELIGIBLE - 1))
    assert w.engine.close("R1", ELIGIBLE).return_.close_reason == CloseReason.NOT_RETURNED


def test_received_closes_as_completed_any_time_after_receipt() -> None:
    w = World()
    r = w.authorized("R1")
    assert r.rma is not None
    w.engine.receive("S1", r.rma.number, REQUESTED + DAY)
    out = w.engine.close("R1", REQUESTED + DAY)
    assert out.return_.close_reason == CloseReason.COMPLETED
    assert out.return_.received_at == REQUESTED + DAY
    assert out.notifications == (_closed(CloseReason.COMPLETED, REQUESTED + DAY),)


def test_closed_cannot_close_again() -> None:
    w = World()
    w.pending("R1")
    w.engine.close("R1", REQUESTED)
    w.refuses(ErrorCode.INVALID_STATE, lambda: w.engine.close("R1", REQUESTED + DAY))


def test_close_before_the_last_event_is_invalid_time() -> None:
    w = World()
    w.pending("R1")
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.engine.close("R1", REQUESTED - 1))
    w.engine.reply("R1", REQUESTED + HOUR, "one moment")
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.engine.close("R1", REQUESTED + HOUR - 1))


def test_invalid_time_comes_before_invalid_state_and_too_early() -> None:
    w = World()
    w.pending("R1")
    w.engine.close("R1", REQUESTED + DAY)
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.engine.close("R1", REQUESTED))
    w2 = World()
    w2.pending("R1")
    w2.authorize("R1", REQUESTED + DAY)
    w2.refuses(ErrorCode.INVALID_TIME, lambda: w2.engine.close("R1", REQUESTED))


def test_close_unknown_or_empty_return_id() -> None:
    w = World()
    w.pending("R1")
    w.refuses(ErrorCode.UNKNOWN_RETURN, lambda: w.engine.close("R404", REQUESTED))
    w.refuses(ErrorCode.INVALID_ARGS, lambda: w.engine.close("", REQUESTED))


def test_close_eligibility_is_fixed_at_request_time() -> None:
    w = World()
    w.authorized("R1")
    w.engine.set_policy(Policy(transit_days=0, default_window_days=1))
    w.refuses(ErrorCode.TOO_EARLY, lambda: w.engine.close("R1", ELIGIBLE - 1))
    assert w.engine.close("R1", ELIGIBLE).return_.close_reason == CloseReason.NOT_RETURNED
