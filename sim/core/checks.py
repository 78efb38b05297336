"""Checks of what a command carries, made before the engine looks anything up.

A value that does not fit the contract's schema (an empty id, a duplicate address id, a
setting of the other plan...) is refused here with ``invalid_args`` naming the field, exactly
as the wire layer would refuse it, so the in-process engine and a server agree.

Fast paths: the checks of the commands sent for every return (an order, a request, an
authorization), and of each address a seller registers, first try one expression that accepts
the plainly valid command, exact types and all, which is nearly every command and costs a
fraction of the field-by-field checks (about 1 us of the engine's 6 per op). It only ever
accepts what the full checks accept: a ``str`` or ``int`` subclass, a ``bool`` time, an int
price... anything else falls through to the full checks, which alone decide what is refused,
with which message and in which order.
"""

from __future__ import annotations

from collections.abc import Sized

from sim.core.errors import EngineError, ErrorCode, invalid_args
from sim.core.limits import (
    FIRST_INSTANT,
    LAST_INSTANT,
    MAX_ADDRESSES,
    MAX_ID_LENGTH,
    MAX_ITEMS,
    MAX_LIST,
    MAX_PRICE,
    MAX_QUANTITY,
    MAX_TEXT_LENGTH,
    MAX_WINDOW_DAYS,
)
from sim.core.values import (
    INDIVIDUAL_ONLY,
    PROFESSIONAL_ONLY,
    Address,
    Authorization,
    Instant,
    LabelChoice,
    LabelType,
    Order,
    OrderItem,
    Plan,
    ReturnRequest,
    SettingsPatch,
)

DEFAULT_CHOICE = LabelChoice()
"""What an authorization that chooses no label gets (frozen, so one is enough)."""


def need_id(field_path: str, value: str) -> None:
    if not isinstance(value, str) or not value:
        raise invalid_args(field_path, value, "must be a non-empty string")
    if len(value) > MAX_ID_LENGTH:
        raise invalid_args(field_path, value, f"must be at most {MAX_ID_LENGTH} characters")


def need_text(field_path: str, value: str | None, *, empty: bool = True) -> None:
    """Free text: a string of at most :data:`MAX_TEXT_LENGTH` characters (``None`` passes)."""
    if value is None:
        return
    if not isinstance(value, str) or (not empty and not value):
        raise invalid_args(field_path, value, "must be a non-empty string")
    if len(value) > MAX_TEXT_LENGTH:
        raise invalid_args(field_path, value, f"must be at most {MAX_TEXT_LENGTH} characters")


def need_instant(field_path: str, value: Instant) -> None:
    """A time rap/1 can write: years 0001-9999 (only the typed API can give another)."""
    if not isinstance(value, int) or not FIRST_INSTANT <= value <= LAST_INSTANT:
        raise invalid_args(field_path, value, "must be a time from 0001-01-01T00:00:00Z to "
                           "9999-12-31T23:59:59Z")


def need_count(field_path: str, value: int, low: int, high: int) -> None:
    """An integer from ``low`` to ``high``."""
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise invalid_args(field_path, value, f"must be an integer from {low} to {high}")


def need_length(field_path: str, items: Sized | None, most: int) -> None:
    if items is not None and len(items) > most:
        raise invalid_args(field_path, f"{len(items)} entries", f"holds at most {most}")


def computed_instant(field: str, value: Instant) -> None:
    """A time the engine computed must still be one rap/1 can write: ``invalid_time``."""
    if value > LAST_INSTANT:
        raise EngineError(
            ErrorCode.INVALID_TIME,
            f"the return's {field} would be after 9999-12-31T23:59:59Z, the latest time rap/1 "
            "can write (the order's delivery plus the window and transit, or the request "
            "plus manual_response_hours)",
            {"field": field, "limit": "9999-12-31T23:59:59Z"},
        )


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
    need_length("settings.return_addresses", settings.return_addresses, MAX_ADDRESSES)
    if settings.default_return_address_id is not None:
        need_id("settings.default_return_address_id", settings.default_return_address_id)
    need_length("settings.return_window_days", settings.return_window_days, MAX_LIST)
    for category, days in (settings.return_window_days or {}).items():
        need_id("settings.return_window_days (category)", category)
        if days > MAX_WINDOW_DAYS:  # a short one is policy_less_generous (the engine's call)
            raise invalid_args(f"settings.return_window_days.{category}", days,
                               f"must be at most {MAX_WINDOW_DAYS} days")
    need_length("settings.exempt_skus", settings.exempt_skus, MAX_LIST)
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
    if (  # the plainly valid address (every seller registers one or two): see "Fast paths"
        type(address.address_id) is str and 0 < len(address.address_id) <= MAX_ID_LENGTH
        and type(address.name) is str and 0 < len(address.name) <= MAX_ID_LENGTH
        and type(address.line1) is str and 0 < len(address.line1) <= MAX_ID_LENGTH
        and type(address.city) is str and 0 < len(address.city) <= MAX_ID_LENGTH
        and type(address.region) is str and 0 < len(address.region) <= MAX_ID_LENGTH
        and type(address.postal_code) is str and 0 < len(address.postal_code) <= MAX_ID_LENGTH
        and type(address.country) is str and 0 < len(address.country) <= MAX_ID_LENGTH
        and (address.line2 is None
             or (type(address.line2) is str and len(address.line2) <= MAX_TEXT_LENGTH))
    ):
        return
    check_address_fields(field_path, address)


def check_address_fields(field_path: str, address: Address) -> None:
    """The full checks of :func:`check_address`, field by field (they alone decide refusals)."""
    for name in ("address_id", "name", "line1", "city", "region", "postal_code", "country"):
        need_id(f"{field_path}.{name}", getattr(address, name))
    need_text(f"{field_path}.line2", address.line2)


