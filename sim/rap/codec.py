"""JSON <-> domain values for rap/1, strict in both directions.

Server side: ``decode_*_args`` turn an op's ``args`` into typed values, refusing anything that
does not fit the contract's schema with ``invalid_args`` (the message and details name the field
path and the value); ``encode_*`` turn results into JSON-ready dicts whose key order is the
dataclass field order, so the same state always serializes to the same bytes.

Client side: ``*_args`` build ``args`` from typed requests and ``decode_*_result`` read results,
raising :class:`sim.core.port.ProtocolViolation` (naming the field) when a foreign implementation's
answer does not match the contract: the conformance harness must be able to tell a malformed
answer from a wrong one.

One reader serves both directions; only the exception it raises differs (``Fail``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from sim.core.errors import EngineError, ErrorCode, invalid_args, show_value
from sim.core.port import ProtocolViolation
from sim.core.timefmt import (
    TimeFormatError,
    format_date,
    format_timestamp,
    parse_date,
    parse_timestamp,
)
from sim.core.values import (
    INDIVIDUAL_ONLY,
    PROFESSIONAL_ONLY,
    Address,
    BatchItem,
    BatchOutcome,
    CloseReason,
    Hello,
    Holiday,
    Instant,
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
    RmaSource,
    Seller,
    SellerSettings,
    SettingsPatch,
    Status,
    Violation,
)
from sim.core.values import Rma as RmaValue

E = TypeVar("E", bound=StrEnum)
Json = dict[str, Any]

Fail = Callable[[str, Any, str], Exception]
"""Builds the exception for a bad value: ``(field path, value, problem) -> exception``."""

def args_fail(path: str, value: Any, problem: str) -> EngineError:
    """``Fail`` for requests: ``invalid_args`` naming the field path and the value."""
    return invalid_args(path, value, problem)


def result_fail(path: str, value: Any, problem: str) -> ProtocolViolation:
    """``Fail`` for answers from an implementation: the answer breaks the contract."""
    return ProtocolViolation(f"{path}: {problem}, got {show_value(value)}")


_plain: Callable[[StrEnum], str] = str.__str__
"""A StrEnum member's value as a plain ``str``: the same as ``.value`` (which encoders must
emit, so raw envelopes hold only JSON types), several times cheaper on the hot path."""


# --------------------------------------------------------------------------- readers


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _fields(
    value: Any, path: str, fail: Fail, required: Sequence[str], optional: Iterable[str] = ()
) -> dict[str, Any]:
    """An object with exactly the given fields: unknown fields first, then missing ones."""
    if type(value) is not dict:
        raise fail(path or "args", value, "must be a JSON object")
    allowed = (*required, *optional)
    for key in value:
        if key not in allowed:
            raise fail(_at(path, key), value[key], "unknown field")
    for key in required:
        if key not in value:
            raise fail(_at(path, key), None, "missing required field")
    return value


def _id(value: Any, path: str, fail: Fail) -> str:
    if type(value) is not str:
        raise fail(path, value, "must be a string")
    if not value:
        raise fail(path, value, "must not be empty")
    return value


def _text(value: Any, path: str, fail: Fail) -> str:
    if type(value) is not str:
        raise fail(path, value, "must be a string")
    return value


def _opt_id(value: Any, path: str, fail: Fail) -> str | None:
    return None if value is None else _id(value, path, fail)


def _int(value: Any, path: str, fail: Fail) -> int:
    if type(value) is not int:  # bool is not an int here
        raise fail(path, value, "must be an integer")
    return value


def _positive(value: Any, path: str, fail: Fail) -> int:
    if _int(value, path, fail) < 1:
        raise fail(path, value, "must be a positive integer")
    return value


def _bool(value: Any, path: str, fail: Fail) -> bool:
    if type(value) is not bool:
        raise fail(path, value, "must be true or false")
    return value


def _price(value: Any, path: str, fail: Fail) -> float:
    if type(value) is not int and type(value) is not float:
        raise fail(path, value, "must be a number")
    if not math.isfinite(value) or value < 0:
        raise fail(path, value, "must be a finite number >= 0")
    return value


_MEMBERS: dict[type[StrEnum], dict[str, StrEnum]] = {}


def _enum(value: Any, cls: type[E], path: str, fail: Fail) -> E:
    members = _MEMBERS.get(cls)
    if members is None:
        members = _MEMBERS[cls] = {m.value: m for m in cls}
    found = members.get(value) if type(value) is str else None
    if found is None:
        raise fail(path, value, "must be one of " + ", ".join(members))
    return found  # type: ignore[return-value]


def _opt_enum(value: Any, cls: type[E], path: str, fail: Fail) -> E | None:
    return None if value is None else _enum(value, cls, path, fail)


def _ts(value: Any, path: str, fail: Fail) -> Instant:
    if type(value) is not str:
        raise fail(path, value, "must be an RFC 3339 UTC timestamp string")
    try:
        return parse_timestamp(value)
    except TimeFormatError as exc:
        raise fail(path, value, str(exc)) from None


def _opt_ts(value: Any, path: str, fail: Fail) -> Instant | None:
    return None if value is None else _ts(value, path, fail)


def _date(value: Any, path: str, fail: Fail) -> date:
    if type(value) is not str:
        raise fail(path, value, "must be a YYYY-MM-DD date string")
    try:
        return parse_date(value)
    except TimeFormatError as exc:
        raise fail(path, value, str(exc)) from None


def _list(value: Any, path: str, fail: Fail) -> list[Any]:
    if type(value) is not list:
        raise fail(path, value, "must be a JSON array")
    return value


def _ids(value: Any, path: str, fail: Fail) -> tuple[str, ...]:
    return tuple(_id(v, f"{path}[{i}]", fail) for i, v in enumerate(_list(value, path, fail)))


def _enums(value: Any, cls: type[E], path: str, fail: Fail) -> tuple[E, ...]:
    items = _list(value, path, fail)
    return tuple(_enum(v, cls, f"{path}[{i}]", fail) for i, v in enumerate(items))


def _days_map(value: Any, path: str, fail: Fail) -> dict[str, int]:
    """A category -> days map; the values' sense (>= 1, more generous) is the engine's call."""
    if type(value) is not dict:
        raise fail(path, value, "must be a JSON object")
    for key, days in value.items():
        if not key:
            raise fail(path, key, "category names must not be empty")
        _int(days, f"{path}.{key}", fail)
    return dict(value)


# --------------------------------------------------------------------------- policy


_POLICY_FIELDS = (
    "default_window_days",
    "category_window_days",
    "non_returnable_categories",
    "transit_days",
    "holiday",
    "prepaid_exempt_categories",
    "manual_response_hours",
    "seller_fault_reasons",
)
_HOLIDAY_FIELDS = ("ordered_from", "ordered_to", "return_by")


def _holiday(value: Any, path: str, fail: Fail) -> Holiday | None:
    if value is None:
        return None
    obj = _fields(value, path, fail, _HOLIDAY_FIELDS)
    return Holiday(
        _date(obj["ordered_from"], f"{path}.ordered_from", fail),
        _date(obj["ordered_to"], f"{path}.ordered_to", fail),
        _date(obj["return_by"], f"{path}.return_by", fail),
    )


_POLICY_READERS: dict[str, Callable[[Any, str, Fail], Any]] = {
    "default_window_days": _int,
    "category_window_days": _days_map,
    "non_returnable_categories": _ids,
    "transit_days": _int,
    "holiday": _holiday,
    "prepaid_exempt_categories": _ids,
    "manual_response_hours": _int,
    "seller_fault_reasons": _ids,
}


def decode_policy(value: Any, path: str, fail: Fail, *, complete: bool) -> Policy:
    """A policy object. In ``set_policy`` every field is optional (absent = default, the
    policy is replaced, not merged); in a result every field must be there."""
    if complete:
        obj = _fields(value, path, fail, _POLICY_FIELDS)
    else:
        obj = _fields(value, path, fail, (), _POLICY_FIELDS)
    given: dict[str, Any] = {}
    for key, read in _POLICY_READERS.items():
        if key in obj:
            given[key] = read(obj[key], _at(path, key), fail)
    return Policy(**given)


def encode_policy(policy: Policy) -> Json:
    h = policy.holiday
    return {
        "default_window_days": policy.default_window_days,
        "category_window_days": dict(policy.category_window_days),
        "non_returnable_categories": list(policy.non_returnable_categories),
        "transit_days": policy.transit_days,
        "holiday": None if h is None else {
            "ordered_from": format_date(h.ordered_from),
            "ordered_to": format_date(h.ordered_to),
            "return_by": format_date(h.return_by),
        },
        "prepaid_exempt_categories": list(policy.prepaid_exempt_categories),
        "manual_response_hours": policy.manual_response_hours,
        "seller_fault_reasons": list(policy.seller_fault_reasons),
    }


# --------------------------------------------------------------------------- addresses, sellers


_ADDRESS_REQUIRED = ("address_id", "name", "line1", "city", "region", "postal_code", "country")


def decode_address(value: Any, path: str, fail: Fail) -> Address:
    """``line2`` may be absent or null; every other field is a non-empty string."""
    obj = _fields(value, path, fail, _ADDRESS_REQUIRED, ("line2",))
    line2 = obj.get("line2")
    return Address(
        address_id=_id(obj["address_id"], f"{path}.address_id", fail),
        name=_id(obj["name"], f"{path}.name", fail),
        line1=_id(obj["line1"], f"{path}.line1", fail),
        city=_id(obj["city"], f"{path}.city", fail),
        region=_id(obj["region"], f"{path}.region", fail),
        postal_code=_id(obj["postal_code"], f"{path}.postal_code", fail),
        country=_id(obj["country"], f"{path}.country", fail),
        line2=None if line2 is None else _text(line2, f"{path}.line2", fail),
    )


def encode_address(a: Address) -> Json:
    return {
        "address_id": a.address_id,
        "name": a.name,
        "line1": a.line1,
        "city": a.city,
        "region": a.region,
        "postal_code": a.postal_code,
        "country": a.country,
        "line2": a.line2,
    }


def _addresses(value: Any, path: str, fail: Fail) -> tuple[Address, ...]:
    """Unique ids are the engine's check (a rule of the seller, not of the JSON shape)."""
    items = _list(value, path, fail)
    return tuple(decode_address(item, f"{path}[{i}]", fail) for i, item in enumerate(items))


