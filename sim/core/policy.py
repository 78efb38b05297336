"""The return-authorization policy: every rule of rap/1 as a pure function, clause by clause.

This is the one file to read for *what* the policy decides; ``sim.core.engine`` only keeps state,
checks preconditions and applies these functions. Clause ids (C01-C16) are those
quoted in ``docs/policy.md``; rule numbers are those of the rap/1 contract. docs/policy.md maps each
clause to the function here.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection, Mapping

from sim.core.errors import EngineError, ErrorCode, show_value
from sim.core.limits import (
    MAX_ID_LENGTH,
    MAX_LIST,
    MAX_RESPONSE_HOURS,
    MAX_TRANSIT_DAYS,
    MAX_WINDOW_DAYS,
)
from sim.core.values import (
    DAY,
    HOUR,
    Holiday,
    Instant,
    LabelType,
    Link,
    Mode,
    Payer,
    Plan,
    Policy,
    SellerSettings,
    Violation,
)

CUSTOM_RMA = re.compile(r"[A-Za-z0-9_-]{1,32}")
"""Rule 5: what a seller's own RMA may look like (C06)."""

AMAZON_RMA = re.compile(r"D[A-Za-z0-9]{7}RRMA")
"""Rule 7: the shape of an Amazon-generated RMA, e.g. ``DfqRyqfBRRMA`` (C06, C08)."""

# The members the rules below read on every request, bound once under their own names: on
# Python 3.11, reading ``Mode.AUTO`` goes through ``EnumType.__getattr__`` (about 80 ns).
INDIVIDUAL = Plan.INDIVIDUAL
AUTO = Mode.AUTO
AMAZON_PREPAID, AMAZON_UNPAID = LabelType.AMAZON_PREPAID, LabelType.AMAZON_UNPAID
SELLER_PREPAID = LabelType.SELLER_PREPAID
SELLER, CUSTOMER = Payer.SELLER, Payer.CUSTOMER
WINDOW_EXPIRED, NON_RETURNABLE = Violation.WINDOW_EXPIRED, Violation.NON_RETURNABLE


# --------------------------------------------------------------------------- rule 1: window


def marketplace_window_days(policy: Policy, category: str) -> int:
    """C15: 30 days in general, varying by category."""
    return policy.category_window_days.get(category, policy.default_window_days)


def window_days(policy: Policy, settings: SellerSettings, category: str) -> int:
    """C04, C15: the seller's own window counts only where it is more generous."""
    days = marketplace_window_days(policy, category)
    own = settings.return_window_days.get(category)
    return own if own is not None and own > days else days


def less_generous_windows(policy: Policy, own: Mapping[str, int]) -> EngineError | None:
    """C04: a seller's policy must match or exceed Amazon's; a shorter own window is refused."""
    for category, days in own.items():
        marketplace = marketplace_window_days(policy, category)
        if days < marketplace:
            return EngineError(
                ErrorCode.POLICY_LESS_GENEROUS,
                f"settings.return_window_days.{category}: {days} days is less than the "
                f"marketplace's {marketplace} days for {show_value(category)}",
                {
                    "category": category,
                    "seller_window_days": days,
                    "marketplace_window_days": marketplace,
                },
            )
    return None


def window_closes_at(
    policy: Policy, settings: SellerSettings, category: str, ordered_at: Instant,
    delivered_at: Instant,
) -> Instant:
    """C15 and the holiday rule: delivery + window, or the holiday's ``return_by`` day's last
    second when the order's UTC date falls in the holiday range, whichever is later."""
    closes = delivered_at + window_days(policy, settings, category) * DAY
    if policy.holiday is not None:
        first, last, holiday_end = _holiday_bounds(policy.holiday)
        if first <= ordered_at <= last:
            closes = max(closes, holiday_end)
    return closes


_BOUNDS: dict[int, tuple[Holiday, tuple[Instant, Instant, Instant]]] = {}
"""``id(holiday)`` -> the holiday (kept, so its id stays its own) and its bounds."""


def _holiday_bounds(holiday: Holiday) -> tuple[Instant, Instant, Instant]:
    """First and last second of the holiday's order days, and the last second of
    ``return_by``. Cached by identity: every request asks, a policy rarely changes, and
    hashing a holiday (three dates) would cost more than the look-up saves."""
    cached = _BOUNDS.get(id(holiday))
    if cached is not None and cached[0] is holiday:
        return cached[1]
    bounds = (
        calendar.timegm(holiday.ordered_from.timetuple()),
        calendar.timegm(holiday.ordered_to.timetuple()) + DAY - 1,
        calendar.timegm(holiday.return_by.timetuple()) + DAY - 1,
    )
    if len(_BOUNDS) >= 16:
        _BOUNDS.clear()
    _BOUNDS[id(holiday)] = (holiday, bounds)
    return bounds


def close_eligible_at(policy: Policy, closes_at: Instant) -> Instant:
    """C16: an authorized request stays open until the window closes plus transit time."""
    return closes_at + policy.transit_days * DAY


