"""Rules 3 and 4: who decides a request (every row of the decision table) and who pays the label."""

from __future__ import annotations

import re

import pytest
from engine_fixtures import AMAZON_RMA, DELIVERED, REQUESTED, World, addr

from sim.core.values import (
    DAY,
    DEFAULT_SELLER_FAULT_REASONS,
    HOUR,
    Label,
    LabelType,
    Mode,
    Payer,
    Plan,
    Policy,
    ReturnRecord,
    RmaSource,
    Status,
)

LATE = DELIVERED + 31 * DAY
"""A request time outside the default 30-day window."""


def _assert_pending(r: ReturnRecord, hours: int = 24) -> None:
    assert r.status == Status.PENDING_AUTHORIZATION
    assert r.authorization is None
    assert r.authorized_at is None
    assert r.rma is None
    assert r.label is None
    assert r.return_address is None
    assert r.respond_by == r.requested_at + hours * HOUR
    assert (r.received_at, r.closed_at, r.close_reason) == (None, None, None)


def _assert_auto(r: ReturnRecord, label_type: LabelType, paid_by: Payer) -> None:
    assert r.status == Status.AUTHORIZED
    assert r.authorization == Mode.AUTO
    assert r.authorized_at == r.requested_at
    assert r.label == Label(type=label_type, paid_by=paid_by, carrier=None, tracking_id=None)
    assert r.rma is not None
    assert r.rma.source == RmaSource.AMAZON
    assert re.fullmatch(AMAZON_RMA, r.rma.number)
    assert r.return_address == addr("A1")
    assert r.respond_by is None
    assert (r.received_at, r.closed_at, r.close_reason) == (None, None, None)


# --------------------------------------------------------------------------- individual


@pytest.mark.parametrize("requested_at", [REQUESTED, LATE], ids=["in_policy", "out_of_policy"])
def test_individual_auto_authorizes_any_request_with_an_unpaid_label(requested_at: int) -> None:
    w = World()
    w.individual(authorization=Mode.AUTO)
    w.order()
    r = w.request(reason="CR-DEFECTIVE", requested_at=requested_at).return_
    _assert_auto(r, LabelType.AMAZON_UNPAID, Payer.CUSTOMER)


@pytest.mark.parametrize("requested_at", [REQUESTED, LATE], ids=["in_policy", "out_of_policy"])
def test_individual_manual_leaves_any_request_pending(requested_at: int) -> None:
    w = World()
    w.individual(authorization=Mode.MANUAL)
    w.order()
    _assert_pending(w.request(requested_at=requested_at).return_)


def test_individual_defaults_to_manual() -> None:
    w = World()
    seller = w.individual()
    assert seller.settings.authorization == Mode.MANUAL
    w.order()
    _assert_pending(w.request().return_)


def test_individual_ignores_prepaid_exempt_categories() -> None:
    w = World(Policy(prepaid_exempt_categories=("toys",)))
    w.individual(authorization=Mode.AUTO)
    w.order(category="toys")
    _assert_auto(w.request().return_, LabelType.AMAZON_UNPAID, Payer.CUSTOMER)


# --------------------------------------------------------------------------- professional


def test_professional_in_policy_not_exempt_gets_a_prepaid_label_at_once() -> None:
    w = World()
    w.seller()
    w.order()
    r = w.request(reason="CR-UNWANTED_ITEM").return_
    _assert_auto(r, LabelType.AMAZON_PREPAID, Payer.CUSTOMER)
    assert r.in_policy is True


def test_professional_out_of_policy_auto_gets_an_unpaid_label() -> None:
    w = World()
    w.seller(out_of_policy=Mode.AUTO)
    w.order()
    r = w.request(reason="CR-DEFECTIVE", requested_at=LATE).return_
    _assert_auto(r, LabelType.AMAZON_UNPAID, Payer.CUSTOMER)
    assert r.in_policy is False


def test_professional_out_of_policy_manual_is_pending() -> None:
    w = World()
    w.seller(out_of_policy=Mode.MANUAL)
    w.order()
    _assert_pending(w.request(requested_at=LATE).return_)


def test_professional_defaults_review_out_of_policy_and_exempt_by_hand() -> None:
    w = World(Policy(non_returnable_categories=("grocery",), prepaid_exempt_categories=("sofa",)))
    seller = w.seller()
    assert seller.settings.out_of_policy == Mode.MANUAL
    assert seller.settings.exempt_mode == Mode.MANUAL
    assert seller.settings.exempt_skus == ()
    w.order("O1", category="grocery")
    _assert_pending(w.request("R1", "O1").return_)
    w.order("O2", category="sofa")
    _assert_pending(w.request("R2", "O2").return_)


def test_non_returnable_category_reads_out_of_policy_setting() -> None:
    w = World(Policy(non_returnable_categories=("grocery",)))
    w.seller(out_of_policy=Mode.AUTO)
    w.order(category="grocery")
    _assert_auto(w.request().return_, LabelType.AMAZON_UNPAID, Payer.CUSTOMER)


def test_exempt_sku_auto_gets_an_unpaid_label() -> None:
    w = World()
    w.seller(exempt_skus=("SKU1",), exempt_mode=Mode.AUTO)
    w.order()
    r = w.request(reason="CR-DEFECTIVE").return_
    _assert_auto(r, LabelType.AMAZON_UNPAID, Payer.CUSTOMER)
    assert r.in_policy is True


