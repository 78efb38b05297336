"""Server side: an op's ``args`` -> typed values, refusing what breaks the schema.

Anything that does not fit the contract's schema is ``invalid_args`` naming the field path and
the value; rules about meaning (an rma's shape, giving both address options...) are the
engine's checks, so they are refused the same way in-process and over the wire.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any

from sim.core.values import (
    Authorization,
    Instant,
    LabelChoice,
    LabelType,
    Order,
    Plan,
    Policy,
    ReturnRequest,
    SettingsPatch,
)
from sim.rap.codec.readers import (
    Fail,
    args_fail,
    read_enum,
    read_id,
    read_ids,
    read_object,
    read_opt_id,
    read_positive,
    read_text,
    read_ts,
)
from sim.rap.codec.values import decode_address, decode_order, decode_policy, decode_settings_patch

# --------------------------------------------------------------------------- server side: args


def _no_args(args: Any) -> None:
    read_object(args, "", args_fail, ())


def decode_hello_args(args: Any) -> None:
    """``hello`` and ``reset`` take no arguments (``{}``)."""
    _no_args(args)


def decode_set_policy_args(args: Any) -> Policy:
    obj = read_object(args, "", args_fail, ("policy",))
    return decode_policy(obj["policy"], "policy", args_fail, complete=False)


def decode_register_seller_args(args: Any) -> tuple[str, Plan, SettingsPatch]:
    """``settings`` may be left out: then there is no return address, which the engine
    refuses with ``missing_return_address``."""
    obj = read_object(args, "", args_fail, ("seller_id", "plan"), ("settings",))
    seller_id = read_id(obj["seller_id"], "seller_id", args_fail)
    plan = read_enum(obj["plan"], Plan, "plan", args_fail)
    settings = decode_settings_patch(obj.get("settings", {}), "settings", args_fail)
    return seller_id, plan, settings


def decode_update_seller_args(args: Any) -> tuple[str, SettingsPatch]:
    if type(args) is dict and "plan" in args:
        raise args_fail("plan", args["plan"], "plan cannot change")
    obj = read_object(args, "", args_fail, ("seller_id", "settings"))
    seller_id = read_id(obj["seller_id"], "seller_id", args_fail)
    return seller_id, decode_settings_patch(obj["settings"], "settings", args_fail)


def decode_place_order_args(args: Any) -> Order:
    return decode_order(args, "", args_fail)


_REQUEST_FIELDS = ("return_id", "order_id", "sku", "quantity", "reason", "requested_at")


def decode_request_return_args(args: Any) -> ReturnRequest:
    o = read_object(args, "", args_fail, _REQUEST_FIELDS, ("comment",))
    comment = o.get("comment")
    return ReturnRequest(
        return_id=read_id(o["return_id"], "return_id", args_fail),
        order_id=read_id(o["order_id"], "order_id", args_fail),
        sku=read_id(o["sku"], "sku", args_fail),
        quantity=read_positive(o["quantity"], "quantity", args_fail),
        reason=read_id(o["reason"], "reason", args_fail),
        requested_at=read_ts(o["requested_at"], "requested_at", args_fail),
        comment=None if comment is None else read_text(comment, "comment", args_fail),
    )


_AUTHORIZE_FIELDS = tuple(f.name for f in fields(Authorization))
_AUTHORIZE_REQUIRED = tuple(f.name for f in fields(Authorization) if f.default is MISSING)
_AUTHORIZE_OPTIONS = tuple(n for n in _AUTHORIZE_FIELDS if n not in _AUTHORIZE_REQUIRED)


_CHOOSABLE_LABELS = {LabelType.AMAZON_UNPAID.value: LabelType.AMAZON_UNPAID,
                     LabelType.SELLER_PREPAID.value: LabelType.SELLER_PREPAID}


def _label_choice(value: Any, path: str, fail: Fail) -> LabelChoice | None:
    """``{"type": "amazon_unpaid"}``, or ``{"type": "seller_prepaid"}`` with optional
    ``carrier`` and ``tracking_id``."""
    if value is None:
        return None
    if type(value) is not dict:
        raise fail(path, value, "must be a JSON object")
    raw_type = value.get("type")
    kind = _CHOOSABLE_LABELS.get(raw_type) if type(raw_type) is str else None
    if kind is None:
        raise fail(f"{path}.type", raw_type, "must be one of amazon_unpaid, seller_prepaid")
    if kind is LabelType.AMAZON_UNPAID:
        read_object(value, path, fail, ("type",))
        return LabelChoice(kind)
    o = read_object(value, path, fail, ("type",), ("carrier", "tracking_id"))
    return LabelChoice(kind, read_opt_id(o.get("carrier"), f"{path}.carrier", fail),
                       read_opt_id(o.get("tracking_id"), f"{path}.tracking_id", fail))


def decode_authorize_args(args: Any) -> Authorization:
    """Optional fields may be absent or null. The rma's shape (``invalid_rma``) and giving both
    address options are the engine's checks."""
    o = read_object(args, "", args_fail, _AUTHORIZE_REQUIRED, _AUTHORIZE_OPTIONS)
    return_id = read_id(o["return_id"], "return_id", args_fail)
    at = read_ts(o["at"], "at", args_fail)
    rma = o.get("rma")
    address_id = read_opt_id(o.get("return_address_id"), "return_address_id", args_fail)
    address = o.get("return_address")
    return Authorization(
        return_id,
        at,
        None if rma is None else read_text(rma, "rma", args_fail),
        _label_choice(o.get("label"), "label", args_fail),
        address_id,
        None if address is None else decode_address(address, "return_address", args_fail),
    )


def decode_authorize_batch_args(args: Any) -> tuple[tuple[str, ...], Instant]:
    o = read_object(args, "", args_fail, ("return_ids", "at"))
    ids = read_ids(o["return_ids"], "return_ids", args_fail)
    if not ids:
        raise args_fail("return_ids", [], "must hold at least one return id")
    return ids, read_ts(o["at"], "at", args_fail)


def decode_close_args(args: Any) -> tuple[str, Instant]:
    o = read_object(args, "", args_fail, ("return_id", "at"))
    return read_id(o["return_id"], "return_id", args_fail), read_ts(o["at"], "at", args_fail)


def decode_reply_args(args: Any) -> tuple[str, Instant, str]:
    o = read_object(args, "", args_fail, ("return_id", "at", "message"))
    return (read_id(o["return_id"], "return_id", args_fail), read_ts(o["at"], "at", args_fail),
            read_id(o["message"], "message", args_fail))


def decode_receive_args(args: Any) -> tuple[str, str, Instant]:
    o = read_object(args, "", args_fail, ("seller_id", "rma", "at"))
    return (read_id(o["seller_id"], "seller_id", args_fail), read_id(o["rma"], "rma", args_fail),
            read_ts(o["at"], "at", args_fail))


def decode_get_return_args(args: Any) -> str:
    o = read_object(args, "", args_fail, ("return_id",))
    return read_id(o["return_id"], "return_id", args_fail)


