"""Values of the return-authorization domain, shared by the engine, the codec and every client.

Times are whole seconds since the Unix epoch, UTC (``int``): the engine knows no clock, and the
simulator counts in seconds, so an integer is both the cheapest and the least ambiguous carrier.
The codec turns them into RFC 3339 strings at the protocol boundary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sim.core.errors import EngineError

Instant = int
"""Whole seconds since 1970-01-01T00:00:00Z."""

DAY = 86_400
HOUR = 3_600


class Plan(StrEnum):
    PROFESSIONAL = "professional"
    INDIVIDUAL = "individual"


class Mode(StrEnum):
    """A seller setting that chooses between the engine deciding and a person deciding."""

    MANUAL = "manual"
    AUTO = "auto"


class Status(StrEnum):
    PENDING_AUTHORIZATION = "pending_authorization"
    AUTHORIZED = "authorized"
    RECEIVED = "received"
    CLOSED = "closed"


class LabelType(StrEnum):
    AMAZON_PREPAID = "amazon_prepaid"
    AMAZON_UNPAID = "amazon_unpaid"
    SELLER_PREPAID = "seller_prepaid"


class Payer(StrEnum):
    SELLER = "seller"
    CUSTOMER = "customer"


class RmaSource(StrEnum):
    AMAZON = "amazon"
    SELLER = "seller"


class CloseReason(StrEnum):
    DECLINED = "declined"
    NOT_RETURNED = "not_returned"
    COMPLETED = "completed"


class Violation(StrEnum):
    """Policy violations, in the order rule 2 lists them."""

    WINDOW_EXPIRED = "window_expired"
    NON_RETURNABLE = "non_returnable"


class Recipient(StrEnum):
    SELLER = "seller"
    BUYER = "buyer"


class NotificationKind(StrEnum):
    RETURN_REQUESTED = "return_requested"
    RETURN_AUTHORIZED = "return_authorized"
    RETURN_CLOSED = "return_closed"
    SELLER_REPLY = "seller_reply"


class Link(StrEnum):
    AUTHORIZE = "authorize"
    CLOSE = "close"
    REPLY = "reply"



# --------------------------------------------------------------------------- policy


@dataclass(frozen=True, slots=True)
class Holiday:
    """Orders placed from ``ordered_from`` to ``ordered_to`` (inclusive, UTC dates) stay
    returnable until ``return_by`` at 23:59:59Z."""

    ordered_from: date
    ordered_to: date
    return_by: date


DEFAULT_SELLER_FAULT_REASONS: tuple[str, ...] = (
    "CR-DEFECTIVE",
    "CR-DAMAGED_BY_FC",
    "CR-DAMAGED_BY_CARRIER",
    "CR-SWITCHEROO",
    "CR-MISSING_PARTS",
    "CR-MISSED_ESTIMATED_DELIVERY",
    "CR-EXTRA_ITEM",
    "CR-UNAUTHORIZED_PURCHASE",
    "AMZ-PG-BAD-DESC",
)


@dataclass(frozen=True, slots=True)
class Policy:
    """The marketplace's rules. ``set_policy`` replaces the whole policy: a field not given
    takes the default shown here, so a policy never depends on the order it was set in."""

    default_window_days: int = 30
    category_window_days: Mapping[str, int] = field(default_factory=dict)
    non_returnable_categories: tuple[str, ...] = ()
    transit_days: int = 15
    holiday: Holiday | None = None
    prepaid_exempt_categories: tuple[str, ...] = ()
    manual_response_hours: int = 24
    seller_fault_reasons: tuple[str, ...] = DEFAULT_SELLER_FAULT_REASONS


# --------------------------------------------------------------------------- sellers


@dataclass(frozen=True, slots=True)
class Address:
    address_id: str
    name: str
    line1: str
    city: str
    region: str
    postal_code: str
    country: str
    line2: str | None = None


@dataclass(frozen=True, slots=True)
class SettingsPatch:
    """Seller settings as given to ``register_seller`` / ``update_seller``: ``None`` means
    "not given" (at registration: take the default; at update: keep what is there)."""

    return_addresses: tuple[Address, ...] | None = None
    default_return_address_id: str | None = None
    email_links: bool | None = None
    return_window_days: Mapping[str, int] | None = None
    authorization: Mode | None = None
    out_of_policy: Mode | None = None
    exempt_skus: tuple[str, ...] | None = None
    exempt_mode: Mode | None = None


INDIVIDUAL_ONLY = ("authorization",)
PROFESSIONAL_ONLY = ("out_of_policy", "exempt_skus", "exempt_mode")


@dataclass(frozen=True, slots=True)
class SellerSettings:
    """Settings in force. The plan-specific fields are ``None`` for the other plan."""

    return_addresses: tuple[Address, ...]
    default_return_address_id: str
    email_links: bool = False
    return_window_days: Mapping[str, int] = field(default_factory=dict)
    authorization: Mode | None = None
    out_of_policy: Mode | None = None
    exempt_skus: tuple[str, ...] | None = None
    exempt_mode: Mode | None = None
    exempt_set: frozenset[str] = field(init=False, repr=False, compare=False)
    """``exempt_skus`` as a set: a large seller lists hundreds, and every request asks."""
    _default: Address | None = field(init=False, repr=False, compare=False)
    """The default address, found once: every automatic authorization asks for it."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "exempt_set", frozenset(self.exempt_skus or ()))
        object.__setattr__(self, "_default", self.address(self.default_return_address_id))

    def address(self, address_id: str) -> Address | None:
        for a in self.return_addresses:
            if a.address_id == address_id:
                return a
        return None

    @property
    def default_address(self) -> Address:
        found = self._default
        assert found is not None, "settings always hold their default address"
        return found