def check_authorization(a: Authorization) -> LabelChoice:
    """The seller's choices that break the schema; returns the label chosen (Amazon's
    unpaid one when none is given)."""
    if (  # the plainly valid "authorize with Amazon's defaults": see "Fast paths" above
        a.return_address_id is None and a.return_address is None
        and type(a.return_id) is str and 0 < len(a.return_id) <= MAX_ID_LENGTH
        and type(a.at) is int and FIRST_INSTANT <= a.at <= LAST_INSTANT
        and a.label is None
    ):
        return DEFAULT_CHOICE
    return check_authorization_fields(a)


def check_authorization_fields(a: Authorization) -> LabelChoice:
    """The full checks of :func:`check_authorization`, field by field: they alone decide
    what is refused, with which message, and which refusal wins."""
    if a.return_address_id is not None and a.return_address is not None:
        raise invalid_args(
            "return_address", "given with return_address_id",
            "give return_address_id or return_address, not both",
        )
    need_id("return_id", a.return_id)
    need_instant("at", a.at)
    choice = a.label or LabelChoice()
    for name in ("carrier", "tracking_id"):
        if getattr(choice, name) is not None:
            need_id(f"label.{name}", getattr(choice, name))
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
    if (  # the plainly valid order: see "Fast paths" above
        type(order.order_id) is str and 0 < len(order.order_id) <= MAX_ID_LENGTH
        and type(order.seller_id) is str and 0 < len(order.seller_id) <= MAX_ID_LENGTH
        and type(order.buyer_id) is str and 0 < len(order.buyer_id) <= MAX_ID_LENGTH
        and type(order.ordered_at) is int and FIRST_INSTANT <= order.ordered_at <= LAST_INSTANT
        and type(order.delivered_at) is int
        and FIRST_INSTANT <= order.delivered_at <= LAST_INSTANT
        and type(order.items) is tuple and 0 < len(order.items) <= MAX_ITEMS
        and _plain_items(order.items)
    ):
        return
    check_order_fields(order)


def check_order_fields(order: Order) -> None:
    """The full checks of :func:`check_order`, field by field (they alone decide refusals)."""
    need_id("order_id", order.order_id)
    need_id("seller_id", order.seller_id)
    need_id("buyer_id", order.buyer_id)
    need_instant("ordered_at", order.ordered_at)
    need_instant("delivered_at", order.delivered_at)
    if not order.items:
        raise invalid_args("items", [], "an order needs at least one item")
    need_length("items", order.items, MAX_ITEMS)
    skus: set[str] = set()
    for i, item in enumerate(order.items):
        need_id(f"items[{i}].sku", item.sku)
        need_id(f"items[{i}].category", item.category)
        if item.quantity < 1:
            raise invalid_args(f"items[{i}].quantity", item.quantity, "must be at least 1")
        need_count(f"items[{i}].quantity", item.quantity, 1, MAX_QUANTITY)
        if not 0 <= item.unit_price <= MAX_PRICE:  # also refuses NaN
            raise invalid_args(f"items[{i}].unit_price", item.unit_price,
                               f"must be a number from 0 to {MAX_PRICE}")
        if item.sku in skus:
            raise invalid_args(f"items[{i}].sku", item.sku, "appears twice in the order")
        skus.add(item.sku)


def check_request(request: ReturnRequest) -> None:
    """Ids non-empty, a quantity in range, a time rap/1 can write."""
    if (  # the plainly valid request: see "Fast paths" above
        type(request.return_id) is str and 0 < len(request.return_id) <= MAX_ID_LENGTH
        and type(request.order_id) is str and 0 < len(request.order_id) <= MAX_ID_LENGTH
        and type(request.sku) is str and 0 < len(request.sku) <= MAX_ID_LENGTH
        and type(request.reason) is str and 0 < len(request.reason) <= MAX_ID_LENGTH
        and type(request.quantity) is int and 1 <= request.quantity <= MAX_QUANTITY
        and type(request.requested_at) is int
        and FIRST_INSTANT <= request.requested_at <= LAST_INSTANT
        and (
            request.comment is None
            or (type(request.comment) is str and len(request.comment) <= MAX_TEXT_LENGTH)
        )
    ):
        return
    check_request_fields(request)


def check_request_fields(request: ReturnRequest) -> None:
    """The full checks of :func:`check_request`, field by field (they alone decide refusals)."""
    need_id("return_id", request.return_id)
    need_id("order_id", request.order_id)
    need_id("sku", request.sku)
    need_id("reason", request.reason)
    if request.quantity < 1:
        raise invalid_args("quantity", request.quantity, "must be at least 1")
    need_count("quantity", request.quantity, 1, MAX_QUANTITY)
    need_instant("requested_at", request.requested_at)
    need_text("comment", request.comment)


_MAX_PRICE = float(MAX_PRICE)
"""Exact (10**9 is a float), and a float compares faster with a float than with an int."""


def _plain_items(items: tuple[OrderItem, ...]) -> bool:
    """Whether :func:`check_order` accepts every item (``False``: it decides)."""
    for item in items:
        if not (
            type(item.sku) is str and 0 < len(item.sku) <= MAX_ID_LENGTH
            and type(item.category) is str and 0 < len(item.category) <= MAX_ID_LENGTH
            and type(item.quantity) is int and 1 <= item.quantity <= MAX_QUANTITY
            and type(item.unit_price) is float and 0.0 <= item.unit_price <= _MAX_PRICE
        ):
            return False
    count = len(items)
    if count == 1:  # a set of SKUs costs more than the checks of one item
        return True
    if count == 2:
        return items[0].sku != items[1].sku
    return len({item.sku for item in items}) == count