_COMMON_SETTINGS = (
    "return_addresses", "default_return_address_id", "email_links", "return_window_days"
)
_ALL_SETTINGS = (*_COMMON_SETTINGS, *INDIVIDUAL_ONLY, *PROFESSIONAL_ONLY)
_PLAN_SETTINGS = {
    Plan.INDIVIDUAL: (*_COMMON_SETTINGS, *INDIVIDUAL_ONLY),
    Plan.PROFESSIONAL: (*_COMMON_SETTINGS, *PROFESSIONAL_ONLY),
}


def _other_plan_setting(obj: Mapping[str, Any], plan: Plan, path: str, fail: Fail) -> None:
    for key in obj:
        if key in _ALL_SETTINGS and key not in _PLAN_SETTINGS[plan]:
            raise fail(_at(path, key), obj[key], f"not a setting of the {plan.value} plan")


def _mode(value: Any, path: str, fail: Fail) -> Mode:
    return _enum(value, Mode, path, fail)


_SETTINGS_READERS: dict[str, Callable[[Any, str, Fail], Any]] = {
    "return_addresses": _addresses,
    "default_return_address_id": _id,
    "email_links": _bool,
    "return_window_days": _days_map,
    "authorization": _mode,
    "out_of_policy": _mode,
    "exempt_skus": _ids,
    "exempt_mode": _mode,
}


