"""One rap/1 session as raw NDJSON lines, touching every op and every error code.

The protocol, schema, server and client tests replay it through different transports and
compare: the in-process answers are the reference, every transport must give the same bytes.
Each step names the error code it expects (``None`` for success), so the session is also a
readable tour of the contract.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Step:
    line: str
    expect: str | None  # error code, or None for ok

    @property
    def request(self) -> Any:
        return json.loads(self.line)


def address(address_id: str, city: str = "Reno") -> dict[str, Any]:
    return {"address_id": address_id, "name": "Returns desk", "line1": f"{address_id} Dock Rd",
            "city": city, "region": "NV", "postal_code": "89501", "country": "US"}


_steps: list[Step] = []


def _req(op: str, expect: str | None = None, **args: Any) -> None:
    seq = len(_steps) + 1
    request: dict[str, Any] = {"seq": seq, "op": op}
    if args:
        request["args"] = args
    _steps.append(Step(json.dumps(request, separators=(",", ":")), expect))


def _raw(line: str, expect: str) -> None:
    _steps.append(Step(line, expect))


_req("hello")
_req("reset")
_req("set_policy", policy={"category_window_days": {"baby": 90}, "prepaid_exempt_categories":
     ["handmade"], "holiday": {"ordered_from": "2025-11-01", "ordered_to": "2025-12-31",
                               "return_by": "2026-01-31"}})
_req("set_policy", "invalid_policy", policy={"default_window_days": 0})
_req("set_policy", "invalid_args", policy={"default_window_days": True})
_req("register_seller", seller_id="S1", plan="professional",
     settings={"return_addresses": [address("A1")], "email_links": True})
_req("register_seller", seller_id="S2", plan="individual",
     settings={"return_addresses": [address("A2", "Austin")], "email_links": True,
               "authorization": "manual"})
_req("register_seller", "duplicate_seller", seller_id="S1", plan="professional",
     settings={"return_addresses": [address("A1")]})
_req("register_seller", "missing_return_address", seller_id="S3", plan="individual",
     settings={"return_addresses": []})
_req("register_seller", "policy_less_generous", seller_id="S3", plan="individual",
     settings={"return_addresses": [address("A3")], "return_window_days": {"toys": 5}})
_req("register_seller", "unknown_address", seller_id="S3", plan="individual",
     settings={"return_addresses": [address("A3")], "default_return_address_id": "ZZ"})
_req("register_seller", "invalid_args", seller_id="S3", plan="individual",
     settings={"return_addresses": [address("A3")], "exempt_mode": "auto"})
_req("update_seller", seller_id="S1", settings={"exempt_skus": ["K9"], "exempt_mode": "manual"})
_req("update_seller", "unknown_seller", seller_id="S9", settings={})
_req("update_seller", "invalid_args", seller_id="S1", plan="individual", settings={})
_req("place_order", order_id="O1", seller_id="S1", buyer_id="B1",
     ordered_at="2026-03-01T10:00:00Z", delivered_at="2026-03-03T10:00:00Z",
     items=[{"sku": "K1", "category": "toys", "quantity": 2, "unit_price": 19.99},
            {"sku": "K2", "category": "handmade", "quantity": 1, "unit_price": 40}])
_req("place_order", order_id="O2", seller_id="S2", buyer_id="B2",
     ordered_at="2026-03-01T10:00:00Z", delivered_at="2026-03-04T10:00:00Z",
     items=[{"sku": "K3", "category": "apparel", "quantity": 3, "unit_price": 25.5}])
_req("place_order", "duplicate_order", order_id="O1", seller_id="S1", buyer_id="B1",
     ordered_at="2026-03-01T10:00:00Z", delivered_at="2026-03-03T10:00:00Z",
     items=[{"sku": "K1", "category": "toys", "quantity": 1, "unit_price": 1}])
_req("place_order", "invalid_time", order_id="O3", seller_id="S1", buyer_id="B1",
     ordered_at="2026-03-05T10:00:00Z", delivered_at="2026-03-03T10:00:00Z",
     items=[{"sku": "K1", "category": "toys", "quantity": 1, "unit_price": 1}])
_req("place_order", "invalid_args", order_id="O3", seller_id="S1", buyer_id="B1",
     ordered_at="2026-03-01T10:00:00Z", delivered_at="2026-03-03T10:00:00Z",
     items=[{"sku": "K1", "category": "toys", "quantity": 0, "unit_price": 1}])
_req("request_return", return_id="R1", order_id="O1", sku="K1", quantity=1,
     reason="CR-DEFECTIVE", requested_at="2026-03-05T10:00:00Z")
_req("request_return", return_id="R2", order_id="O2", sku="K3", quantity=1,
     reason="AMZ-PG-APP-TOO-SMALL", requested_at="2026-03-05T10:00:00Z")
_req("request_return", return_id="R3", order_id="O2", sku="K3", quantity=1,
     reason="CR-UNWANTED_ITEM", requested_at="2026-03-05T11:00:00Z")
_req("request_return", return_id="R4", order_id="O2", sku="K3", quantity=1,
     reason="CR-UNWANTED_ITEM", requested_at="2026-03-05T12:00:00Z", comment="wrong colour")
_req("request_return", return_id="R5", order_id="O1", sku="K2", quantity=1,
     reason="CR-UNWANTED_ITEM", requested_at="2026-05-05T10:00:00Z")
_req("request_return", "duplicate_return", return_id="R1", order_id="O1", sku="K1",
     quantity=1, reason="CR-DEFECTIVE", requested_at="2026-03-05T10:00:00Z")
_req("request_return", "unknown_order", return_id="R6", order_id="O9", sku="K1", quantity=1,
     reason="CR-DEFECTIVE", requested_at="2026-03-05T10:00:00Z")
_req("request_return", "unknown_sku", return_id="R6", order_id="O1", sku="NOPE", quantity=1,
     reason="CR-DEFECTIVE", requested_at="2026-03-05T10:00:00Z")
_req("request_return", "not_delivered", return_id="R6", order_id="O1", sku="K1", quantity=1,
     reason="CR-DEFECTIVE", requested_at="2026-03-02T10:00:00Z")
_req("request_return", "quantity_exceeds_order", return_id="R6", order_id="O2", sku="K3",
     quantity=1, reason="CR-DEFECTIVE", requested_at="2026-03-06T10:00:00Z")
_req("request_return", "invalid_args", return_id="R6", order_id="O1", sku="K1", quantity=1,
     reason="CR-DEFECTIVE", requested_at="2026-03-06T10:00:00+01:00")
_req("authorize", "invalid_rma", return_id="R2", at="2026-03-06T10:00:00Z", rma="bad rma!")
_req("authorize", return_id="R2", at="2026-03-06T10:00:00Z", rma="MY-RMA-1",
     label={"type": "seller_prepaid", "carrier": "UPS", "tracking_id": "1Z999"},
     return_address=address("A9", "Dallas"))
_req("authorize", "duplicate_rma", return_id="R3", at="2026-03-06T10:00:00Z", rma="MY-RMA-1")
_req("authorize", "unknown_address", return_id="R3", at="2026-03-06T10:00:00Z",
     return_address_id="NOPE")
_req("authorize", "invalid_state", return_id="R1", at="2026-03-06T10:00:00Z")
_req("authorize", "invalid_args", return_id="R3", at="2026-03-06T10:00:00Z",
     label={"type": "amazon_prepaid"})
_req("reply", return_id="R3", at="2026-03-06T10:00:00Z", message="Is the tag still on?")
_req("reply", "invalid_time", return_id="R3", at="2026-03-01T10:00:00Z", message="late")
_req("authorize_batch", return_ids=["R3", "R4", "R1", "R404"], at="2026-03-07T10:00:00Z")
_req("authorize_batch", "invalid_args", return_ids=[], at="2026-03-07T10:00:00Z")
_req("close", "too_early", return_id="R1", at="2026-03-08T10:00:00Z")
_req("receive", seller_id="S2", rma="MY-RMA-1", at="2026-03-10T10:00:00Z")
_req("receive", "unknown_rma", seller_id="S2", rma="NOPE", at="2026-03-10T10:00:00Z")
_req("receive", "invalid_state", seller_id="S2", rma="MY-RMA-1", at="2026-03-11T10:00:00Z")
_req("receive", "unknown_seller", seller_id="S9", rma="MY-RMA-1", at="2026-03-11T10:00:00Z")
_req("close", return_id="R2", at="2026-03-12T10:00:00Z")
_req("close", "invalid_state", return_id="R2", at="2026-03-12T10:00:00Z")
_req("close", return_id="R5", at="2026-05-06T10:00:00Z")
_req("close", return_id="R1", at="2026-04-17T10:00:00Z")
_req("close", "unknown_return", return_id="R9", at="2026-03-12T10:00:00Z")
_req("get_return", return_id="R4")
_req("get_return", "invalid_args", return_id="")
_req("refund", "unknown_op", return_id="R1")
_raw('{"seq":', "invalid_json")
_raw("[1, 2]", "invalid_args")
_raw('{"op":"hello"}', "invalid_args")
_req("hello")

STEPS: tuple[Step, ...] = tuple(_steps)
LINES: tuple[str, ...] = tuple(s.line for s in STEPS)
