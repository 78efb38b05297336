"""Rule 5: authorizing a pending return by hand (RMA, label, return address) and its refusals."""

from __future__ import annotations

import re

import pytest
from engine_fixtures import AMAZON_RMA, REQUESTED, World, addr

from sim.core.errors import ErrorCode
from sim.core.values import (
    HOUR,
    Address,
    Label,
    LabelChoice,
    LabelType,
    Mode,
    Notification,
    NotificationKind,
    Payer,
    Recipient,
    Rma,
    RmaSource,
    Status,
)

AT = REQUESTED + 2 * HOUR


def _two_address_world() -> World:
    w = World()
    w.individual("S1", addresses=(addr("A1"), addr("A2")))
    w.order("O1", quantity=5)
    w.request("R1", "O1")
    return w


def test_authorize_without_options_uses_amazon_rma_unpaid_label_and_default_address() -> None:
    w = _two_address_world()
    out = w.authorize("R1", AT)
    r = out.return_
    assert r.status == Status.AUTHORIZED
    assert r.authorization == Mode.MANUAL
    assert r.authorized_at == AT
    assert r.rma is not None and r.rma.source == RmaSource.AMAZON
    assert re.fullmatch(AMAZON_RMA, r.rma.number)
    assert r.label == Label(LabelType.AMAZON_UNPAID, Payer.CUSTOMER, None, None)
    assert r.return_address == addr("A1")
    assert r.respond_by is None
    assert out.notifications == (
        Notification(
            to=Recipient.BUYER,
            kind=NotificationKind.RETURN_AUTHORIZED,
            return_id="R1",
            at=AT,
            rma=r.rma.number,
            label_type=LabelType.AMAZON_UNPAID,
            return_address_id="A1",
        ),
    )
    assert w.engine.get_return("R1") == r


def test_authorize_at_the_request_second_is_allowed() -> None:
    w = _two_address_world()
    assert w.authorize("R1", REQUESTED).return_.authorized_at == REQUESTED


def test_authorize_before_the_request_is_invalid_time() -> None:
    w = _two_address_world()
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.authorize("R1", REQUESTED - 1))


def test_authorize_before_a_reply_is_invalid_time() -> None:
    w = _two_address_world()
    w.engine.reply("R1", AT, "looking into it")
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.authorize("R1", AT - 1))
    assert w.authorize("R1", AT).return_.status == Status.AUTHORIZED


# --------------------------------------------------------------------------- custom RMA


@pytest.mark.parametrize("number", ["X", "RMA-2026_0001", "a" * 32, "DfqRyqfBRRMA"])
def test_custom_rma_is_kept_with_source_seller(number: str) -> None:
    w = _two_address_world()
    out = w.authorize("R1", AT, rma=number)
    assert out.return_.rma == Rma(number, RmaSource.SELLER)
    assert out.notifications[0].rma == number


@pytest.mark.parametrize("number", ["a" * 33, "has space", "a.b", "ümlaut", "slash/1", "a\n"])
def test_custom_rma_outside_the_pattern_is_invalid_rma(number: str) -> None:
    w = _two_address_world()
    w.refuses(ErrorCode.INVALID_RMA, lambda: w.authorize("R1", AT, rma=number))


def test_custom_rma_used_by_another_return_of_the_seller_is_duplicate_rma() -> None:
    w = _two_address_world()
    w.request("R2", "O1")
    w.authorize("R1", AT, rma="MINE-1")
    w.refuses(ErrorCode.DUPLICATE_RMA, lambda: w.authorize("R2", AT, rma="MINE-1"))


def test_custom_rma_of_a_closed_return_stays_used() -> None:
    w = _two_address_world()
    w.request("R2", "O1")
    w.authorize("R1", AT, rma="MINE-1")
    w.engine.receive("S1", "MINE-1", AT + HOUR)
    w.engine.close("R1", AT + 2 * HOUR)
    w.refuses(
        ErrorCode.DUPLICATE_RMA, lambda: w.authorize("R2", AT + 3 * HOUR, rma="MINE-1")
    )


def test_custom_rma_equal_to_an_amazon_rma_of_the_seller_is_duplicate_rma() -> None:
    w = _two_address_world()
    w.request("R2", "O1")
    amazon = w.authorize("R1", AT).return_.rma
    assert amazon is not None
    w.refuses(ErrorCode.DUPLICATE_RMA, lambda: w.authorize("R2", AT, rma=amazon.number))