def decode_settings_patch(value: Any, path: str, fail: Fail) -> SettingsPatch:
    """Settings as given to register/update (all optional). Whether a setting belongs to the
    seller's plan is the engine's check: at update only the engine knows the plan."""
    obj = _fields(value, path, fail, (), _ALL_SETTINGS)
    given = {key: read(obj[key], _at(path, key), fail)
             for key, read in _SETTINGS_READERS.items() if key in obj}
    return SettingsPatch(**given)


def encode_settings_patch(patch: SettingsPatch) -> Json:
    """Only the settings given (``None`` = not given), in field order."""
    out: Json = {}
    if patch.return_addresses is not None:
        out["return_addresses"] = [encode_address(a) for a in patch.return_addresses]
    if patch.default_return_address_id is not None:
        out["default_return_address_id"] = patch.default_return_address_id
    if patch.email_links is not None:
        out["email_links"] = patch.email_links
    if patch.return_window_days is not None:
        out["return_window_days"] = dict(patch.return_window_days)
    if patch.authorization is not None:
        out["authorization"] = patch.authorization.value
    if patch.out_of_policy is not None:
        out["out_of_policy"] = patch.out_of_policy.value
    if patch.exempt_skus is not None:
        out["exempt_skus"] = list(patch.exempt_skus)
    if patch.exempt_mode is not None:
        out["exempt_mode"] = patch.exempt_mode.value
    return out


def encode_seller(seller: Seller) -> Json:
    """Only the settings of the seller's plan are shown."""
    s = seller.settings
    settings: Json = {
        "return_addresses": [encode_address(a) for a in s.return_addresses],
        "default_return_address_id": s.default_return_address_id,
        "email_links": s.email_links,
        "return_window_days": dict(s.return_window_days),
    }
    if seller.plan is Plan.INDIVIDUAL:
        settings["authorization"] = _value(s.authorization)
    else:
        settings["out_of_policy"] = _value(s.out_of_policy)
        settings["exempt_skus"] = None if s.exempt_skus is None else list(s.exempt_skus)
        settings["exempt_mode"] = _value(s.exempt_mode)
    return {"seller_id": seller.seller_id, "plan": seller.plan.value, "settings": settings}


