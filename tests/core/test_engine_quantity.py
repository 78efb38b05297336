"""Rule 10 and request_return's refusals: quantity across returns, delivery, and the order in
which request_return's errors are checked."""

from __future__ import annotations

from engine_fixtures import DELIVERED, REQUESTED, World, item

from sim.core.errors import ErrorCode
from sim.core.values import HOUR, Mode, Status


def _three_ordered(plan_auto: bool = False) -> World:
    w = World()
    w.individual("S1", authorization=Mode.AUTO if plan_auto else Mode.MANUAL)
    w.order("O1", items=[item("SKU1", quantity=3), item("SKU2", quantity=1)])
    return w


def test_quantity_up_to_the_ordered_quantity_is_accepted() -> None:
    w = _three_ordered()
    assert w.request("R1", quantity=3).return_.quantity == 3


def test_quantity_above_the_ordered_quantity_is_refused() -> None:
    w = _three_ordered()
    w.refuses(ErrorCode.QUANTITY_EXCEEDS_ORDER, lambda: w.request("R1", quantity=4))


def test_quantities_add_up_across_returns() -> None:
    w = _three_ordered()
    w.request("R1", quantity=2)
    w.refuses(ErrorCode.QUANTITY_EXCEEDS_ORDER, lambda: w.request("R2", quantity=2))
    assert w.request("R2", quantity=1).return_.quantity == 1
    w.refuses(ErrorCode.QUANTITY_EXCEEDS_ORDER, lambda: w.request("R3", quantity=1))


def test_quantities_are_counted_per_sku() -> None:
    w = _three_ordered()
    w.request("R1", quantity=3)
    assert w.request("R2", sku="SKU2", quantity=1).return_.sku == "SKU2"
    w.refuses(ErrorCode.QUANTITY_EXCEEDS_ORDER, lambda: w.request("R3", sku="SKU2"))


def test_quantities_are_counted_per_order() -> None:
    w = _three_ordered()
    w.order("O2", items=[item("SKU1", quantity=3)])
    w.request("R1", "O1", quantity=3)
    assert w.request("R2", "O2", quantity=3).return_.order_id == "O2"


def test_a_declined_return_frees_its_quantity() -> None:
    w = _three_ordered()
    w.request("R1", quantity=2)
    w.request("R2", quantity=1)
    w.refuses(ErrorCode.QUANTITY_EXCEEDS_ORDER, lambda: w.request("R3", quantity=2))
    w.engine.close("R1", REQUESTED + HOUR)
    assert w.request("R3", quantity=2, requested_at=REQUESTED + HOUR).return_.quantity == 2
    w.refuses(ErrorCode.QUANTITY_EXCEEDS_ORDER, lambda: w.request("R4", quantity=1))


def test_authorized_received_and_completed_returns_keep_their_quantity() -> None:
    w = _three_ordered(plan_auto=True)
    r1 = w.request("R1", quantity=1).return_
    r2 = w.request("R2", quantity=1).return_
    w.request("R3", quantity=1)
    assert r1.rma is not None and r2.rma is not None
    w.engine.receive("S1", r1.rma.number, REQUESTED + HOUR)
    w.engine.receive("S1", r2.rma.number, REQUESTED + HOUR)
    w.engine.close("R2", REQUESTED + 2 * HOUR)
    assert w.engine.get_return("R2").status == Status.CLOSED
    w.refuses(ErrorCode.QUANTITY_EXCEEDS_ORDER, lambda: w.request("R4", quantity=1))


def test_a_not_returned_close_keeps_its_quantity() -> None:
    w = _three_ordered(plan_auto=True)
    r = w.request("R1", quantity=3).return_
    w.engine.close("R1", r.close_eligible_at)
    w.refuses(
        ErrorCode.QUANTITY_EXCEEDS_ORDER,
        lambda: w.request("R2", quantity=1, requested_at=r.close_eligible_at),
    )


def test_a_refused_request_uses_no_quantity() -> None:
    w = _three_ordered()
    w.refuses(ErrorCode.QUANTITY_EXCEEDS_ORDER, lambda: w.request("R1", quantity=4))
    assert w.request("R1", quantity=3).return_.status == Status.PENDING_AUTHORIZATION


def test_non_positive_quantity_is_invalid_args() -> None:
    w = _three_ordered()
    for q in (0, -1):
        err = w.refuses(ErrorCode.INVALID_ARGS, lambda q=q: w.request("R1", quantity=q))  # type: ignore[misc]
        assert err.details == {"field": "quantity", "value": q}


# --------------------------------------------------------------------------- delivery


def test_request_before_delivery_is_not_delivered() -> None:
    w = _three_ordered()
    w.refuses(ErrorCode.NOT_DELIVERED, lambda: w.request("R1", requested_at=DELIVERED - 1))


def test_request_at_the_delivery_second_is_accepted() -> None:
    w = _three_ordered()
    assert w.request("R1", requested_at=DELIVERED).return_.requested_at == DELIVERED


# --------------------------------------------------------------------------- other refusals


def test_unknown_order_sku_and_duplicate_return() -> None:
    w = _three_ordered()
    w.refuses(ErrorCode.UNKNOWN_ORDER, lambda: w.request("R1", "O404"))
    w.refuses(ErrorCode.UNKNOWN_SKU, lambda: w.request("R1", sku="SKU404"))
    w.request("R1")
    w.refuses(ErrorCode.DUPLICATE_RETURN, lambda: w.request("R1", sku="SKU2"))


def test_return_ids_are_unique_across_sellers() -> None:
    w = _three_ordered()
    w.request("R1")
    w.seller("S2")
    w.order("O2", "S2")
    w.refuses(ErrorCode.DUPLICATE_RETURN, lambda: w.request("R1", "O2"))


def test_empty_ids_are_invalid_args() -> None:
    w = _three_ordered()
    for field, call in [
        ("return_id", lambda: w.request("")),
        ("order_id", lambda: w.request("R1", "")),
        ("sku", lambda: w.request("R1", sku="")),
    ]:
        err = w.refuses(ErrorCode.INVALID_ARGS, call)
        assert err.details.get("field") == field


def test_precedence_invalid_args_before_duplicate_return() -> None:
    w = _three_ordered()
    w.request("R1")
    w.refuses(ErrorCode.INVALID_ARGS, lambda: w.request("R1", quantity=0))


def test_precedence_duplicate_return_before_unknown_order() -> None:
    w = _three_ordered()
    w.request("R1")
    w.refuses(ErrorCode.DUPLICATE_RETURN, lambda: w.request("R1", "O404"))


def test_precedence_unknown_order_before_unknown_sku() -> None:
    w = _three_ordered()
    w.refuses(ErrorCode.UNKNOWN_ORDER, lambda: w.request("R1", "O404", sku="SKU404"))


def test_precedence_unknown_sku_before_not_delivered() -> None:
    w = _three_ordered()
    w.refuses(
        ErrorCode.UNKNOWN_SKU, lambda: w.request("R1", sku="SKU404", requested_at=DELIVERED - 1)
    )


def test_precedence_not_delivered_before_quantity_exceeds_order() -> None:
    w = _three_ordered()
    w.refuses(
        ErrorCode.NOT_DELIVERED, lambda: w.request("R1", quantity=9, requested_at=DELIVERED - 1)
    )
