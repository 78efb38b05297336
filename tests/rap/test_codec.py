"""The codec: typed values survive the wire both ways, and every malformed input is refused
with the field path and the value named (invalid_args for requests, ProtocolViolation for
answers)."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.core.errors import EngineError, ErrorCode, show_value
from sim.core.port import ProtocolViolation
from sim.core.values import (
    Address,
    Authorization,
    BatchItem,
    BatchOutcome,
    CloseReason,
    Hello,
    Holiday,
    Label,
    LabelChoice,
    LabelType,
    Link,
    Mode,
    Notification,
    NotificationKind,
    Order,
    OrderItem,
    Outcome,
    Payer,
    Plan,
    Policy,
    Recipient,
    ReturnRecord,
    ReturnRequest,
    Rma,
    RmaSource,
    Seller,
    SellerSettings,
    SettingsPatch,
    Status,
    Violation,
)
from sim.rap import codec

T = 1772359200  # 2026-03-01T10:00:00Z
A1 = Address("A1", "Returns desk", "1 Dock Rd", "Reno", "NV", "89501", "US")
A2 = Address("A2", "Annex", "2 Dock Rd", "Reno", "NV", "89501", "US", line2="Gate 4")

RECORD = ReturnRecord(
    return_id="R1", order_id="O1", seller_id="S1", buyer_id="B1", sku="K1", category="toys",
    quantity=1, reason="CR-DEFECTIVE", requested_at=T, status=Status.AUTHORIZED, in_policy=False,
    policy_violations=(Violation.WINDOW_EXPIRED, Violation.NON_RETURNABLE),
    authorization=Mode.MANUAL, authorized_at=T + 60, rma=Rma("MY-1", RmaSource.SELLER),
    label=Label(LabelType.SELLER_PREPAID, Payer.SELLER, "UPS", "1Z"), return_address=A2,
    window_closes_at=T + 30 * 86400, close_eligible_at=T + 45 * 86400, respond_by=None,
    received_at=None, closed_at=None, close_reason=None,
)
PENDING = ReturnRecord(
    return_id="R2", order_id="O1", seller_id="S1", buyer_id="B1", sku="K1", category="toys",
    quantity=2, reason="CR-UNWANTED_ITEM", requested_at=T, status=Status.PENDING_AUTHORIZATION,
    in_policy=True, policy_violations=(), authorization=None, authorized_at=None, rma=None,
    label=None, return_address=None, window_closes_at=T + 86400, close_eligible_at=T + 2 * 86400,
    respond_by=T + 3600, received_at=None, closed_at=None, close_reason=None,
)
NOTES = (
    Notification(Recipient.SELLER, NotificationKind.RETURN_REQUESTED, "R1", T,
                 reason="CR-DEFECTIVE", out_of_policy=True, links=(Link.AUTHORIZE, Link.CLOSE)),
    Notification(Recipient.BUYER, NotificationKind.RETURN_AUTHORIZED, "R1", T, rma="MY-1",
                 label_type=LabelType.SELLER_PREPAID, return_address_id="A2"),
    Notification(Recipient.BUYER, NotificationKind.RETURN_CLOSED, "R1", T,
                 close_reason=CloseReason.DECLINED),
    Notification(Recipient.BUYER, NotificationKind.SELLER_REPLY, "R1", T, message="héllo"),
)
ORDER = Order("O1", "S1", "B1", T, T + 86400,
              (OrderItem("K1", "toys", 2, 19.99), OrderItem("K2", "books", 1, 5)))
POLICY = Policy(default_window_days=20, category_window_days={"baby": 90},
                non_returnable_categories=("food",), transit_days=10,
                holiday=Holiday(date(2025, 11, 1), date(2025, 12, 31), date(2026, 1, 31)),
                prepaid_exempt_categories=("handmade",), manual_response_hours=48,
                seller_fault_reasons=("CR-DEFECTIVE",))


def wire(value: Any) -> Any:
    """Through real JSON text, as on the wire."""
    return json.loads(json.dumps(value))


# --------------------------------------------------------------------------- round trips


def test_return_record_round_trip_and_field_order() -> None:
    encoded = codec.encode_return(RECORD)
    assert list(encoded) == list(ReturnRecord.__dataclass_fields__)
    assert encoded["label"] == {"type": "seller_prepaid", "paid_by": "seller",
                                "carrier": "UPS", "tracking_id": "1Z"}
    assert encoded["authorized_at"] == "2026-03-01T10:01:00Z"
    for record in (RECORD, PENDING):
        assert codec.decode_return(wire(codec.encode_return(record)), "r", codec.result_fail) \
            == record


def test_absent_values_are_null_never_missing() -> None:
    encoded = codec.encode_return(PENDING)
    assert len(encoded) == 23
    for key in ("authorization", "authorized_at", "rma", "label", "return_address",
                "received_at", "closed_at", "close_reason"):
        assert key in encoded and encoded[key] is None


def test_notifications_carry_only_the_fields_of_their_kind() -> None:
    shapes = [list(codec.encode_notification(n)) for n in NOTES]
    base = ["to", "kind", "return_id", "at"]
    assert shapes == [
        [*base, "reason", "out_of_policy", "links"],
        [*base, "rma", "label_type", "return_address_id"],
        [*base, "close_reason"],
        [*base, "message"],
    ]
    outcome = Outcome(RECORD, NOTES)
    assert codec.decode_outcome_result(wire(codec.encode_outcome(outcome))) == outcome


def test_seller_shows_only_the_settings_of_its_plan() -> None:
    pro = Seller("S1", Plan.PROFESSIONAL, SellerSettings(
        (A1, A2), "A2", True, {"toys": 45}, None, Mode.AUTO, ("K1",), Mode.MANUAL))
    ind = Seller("S2", Plan.INDIVIDUAL, SellerSettings((A1,), "A1", authorization=Mode.AUTO))
    assert list(codec.encode_seller(pro)["settings"]) == [
        "return_addresses", "default_return_address_id", "email_links", "return_window_days",
        "out_of_policy", "exempt_skus", "exempt_mode"]
    assert list(codec.encode_seller(ind)["settings"])[-1] == "authorization"
    assert "exempt_skus" not in codec.encode_seller(ind)["settings"]
    for seller in (pro, ind):
        assert codec.decode_seller_result(wire({"seller": codec.encode_seller(seller)})) == seller


def test_policy_order_batch_hello_round_trips() -> None:
    assert codec.decode_policy_result(wire({"policy": codec.encode_policy(POLICY)})) == POLICY
    assert codec.encode_policy(POLICY)["holiday"] == {
        "ordered_from": "2025-11-01", "ordered_to": "2025-12-31", "return_by": "2026-01-31"}
    assert codec.decode_order_result(wire({"order": codec.encode_order(ORDER)})) == ORDER
    assert codec.encode_order(ORDER)["items"][1]["unit_price"] == 5  # an int price stays int
    error = EngineError(ErrorCode.UNKNOWN_RETURN, "no return 'R9'", {"return_id": "R9"})
    batch = BatchOutcome((BatchItem("R1", True, return_=RECORD), BatchItem("R9", False,
                                                                           error=error)),
                         NOTES[1:2])
    decoded = codec.decode_batch_result(wire(codec.encode_batch(batch)))
    assert decoded.results[0] == batch.results[0]
    assert decoded.notifications == batch.notifications
    got = decoded.results[1].error
    assert got is not None
    assert (got.code, got.message, got.details) == (error.code, error.message, error.details)
    hello = Hello("rap/1", "x", "1.0", ("label_details",))
    assert codec.decode_hello_result(wire(codec.encode_hello(hello))) == hello


def test_client_args_decode_back_to_the_same_request() -> None:
    """What a client sends is exactly what the server decodes."""
    patch = SettingsPatch(return_addresses=(A1, A2), default_return_address_id="A2",
                          email_links=False, return_window_days={"toys": 40},
                          out_of_policy=Mode.AUTO, exempt_skus=("K1",), exempt_mode=Mode.AUTO)
    assert codec.decode_register_seller_args(
        wire(codec.register_seller_args("S1", Plan.PROFESSIONAL, patch))
    ) == ("S1", Plan.PROFESSIONAL, patch)
    assert codec.decode_update_seller_args(wire(codec.update_seller_args("S1", SettingsPatch()))) \
        == ("S1", SettingsPatch())
    assert codec.decode_set_policy_args(wire(codec.set_policy_args(POLICY))) == POLICY
    assert codec.decode_place_order_args(wire(codec.place_order_args(ORDER))) == ORDER
    req = ReturnRequest("R1", "O1", "K1", 2, "CR-DEFECTIVE", T, comment="torn")
    assert codec.decode_request_return_args(wire(codec.request_return_args(req))) == req
    for a in (
        Authorization("R1", T),
        Authorization("R1", T, "MY-1", LabelChoice(LabelType.SELLER_PREPAID, "UPS", "1Z"),
                      return_address=A2),
        Authorization("R1", T, label=LabelChoice(), return_address_id="A1"),
    ):
        assert codec.decode_authorize_args(wire(codec.authorize_args(a))) == a
    assert codec.decode_authorize_batch_args(wire(codec.authorize_batch_args(["R1", "R2"], T))) \
        == (("R1", "R2"), T)
    assert codec.decode_close_args(wire(codec.close_args("R1", T))) == ("R1", T)
    assert codec.decode_reply_args(wire(codec.reply_args("R1", T, "hi"))) == ("R1", T, "hi")
    assert codec.decode_receive_args(wire(codec.receive_args("S1", "X", T))) == ("S1", "X", T)
    assert codec.decode_get_return_args(wire(codec.get_return_args("R1"))) == "R1"


def test_set_policy_fields_not_given_take_their_defaults() -> None:
    assert codec.decode_set_policy_args({"policy": {}}) == Policy()
    assert codec.decode_set_policy_args({"policy": {"transit_days": 3}}) == Policy(transit_days=3)


def test_optional_fields_may_be_null() -> None:
    a = codec.decode_authorize_args({"return_id": "R1", "at": "2026-03-01T10:00:00Z", "rma": None,
                                     "label": None, "return_address_id": None,
                                     "return_address": None})
    assert a == Authorization("R1", T)
    r = codec.decode_request_return_args({"return_id": "R1", "order_id": "O1", "sku": "K",
                                          "quantity": 1, "reason": "x", "comment": None,
                                          "requested_at": "2026-03-01T10:00:00Z"})
    assert r.comment is None


@given(st.text(min_size=1), st.integers(min_value=1, max_value=10**6),
       st.floats(min_value=0, allow_nan=False, allow_infinity=False))
def test_any_text_ids_and_prices_survive(sku: str, quantity: int, price: float) -> None:
    order = Order("O", "S", "B", T, T, (OrderItem(sku, sku, quantity, price),))
    assert codec.decode_place_order_args(wire(codec.place_order_args(order))) == order


# --------------------------------------------------------------------------- strict requests

GOOD_ORDER = wire(codec.place_order_args(ORDER))
GOOD_SELLER = {"seller_id": "S1", "plan": "professional",
               "settings": {"return_addresses": [codec.encode_address(A1)]}}


def edit(base: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    """A copy of ``base`` with the field at ``path`` set (or deleted when value is DELETE)."""
    out = copy.deepcopy(base)
    target: Any = out
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return out


DELETE = object()

BAD_REQUESTS: list[tuple[Callable[[Any], Any], Any, str, Any]] = [
    # (decoder, args, field path in the error, value in details)
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["items", 0, "quantity"], 0),
     "items[0].quantity", 0),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["items", 0, "quantity"], -2),
     "items[0].quantity", -2),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["items", 0, "quantity"], True),
     "items[0].quantity", True),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["items", 0, "quantity"], 1.0),
     "items[0].quantity", 1.0),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["items", 1, "unit_price"], -0.01),
     "items[1].unit_price", -0.01),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["items", 1, "unit_price"], "5"),
     "items[1].unit_price", "5"),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["items", 1, "unit_price"], float("inf")),
     "items[1].unit_price", float("inf")),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["items", 1, "unit_price"], False),
     "items[1].unit_price", False),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["items", 0, "colour"], "red"),
     "items[0].colour", "red"),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["items", 0, "sku"], DELETE),
     "items[0].sku", None),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["items", 1, "sku"], "K1"),
     "items[1].sku", "K1"),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["items"], []), "items", "[]"),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["order_id"], ""), "order_id", ""),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["buyer_id"], 7), "buyer_id", 7),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["ordered_at"], "2026-03-01T10:00:00+00:00"),
     "ordered_at", "2026-03-01T10:00:00+00:00"),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["ordered_at"], "2026-02-30T10:00:00Z"),
     "ordered_at", "2026-02-30T10:00:00Z"),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["delivered_at"], 1772359200),
     "delivered_at", 1772359200),
    (codec.decode_place_order_args, edit(GOOD_ORDER, ["delivered_at"], DELETE),
     "delivered_at", None),
    (codec.decode_register_seller_args, edit(GOOD_SELLER, ["plan"], "enterprise"),
     "plan", "enterprise"),
    (codec.decode_register_seller_args, edit(GOOD_SELLER, ["settings", "exempt_mode"], "sometimes"),
     "settings.exempt_mode", "sometimes"),
    (codec.decode_register_seller_args, edit(GOOD_SELLER, ["settings", "email_links"], "yes"),
     "settings.email_links", "yes"),
    (codec.decode_register_seller_args, edit(GOOD_SELLER, ["settings", "email_links"], 1),
     "settings.email_links", 1),
    (codec.decode_register_seller_args, edit(GOOD_SELLER, ["settings", "colour"], "red"),
     "settings.colour", "red"),
    (codec.decode_register_seller_args,
     edit(GOOD_SELLER, ["settings", "return_addresses", 0, "zip"], "89501"),
     "settings.return_addresses[0].zip", "89501"),
    (codec.decode_register_seller_args,
     edit(GOOD_SELLER, ["settings", "return_addresses", 0, "city"], DELETE),
     "settings.return_addresses[0].city", None),
    (codec.decode_register_seller_args,
     edit(GOOD_SELLER, ["settings", "return_addresses", 0, "address_id"], ""),
     "settings.return_addresses[0].address_id", ""),
    (codec.decode_register_seller_args,
     edit(GOOD_SELLER, ["settings", "return_window_days"], {"toys": "40"}),
     "settings.return_window_days.toys", "40"),
    (codec.decode_register_seller_args, edit(GOOD_SELLER, ["settings", "exempt_skus"], [""]),
     "settings.exempt_skus[0]", ""),
    (codec.decode_register_seller_args, edit(GOOD_SELLER, ["settings"], []), "settings", "[]"),
    (codec.decode_register_seller_args, edit(GOOD_SELLER, ["seller_id"], None), "seller_id", None),
    (codec.decode_update_seller_args, {"seller_id": "S1", "plan": "individual", "settings": {}},
     "plan", "individual"),
    (codec.decode_update_seller_args, {"seller_id": "S1"}, "settings", None),
    (codec.decode_set_policy_args, {"policy": {"default_window_days": True}},
     "policy.default_window_days", True),
    (codec.decode_set_policy_args, {"policy": {"default_window_days": 30.0}},
     "policy.default_window_days", 30.0),
    (codec.decode_set_policy_args, {"policy": {"surprise": 1}}, "policy.surprise", 1),
    (codec.decode_set_policy_args, {"policy": {"holiday": {"ordered_from": "2025-11-01",
                                                           "ordered_to": "2025-12-31"}}},
     "policy.holiday.return_by", None),
    (codec.decode_set_policy_args, {"policy": {"holiday": {"ordered_from": "2025-11-01",
                                                           "ordered_to": "2025-12-31",
                                                           "return_by": "2026-01-32"}}},
     "policy.holiday.return_by", "2026-01-32"),
    (codec.decode_set_policy_args, {"policy": {"category_window_days": {"baby": None}}},
     "policy.category_window_days.baby", None),
    (codec.decode_set_policy_args, {"policy": {"seller_fault_reasons": "CR-DEFECTIVE"}},
     "policy.seller_fault_reasons", "CR-DEFECTIVE"),
    (codec.decode_set_policy_args, {}, "policy", None),
    (codec.decode_request_return_args, {"return_id": "R1", "order_id": "O1", "sku": "K",
                                        "quantity": 0, "reason": "x",
                                        "requested_at": "2026-03-01T10:00:00Z"}, "quantity", 0),
    (codec.decode_request_return_args, {"return_id": "R1", "order_id": "O1", "sku": "K",
                                        "quantity": 1, "reason": "x",
                                        "requested_at": "2026-03-01T10:00:00.123Z"},
     "requested_at", "2026-03-01T10:00:00.123Z"),
    (codec.decode_request_return_args, {"return_id": "R1", "order_id": "O1", "sku": "K",
                                        "quantity": 1, "reason": "x", "comment": 5,
                                        "requested_at": "2026-03-01T10:00:00Z"}, "comment", 5),
    (codec.decode_authorize_args, {"return_id": "R1", "at": "2026-03-01t10:00:00z"},
     "at", "2026-03-01t10:00:00z"),
    (codec.decode_authorize_args, {"return_id": "R1", "at": "2026-03-01T10:00:00Z",
                                   "label": {"type": "amazon_unpaid", "carrier": "UPS"}},
     "label.carrier", "UPS"),
    (codec.decode_authorize_args, {"return_id": "R1", "at": "2026-03-01T10:00:00Z",
                                   "label": {"type": "seller_prepaid", "cost": 5}},
     "label.cost", 5),
    (codec.decode_authorize_args, {"return_id": "R1", "at": "2026-03-01T10:00:00Z",
                                   "label": {"type": "amazon_prepaid"}}, "label.type",
     "amazon_prepaid"),
    (codec.decode_authorize_args, {"return_id": "R1", "at": "2026-03-01T10:00:00Z",
                                   "rma": 12345}, "rma", 12345),
    (codec.decode_authorize_args, {"return_id": "R1", "at": "2026-03-01T10:00:00Z",
                                   "return_address": {"address_id": "A9"}},
     "return_address.name", None),
    (codec.decode_authorize_batch_args, {"return_ids": [], "at": "2026-03-01T10:00:00Z"},
     "return_ids", "[]"),
    (codec.decode_authorize_batch_args, {"return_ids": ["R1", ""], "at": "2026-03-01T10:00:00Z"},
     "return_ids[1]", ""),
    (codec.decode_authorize_batch_args, {"return_ids": "R1", "at": "2026-03-01T10:00:00Z"},
     "return_ids", "R1"),
    (codec.decode_reply_args, {"return_id": "R1", "at": "2026-03-01T10:00:00Z", "message": ""},
     "message", ""),
    (codec.decode_receive_args, {"seller_id": "S1", "rma": "X", "at": "2026-03-01T10:00:00Z",
                                 "extra": True}, "extra", True),
    (codec.decode_get_return_args, {"return_id": ["R1"]}, "return_id", '["R1"]'),
    (codec.decode_hello_args, {"verbose": True}, "verbose", True),
    (codec.decode_close_args, None, "args", None),
]


@pytest.mark.parametrize(("decode", "args", "field", "value"), BAD_REQUESTS)
def test_bad_requests_are_invalid_args_naming_field_and_value(
    decode: Callable[[Any], Any], args: Any, field: str, value: Any
) -> None:
    with pytest.raises(EngineError) as caught:
        decode(args)
    error = caught.value
    assert error.code is ErrorCode.INVALID_ARGS
    assert error.details["field"] == field
    assert error.details["value"] == value
    assert error.message.startswith(field + ":")
    shown = error.details["value"]
    assert show_value(shown) in error.message or (isinstance(shown, str) and shown in error.message)


def test_huge_values_are_echoed_shortened() -> None:
    with pytest.raises(EngineError) as caught:
        codec.decode_get_return_args({"return_id": ["x" * 10_000_000]})
    assert len(caught.value.message) < 400
    with pytest.raises(EngineError) as caught:
        codec.decode_get_return_args({"return_id": 5, "x": "y" * 10_000})
    assert caught.value.details["field"] == "x" and len(caught.value.message) < 400


# --------------------------------------------------------------------------- strict answers


def _mangled(path: list[Any], value: Any) -> dict[str, Any]:
    return edit(wire(codec.encode_outcome(Outcome(RECORD, NOTES))), path, value)


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        (_mangled(["return", "status"], "lost"), "result.return.status"),
        (_mangled(["return", "quantity"], "1"), "result.return.quantity"),
        (_mangled(["return", "in_policy"], 0), "result.return.in_policy"),
        (_mangled(["return", "respond_by"], DELETE), "result.return.respond_by"),
        (_mangled(["return", "requested_at"], "2026-03-01T10:00:00.000Z"),
         "result.return.requested_at"),
        (_mangled(["return", "rma", "source"], "buyer"), "result.return.rma.source"),
        (_mangled(["return", "label", "paid_by"], None), "result.return.label.paid_by"),
        (_mangled(["return", "return_address", "city"], DELETE),
         "result.return.return_address.city"),
        (_mangled(["return", "surprise"], 1), "result.return.surprise"),
        (_mangled(["notifications", 0, "links"], ["email"]), "result.notifications[0].links[0]"),
        (_mangled(["notifications", 1, "message"], "hi"), "result.notifications[1].message"),
        (_mangled(["notifications", 2, "kind"], "return_lost"), "result.notifications[2].kind"),
        (_mangled(["notifications"], DELETE), "result.notifications"),
    ],
)
def test_malformed_answers_are_protocol_violations_naming_the_field(
    answer: dict[str, Any], field: str
) -> None:
    with pytest.raises(ProtocolViolation, match=r"^" + field.replace("[", r"\[") + ":"):
        codec.decode_outcome_result(answer)


def test_label_details_are_optional_in_answers() -> None:
    answer = _mangled(["return", "label"], {"type": "amazon_unpaid", "paid_by": "customer"})
    label = codec.decode_outcome_result(answer).return_.label
    assert label == Label(LabelType.AMAZON_UNPAID, Payer.CUSTOMER)


def test_read_envelope() -> None:
    assert codec.read_envelope({"seq": 3, "ok": True, "result": {}}, 3) == {}
    with pytest.raises(EngineError) as caught:
        codec.read_envelope({"seq": 3, "ok": False, "error": {
            "code": "too_early", "message": "m", "details": {"close_eligible_at": "x"}}}, 3)
    assert caught.value.code is ErrorCode.TOO_EARLY
    assert caught.value.details == {"close_eligible_at": "x"}
    bad: list[tuple[Any, str]] = [
        ({"seq": 4, "ok": True, "result": {}}, "seq"),
        ({"seq": True, "ok": True, "result": {}}, "seq"),
        ({"seq": 3.0, "ok": True, "result": {}}, "seq"),
        ({"ok": True, "result": {}}, "seq"),
        ({"seq": 3, "ok": "yes", "result": {}}, "ok"),
        ({"seq": 3, "ok": True}, "response.result"),
        ({"seq": 3, "ok": True, "result": {}, "error": None}, "response.error"),
        ({"seq": 3, "ok": False, "error": {"code": "internal_error", "message": "m",
                                          "details": {}}}, "error.code"),
        ({"seq": 3, "ok": False, "error": {"code": "too_early", "message": "m"}},
         "error.details"),
        ([], "response"),
    ]
    for envelope, field in bad:
        with pytest.raises(ProtocolViolation, match="^" + field + ":"):
            codec.read_envelope(envelope, 3)


def _json_types_only(value: Any) -> bool:
    if isinstance(value, dict):
        return all(type(k) is str and _json_types_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(map(_json_types_only, value))
    return value is None or type(value) in (str, int, float, bool)


def test_encoders_emit_plain_json_types_not_enum_members() -> None:
    """Raw envelopes (``execute``) are read back by the strict decoders, which want ``str``."""
    pro = Seller("S1", Plan.PROFESSIONAL, SellerSettings((A1,), "A1", out_of_policy=Mode.AUTO,
                                                         exempt_skus=(), exempt_mode=Mode.AUTO))
    error = EngineError(ErrorCode.TOO_EARLY, "m", {"close_eligible_at": "x"})
    for encoded in (codec.encode_outcome(Outcome(RECORD, NOTES)), codec.encode_seller(pro),
                    codec.encode_policy(POLICY), codec.encode_error(error),
                    codec.encode_batch(BatchOutcome((BatchItem("R9", False, error=error),))),
                    codec.encode_return(PENDING)):
        assert _json_types_only(encoded), encoded


def test_every_authorize_option_is_written_when_given() -> None:
    """The client writes each option of the Authorization value: none can be forgotten."""
    options = [f.name for f in dataclasses.fields(Authorization)][2:]
    full = Authorization("R1", T, "MY-1", LabelChoice(LabelType.SELLER_PREPAID, "UPS", "1Z"),
                         "A1", A2)
    assert list(codec.authorize_args(full))[2:] == options


def test_the_return_record_on_the_wire_has_the_dataclass_fields_in_order() -> None:
    assert tuple(f.name for f in dataclasses.fields(ReturnRecord)) == codec.RETURN_FIELDS
