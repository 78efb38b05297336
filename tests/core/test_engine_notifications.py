"""Rule 11: who is told what, in which order, with which links; and ``reply``."""

from __future__ import annotations

import pytest
from engine_fixtures import DELIVERED, REQUESTED, World, addr

from sim.core.errors import ErrorCode
from sim.core.values import (
    DAY,
    HOUR,
    CloseReason,
    LabelType,
    Link,
    Mode,
    Notification,
    NotificationKind,
    Plan,
    Policy,
    Recipient,
    SettingsPatch,
    Status,
)

LATE = DELIVERED + 40 * DAY


def _requested(
    reason: str = "CR-UNWANTED_ITEM", out_of_policy: bool = False, links: tuple[Link, ...] = ()
) -> Notification:
    return Notification(
        to=Recipient.SELLER,
        kind=NotificationKind.RETURN_REQUESTED,
        return_id="R1",
        at=REQUESTED if not out_of_policy else LATE,
        reason=reason,
        out_of_policy=out_of_policy,
        links=links,
    )


def _world(plan: Plan, email_links: bool, **settings: object) -> World:
    w = World(Policy(non_returnable_categories=("grocery",)))
    w.seller(
        "S1",
        plan,
        addresses=(addr("A1"), addr("A2")),
        default_return_address_id="A2",
        email_links=email_links,
        **settings,
    )
    w.order("O1")
    return w


ALL_LINKS = (Link.AUTHORIZE, Link.CLOSE, Link.REPLY)


@pytest.mark.parametrize(
    ("plan", "settings", "late", "pending"),
    [
        (Plan.INDIVIDUAL, {"authorization": Mode.MANUAL}, False, True),
        (Plan.INDIVIDUAL, {"authorization": Mode.MANUAL}, True, True),
        (Plan.INDIVIDUAL, {"authorization": Mode.AUTO}, False, False),
        (Plan.INDIVIDUAL, {"authorization": Mode.AUTO}, True, False),
        (Plan.PROFESSIONAL, {}, False, False),
        (Plan.PROFESSIONAL, {"out_of_policy": Mode.MANUAL}, True, True),
        (Plan.PROFESSIONAL, {"out_of_policy": Mode.AUTO}, True, False),
        (Plan.PROFESSIONAL, {"exempt_skus": ("SKU1",), "exempt_mode": Mode.MANUAL}, False, True),
        (Plan.PROFESSIONAL, {"exempt_skus": ("SKU1",), "exempt_mode": Mode.AUTO}, False, False),
    ],
)
@pytest.mark.parametrize("email_links", [True, False], ids=["links_on", "links_off"])
def test_request_notifications_for_every_case(
    plan: Plan, settings: dict[str, object], late: bool, pending: bool, email_links: bool
) -> None:
    w = _world(plan, email_links, **settings)
    out = w.request("R1", reason="CR-DEFECTIVE", requested_at=LATE if late else REQUESTED)
    r = out.return_
    assert (r.status == Status.PENDING_AUTHORIZATION) is pending
    links = (ALL_LINKS if pending else (Link.REPLY,)) if email_links else ()
    expected = [_requested("CR-DEFECTIVE", out_of_policy=late, links=links)]
    if not pending:
        assert r.rma is not None and r.label is not None
        expected.append(
            Notification(
                to=Recipient.BUYER,
                kind=NotificationKind.RETURN_AUTHORIZED,
                return_id="R1",
                at=r.requested_at,
                rma=r.rma.number,
                label_type=r.label.type,
                return_address_id="A2",
            )
        )
    assert out.notifications == tuple(expected)


def test_prepaid_label_type_is_in_the_authorized_notification() -> None:
    w = _world(Plan.PROFESSIONAL, False)
    out = w.request("R1")
    assert out.notifications[1].label_type == LabelType.AMAZON_PREPAID


def test_non_returnable_request_is_flagged_out_of_policy_to_the_seller() -> None:
    w = World(Policy(non_returnable_categories=("grocery",)))
    w.individual("S1")
    w.order("O1", category="grocery")
    assert w.request("R1").notifications[0].out_of_policy is True


