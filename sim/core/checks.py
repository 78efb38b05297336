"""Checks of what a command carries, made before the engine looks anything up.

A value that does not fit the contract's schema (an empty id, a duplicate address id, a
setting of the other plan...) is refused here with ``invalid_args`` naming the field, exactly
as the wire layer would refuse it, so the in-process engine and a server agree.
"""

from __future__ import annotations

from sim.core.errors import invalid_args
from sim.core.values import (
    INDIVIDUAL_ONLY,
    PROFESSIONAL_ONLY,
    Address,
    Authorization,
    LabelChoice,
    LabelType,
    Order,
    Plan,
    ReturnRequest,
    SettingsPatch,
)


def need_id(field_path: str, value: str) -> None:
    if not isinstance(value, str) or not value:
        raise invalid_args(field_path, value, "must be a non-empty string")


def check_patch(settings: SettingsPatch) -> None:
    """Settings that do not fit the schema: refused before any look-up, as over rap/1."""
    seen: set[str] = set()
    for i, address in enumerate(settings.return_addresses or ()):
        check_address(f"settings.return_addresses[{i}]", address)
        if address.address_id in seen:
            raise invalid_args(
                f"settings.return_addresses[{i}].address_id", address.address_id,
                "address ids must be unique",
            )
        seen.add(address.address_id)
    for category in settings.return_window_days or {}:
        need_id("settings.return_window_days (category)", category)
    for i, sku in enumerate(settings.exempt_skus or ()):
        need_id(f"settings.exempt_skus[{i}]", sku)


def check_plan_fields(plan: Plan, settings: SettingsPatch) -> None:
    """A setting of the other plan is an error, not something to ignore silently."""
    foreign = PROFESSIONAL_ONLY if plan is Plan.INDIVIDUAL else INDIVIDUAL_ONLY
    for name in foreign:
        value = getattr(settings, name)
        if value is not None:
            shown = [str(v) for v in value] if isinstance(value, tuple) else str(value)
            raise invalid_args(
                f"settings.{name}", shown, f"is not a setting of {plan.value} sellers"
            )


def check_address(field_path: str, address: Address) -> None:
    for name in ("address_id", "name", "line1", "city", "region", "postal_code", "country"):
        need_id(f"{field_path}.{name}", getattr(address, name))


def check_authorization(a: Authorization) -> LabelChoice:
    """The seller's choices that break the schema; returns the label chosen (Amazon's
    unpaid one when none is given)."""
    if a.return_address_id is not None and a.return_address is not None:
        raise invalid_args(
            "return_address", "given with return_address_id",
            "give return_address_id or return_address, not both",
        )
    choice = a.label or LabelChoice()
    if choice.type is LabelType.AMAZON_PREPAID:
        raise invalid_args(
            "label.type", choice.type.value,
            "a seller authorizing by hand chooses amazon_unpaid or seller_prepaid",
        )
    if choice.type is LabelType.AMAZON_UNPAID and (choice.carrier or choice.tracking_id):
        raise invalid_args(
            "label.carrier", choice.carrier or choice.tracking_id,
            "carrier and tracking_id go with a seller_prepaid label only",
        )
    if a.return_address is not None:
        check_address("return_address", a.return_address)
    return choice


def check_order(order: Order) -> None:
    """Ids non-empty, at least one item, SKUs unique, quantities and prices in range."""
    need_id("order_id", order.order_id)
    need_id("seller_id", order.seller_id)
    need_id("buyer_id", order.buyer_id)
    if not order.items:
        raise invalid_args("items", [], "an order needs at least one item")
    skus: set[str] = set()
    for i, item in enumerate(order.items):
        need_id(f"items[{i}].sku", item.sku)
        need_id(f"items[{i}].category", item.category)
        if item.quantity < 1:
            raise invalid_args(f"items[{i}].quantity", item.quantity, "must be at least 1")
        if not item.unit_price >= 0:
            raise invalid_args(f"items[{i}].unit_price", item.unit_price, "must be >= 0")
        if item.sku in skus:
            raise invalid_args(f"items[{i}].sku", item.sku, "appears twice in the order")
        skus.add(item.sku)


def check_request(request: ReturnRequest) -> None:
    """Ids non-empty, a quantity of at least one."""
    need_id("return_id", request.return_id)
    need_id("order_id", request.order_id)
    need_id("sku", request.sku)
    need_id("reason", request.reason)
    if request.quantity < 1:
        raise invalid_args("quantity", request.quantity, "must be at least 1")