def test_custom_rma_equal_to_an_automatic_amazon_rma_of_the_seller_is_duplicate_rma() -> None:
    w = World()
    w.seller("S1", exempt_skus=("MANUAL",))
    w.order("O1", items=None, sku="AUTO", quantity=1)
    w.order("O2", sku="MANUAL")
    auto = w.request("R1", "O1", sku="AUTO").return_.rma
    assert auto is not None and auto.source == RmaSource.AMAZON
    w.request("R2", "O2", sku="MANUAL")
    w.refuses(ErrorCode.DUPLICATE_RMA, lambda: w.authorize("R2", AT, rma=auto.number))


def test_the_same_custom_rma_may_be_used_by_two_sellers() -> None:
    w = _two_address_world()
    w.individual("S2")
    w.order("O2", "S2")
    w.request("R2", "O2")
    w.authorize("R1", AT, rma="SHARED")
    assert w.authorize("R2", AT, rma="SHARED").return_.rma == Rma("SHARED", RmaSource.SELLER)


def test_a_seller_may_reuse_another_sellers_amazon_rma_as_custom() -> None:
    w = _two_address_world()
    w.individual("S2")
    w.order("O2", "S2")
    w.request("R2", "O2")
    amazon = w.authorize("R1", AT).return_.rma
    assert amazon is not None
    r2 = w.authorize("R2", AT, rma=amazon.number).return_
    assert r2.rma == Rma(amazon.number, RmaSource.SELLER)
    assert w.engine.receive("S2", amazon.number, AT + HOUR).return_id == "R2"
    assert w.engine.receive("S1", amazon.number, AT + HOUR).return_id == "R1"


# --------------------------------------------------------------------------- label


def test_seller_prepaid_label_is_paid_by_the_seller_with_its_details() -> None:
    w = _two_address_world()
    choice = LabelChoice(LabelType.SELLER_PREPAID, carrier="UPS", tracking_id="1Z999")
    out = w.authorize("R1", AT, label=choice)
    assert out.return_.label == Label(LabelType.SELLER_PREPAID, Payer.SELLER, "UPS", "1Z999")
    assert out.notifications[0].label_type == LabelType.SELLER_PREPAID


def test_seller_prepaid_label_without_details_has_null_carrier_and_tracking() -> None:
    w = _two_address_world()
    out = w.authorize("R1", AT, label=LabelChoice(LabelType.SELLER_PREPAID))
    assert out.return_.label == Label(LabelType.SELLER_PREPAID, Payer.SELLER, None, None)


def test_explicit_amazon_unpaid_label_is_the_default() -> None:
    w = _two_address_world()
    out = w.authorize("R1", AT, label=LabelChoice(LabelType.AMAZON_UNPAID))
    assert out.return_.label == Label(LabelType.AMAZON_UNPAID, Payer.CUSTOMER, None, None)


# --------------------------------------------------------------------------- address


def test_saved_return_address_id_is_used() -> None:
    w = _two_address_world()
    out = w.authorize("R1", AT, return_address_id="A2")
    assert out.return_.return_address == addr("A2")
    assert out.notifications[0].return_address_id == "A2"


def test_unknown_return_address_id_is_unknown_address() -> None:
    w = _two_address_world()
    w.refuses(
        ErrorCode.UNKNOWN_ADDRESS, lambda: w.authorize("R1", AT, return_address_id="A9")
    )


def test_another_sellers_address_id_is_unknown_address() -> None:
    w = _two_address_world()
    w.individual("S2", addresses=(addr("B1"),))
    w.refuses(
        ErrorCode.UNKNOWN_ADDRESS, lambda: w.authorize("R1", AT, return_address_id="B1")
    )


def test_new_return_address_is_used_and_saved_to_the_seller() -> None:
    w = _two_address_world()
    w.request("R2", "O1")
    new = Address("A3", "Annex", "3 Side St", "Sparks", "NV", "89431", "US", line2="Unit 4")
    out = w.authorize("R1", AT, return_address=new)
    assert out.return_.return_address == new
    assert out.notifications[0].return_address_id == "A3"
    settings = w.seller_state("S1").settings
    assert new in settings.return_addresses
    assert addr("A1") in settings.return_addresses and addr("A2") in settings.return_addresses
    assert len(settings.return_addresses) == 3
    assert settings.default_return_address_id == "A1"
    # Saved means usable by id afterwards.
    assert w.authorize("R2", AT, return_address_id="A3").return_.return_address == new


