"""place_order and the time rules: delivery before ordering is invalid_time, and per-return ops
dated before the return's last event are invalid_time (equal is fine)."""

from __future__ import annotations

from engine_fixtures import DELIVERED, REQUESTED, T0, World, item

from sim.core.errors import ErrorCode
from sim.core.values import DAY, HOUR, Order, Status


def test_place_order_answers_the_order() -> None:
    w = World()
    w.seller()
    o = Order(
        "O1",
        "S1",
        "B1",
        T0,
        DELIVERED,
        (item("SKU1", "toys", 2, 19.99), item("SKU2", "books", 1, 0.0)),
    )
    assert w.engine.place_order(o) == o


def test_delivery_at_the_order_second_is_accepted() -> None:
    w = World()
    w.seller()
    assert w.order(ordered_at=T0, delivered_at=T0).delivered_at == T0


def test_delivery_before_ordering_is_invalid_time() -> None:
    w = World()
    w.seller()
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.order(ordered_at=T0, delivered_at=T0 - 1))
    # Nothing was stored: the same order id is free.
    assert w.order().order_id == "O1"


def test_unknown_seller_and_duplicate_order() -> None:
    w = World()
    w.seller()
    w.refuses(ErrorCode.UNKNOWN_SELLER, lambda: w.order("O1", "S404"))
    w.order("O1")
    w.refuses(ErrorCode.DUPLICATE_ORDER, lambda: w.order("O1", sku="OTHER"))


def test_order_ids_are_unique_across_sellers() -> None:
    w = World()
    w.seller("S1")
    w.seller("S2")
    w.order("O1", "S1")
    w.refuses(ErrorCode.DUPLICATE_ORDER, lambda: w.order("O1", "S2"))


def test_malformed_orders_are_invalid_args_naming_the_field() -> None:
    w = World()
    w.seller()
    cases = [
        ("order_id", lambda: w.order("")),
        ("buyer_id", lambda: w.order(buyer_id="")),
        ("items", lambda: w.order(items=[])),
        ("items[0].sku", lambda: w.order(sku="")),
        ("items[0].quantity", lambda: w.order(quantity=0)),
        ("items[1].quantity", lambda: w.order(items=[item("A"), item("B", quantity=-2)])),
        ("items[0].unit_price", lambda: w.order(unit_price=-0.01)),
    ]
    for field, call in cases:
        err = w.refuses(ErrorCode.INVALID_ARGS, call)
        assert err.details.get("field") == field, (field, err)


def test_seller_id_of_an_order_may_not_be_empty() -> None:
    w = World()
    w.seller()
    err = w.refuses(ErrorCode.INVALID_ARGS, lambda: w.order("O1", ""))
    assert err.details.get("field") == "seller_id"


def test_repeated_sku_in_one_order_is_invalid_args() -> None:
    w = World()
    w.seller()
    err = w.refuses(ErrorCode.INVALID_ARGS, lambda: w.order(items=[item("A"), item("A")]))
    assert str(err.details.get("field", "")).startswith("items")
    assert w.order(items=[item("A"), item("B")]).order_id == "O1"


def test_zero_unit_price_is_accepted() -> None:
    w = World()
    w.seller()
    assert w.order(unit_price=0.0).items[0].unit_price == 0.0


# --------------------------------------------------------------------------- per-return times


def test_every_per_return_op_may_share_the_second_of_the_last_event() -> None:
    w = World()
    r = w.pending("R1")
    t = r.requested_at
    w.engine.reply("R1", t, "hi")
    r2 = w.authorize("R1", t).return_
    assert r2.rma is not None
    w.engine.reply("R1", t, "label sent")
    w.engine.receive("S1", r2.rma.number, t)
    w.engine.reply("R1", t, "got it")
    assert w.engine.close("R1", t).return_.status == Status.CLOSED


def test_the_last_event_moves_with_each_op() -> None:
    w = World()
    w.pending("R1")
    authorized = w.authorize("R1", REQUESTED + DAY).return_
    assert authorized.rma is not None
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.engine.reply("R1", REQUESTED + DAY - 1, "x"))
    w.engine.receive("S1", authorized.rma.number, REQUESTED + 2 * DAY)
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.engine.reply("R1", REQUESTED + 2 * DAY - 1, "x"))
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.engine.close("R1", REQUESTED + 2 * DAY - 1))
    w.engine.close("R1", REQUESTED + 2 * DAY + HOUR)
    w.refuses(ErrorCode.INVALID_TIME, lambda: w.engine.reply("R1", REQUESTED + 2 * DAY, "x"))


def test_times_of_one_return_do_not_constrain_another() -> None:
    w = World()
    w.pending("R1")
    w.order("O2")
    w.request("R2", "O2")
    w.authorize("R1", REQUESTED + 10 * DAY)
    assert w.authorize("R2", REQUESTED).return_.status == Status.AUTHORIZED