def decode_seller(value: Any, path: str, fail: Fail) -> Seller:
    obj = _fields(value, path, fail, ("seller_id", "plan", "settings"))
    seller_id = _id(obj["seller_id"], f"{path}.seller_id", fail)
    plan = _enum(obj["plan"], Plan, f"{path}.plan", fail)
    spath = f"{path}.settings"
    if type(obj["settings"]) is dict:
        _other_plan_setting(obj["settings"], plan, spath, fail)
    s = _fields(obj["settings"], spath, fail, _PLAN_SETTINGS[plan])
    addresses = _addresses(s["return_addresses"], f"{spath}.return_addresses", fail)
    if not addresses:
        raise fail(f"{spath}.return_addresses", [], "must hold at least one address")
    default_id = _id(s["default_return_address_id"], f"{spath}.default_return_address_id", fail)
    if all(a.address_id != default_id for a in addresses):
        raise fail(f"{spath}.default_return_address_id", default_id, "names no listed address")
    common: dict[str, Any] = {
        "return_addresses": addresses,
        "default_return_address_id": default_id,
        "email_links": _bool(s["email_links"], f"{spath}.email_links", fail),
        "return_window_days": _days_map(
            s["return_window_days"], f"{spath}.return_window_days", fail
        ),
    }
    if plan is Plan.INDIVIDUAL:
        settings = SellerSettings(
            **common, authorization=_enum(s["authorization"], Mode, f"{spath}.authorization", fail)
        )
    else:
        settings = SellerSettings(
            **common,
            out_of_policy=_enum(s["out_of_policy"], Mode, f"{spath}.out_of_policy", fail),
            exempt_skus=_ids(s["exempt_skus"], f"{spath}.exempt_skus", fail),
            exempt_mode=_enum(s["exempt_mode"], Mode, f"{spath}.exempt_mode", fail),
        )
    return Seller(seller_id, plan, settings)


def _value(member: StrEnum | None) -> str | None:
    return None if member is None else _plain(member)


# --------------------------------------------------------------------------- orders

_ORDER_FIELDS = ("order_id", "seller_id", "buyer_id", "ordered_at", "delivered_at", "items")
_ITEM_FIELDS = ("sku", "category", "quantity", "unit_price")


def decode_order(value: Any, path: str, fail: Fail) -> Order:
    """An order: ids non-empty, items non-empty with unique SKUs, quantities >= 1, prices
    finite and >= 0 (an int price stays an int, so it is echoed as given)."""
    obj = _fields(value, path, fail, _ORDER_FIELDS)
    order_id = _id(obj["order_id"], _at(path, "order_id"), fail)
    seller_id = _id(obj["seller_id"], _at(path, "seller_id"), fail)
    buyer_id = _id(obj["buyer_id"], _at(path, "buyer_id"), fail)
    ordered_at = _ts(obj["ordered_at"], _at(path, "ordered_at"), fail)
    delivered_at = _ts(obj["delivered_at"], _at(path, "delivered_at"), fail)
    ipath = _at(path, "items")
    raw_items = _list(obj["items"], ipath, fail)
    if not raw_items:
        raise fail(ipath, raw_items, "must hold at least one item")
    items: list[OrderItem] = []
    skus: set[str] = set()
    for i, raw in enumerate(raw_items):
        p = f"{ipath}[{i}]"
        it = _fields(raw, p, fail, _ITEM_FIELDS)
        sku = _id(it["sku"], f"{p}.sku", fail)
        if sku in skus:
            raise fail(f"{p}.sku", sku, "duplicate sku in the order")
        skus.add(sku)
        items.append(
            OrderItem(
                sku,
                _id(it["category"], f"{p}.category", fail),
                _positive(it["quantity"], f"{p}.quantity", fail),
                _price(it["unit_price"], f"{p}.unit_price", fail),
            )
        )
    return Order(order_id, seller_id, buyer_id, ordered_at, delivered_at, tuple(items))


def encode_order(order: Order) -> Json:
    return {
        "order_id": order.order_id,
        "seller_id": order.seller_id,
        "buyer_id": order.buyer_id,
        "ordered_at": format_timestamp(order.ordered_at),
        "delivered_at": format_timestamp(order.delivered_at),
        "items": [
            {"sku": i.sku, "category": i.category, "quantity": i.quantity,
             "unit_price": i.unit_price}
            for i in order.items
        ],
    }


# --------------------------------------------------------------------------- return records


