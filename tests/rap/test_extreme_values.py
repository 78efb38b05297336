"""Extreme values in every numeric and date field: a clean answer or a clean refusal, never
``internal_error``, and a refusal changes nothing (the engine's whole state compared)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core import limits
from sim.core.engine import ReferenceEngine
from sim.core.errors import ErrorCode
from sim.core.rma import RmaBook
from sim.rap.envelope import safe_handle

CODES = {c.value for c in ErrorCode}
ADDRESS = {"address_id": "A1", "name": "Returns", "line1": "1 Dock St", "city": "Reno",
           "region": "NV", "postal_code": "89501", "country": "US"}


def state(engine: ReferenceEngine) -> dict[str, Any]:
    """Everything the engine keeps, as plain comparable values."""
    out = {}
    for name, value in vars(engine).items():
        out[name] = copy.deepcopy(vars(value) if isinstance(value, RmaBook) else value)
    return out


class Driver:
    def __init__(self) -> None:
        self.engine = ReferenceEngine()
        self.seq = 0
        self.returns: list[str] = []

    def send(self, op: str, args: dict[str, Any]) -> dict[str, Any]:
        self.seq += 1
        before = state(self.engine)
        answer = safe_handle(self.engine, {"seq": self.seq, "op": op, "args": args})
        assert answer["seq"] == self.seq
        if not answer["ok"]:
            code = answer["error"]["code"]
            assert code in CODES, (op, args, answer)  # never internal_error
            assert state(self.engine) == before, (op, args, answer)
        elif op == "request_return":
            self.returns.append(args["return_id"])
        for return_id in self.returns:  # every stored return stays readable
            got = safe_handle(self.engine, {"seq": 0, "op": "get_return",
                                            "args": {"return_id": return_id}})
            assert got["ok"], got
        return answer


EDGE_INTS = [0, 1, -1, 24, 30, 365, 366, 3650, 3651, 8760, 8761, 10**6, 10**6 + 1, 2**31,
             2**53 + 1, 2**63, 3_000_000, 10**20, -(10**20)]
ints = st.one_of(st.sampled_from(EDGE_INTS), st.integers())
numbers = st.one_of(ints, st.sampled_from([0.5, 1e9, 1e9 + 1, 1e308, -0.0, 5e-324, 1e20]),
                    st.floats(allow_nan=False, allow_infinity=False))
EDGE_TIMES = ["0001-01-01T00:00:00Z", "0001-01-01T00:00:01Z", "1970-01-01T00:00:00Z",
              "2026-03-01T10:00:00Z", "9999-12-01T00:00:00Z", "9999-12-02T00:00:00Z",
              "9999-12-31T23:59:59Z", "9999-12-31T00:00:00Z", "0000-01-01T00:00:00Z"]
times = st.one_of(
    st.sampled_from(EDGE_TIMES),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ").rjust(20, "0")),
)
dates = st.one_of(st.sampled_from(["0001-01-01", "9999-12-31", "2026-11-27", "9999-12-30"]),
                  st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"))


@given(
    policy=st.fixed_dictionaries({}, optional={
        "default_window_days": ints, "transit_days": ints, "manual_response_hours": numbers,
        "category_window_days": st.dictionaries(st.sampled_from(["toys", "food"]), ints,
                                                max_size=2),
        "holiday": st.fixed_dictionaries({"ordered_from": dates, "ordered_to": dates,
                                          "return_by": dates}),
    }),
    seller_days=ints,
    ordered=times, delivered=times, requested=times, later=times, last=times,
    quantity=ints, asked=ints, price=numbers, batch=st.integers(0, 1200),
)
@settings(max_examples=300, deadline=None)
def test_extreme_values_never_break_the_engine_and_refusals_change_nothing(
    policy: dict[str, Any], seller_days: int, ordered: str, delivered: str, requested: str,
    later: str, last: str, quantity: Any, asked: Any, price: Any, batch: int,
) -> None:
    d = Driver()
    d.send("set_policy", {"policy": policy})
    for plan, seller in (("individual", "S1"), ("professional", "S2")):
        d.send("register_seller", {"seller_id": seller, "plan": plan, "settings": {
            "return_addresses": [ADDRESS], "return_window_days": {"toys": seller_days}}})
        d.send("place_order", {
            "order_id": f"O-{seller}", "seller_id": seller, "buyer_id": "B1",
            "ordered_at": ordered, "delivered_at": delivered,
            "items": [{"sku": "K1", "category": "toys", "quantity": quantity,
                       "unit_price": price}]})
        d.send("request_return", {
            "return_id": f"R-{seller}", "order_id": f"O-{seller}", "sku": "K1",
            "quantity": asked, "reason": "CR-DEFECTIVE", "requested_at": requested})
    d.send("authorize", {"return_id": "R-S1", "at": later})
    d.send("authorize_batch", {"return_ids": ["R-S2"] * max(batch, 1), "at": later})
    d.send("reply", {"return_id": "R-S2", "at": later, "message": "ok"})
    d.send("close", {"return_id": "R-S1", "at": last})
    d.send("close", {"return_id": "R-S2", "at": last})


# --------------------------------------------------------------------------- the reproducers


def _seller_and_order(d: Driver, ordered: str, delivered: str) -> None:
    assert d.send("register_seller", {"seller_id": "S1", "plan": "professional", "settings": {
        "return_addresses": [ADDRESS]}})["ok"]
    assert d.send("place_order", {
        "order_id": "O1", "seller_id": "S1", "buyer_id": "B1", "ordered_at": ordered,
        "delivered_at": delivered,
        "items": [{"sku": "K1", "category": "toys", "quantity": 1, "unit_price": 1}]})["ok"]


def test_a_return_whose_window_would_end_after_year_9999_is_refused_cleanly() -> None:
    d = Driver()
    _seller_and_order(d, "9999-12-01T00:00:00Z", "9999-12-02T00:00:00Z")
    answer = d.send("request_return", {
        "return_id": "R1", "order_id": "O1", "sku": "K1", "quantity": 1,
        "reason": "CR-DEFECTIVE", "requested_at": "9999-12-03T00:00:00Z"})
    assert answer["error"]["code"] == "invalid_time"
    assert answer["error"]["details"] == {"field": "window_closes_at",
                                          "limit": "9999-12-31T23:59:59Z"}
    assert d.send("get_return", {"return_id": "R1"})["error"]["code"] == "unknown_return"
    # The quantity was not claimed: a request that fits is still accepted in full.
    d.send("set_policy", {"policy": {"default_window_days": 1, "transit_days": 0}})
    ok = d.send("request_return", {
        "return_id": "R2", "order_id": "O1", "sku": "K1", "quantity": 1,
        "reason": "CR-DEFECTIVE", "requested_at": "9999-12-03T00:00:00Z"})
    assert ok["ok"], ok


def test_the_transit_that_would_pass_year_9999_is_refused_cleanly() -> None:
    d = Driver()
    assert d.send("set_policy", {"policy": {"transit_days": 365}})["ok"]
    _seller_and_order(d, "9999-11-01T00:00:00Z", "9999-11-02T00:00:00Z")
    answer = d.send("request_return", {
        "return_id": "R1", "order_id": "O1", "sku": "K1", "quantity": 1,
        "reason": "CR-DEFECTIVE", "requested_at": "9999-11-03T00:00:00Z"})
    assert answer["error"]["details"]["field"] == "close_eligible_at"


def test_manual_response_hours_that_would_pass_year_9999_are_refused_cleanly() -> None:
    d = Driver()
    d.send("set_policy", {"policy": {"manual_response_hours": 8760, "transit_days": 0,
                                     "default_window_days": 1}})
    assert d.send("register_seller", {"seller_id": "S1", "plan": "individual", "settings": {
        "return_addresses": [ADDRESS]}})["ok"]
    assert d.send("place_order", {
        "order_id": "O1", "seller_id": "S1", "buyer_id": "B1",
        "ordered_at": "9999-12-20T00:00:00Z", "delivered_at": "9999-12-20T00:00:00Z",
        "items": [{"sku": "K1", "category": "toys", "quantity": 1, "unit_price": 1}]})["ok"]
    answer = d.send("request_return", {
        "return_id": "R1", "order_id": "O1", "sku": "K1", "quantity": 1,
        "reason": "CR-DEFECTIVE", "requested_at": "9999-12-20T00:00:00Z"})
    assert answer["error"]["code"] == "invalid_time"
    assert answer["error"]["details"]["field"] == "respond_by"


def test_absurd_policy_numbers_are_invalid_policy_naming_the_field() -> None:
    d = Driver()
    for field, value in [("default_window_days", 3_000_000), ("transit_days", 10**20),
                         ("manual_response_hours", 10**20),
                         ("default_window_days", limits.MAX_WINDOW_DAYS + 1),
                         ("transit_days", limits.MAX_TRANSIT_DAYS + 1),
                         ("manual_response_hours", limits.MAX_RESPONSE_HOURS + 1)]:
        answer = d.send("set_policy", {"policy": {field: value}})
        assert answer["error"]["code"] == "invalid_policy", answer
        assert answer["error"]["details"]["field"] == f"policy.{field}"
    # A float where an integer belongs is malformed, not a policy that makes no sense.
    answer = d.send("set_policy", {"policy": {"manual_response_hours": 1e20}})
    assert answer["error"]["code"] == "invalid_args"
    assert answer["error"]["details"]["field"] == "policy.manual_response_hours"
    for field, value in [("default_window_days", limits.MAX_WINDOW_DAYS),
                         ("transit_days", limits.MAX_TRANSIT_DAYS),
                         ("manual_response_hours", limits.MAX_RESPONSE_HOURS)]:
        assert d.send("set_policy", {"policy": {field: value}})["ok"]


def test_a_batch_over_1000_ids_is_refused_before_any_work() -> None:
    d = Driver()
    answer = d.send("authorize_batch", {"return_ids": ["R1"] * (limits.MAX_BATCH_IDS + 1),
                                        "at": "2026-03-01T10:00:00Z"})
    assert answer["error"]["code"] == "invalid_args"
    assert answer["error"]["details"]["field"] == "return_ids"
    answer = d.send("authorize_batch", {"return_ids": ["R1"] * limits.MAX_BATCH_IDS,
                                        "at": "2026-03-01T10:00:00Z"})
    assert answer["ok"] and len(answer["result"]["results"]) == limits.MAX_BATCH_IDS


def test_strings_lists_quantities_and_prices_have_bounds() -> None:
    d = Driver()
    long_id = "x" * (limits.MAX_ID_LENGTH + 1)
    answer = d.send("register_seller", {"seller_id": long_id, "plan": "individual"})
    assert answer["error"]["code"] == "invalid_args"
    assert answer["error"]["details"]["field"] == "seller_id"
    _seller_and_order(d, "2026-03-01T10:00:00Z", "2026-03-02T10:00:00Z")
    item = {"sku": "K", "category": "toys", "quantity": limits.MAX_QUANTITY + 1, "unit_price": 1}
    order = {"order_id": "O2", "seller_id": "S1", "buyer_id": "B1",
             "ordered_at": "2026-03-01T10:00:00Z", "delivered_at": "2026-03-02T10:00:00Z",
             "items": [item]}
    assert d.send("place_order", order)["error"]["details"]["field"] == "items[0].quantity"
    item.update(quantity=1, unit_price=1e308)
    assert d.send("place_order", order)["error"]["details"]["field"] == "items[0].unit_price"
    order["items"] = [{"sku": f"K{i}", "category": "toys", "quantity": 1, "unit_price": 1}
                      for i in range(limits.MAX_ITEMS + 1)]
    assert d.send("place_order", order)["error"]["details"]["field"] == "items"
    answer = d.send("reply", {"return_id": "R1", "at": "2026-03-03T10:00:00Z",
                              "message": "m" * (limits.MAX_TEXT_LENGTH + 1)})
    assert answer["error"]["details"]["field"] == "message"
