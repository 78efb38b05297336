"""The values the model sends the engine for every return (an order, its item, the request),
built without their dataclass ``__init__``.

They are frozen and slotted: their ``__init__`` sets each field through
``object.__setattr__`` (about 100 ns a field, 17 fields a return); setting each slot through
its own descriptor, as ``sim.core.records`` does for the engine's answers, takes about half.
What comes out equals, prints, hashes and pickles exactly as if built by the dataclass
(tests/model/test_per_return_commands.py compares them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sim.core.values import Instant, Order, OrderItem, ReturnRequest

_new = object.__new__


def _setters(cls: type, *names: str) -> tuple[Callable[[Any, Any], None], ...]:
    return tuple(cls.__dict__[name].__set__ for name in names)


_ITEM_SKU, _ITEM_CATEGORY, _ITEM_QUANTITY, _ITEM_PRICE = _setters(
    OrderItem, "sku", "category", "quantity", "unit_price")
_ORDER_ID, _ORDER_SELLER, _ORDER_BUYER, _ORDER_AT, _ORDER_DELIVERED, _ORDER_ITEMS = _setters(
    Order, "order_id", "seller_id", "buyer_id", "ordered_at", "delivered_at", "items")
(_REQ_ID, _REQ_ORDER, _REQ_SKU, _REQ_QUANTITY, _REQ_REASON, _REQ_AT,
 _REQ_COMMENT) = _setters(ReturnRequest, "return_id", "order_id", "sku", "quantity", "reason",
                          "requested_at", "comment")


def one_item_order(
    order_id: str, seller_id: str, buyer_id: str, ordered_at: Instant, delivered_at: Instant,
    sku: str, category: str, quantity: int, unit_price: float,
) -> Order:
    """``Order(order_id, ..., (OrderItem(sku, category, quantity, unit_price),))``."""
    item = _new(OrderItem)
    _ITEM_SKU(item, sku)
    _ITEM_CATEGORY(item, category)
    _ITEM_QUANTITY(item, quantity)
    _ITEM_PRICE(item, unit_price)
    order = _new(Order)
    _ORDER_ID(order, order_id)
    _ORDER_SELLER(order, seller_id)
    _ORDER_BUYER(order, buyer_id)
    _ORDER_AT(order, ordered_at)
    _ORDER_DELIVERED(order, delivered_at)
    _ORDER_ITEMS(order, (item,))
    return order


def return_request(
    return_id: str, order_id: str, sku: str, quantity: int, reason: str,
    requested_at: Instant, comment: str | None,
) -> ReturnRequest:
    """``ReturnRequest(return_id, order_id, sku, quantity, reason, requested_at, comment)``."""
    request = _new(ReturnRequest)
    _REQ_ID(request, return_id)
    _REQ_ORDER(request, order_id)
    _REQ_SKU(request, sku)
    _REQ_QUANTITY(request, quantity)
    _REQ_REASON(request, reason)
    _REQ_AT(request, requested_at)
    _REQ_COMMENT(request, comment)
    return request