def encode_return(r: ReturnRecord) -> Json:
    """Every field, ``null`` when absent (the contract's return record)."""
    rma = r.rma
    label = r.label
    address = r.return_address
    authorization = r.authorization
    authorized_at = r.authorized_at
    respond_by = r.respond_by
    received_at = r.received_at
    closed_at = r.closed_at
    close_reason = r.close_reason
    return {
        "return_id": r.return_id,
        "order_id": r.order_id,
        "seller_id": r.seller_id,
        "buyer_id": r.buyer_id,
        "sku": r.sku,
        "category": r.category,
        "quantity": r.quantity,
        "reason": r.reason,
        "requested_at": format_timestamp(r.requested_at),
        "status": _plain(r.status),
        "in_policy": r.in_policy,
        "policy_violations": [_plain(v) for v in r.policy_violations],
        "authorization": None if authorization is None else _plain(authorization),
        "authorized_at": None if authorized_at is None else format_timestamp(authorized_at),
        "rma": None if rma is None else {"number": rma.number, "source": _plain(rma.source)},
        "label": None if label is None else {
            "type": _plain(label.type),
            "paid_by": _plain(label.paid_by),
            "carrier": label.carrier,
            "tracking_id": label.tracking_id,
        },
        "return_address": None if address is None else encode_address(address),
        "window_closes_at": format_timestamp(r.window_closes_at),
        "close_eligible_at": format_timestamp(r.close_eligible_at),
        "respond_by": None if respond_by is None else format_timestamp(respond_by),
        "received_at": None if received_at is None else format_timestamp(received_at),
        "closed_at": None if closed_at is None else format_timestamp(closed_at),
        "close_reason": None if close_reason is None else _plain(close_reason),
    }


_RETURN_FIELDS = (
    "return_id", "order_id", "seller_id", "buyer_id", "sku", "category", "quantity", "reason",
    "requested_at", "status", "in_policy", "policy_violations", "authorization",
    "authorized_at", "rma", "label", "return_address", "window_closes_at",
    "close_eligible_at", "respond_by", "received_at", "closed_at", "close_reason",
)


def _rma(value: Any, path: str, fail: Fail) -> RmaValue | None:
    if value is None:
        return None
    obj = _fields(value, path, fail, ("number", "source"))
    return RmaValue(
        _id(obj["number"], f"{path}.number", fail),
        _enum(obj["source"], RmaSource, f"{path}.source", fail),
    )


def _label(value: Any, path: str, fail: Fail) -> Label | None:
    """A record's label; ``carrier``/``tracking_id`` belong to the optional ``label_details``
    feature, so an implementation without it may leave them out."""
    if value is None:
        return None
    obj = _fields(value, path, fail, ("type", "paid_by"), ("carrier", "tracking_id"))
    carrier = obj.get("carrier")
    tracking = obj.get("tracking_id")
    return Label(
        _enum(obj["type"], LabelType, f"{path}.type", fail),
        _enum(obj["paid_by"], Payer, f"{path}.paid_by", fail),
        None if carrier is None else _id(carrier, f"{path}.carrier", fail),
        None if tracking is None else _id(tracking, f"{path}.tracking_id", fail),
    )


def decode_return(value: Any, path: str, fail: Fail) -> ReturnRecord:
    o = _fields(value, path, fail, _RETURN_FIELDS)
    address = o["return_address"]
    return ReturnRecord(
        return_id=_id(o["return_id"], f"{path}.return_id", fail),
        order_id=_id(o["order_id"], f"{path}.order_id", fail),
        seller_id=_id(o["seller_id"], f"{path}.seller_id", fail),
        buyer_id=_id(o["buyer_id"], f"{path}.buyer_id", fail),
        sku=_id(o["sku"], f"{path}.sku", fail),
        category=_id(o["category"], f"{path}.category", fail),
        quantity=_positive(o["quantity"], f"{path}.quantity", fail),
        reason=_id(o["reason"], f"{path}.reason", fail),
        requested_at=_ts(o["requested_at"], f"{path}.requested_at", fail),
        status=_enum(o["status"], Status, f"{path}.status", fail),
        in_policy=_bool(o["in_policy"], f"{path}.in_policy", fail),
        policy_violations=_enums(
            o["policy_violations"], Violation, f"{path}.policy_violations", fail
        ),
        authorization=_opt_enum(o["authorization"], Mode, f"{path}.authorization", fail),
        authorized_at=_opt_ts(o["authorized_at"], f"{path}.authorized_at", fail),
        rma=_rma(o["rma"], f"{path}.rma", fail),
        label=_label(o["label"], f"{path}.label", fail),
        return_address=None if address is None
        else decode_address(address, f"{path}.return_address", fail),
        window_closes_at=_ts(o["window_closes_at"], f"{path}.window_closes_at", fail),
        close_eligible_at=_ts(o["close_eligible_at"], f"{path}.close_eligible_at", fail),
        respond_by=_opt_ts(o["respond_by"], f"{path}.respond_by", fail),
        received_at=_opt_ts(o["received_at"], f"{path}.received_at", fail),
        closed_at=_opt_ts(o["closed_at"], f"{path}.closed_at", fail),
        close_reason=_opt_enum(o["close_reason"], CloseReason, f"{path}.close_reason", fail),
    )


