"""The model's per-return commands, built without their dataclass ``__init__``
(``sim.model.commands``), are the values the dataclass builds: equal, printed, hashed and
pickled alike, whatever the field values (None, subclasses, odd numbers)."""

from __future__ import annotations

import pickle

import pytest

from sim.core.values import Order, OrderItem, ReturnRequest
from sim.model.commands import one_item_order, return_request


class _Str(str):
    pass


def _alike(built: object, made: object) -> None:
    assert type(built) is type(made)
    assert built == made
    assert repr(built) == repr(made)
    assert hash(built) == hash(made)
    assert pickle.loads(pickle.dumps(built)) == made
    assert pickle.dumps(built) == pickle.dumps(made)


@pytest.mark.parametrize("values", [
    ("111-0000001-0000002", "S1", "A1", 1_700_000_000, 1_700_086_400, "SKU-1", "apparel", 2,
     19.99),
    ("", "", "", -1, 0, "", "", 0, 0.0),
    (_Str("O"), _Str("S"), "B", True, 2**70, _Str("K"), "c", -3, float("inf")),
])
def test_an_order_is_as_the_dataclass_builds_it(values: tuple) -> None:
    order_id, seller_id, buyer_id, ordered, delivered, sku, category, qty, price = values
    _alike(one_item_order(*values),
           Order(order_id, seller_id, buyer_id, ordered, delivered,
                 (OrderItem(sku, category, qty, price),)))


@pytest.mark.parametrize("values", [
    ("R00000001", "111-0000001-0000002", "SKU-1", 1, "CR-DEFECTIVE", 1_700_000_000, None),
    ("R", "O", "K", 2, "AMZ-PG-BAD-DESC", 0, "Not as described in the listing."),
    (_Str("R"), "", _Str(""), True, "", -5, ""),
])
def test_a_request_is_as_the_dataclass_builds_it(values: tuple) -> None:
    _alike(return_request(*values), ReturnRequest(*values))


def test_a_built_value_stays_frozen() -> None:
    order = one_item_order("O", "S", "B", 1, 2, "K", "c", 1, 1.0)
    with pytest.raises(AttributeError):
        order.order_id = "X"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        return_request("R", "O", "K", 1, "x", 1, None).quantity = 2  # type: ignore[misc]