@dataclass(frozen=True, slots=True)
class Seller:
    seller_id: str
    plan: Plan
    settings: SellerSettings


# --------------------------------------------------------------------------- orders


@dataclass(frozen=True, slots=True)
class OrderItem:
    sku: str
    category: str
    quantity: int
    unit_price: float


@dataclass(frozen=True, slots=True)
class Order:
    order_id: str
    seller_id: str
    buyer_id: str
    ordered_at: Instant
    delivered_at: Instant
    items: tuple[OrderItem, ...]

    def item(self, sku: str) -> OrderItem | None:
        for it in self.items:
            if it.sku == sku:
                return it
        return None


# --------------------------------------------------------------------------- returns


@dataclass(frozen=True, slots=True)
class ReturnRequest:
    return_id: str
    order_id: str
    sku: str
    quantity: int
    reason: str
    requested_at: Instant
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Rma:
    number: str
    source: RmaSource


@dataclass(frozen=True, slots=True)
class LabelChoice:
    """What a seller picks when authorizing by hand (rule 5): Amazon's unpaid label, or
    their own prepaid one with optional carrier and tracking id."""

    type: LabelType = LabelType.AMAZON_UNPAID
    carrier: str | None = None
    tracking_id: str | None = None


@dataclass(frozen=True, slots=True)
class Authorization:
    """A seller authorizing one request by hand (rule 5): the return, the time, and the
    seller's choices. ``None`` means "not chosen": an Amazon RMA, Amazon's unpaid label, the
    default return address. ``return_address_id`` (a saved address) and ``return_address`` (a
    new one, saved by the authorization) exclude each other; the engine checks that."""

    return_id: str
    at: Instant
    rma: str | None = None
    label: LabelChoice | None = None
    return_address_id: str | None = None
    return_address: Address | None = None


@dataclass(frozen=True, slots=True)
class Label:
    type: LabelType
    paid_by: Payer
    carrier: str | None = None
    tracking_id: str | None = None


@dataclass(frozen=True)
class ReturnRecord:
    """One return request as the engine keeps it. Not slotted: the engine evolves records
    by copying ``__dict__``, several times faster than ``dataclasses.replace``."""

    return_id: str
    order_id: str
    seller_id: str
    buyer_id: str
    sku: str
    category: str
    quantity: int
    reason: str
    requested_at: Instant
    status: Status
    in_policy: bool
    policy_violations: tuple[Violation, ...]
    authorization: Mode | None
    authorized_at: Instant | None
    rma: Rma | None
    label: Label | None
    return_address: Address | None
    window_closes_at: Instant
    close_eligible_at: Instant
    respond_by: Instant | None
    received_at: Instant | None
    closed_at: Instant | None
    close_reason: CloseReason | None


@dataclass(frozen=True)
class Notification:
    """One message the marketplace sends. Only the fields of its ``kind`` are set (rule 11).

    Not slotted, like :class:`ReturnRecord`: the engine builds one or two per op by copying a
    blank's ``__dict__`` (``sim.core.records``), several times faster than this ``__init__``."""

    to: Recipient
    kind: NotificationKind
    return_id: str
    at: Instant
    reason: str | None = None
    out_of_policy: bool | None = None
    links: tuple[Link, ...] | None = None
    rma: str | None = None
    label_type: LabelType | None = None
    return_address_id: str | None = None
    close_reason: CloseReason | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of an op that touches one return: the record after it, and what was sent."""

    return_: ReturnRecord
    notifications: tuple[Notification, ...] = ()


@dataclass(frozen=True, slots=True)
class BatchItem:
    return_id: str
    ok: bool
    return_: ReturnRecord | None = None
    error: EngineError | None = None


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    results: tuple[BatchItem, ...]
    notifications: tuple[Notification, ...] = ()


@dataclass(frozen=True, slots=True)
class Hello:
    protocol: str
    implementation: str
    version: str
    optional: tuple[str, ...] = ()


def twin(cls: type) -> Any:
    """A mutable class with the slots of ``cls`` (a slotted class, no ``__dict__`` or
    ``__weakref__``), in order: an instance filled field by field becomes a ``cls`` by
    ``instance.__class__ = cls`` (CPython allows it between classes of one layout), and is
    then exactly what ``cls``'s ``__init__`` makes: equal, printed, hashed, pickled and frozen
    alike. The hot paths build their frozen values this way (``sim.core.records`` for the
    engine's answers, ``sim.model.commands`` for the model's orders and requests): a frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__``, a call a field."""
    slots: tuple[str, ...] = cls.__slots__  # type: ignore[attr-defined]
    return type(f"_Building{cls.__name__}", (), {"__slots__": slots})