# --------------------------------------------------------------------------- notifications

_KIND_FIELDS: dict[NotificationKind, tuple[str, ...]] = {
    NotificationKind.RETURN_REQUESTED: ("reason", "out_of_policy", "links"),
    NotificationKind.RETURN_AUTHORIZED: ("rma", "label_type", "return_address_id"),
    NotificationKind.RETURN_CLOSED: ("close_reason",),
    NotificationKind.SELLER_REPLY: ("message",),
}


def encode_notification(n: Notification) -> Json:
    """``to, kind, return_id, at`` plus only the fields of its kind (rule 11)."""
    out: Json = {"to": _plain(n.to), "kind": _plain(n.kind), "return_id": n.return_id,
                 "at": format_timestamp(n.at)}
    kind = n.kind
    if kind is NotificationKind.RETURN_REQUESTED:
        out["reason"] = n.reason
        out["out_of_policy"] = n.out_of_policy
        out["links"] = [] if n.links is None else [_plain(link) for link in n.links]
    elif kind is NotificationKind.RETURN_AUTHORIZED:
        out["rma"] = n.rma
        out["label_type"] = _value(n.label_type)
        out["return_address_id"] = n.return_address_id
    elif kind is NotificationKind.RETURN_CLOSED:
        out["close_reason"] = _value(n.close_reason)
    else:
        out["message"] = n.message
    return out


def decode_notification(value: Any, path: str, fail: Fail) -> Notification:
    if type(value) is not dict:
        raise fail(path, value, "must be a JSON object")
    kind = _enum(value.get("kind"), NotificationKind, f"{path}.kind", fail)
    o = _fields(value, path, fail, ("to", "kind", "return_id", "at", *_KIND_FIELDS[kind]))
    base: dict[str, Any] = {
        "to": _enum(o["to"], Recipient, f"{path}.to", fail),
        "kind": kind,
        "return_id": _id(o["return_id"], f"{path}.return_id", fail),
        "at": _ts(o["at"], f"{path}.at", fail),
    }
    if kind is NotificationKind.RETURN_REQUESTED:
        base["reason"] = _id(o["reason"], f"{path}.reason", fail)
        base["out_of_policy"] = _bool(o["out_of_policy"], f"{path}.out_of_policy", fail)
        base["links"] = _enums(o["links"], Link, f"{path}.links", fail)
    elif kind is NotificationKind.RETURN_AUTHORIZED:
        base["rma"] = _id(o["rma"], f"{path}.rma", fail)
        base["label_type"] = _enum(o["label_type"], LabelType, f"{path}.label_type", fail)
        base["return_address_id"] = _id(o["return_address_id"], f"{path}.return_address_id", fail)
    elif kind is NotificationKind.RETURN_CLOSED:
        base["close_reason"] = _enum(o["close_reason"], CloseReason, f"{path}.close_reason", fail)
    else:
        base["message"] = _id(o["message"], f"{path}.message", fail)
    return Notification(**base)


def _notifications(value: Any, path: str, fail: Fail) -> tuple[Notification, ...]:
    items = _list(value, path, fail)
    return tuple(decode_notification(v, f"{path}[{i}]", fail) for i, v in enumerate(items))


# --------------------------------------------------------------------------- errors, outcomes


def encode_error(error: EngineError) -> Json:
    return {"code": error.code.value, "message": error.message, "details": error.details}


def decode_error(value: Any, path: str, fail: Fail) -> EngineError:
    o = _fields(value, path, fail, ("code", "message", "details"))
    code = _enum(o["code"], ErrorCode, f"{path}.code", fail)
    message = _text(o["message"], f"{path}.message", fail)
    if type(o["details"]) is not dict:
        raise fail(f"{path}.details", o["details"], "must be a JSON object")
    return EngineError(code, message, o["details"])


def encode_outcome(outcome: Outcome) -> Json:
    return {
        "return": encode_return(outcome.return_),
        "notifications": [encode_notification(n) for n in outcome.notifications],
    }


def encode_batch(batch: BatchOutcome) -> Json:
    results: list[Json] = []
    for item in batch.results:
        if item.ok:
            assert item.return_ is not None, "a successful batch item carries its return"
            results.append({"return_id": item.return_id, "ok": True,
                            "return": encode_return(item.return_)})
        else:
            assert item.error is not None, "a failed batch item carries its error"
            results.append({"return_id": item.return_id, "ok": False,
                            "error": encode_error(item.error)})
    return {"results": results,
            "notifications": [encode_notification(n) for n in batch.notifications]}