def test_exempt_sku_manual_is_pending() -> None:
    w = World()
    w.seller(exempt_skus=("SKU1",), exempt_mode=Mode.MANUAL)
    w.order()
    r = w.request().return_
    _assert_pending(r)
    assert r.in_policy is True


def test_exempt_skus_only_exempt_the_listed_skus() -> None:
    w = World()
    w.seller(exempt_skus=("OTHER",), exempt_mode=Mode.MANUAL)
    w.order()
    _assert_auto(w.request().return_, LabelType.AMAZON_PREPAID, Payer.CUSTOMER)


def test_prepaid_exempt_category_auto_gets_an_unpaid_label() -> None:
    w = World(Policy(prepaid_exempt_categories=("sofa", "handmade")))
    w.seller(exempt_mode=Mode.AUTO)
    w.order(category="handmade")
    _assert_auto(w.request(reason="CR-DEFECTIVE").return_, LabelType.AMAZON_UNPAID, Payer.CUSTOMER)


def test_prepaid_exempt_category_manual_is_pending() -> None:
    w = World(Policy(prepaid_exempt_categories=("sofa",)))
    w.seller(exempt_mode=Mode.MANUAL)
    w.order(category="sofa")
    _assert_pending(w.request().return_)


def test_out_of_policy_exempt_sku_reads_out_of_policy_not_exempt_mode() -> None:
    w = World()
    w.seller(exempt_skus=("SKU1",), exempt_mode=Mode.AUTO, out_of_policy=Mode.MANUAL)
    w.order()
    _assert_pending(w.request(requested_at=LATE).return_)

    w2 = World()
    w2.seller(exempt_skus=("SKU1",), exempt_mode=Mode.MANUAL, out_of_policy=Mode.AUTO)
    w2.order()
    _assert_auto(w2.request(requested_at=LATE).return_, LabelType.AMAZON_UNPAID, Payer.CUSTOMER)


def test_in_policy_exempt_sku_ignores_out_of_policy_setting() -> None:
    w = World()
    w.seller(exempt_skus=("SKU1",), exempt_mode=Mode.MANUAL, out_of_policy=Mode.AUTO)
    w.order()
    _assert_pending(w.request().return_)


def test_respond_by_follows_manual_response_hours() -> None:
    w = World(Policy(manual_response_hours=48))
    w.individual()
    w.order()
    _assert_pending(w.request().return_, hours=48)


# --------------------------------------------------------------------------- rule 4


@pytest.mark.parametrize("reason", DEFAULT_SELLER_FAULT_REASONS)
def test_prepaid_label_is_paid_by_the_seller_for_seller_fault_reasons(reason: str) -> None:
    w = World()
    w.seller()
    w.order()
    _assert_auto(w.request(reason=reason).return_, LabelType.AMAZON_PREPAID, Payer.SELLER)


@pytest.mark.parametrize(
    "reason",
    ["CR-UNWANTED_ITEM", "CR-ORDERED_WRONG_ITEM", "CR-FOUND_BETTER_PRICE", "AMZ-PG-APP-TOO-SMALL"],
)
def test_prepaid_label_is_paid_by_the_customer_otherwise(reason: str) -> None:
    w = World()
    w.seller()
    w.order()
    _assert_auto(w.request(reason=reason).return_, LabelType.AMAZON_PREPAID, Payer.CUSTOMER)


def test_seller_fault_reasons_come_from_the_policy_in_force() -> None:
    w = World(Policy(seller_fault_reasons=("CR-UNWANTED_ITEM",)))
    w.seller()
    w.order(quantity=2)
    first = w.request("R1", reason="CR-UNWANTED_ITEM").return_
    second = w.request("R2", reason="CR-DEFECTIVE").return_
    assert first.label is not None and first.label.paid_by == Payer.SELLER
    assert second.label is not None and second.label.paid_by == Payer.CUSTOMER


@pytest.mark.parametrize("plan", [Plan.INDIVIDUAL, Plan.PROFESSIONAL])
def test_unpaid_label_is_paid_by_the_customer_even_for_seller_fault(plan: Plan) -> None:
    w = World()
    if plan == Plan.INDIVIDUAL:
        w.individual(authorization=Mode.AUTO)
    else:
        w.seller(out_of_policy=Mode.AUTO)
    w.order()
    r = w.request(reason="CR-DAMAGED_BY_CARRIER", requested_at=LATE).return_
    _assert_auto(r, LabelType.AMAZON_UNPAID, Payer.CUSTOMER)


def test_auto_authorization_uses_the_default_return_address() -> None:
    w = World()
    w.seller(addresses=(addr("A1"), addr("A2")), default_return_address_id="A2")
    w.order()
    assert w.request().return_.return_address == addr("A2")


def test_record_copies_the_request_and_the_order() -> None:
    w = World()
    w.seller()
    w.order("O1", buyer_id="B7", sku="SKU9", category="shoes", quantity=3)
    r = w.request("R1", "O1", sku="SKU9", quantity=2, reason="CR-DEFECTIVE", comment="torn").return_
    assert (r.return_id, r.order_id, r.seller_id, r.buyer_id) == ("R1", "O1", "S1", "B7")
    assert (r.sku, r.category, r.quantity, r.reason) == ("SKU9", "shoes", 2, "CR-DEFECTIVE")
    assert r.requested_at == REQUESTED
    assert w.engine.get_return("R1") == r