def test_new_return_address_with_an_existing_id_is_invalid_args() -> None:
    w = _two_address_world()
    clash = Address("A2", "Other", "9 Elsewhere", "Reno", "NV", "89501", "US")
    w.refuses(ErrorCode.INVALID_ARGS, lambda: w.authorize("R1", AT, return_address=clash))


def test_both_address_options_are_invalid_args() -> None:
    w = _two_address_world()
    new = Address("A3", "Annex", "3 Side St", "Sparks", "NV", "89431", "US")
    w.refuses(
        ErrorCode.INVALID_ARGS,
        lambda: w.authorize("R1", AT, return_address_id="A2", return_address=new),
    )


# --------------------------------------------------------------------------- state and ids


def test_authorize_unknown_return_is_unknown_return() -> None:
    w = _two_address_world()
    w.refuses(ErrorCode.UNKNOWN_RETURN, lambda: w.authorize("R404", AT))


def test_authorize_empty_return_id_is_invalid_args() -> None:
    w = _two_address_world()
    err = w.refuses(ErrorCode.INVALID_ARGS, lambda: w.authorize("", AT))
    assert err.details.get("field") == "return_id"


def test_authorize_an_authorized_return_is_invalid_state() -> None:
    w = _two_address_world()
    w.authorize("R1", AT)
    w.refuses(ErrorCode.INVALID_STATE, lambda: w.authorize("R1", AT))


def test_authorize_an_auto_authorized_return_is_invalid_state() -> None:
    w = World()
    w.authorized("R1")
    w.refuses(ErrorCode.INVALID_STATE, lambda: w.authorize("R1", AT))


def test_authorize_a_received_or_closed_return_is_invalid_state() -> None:
    w = _two_address_world()
    w.request("R2", "O1")
    w.authorize("R1", AT, rma="R1-RMA")
    w.engine.receive("S1", "R1-RMA", AT)
    w.refuses(ErrorCode.INVALID_STATE, lambda: w.authorize("R1", AT))
    w.engine.close("R2", AT)
    w.refuses(ErrorCode.INVALID_STATE, lambda: w.authorize("R2", AT))


@pytest.mark.parametrize(
    "options",
    [
        {"rma": "not valid!"},
        {"return_address_id": "A9"},
        {"label": LabelChoice(LabelType.SELLER_PREPAID)},
    ],
    ids=["bad_rma", "unknown_address", "label"],
)
def test_options_on_a_non_pending_return_are_invalid_state(options: dict[str, object]) -> None:
    w = _two_address_world()
    w.authorize("R1", AT)
    w.refuses(ErrorCode.INVALID_STATE, lambda: w.authorize("R1", AT, **options))


def test_invalid_time_comes_before_invalid_state() -> None:
    w = _two_address_world()
    w.authorize("R1", AT)
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.authorize("R1", AT - 1))


def test_invalid_time_comes_before_option_checks() -> None:
    w = _two_address_world()
    w.refuses(
        ErrorCode.INVALID_TIME, lambda: w.authorize("R1", REQUESTED - 1, rma="bad rma")
    )


def test_duplicate_rma_refusal_leaves_the_pending_return_untouched() -> None:
    w = _two_address_world()
    w.request("R2", "O1")
    w.authorize("R1", AT, rma="TAKEN")
    before = w.engine.get_return("R2")
    w.refuses(ErrorCode.DUPLICATE_RMA, lambda: w.authorize("R2", AT, rma="TAKEN"))
    assert w.engine.get_return("R2") == before
    assert before.respond_by == REQUESTED + 24 * HOUR


def test_amazon_prepaid_is_not_a_manual_label_choice() -> None:
    w = _two_address_world()
    w.refuses(
        ErrorCode.INVALID_ARGS,
        lambda: w.authorize("R1", AT, label=LabelChoice(LabelType.AMAZON_PREPAID)),
    )


def test_schema_errors_in_options_come_before_lookups() -> None:
    """A label choice the schema cannot express is invalid_args over rap/1 before the engine
    looks the return up; the typed API must answer the same."""
    w = _two_address_world()
    w.refuses(
        ErrorCode.INVALID_ARGS,
        lambda: w.authorize("R404", AT, label=LabelChoice(LabelType.AMAZON_PREPAID)),
    )


def test_new_return_address_with_an_empty_field_is_invalid_args() -> None:
    w = _two_address_world()
    bad = Address("A3", "", "3 Side St", "Sparks", "NV", "89431", "US")
    w.refuses(ErrorCode.INVALID_ARGS, lambda: w.authorize("R1", AT, return_address=bad))