def test_links_follow_the_setting_in_force_at_request_time() -> None:
    w = _world(Plan.INDIVIDUAL, False)
    w.engine.update_seller("S1", SettingsPatch(email_links=True))
    assert w.request("R1").notifications[0].links == ALL_LINKS


def test_a_whole_life_notifies_seller_once_then_buyer_at_each_step() -> None:
    w = _world(Plan.INDIVIDUAL, True)
    out = w.request("R1")
    assert [(n.to, n.kind) for n in out.notifications] == [
        (Recipient.SELLER, NotificationKind.RETURN_REQUESTED)
    ]
    t = REQUESTED + HOUR
    authorized = w.authorize("R1", t, rma="SLIP-1", return_address_id="A1")
    assert authorized.notifications == (
        Notification(
            Recipient.BUYER,
            NotificationKind.RETURN_AUTHORIZED,
            "R1",
            t,
            rma="SLIP-1",
            label_type=LabelType.AMAZON_UNPAID,
            return_address_id="A1",
        ),
    )
    replied = w.engine.reply("R1", t + HOUR, "Label attached")
    assert [(n.to, n.kind, n.message) for n in replied.notifications] == [
        (Recipient.BUYER, NotificationKind.SELLER_REPLY, "Label attached")
    ]
    # receive answers the record only: the contract sends nobody anything.
    assert w.engine.receive("S1", "SLIP-1", t + DAY).status == Status.RECEIVED
    closed = w.engine.close("R1", t + 2 * DAY)
    assert closed.notifications == (
        Notification(
            Recipient.BUYER,
            NotificationKind.RETURN_CLOSED,
            "R1",
            t + 2 * DAY,
            close_reason=CloseReason.COMPLETED,
        ),
    )


# --------------------------------------------------------------------------- reply


@pytest.mark.parametrize("stage", ["pending", "authorized", "received"])
def test_reply_notifies_the_buyer_and_changes_no_status(stage: str) -> None:
    w = World()
    if stage == "pending":
        before = w.pending("R1")
    else:
        before = w.authorized("R1")
        if stage == "received":
            assert before.rma is not None
            before = w.engine.receive("S1", before.rma.number, REQUESTED)
    out = w.engine.reply("R1", REQUESTED + HOUR, "We will refund on arrival. ✓")
    assert out.return_ == before
    assert w.engine.get_return("R1") == before
    assert out.notifications == (
        Notification(
            to=Recipient.BUYER,
            kind=NotificationKind.SELLER_REPLY,
            return_id="R1",
            at=REQUESTED + HOUR,
            message="We will refund on arrival. ✓",
        ),
    )


def test_reply_keeps_respond_by_of_a_pending_return() -> None:
    w = World()
    w.pending("R1")
    r = w.engine.reply("R1", REQUESTED + 30 * HOUR, "late answer").return_
    assert r.status == Status.PENDING_AUTHORIZATION
    assert r.respond_by == REQUESTED + 24 * HOUR


def test_reply_to_a_closed_return_is_invalid_state() -> None:
    w = World()
    w.pending("R1")
    w.engine.close("R1", REQUESTED)
    w.refuses(ErrorCode.INVALID_STATE, lambda: w.engine.reply("R1", REQUESTED, "sorry"))


def test_reply_refusals() -> None:
    w = World()
    w.pending("R1")
    w.refuses(ErrorCode.UNKNOWN_RETURN, lambda: w.engine.reply("R404", REQUESTED, "hi"))
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.engine.reply("R1", REQUESTED - 1, "hi"))
    err = w.refuses(ErrorCode.INVALID_ARGS, lambda: w.engine.reply("R1", REQUESTED, ""))
    assert err.details.get("field") == "message"
    w.refuses(ErrorCode.INVALID_ARGS, lambda: w.engine.reply("", REQUESTED, "hi"))


def test_reply_time_counts_as_the_last_event() -> None:
    w = World()
    w.pending("R1")
    w.engine.reply("R1", REQUESTED + DAY, "first")
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.engine.reply("R1", REQUESTED + DAY - 1, "second"))
    assert (
        w.engine.reply("R1", REQUESTED + DAY, "second").return_.status
        == Status.PENDING_AUTHORIZATION
    )