def encode_hello(hello: Hello) -> Json:
    return {"protocol": hello.protocol, "implementation": hello.implementation,
            "version": hello.version, "optional": list(hello.optional)}


# --------------------------------------------------------------------------- server side: args


def _no_args(args: Any) -> None:
    _fields(args, "", args_fail, ())


def decode_hello_args(args: Any) -> None:
    """``hello`` and ``reset`` take no arguments (``{}``)."""
    _no_args(args)


def decode_set_policy_args(args: Any) -> Policy:
    obj = _fields(args, "", args_fail, ("policy",))
    return decode_policy(obj["policy"], "policy", args_fail, complete=False)


def decode_register_seller_args(args: Any) -> tuple[str, Plan, SettingsPatch]:
    """``settings`` may be left out: then there is no return address, which the engine
    refuses with ``missing_return_address``."""
    obj = _fields(args, "", args_fail, ("seller_id", "plan"), ("settings",))
    seller_id = _id(obj["seller_id"], "seller_id", args_fail)
    plan = _enum(obj["plan"], Plan, "plan", args_fail)
    settings = decode_settings_patch(obj.get("settings", {}), "settings", args_fail)
    return seller_id, plan, settings


def decode_update_seller_args(args: Any) -> tuple[str, SettingsPatch]:
    if type(args) is dict and "plan" in args:
        raise args_fail("plan", args["plan"], "plan cannot change")
    obj = _fields(args, "", args_fail, ("seller_id", "settings"))
    seller_id = _id(obj["seller_id"], "seller_id", args_fail)
    return seller_id, decode_settings_patch(obj["settings"], "settings", args_fail)


def decode_place_order_args(args: Any) -> Order:
    return decode_order(args, "", args_fail)


_REQUEST_FIELDS = ("return_id", "order_id", "sku", "quantity", "reason", "requested_at")


def decode_request_return_args(args: Any) -> ReturnRequest:
    o = _fields(args, "", args_fail, _REQUEST_FIELDS, ("comment",))
    comment = o.get("comment")
    return ReturnRequest(
        return_id=_id(o["return_id"], "return_id", args_fail),
        order_id=_id(o["order_id"], "order_id", args_fail),
        sku=_id(o["sku"], "sku", args_fail),
        quantity=_positive(o["quantity"], "quantity", args_fail),
        reason=_id(o["reason"], "reason", args_fail),
        requested_at=_ts(o["requested_at"], "requested_at", args_fail),
        comment=None if comment is None else _text(comment, "comment", args_fail),
    )


@dataclass(frozen=True, slots=True)
class AuthorizeArgs:
    """``authorize``'s arguments: the return, the time, and the seller's choices (rule 5)."""

    return_id: str
    at: Instant
    rma: str | None = None
    label: LabelChoice | None = None
    return_address_id: str | None = None
    return_address: Address | None = None


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
        _fields(value, path, fail, ("type",))
        return LabelChoice(kind)
    o = _fields(value, path, fail, ("type",), ("carrier", "tracking_id"))
    return LabelChoice(kind, _opt_id(o.get("carrier"), f"{path}.carrier", fail),
                       _opt_id(o.get("tracking_id"), f"{path}.tracking_id", fail))


def decode_authorize_args(args: Any) -> AuthorizeArgs:
    """Optional fields may be absent or null. The rma's shape (``invalid_rma``) and giving both
    address options are the engine's checks."""
    o = _fields(args, "", args_fail, ("return_id", "at"),
                ("rma", "label", "return_address_id", "return_address"))
    return_id = _id(o["return_id"], "return_id", args_fail)
    at = _ts(o["at"], "at", args_fail)
    rma = o.get("rma")
    address_id = _opt_id(o.get("return_address_id"), "return_address_id", args_fail)
    address = o.get("return_address")
    return AuthorizeArgs(
        return_id,
        at,
        None if rma is None else _text(rma, "rma", args_fail),
        _label_choice(o.get("label"), "label", args_fail),
        address_id,
        None if address is None else decode_address(address, "return_address", args_fail),
    )


def decode_authorize_batch_args(args: Any) -> tuple[tuple[str, ...], Instant]:
    o = _fields(args, "", args_fail, ("return_ids", "at"))
    ids = _ids(o["return_ids"], "return_ids", args_fail)
    if not ids:
        raise args_fail("return_ids", [], "must hold at least one return id")
    return ids, _ts(o["at"], "at", args_fail)


def decode_close_args(args: Any) -> tuple[str, Instant]:
    o = _fields(args, "", args_fail, ("return_id", "at"))
    return _id(o["return_id"], "return_id", args_fail), _ts(o["at"], "at", args_fail)


