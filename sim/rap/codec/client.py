"""Client side: typed requests -> ``args``, and answers -> typed values.

Reading an answer is strict: whatever breaks the contract is a :class:`ProtocolViolation`
naming the field, so a conformance report can tell a malformed answer from a wrong one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sim.core.timefmt import (
    format_timestamp,
)
from sim.core.values import (
    Authorization,
    BatchItem,
    BatchOutcome,
    Hello,
    Instant,
    LabelChoice,
    Order,
    Outcome,
    Plan,
    Policy,
    ReturnRecord,
    ReturnRequest,
    Seller,
    SettingsPatch,
)
from sim.rap.codec.readers import (
    Json,
    read_bool,
    read_id,
    read_ids,
    read_list,
    read_object,
    read_text,
    result_fail,
)
from sim.rap.codec.records import decode_error, decode_return, read_notifications
from sim.rap.codec.values import (
    decode_order,
    decode_policy,
    decode_seller,
    encode_address,
    encode_order,
    encode_policy,
    encode_settings_patch,
)

# --------------------------------------------------------------------------- client side: args


def set_policy_args(policy: Policy) -> Json:
    return {"policy": encode_policy(policy)}


def register_seller_args(seller_id: str, plan: Plan, settings: SettingsPatch) -> Json:
    return {"seller_id": seller_id, "plan": plan.value, "settings": encode_settings_patch(settings)}


def update_seller_args(seller_id: str, settings: SettingsPatch) -> Json:
    return {"seller_id": seller_id, "settings": encode_settings_patch(settings)}


def place_order_args(order: Order) -> Json:
    return encode_order(order)


def request_return_args(request: ReturnRequest) -> Json:
    out: Json = {
        "return_id": request.return_id,
        "order_id": request.order_id,
        "sku": request.sku,
        "quantity": request.quantity,
        "reason": request.reason,
        "requested_at": format_timestamp(request.requested_at),
    }
    if request.comment is not None:
        out["comment"] = request.comment
    return out


def _label_choice_args(label: LabelChoice) -> Json:
    out: Json = {"type": label.type.value}
    if label.carrier is not None:
        out["carrier"] = label.carrier
    if label.tracking_id is not None:
        out["tracking_id"] = label.tracking_id
    return out


_AUTHORIZE_OPTIONS: dict[str, Callable[[Any], Any]] = {
    "rma": str,
    "label": _label_choice_args,
    "return_address_id": str,
    "return_address": encode_address,
}
"""How each option of :class:`Authorization` is written, in its field order (a test checks
that every option is here)."""


def authorize_args(a: Authorization) -> Json:
    """Only the options given (``None`` = not chosen), in the value's field order."""
    out: Json = {"return_id": a.return_id, "at": format_timestamp(a.at)}
    for name, encode in _AUTHORIZE_OPTIONS.items():
        value = getattr(a, name)
        if value is not None:
            out[name] = encode(value)
    return out


def authorize_batch_args(return_ids: Sequence[str], at: Instant) -> Json:
    return {"return_ids": list(return_ids), "at": format_timestamp(at)}


def close_args(return_id: str, at: Instant) -> Json:
    return {"return_id": return_id, "at": format_timestamp(at)}


def reply_args(return_id: str, at: Instant, message: str) -> Json:
    return {"return_id": return_id, "at": format_timestamp(at), "message": message}


def receive_args(seller_id: str, rma: str, at: Instant) -> Json:
    return {"seller_id": seller_id, "rma": rma, "at": format_timestamp(at)}


def get_return_args(return_id: str) -> Json:
    return {"return_id": return_id}


# --------------------------------------------------------------------------- client side: results

_R = "result"


def decode_hello_result(value: Any) -> Hello:
    o = read_object(value, _R, result_fail, ("protocol", "implementation", "version", "optional"))
    return Hello(
        read_id(o["protocol"], "result.protocol", result_fail),
        read_text(o["implementation"], "result.implementation", result_fail),
        read_text(o["version"], "result.version", result_fail),
        read_ids(o["optional"], "result.optional", result_fail),
    )


def decode_empty_result(value: Any) -> None:
    read_object(value, _R, result_fail, ())


def decode_policy_result(value: Any) -> Policy:
    o = read_object(value, _R, result_fail, ("policy",))
    return decode_policy(o["policy"], "result.policy", result_fail, complete=True)


def decode_seller_result(value: Any) -> Seller:
    o = read_object(value, _R, result_fail, ("seller",))
    return decode_seller(o["seller"], "result.seller", result_fail)


def decode_order_result(value: Any) -> Order:
    o = read_object(value, _R, result_fail, ("order",))
    return decode_order(o["order"], "result.order", result_fail)


def decode_return_result(value: Any) -> ReturnRecord:
    o = read_object(value, _R, result_fail, ("return",))
    return decode_return(o["return"], "result.return", result_fail)


def decode_outcome_result(value: Any) -> Outcome:
    o = read_object(value, _R, result_fail, ("return", "notifications"))
    return Outcome(
        decode_return(o["return"], "result.return", result_fail),
        read_notifications(o["notifications"], "result.notifications", result_fail),
    )


def decode_batch_result(value: Any) -> BatchOutcome:
    o = read_object(value, _R, result_fail, ("results", "notifications"))
    items: list[BatchItem] = []
    for i, raw in enumerate(read_list(o["results"], "result.results", result_fail)):
        p = f"result.results[{i}]"
        if type(raw) is not dict:
            raise result_fail(p, raw, "must be a JSON object")
        ok = read_bool(raw.get("ok"), f"{p}.ok", result_fail)
        if ok:
            it = read_object(raw, p, result_fail, ("return_id", "ok", "return"))
            items.append(BatchItem(read_id(it["return_id"], f"{p}.return_id", result_fail), True,
                                   return_=decode_return(it["return"], f"{p}.return", result_fail)))
        else:
            it = read_object(raw, p, result_fail, ("return_id", "ok", "error"))
            items.append(BatchItem(read_id(it["return_id"], f"{p}.return_id", result_fail), False,
                                   error=decode_error(it["error"], f"{p}.error", result_fail)))
    return BatchOutcome(
        tuple(items), read_notifications(o["notifications"], "result.notifications", result_fail)
    )


def read_envelope(envelope: Any, seq: int | None) -> Any:
    """The ``result`` of a well-formed response to request ``seq``; a refusal is raised as
    :class:`EngineError`; anything malformed is a :class:`ProtocolViolation`."""
    if type(envelope) is not dict:
        raise result_fail("response", envelope, "must be a JSON object")
    got = envelope.get("seq", ...)
    if not (got is None if seq is None else type(got) is int and got == seq):
        raise result_fail("seq", got, f"must echo the request's seq {seq}")
    ok = read_bool(envelope.get("ok"), "ok", result_fail)
    if ok:
        read_object(envelope, "response", result_fail, ("seq", "ok", "result"))
        return envelope["result"]
    read_object(envelope, "response", result_fail, ("seq", "ok", "error"))
    raise decode_error(envelope["error"], "error", result_fail)
