"""The comparison rules of docs/protocol.md ("Comparing two implementations"), one by one."""

from __future__ import annotations

import copy
from typing import Any

from sim.core.engine import ReferenceEngine
from sim.difftest.compare import RmaMap, compare, compare_all
from sim.rap.envelope import handle

ADDRESS = {"address_id": "A1", "name": "Desk", "line1": "1 Dock Rd", "city": "Reno",
           "region": "NV", "postal_code": "89501", "country": "US"}


def _answers() -> dict[str, dict[str, Any]]:
    """A professional seller's automatic authorization, and a refusal, from the reference."""
    engine = ReferenceEngine()
    steps = [
        ("register_seller", {"seller_id": "S1", "plan": "professional",
                             "settings": {"return_addresses": [ADDRESS]}}),
        ("place_order", {"order_id": "O1", "seller_id": "S1", "buyer_id": "B1",
                         "ordered_at": "2026-03-01T10:00:00Z",
                         "delivered_at": "2026-03-02T10:00:00Z",
                         "items": [{"sku": "K1", "category": "toys", "quantity": 1,
                                    "unit_price": 5}]}),
        ("request_return", {"return_id": "R1", "order_id": "O1", "sku": "K1", "quantity": 1,
                            "reason": "CR-DEFECTIVE", "requested_at": "2026-03-03T10:00:00Z"}),
        ("get_return", {"return_id": "R9"}),
    ]
    out = {}
    for seq, (op, args) in enumerate(steps, start=1):
        out[op] = handle(engine, {"seq": seq, "op": op, "args": args})
    return out


def _full(reference: dict[str, Any], impl: dict[str, Any], *, features: frozenset[str] = frozenset(
        {"label_details"}), rmas: RmaMap | None = None, level: str = "full") -> Any:
    return compare("x", reference, impl, level=level, features=features, rmas=rmas or RmaMap())


def test_identical_answers_agree_at_every_level() -> None:
    answer = _answers()["request_return"]
    for level in ("decisions", "codes", "full"):
        assert _full(answer, copy.deepcopy(answer), level=level) is None


def test_messages_are_not_compared_but_details_are() -> None:
    refusal = _answers()["get_return"]
    other = copy.deepcopy(refusal)
    other["error"]["message"] = "nope"
    assert _full(refusal, other) is None
    other["error"]["details"] = {"return_id": "R8"}
    found = _full(refusal, other)
    assert found is not None and found.path == "error.details.return_id"
    assert _full(refusal, other, level="codes") is None


def test_types_count_an_integer_is_not_a_float_nor_a_boolean() -> None:
    order = _answers()["place_order"]
    other = copy.deepcopy(order)
    other["result"]["order"]["items"][0]["unit_price"] = 5.0
    found = _full(order, other)
    assert found is not None and found.path == "result.order.items[0].unit_price"
    other["result"]["order"]["items"][0]["unit_price"] = 5
    other["result"]["order"]["items"][0]["quantity"] = True
    assert _full(order, other) is not None


def test_another_amazon_rma_of_the_right_shape_is_mapped_not_flagged() -> None:
    answer = _answers()["request_return"]
    number = answer["result"]["return"]["rma"]["number"]
    other = copy.deepcopy(answer)
    other["result"]["return"]["rma"]["number"] = "DzzzzzzzRRMA"
    other["result"]["notifications"][1]["rma"] = "DzzzzzzzRRMA"
    rmas = RmaMap()
    assert _full(answer, other, rmas=rmas) is None
    assert rmas.to_impl == {number: "DzzzzzzzRRMA"}
    receive = {"seq": 9, "op": "receive", "args": {"seller_id": "S1", "rma": number,
                                                   "at": "2026-03-04T10:00:00Z"}}
    assert rmas.request_for_impl(receive)["args"]["rma"] == "DzzzzzzzRRMA"


def test_an_amazon_rma_of_the_wrong_shape_or_not_unique_is_a_difference() -> None:
    answer = _answers()["request_return"]
    other = copy.deepcopy(answer)
    other["result"]["return"]["rma"]["number"] = "DzzzzzzzXRMA"
    found = _full(answer, other)
    assert found is not None and "must match" in found.note
    rmas = RmaMap({"Dtaken00RRMA": "DzzzzzzzRRMA"}, {"DzzzzzzzRRMA": "Dtaken00RRMA"})
    other["result"]["return"]["rma"]["number"] = "DzzzzzzzRRMA"
    found = _full(answer, other, rmas=rmas)
    assert found is not None and "not unique" in found.note


def test_label_details_are_compared_only_when_the_implementation_lists_the_feature() -> None:
    answer = _answers()["request_return"]
    other = copy.deepcopy(answer)
    del other["result"]["return"]["label"]["carrier"]
    assert _full(answer, other, features=frozenset()) is None
    assert _full(answer, other) is not None


def test_decisions_ignore_refusals_and_codes_ignore_details() -> None:
    answer = _answers()["request_return"]
    refusal = _answers()["get_return"]
    assert _full(answer, refusal, level="decisions") is None
    assert _full(answer, refusal, level="codes") is not None
    other = copy.deepcopy(answer)
    other["result"]["return"]["label"]["paid_by"] = "customer"
    for level in ("decisions", "codes", "full"):
        found = _full(answer, other, level=level)
        assert found is not None and found.path.endswith("paid_by"), level
    other = copy.deepcopy(answer)
    other["result"]["notifications"].reverse()
    assert _full(answer, other, level="codes") is None
    assert _full(answer, other, level="full") is not None


def test_every_differing_field_is_reported_for_replay() -> None:
    answer = _answers()["request_return"]
    other = copy.deepcopy(answer)
    other["result"]["return"]["status"] = "pending_authorization"
    other["result"]["return"]["in_policy"] = False
    paths = [d.path for d in compare_all("request_return", answer, other, level="full",
                                         features=frozenset(), rmas=RmaMap())]
    assert paths == ["result.return.status", "result.return.in_policy"]