def respond_by(policy: Policy, requested_at: Instant) -> Instant:
    """The 24-hour (by default) response expectation for requests waiting on a person."""
    return requested_at + policy.manual_response_hours * HOUR


# --------------------------------------------------------------------------- rule 2: in policy


def violations(
    policy: Policy, category: str, requested_at: Instant, closes_at: Instant
) -> tuple[Violation, ...]:
    """C02: what makes a request out of policy, in the contract's order."""
    if requested_at <= closes_at and category not in policy.non_returnable_categories:
        return ()  # nearly every request: no list built for nothing
    found: list[Violation] = []
    if requested_at > closes_at:
        found.append(WINDOW_EXPIRED)
    if category in policy.non_returnable_categories:
        found.append(NON_RETURNABLE)
    return tuple(found)


# --------------------------------------------------------------------------- rule 3: decision


def is_exempt(policy: Policy, settings: SellerSettings, sku: str, category: str) -> bool:
    """C14: a professional seller's SKU is exempt from prepaid labels when listed, or when its
    category is exempt marketplace-wide (handmade, heavy and bulky, ...)."""
    return sku in settings.exempt_set or category in policy.prepaid_exempt_categories


def decide(
    policy: Policy, plan: Plan, settings: SellerSettings, sku: str, category: str,
    in_policy: bool,
) -> LabelType | None:
    """The decision table (C03, C05, C13, C14): the label of an automatic authorization, or
    ``None`` when the request waits for the seller (``pending_authorization``)."""
    if plan is INDIVIDUAL:
        setting = settings.authorization                      # C05, C13
    elif not in_policy:
        setting = settings.out_of_policy                      # C05, C13
    elif is_exempt(policy, settings, sku, category):
        setting = settings.exempt_mode                        # C14
    else:
        return AMAZON_PREPAID                                 # C03
    return AMAZON_UNPAID if setting is AUTO else None


# --------------------------------------------------------------------------- rule 4: payer


def label_payer(policy: Policy, label_type: LabelType, reason: str) -> Payer:
    """C09 and the prepaid program: a prepaid label is the seller's cost for seller-fault
    reasons and the customer's otherwise; an unpaid label is the customer's; the seller's own
    prepaid label is the seller's."""
    if label_type is AMAZON_PREPAID:
        return SELLER if reason in policy.seller_fault_reasons else CUSTOMER
    if label_type is SELLER_PREPAID:
        return SELLER
    return CUSTOMER


# --------------------------------------------------------------------------- rule 11: links


PENDING_LINKS = (Link.AUTHORIZE, Link.CLOSE, Link.REPLY)
DECIDED_LINKS = (Link.REPLY,)


def request_links(settings: SellerSettings, pending: bool) -> tuple[Link, ...]:
    """C12: the seller's email carries action links only when the setting is on, and only the
    actions that still make sense."""
    if not settings.email_links:
        return ()
    if pending:
        return PENDING_LINKS
    return DECIDED_LINKS


# --------------------------------------------------------------------------- policy validity


def check_policy(policy: Policy) -> None:
    """Refuse a well-formed policy whose values make no sense (``invalid_policy``)."""

    def bad(field_path: str, value: object, problem: str) -> EngineError:
        return EngineError(
            ErrorCode.INVALID_POLICY,
            f"policy.{field_path}: {problem}, got {show_value(value)}",
            {"field": f"policy.{field_path}", "value": value},
        )

    def count(field_path: str, value: object, low: int, high: int, unit: str) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise bad(field_path, value, f"must be {low} to {high} {unit}")

    def names(field_path: str, values: Collection[str]) -> None:
        if len(values) > MAX_LIST:
            raise bad(field_path, f"{len(values)} entries", f"holds at most {MAX_LIST}")
        for name in values:
            if not isinstance(name, str) or not 1 <= len(name) <= MAX_ID_LENGTH:
                raise bad(field_path, name, f"names must be 1 to {MAX_ID_LENGTH} characters")

    count("default_window_days", policy.default_window_days, 1, MAX_WINDOW_DAYS, "days")
    names("category_window_days", policy.category_window_days)
    for category, days in policy.category_window_days.items():
        count(f"category_window_days.{category}", days, 1, MAX_WINDOW_DAYS, "days")
    names("non_returnable_categories", policy.non_returnable_categories)
    count("transit_days", policy.transit_days, 0, MAX_TRANSIT_DAYS, "days")
    names("prepaid_exempt_categories", policy.prepaid_exempt_categories)
    count("manual_response_hours", policy.manual_response_hours, 1, MAX_RESPONSE_HOURS, "hours")
    names("seller_fault_reasons", policy.seller_fault_reasons)
    holiday = policy.holiday
    if holiday is not None:
        if holiday.ordered_from > holiday.ordered_to:
            raise bad(
                "holiday.ordered_from", holiday.ordered_from.isoformat(),
                f"must not be after ordered_to ({holiday.ordered_to.isoformat()})",
            )
        if holiday.return_by < holiday.ordered_to:
            raise bad(
                "holiday.return_by", holiday.return_by.isoformat(),
                f"must not be before ordered_to ({holiday.ordered_to.isoformat()})",
            )