def decode_reply_args(args: Any) -> tuple[str, Instant, str]:
    o = _fields(args, "", args_fail, ("return_id", "at", "message"))
    return (_id(o["return_id"], "return_id", args_fail), _ts(o["at"], "at", args_fail),
            _id(o["message"], "message", args_fail))


def decode_receive_args(args: Any) -> tuple[str, str, Instant]:
    o = _fields(args, "", args_fail, ("seller_id", "rma", "at"))
    return (_id(o["seller_id"], "seller_id", args_fail), _id(o["rma"], "rma", args_fail),
            _ts(o["at"], "at", args_fail))


def decode_get_return_args(args: Any) -> str:
    o = _fields(args, "", args_fail, ("return_id",))
    return _id(o["return_id"], "return_id", args_fail)


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


def authorize_args(a: AuthorizeArgs) -> Json:
    """Only the options given."""
    out: Json = {"return_id": a.return_id, "at": format_timestamp(a.at)}
    if a.rma is not None:
        out["rma"] = a.rma
    if a.label is not None:
        label: Json = {"type": a.label.type.value}
        if a.label.carrier is not None:
            label["carrier"] = a.label.carrier
        if a.label.tracking_id is not None:
            label["tracking_id"] = a.label.tracking_id
        out["label"] = label
    if a.return_address_id is not None:
        out["return_address_id"] = a.return_address_id
    if a.return_address is not None:
        out["return_address"] = encode_address(a.return_address)
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
    o = _fields(value, _R, result_fail, ("protocol", "implementation", "version", "optional"))
    return Hello(
        _id(o["protocol"], "result.protocol", result_fail),
        _text(o["implementation"], "result.implementation", result_fail),
        _text(o["version"], "result.version", result_fail),
        _ids(o["optional"], "result.optional", result_fail),
    )


def decode_empty_result(value: Any) -> None:
    _fields(value, _R, result_fail, ())


def decode_policy_result(value: Any) -> Policy:
    o = _fields(value, _R, result_fail, ("policy",))
    return decode_policy(o["policy"], "result.policy", result_fail, complete=True)


def decode_seller_result(value: Any) -> Seller:
    o = _fields(value, _R, result_fail, ("seller",))
    return decode_seller(o["seller"], "result.seller", result_fail)


def decode_order_result(value: Any) -> Order:
    o = _fields(value, _R, result_fail, ("order",))
    return decode_order(o["order"], "result.order", result_fail)


def decode_return_result(value: Any) -> ReturnRecord:
    o = _fields(value, _R, result_fail, ("return",))
    return decode_return(o["return"], "result.return", result_fail)


def decode_outcome_result(value: Any) -> Outcome:
    o = _fields(value, _R, result_fail, ("return", "notifications"))
    return Outcome(
        decode_return(o["return"], "result.return", result_fail),
        _notifications(o["notifications"], "result.notifications", result_fail),
    )


def decode_batch_result(value: Any) -> BatchOutcome:
    o = _fields(value, _R, result_fail, ("results", "notifications"))
    items: list[BatchItem] = []
    for i, raw in enumerate(_list(o["results"], "result.results", result_fail)):
        p = f"result.results[{i}]"
        if type(raw) is not dict:
            raise result_fail(p, raw, "must be a JSON object")
        ok = _bool(raw.get("ok"), f"{p}.ok", result_fail)
        if ok:
            it = _fields(raw, p, result_fail, ("return_id", "ok", "return"))
            items.append(BatchItem(_id(it["return_id"], f"{p}.return_id", result_fail), True,
                                   return_=decode_return(it["return"], f"{p}.return", result_fail)))
        else:
            it = _fields(raw, p, result_fail, ("return_id", "ok", "error"))
            items.append(BatchItem(_id(it["return_id"], f"{p}.return_id", result_fail), False,
                                   error=decode_error(it["error"], f"{p}.error", result_fail)))
    return BatchOutcome(
        tuple(items), _notifications(o["notifications"], "result.notifications", result_fail)
    )


def read_envelope(envelope: Any, seq: int | None) -> Any:
    """The ``result`` of a well-formed response to request ``seq``; a refusal is raised as
    :class:`EngineError`; anything malformed is a :class:`ProtocolViolation`."""
    if type(envelope) is not dict:
        raise result_fail("response", envelope, "must be a JSON object")
    got = envelope.get("seq", ...)
    if not (got is None if seq is None else type(got) is int and got == seq):
        raise result_fail("seq", got, f"must echo the request's seq {seq}")
    ok = _bool(envelope.get("ok"), "ok", result_fail)
    if ok:
        _fields(envelope, "response", result_fail, ("seq", "ok", "result"))
        return envelope["result"]
    _fields(envelope, "response", result_fail, ("seq", "ok", "error"))
    raise decode_error(envelope["error"], "error", result_fail)
