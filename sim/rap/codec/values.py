"""JSON <-> the marketplace's setup values: policy, addresses, sellers' settings, orders.

Encoders emit keys in the dataclass field order, so the same state always serializes to the
same bytes; decoders are strict (see :mod:`sim.rap.codec.readers`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sim.core.timefmt import (
    format_date,
    format_timestamp,
)
from sim.core.values import (
    INDIVIDUAL_ONLY,
    PROFESSIONAL_ONLY,
    Address,
    Holiday,
    Mode,
    Order,
    OrderItem,
    Plan,
    Policy,
    Seller,
    SellerSettings,
    SettingsPatch,
)
from sim.rap.codec.readers import (
    Fail,
    Json,
    child,
    enum_value,
    read_bool,
    read_date,
    read_days_map,
    read_enum,
    read_id,
    read_ids,
    read_int,
    read_list,
    read_object,
    read_positive,
    read_price,
    read_text,
    read_ts,
)

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
    obj = read_object(value, path, fail, _HOLIDAY_FIELDS)
    return Holiday(
        read_date(obj["ordered_from"], f"{path}.ordered_from", fail),
        read_date(obj["ordered_to"], f"{path}.ordered_to", fail),
        read_date(obj["return_by"], f"{path}.return_by", fail),
    )


_POLICY_READERS: dict[str, Callable[[Any, str, Fail], Any]] = {
    "default_window_days": read_int,
    "category_window_days": read_days_map,
    "non_returnable_categories": read_ids,
    "transit_days": read_int,
    "holiday": _holiday,
    "prepaid_exempt_categories": read_ids,
    "manual_response_hours": read_int,
    "seller_fault_reasons": read_ids,
}


def decode_policy(value: Any, path: str, fail: Fail, *, complete: bool) -> Policy:
    """A policy object. In ``set_policy`` every field is optional (absent = default, the
    policy is replaced, not merged); in a result every field must be there."""
    if complete:
        obj = read_object(value, path, fail, _POLICY_FIELDS)
    else:
        obj = read_object(value, path, fail, (), _POLICY_FIELDS)
    given: dict[str, Any] = {}
    for key, read in _POLICY_READERS.items():
        if key in obj:
            given[key] = read(obj[key], child(path, key), fail)
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
    obj = read_object(value, path, fail, _ADDRESS_REQUIRED, ("line2",))
    line2 = obj.get("line2")
    return Address(
        address_id=read_id(obj["address_id"], f"{path}.address_id", fail),
        name=read_id(obj["name"], f"{path}.name", fail),
        line1=read_id(obj["line1"], f"{path}.line1", fail),
        city=read_id(obj["city"], f"{path}.city", fail),
        region=read_id(obj["region"], f"{path}.region", fail),
        postal_code=read_id(obj["postal_code"], f"{path}.postal_code", fail),
        country=read_id(obj["country"], f"{path}.country", fail),
        line2=None if line2 is None else read_text(line2, f"{path}.line2", fail),
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
    items = read_list(value, path, fail)
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
            raise fail(child(path, key), obj[key], f"not a setting of the {plan.value} plan")


def _mode(value: Any, path: str, fail: Fail) -> Mode:
    return read_enum(value, Mode, path, fail)


_SETTINGS_READERS: dict[str, Callable[[Any, str, Fail], Any]] = {
    "return_addresses": _addresses,
    "default_return_address_id": read_id,
    "email_links": read_bool,
    "return_window_days": read_days_map,
    "authorization": _mode,
    "out_of_policy": _mode,
    "exempt_skus": read_ids,
    "exempt_mode": _mode,
}


def decode_settings_patch(value: Any, path: str, fail: Fail) -> SettingsPatch:
    """Settings as given to register/update (all optional). Whether a setting belongs to the
    seller's plan is the engine's check: at update only the engine knows the plan."""
    obj = read_object(value, path, fail, (), _ALL_SETTINGS)
    given = {key: read(obj[key], child(path, key), fail)
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
        settings["authorization"] = enum_value(s.authorization)
    else:
        settings["out_of_policy"] = enum_value(s.out_of_policy)
        settings["exempt_skus"] = None if s.exempt_skus is None else list(s.exempt_skus)
        settings["exempt_mode"] = enum_value(s.exempt_mode)
    return {"seller_id": seller.seller_id, "plan": seller.plan.value, "settings": settings}


def decode_seller(value: Any, path: str, fail: Fail) -> Seller:
    obj = read_object(value, path, fail, ("seller_id", "plan", "settings"))
    seller_id = read_id(obj["seller_id"], f"{path}.seller_id", fail)
    plan = read_enum(obj["plan"], Plan, f"{path}.plan", fail)
    spath = f"{path}.settings"
    if type(obj["settings"]) is dict:
        _other_plan_setting(obj["settings"], plan, spath, fail)
    s = read_object(obj["settings"], spath, fail, _PLAN_SETTINGS[plan])
    addresses = _addresses(s["return_addresses"], f"{spath}.return_addresses", fail)
    if not addresses:
        raise fail(f"{spath}.return_addresses", [], "must hold at least one address")
    default_id = read_id(s["default_return_address_id"], f"{spath}.default_return_address_id", fail)
    if all(a.address_id != default_id for a in addresses):
        raise fail(f"{spath}.default_return_address_id", default_id, "names no listed address")
    common: dict[str, Any] = {
        "return_addresses": addresses,
        "default_return_address_id": default_id,
        "email_links": read_bool(s["email_links"], f"{spath}.email_links", fail),
        "return_window_days": read_days_map(
            s["return_window_days"], f"{spath}.return_window_days", fail
        ),
    }
    if plan is Plan.INDIVIDUAL:
        settings = SellerSettings(
            **common,
            authorization=read_enum(s["authorization"], Mode, f"{spath}.authorization", fail),
        )
    else:
        settings = SellerSettings(
            **common,
            out_of_policy=read_enum(s["out_of_policy"], Mode, f"{spath}.out_of_policy", fail),
            exempt_skus=read_ids(s["exempt_skus"], f"{spath}.exempt_skus", fail),
            exempt_mode=read_enum(s["exempt_mode"], Mode, f"{spath}.exempt_mode", fail),
        )
    return Seller(seller_id, plan, settings)


# --------------------------------------------------------------------------- orders

_ORDER_FIELDS = ("order_id", "seller_id", "buyer_id", "ordered_at", "delivered_at", "items")
_ITEM_FIELDS = ("sku", "category", "quantity", "unit_price")


def decode_order(value: Any, path: str, fail: Fail) -> Order:
    """An order: ids non-empty, items non-empty with unique SKUs, quantities >= 1, prices
    finite and >= 0 (an int price stays an int, so it is echoed as given)."""
    obj = read_object(value, path, fail, _ORDER_FIELDS)
    order_id = read_id(obj["order_id"], child(path, "order_id"), fail)
    seller_id = read_id(obj["seller_id"], child(path, "seller_id"), fail)
    buyer_id = read_id(obj["buyer_id"], child(path, "buyer_id"), fail)
    ordered_at = read_ts(obj["ordered_at"], child(path, "ordered_at"), fail)
    delivered_at = read_ts(obj["delivered_at"], child(path, "delivered_at"), fail)
    ipath = child(path, "items")
    raw_items = read_list(obj["items"], ipath, fail)
    if not raw_items:
        raise fail(ipath, raw_items, "must hold at least one item")
    items: list[OrderItem] = []
    skus: set[str] = set()
    for i, raw in enumerate(raw_items):
        p = f"{ipath}[{i}]"
        it = read_object(raw, p, fail, _ITEM_FIELDS)
        sku = read_id(it["sku"], f"{p}.sku", fail)
        if sku in skus:
            raise fail(f"{p}.sku", sku, "duplicate sku in the order")
        skus.add(sku)
        items.append(
            OrderItem(
                sku,
                read_id(it["category"], f"{p}.category", fail),
                read_positive(it["quantity"], f"{p}.quantity", fail),
                read_price(it["unit_price"], f"{p}.unit_price", fail),
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


