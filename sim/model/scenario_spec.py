"""The shape of a scenario: every knob of the simulator, as frozen dataclasses.

A scenario is one object (the STARS-style "parameters in one object"), so a run is a pure
function of (scenario, seed, engine). Each field's metadata names the check its value must
pass (a share, a duration, ...); :mod:`sim.model.scenario` walks these classes to read TOML, so the
schema, the loader's error messages and docs/scenarios.md cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# Bounds every scenario keeps to (docs/scenarios.md, "Bounds"): beyond them a run would take
# hours or more memory than a machine has, or compute dates and amounts no report can write.
EARLIEST = date(2000, 1, 1)  # every date of a scenario lies in [EARLIEST, LATEST]
LATEST = date(2100, 12, 31)
MAX_NAME = 100  # characters of a name: a category, reason, carrier, locale
MAX_CATEGORIES = 100
MAX_SKUS = 5_000_000  # in the whole catalog
YEAR_DAYS = 365

# Checks a field's value must pass, named in its metadata under "check".
SHARE = "share"  # a number in [0, 1]
SHARES = "shares"  # a table of shares summing to 1
DURATION = "duration"  # a number >= 0 (days, hours or minutes; the field name says which)
POSITIVE = "positive"  # a number > 0
COUNT = "count"  # an integer >= 1
NONNEGATIVE = "nonnegative"  # a number >= 0 that is not a duration (a weight, a price)


def knob(check: str | None = None, most: float | None = None, **extra: Any) -> dict[str, Any]:
    """A knob's field metadata: its check and the largest value it may take (for a band, both
    ends; for a lognormal, the median). Knobs have no default: every knob lives in
    baseline.toml, the one place defaults are written down."""
    return {"check": check, "most": most, **extra}


@dataclass(frozen=True)
class Lognormal:
    """A positive quantity with a long right tail, given by its median and log-sd."""

    median: float = field(metadata=knob(POSITIVE))  # bounded by the knob using it
    sigma: float = field(metadata=knob(NONNEGATIVE, most=3))


@dataclass(frozen=True)
class Uniform:
    """A quantity drawn uniformly between ``low`` and ``high`` (inclusive of low)."""

    low: float = field(metadata=knob(NONNEGATIVE))
    high: float = field(metadata=knob(NONNEGATIVE))


@dataclass(frozen=True)
class RunSpec:
    start: date = field(metadata=knob())
    days: int = field(metadata=knob(COUNT, most=10 * YEAR_DAYS))
    seed: int = field(metadata=knob(NONNEGATIVE, most=2**63 - 1))
    # days simulated before ``start`` and left out of every KPI, so the measured year opens
    # with the returns and queues of the weeks before it, as a real year does
    warmup_days: int = field(default=0, metadata=knob(NONNEGATIVE))


@dataclass(frozen=True)
class HolidaySpec:
    ordered_from: date = field(metadata=knob())
    ordered_to: date = field(metadata=knob())
    return_by: date = field(metadata=knob())


@dataclass(frozen=True)
class PolicySpec:
    """The marketplace policy, field for field the rap/1 policy."""

    default_window_days: int = field(metadata=knob(COUNT, most=YEAR_DAYS))
    category_window_days: Mapping[str, int] = field(metadata=knob(COUNT, most=YEAR_DAYS))
    non_returnable_categories: tuple[str, ...] = field(metadata=knob())
    transit_days: int = field(metadata=knob(DURATION, most=YEAR_DAYS))
    prepaid_exempt_categories: tuple[str, ...] = field(metadata=knob())
    manual_response_hours: int = field(metadata=knob(COUNT, most=720))
    seller_fault_reasons: tuple[str, ...] = field(metadata=knob())
    holiday: HolidaySpec | None = field(default=None, metadata=knob())


@dataclass(frozen=True)
class PeakSpec:
    """A stretch of days (inclusive) when orders are multiplied, e.g. the Q4 holiday peak."""

    start: date = field(metadata=knob())
    end: date = field(metadata=knob())
    multiplier: float = field(metadata=knob(NONNEGATIVE, most=100))


@dataclass(frozen=True)
class DemandSpec:
    orders_per_day: float = field(metadata=knob(NONNEGATIVE, most=1_000_000))
    weekday_profile: tuple[float, ...] = field(metadata=knob(NONNEGATIVE, most=100, length=7))
    monthly_profile: tuple[float, ...] = field(
        metadata=knob(NONNEGATIVE, most=100, length=12)
    )
    quantity_shares: tuple[float, ...] = field(metadata=knob(SHARES, most_items=3))
    prime_share: float = field(metadata=knob(SHARE))
    peak: PeakSpec | None = field(default=None, metadata=knob())


@dataclass(frozen=True)
class CategorySpec:
    share: float = field(metadata=knob(SHARE))
    return_rate: float = field(metadata=knob(SHARE))
    price: Lognormal = field(metadata=knob(most=1_000_000))
    reasons: Mapping[str, float] = field(metadata=knob(SHARES))
    delivery_days: Uniform = field(metadata=knob(DURATION, most=YEAR_DAYS))
    label_cost: Uniform = field(metadata=knob(most=10_000))
    skus: int = field(metadata=knob(COUNT, most=1_000_000))


@dataclass(frozen=True)
class SellerSettingsSpec:
    """Shares of sellers holding each setting (rap/1 seller settings)."""

    individual_auto_share: float = field(metadata=knob(SHARE))
    out_of_policy_auto_share: float = field(metadata=knob(SHARE))
    exempt_skus_share: float = field(metadata=knob(SHARE))
    exempt_sku_fraction: float = field(metadata=knob(SHARE))
    exempt_mode_auto_share: float = field(metadata=knob(SHARE))
    email_links_share: float = field(metadata=knob(SHARE))
    longer_window_share: float = field(metadata=knob(SHARE))
    longer_window_extra_days: int = field(metadata=knob(DURATION, most=YEAR_DAYS))
    second_address_share: float = field(metadata=knob(SHARE))


@dataclass(frozen=True)
class ReviewSpec:
    """Who works the manual queue, when, and how fast."""

    reviewers_professional: int = field(metadata=knob(COUNT, most=1000))
    reviewers_individual: int = field(metadata=knob(COUNT, most=1000))
    work_start_hour: int = field(metadata=knob(DURATION))
    work_end_hour: int = field(metadata=knob(DURATION))
    work_days: tuple[int, ...] = field(metadata=knob(DURATION))
    review_minutes: Lognormal = field(metadata=knob(most=7 * 24 * 60))
    batch_share: float = field(metadata=knob(SHARE))
    batch_hours: tuple[int, ...] = field(metadata=knob(DURATION))
    # share of their working hours each reviewer spends on returns (0 < a <= 1): a review of
    # d minutes of work keeps the reviewer d / a minutes at the desk ("half a reviewer": 0.5)
    availability: float = field(default=1.0, metadata=knob(SHARE))


@dataclass(frozen=True)
class DecisionSpec:
    """What a reviewer does with a pending request (shares of reviewed requests)."""

    reply_first: float = field(metadata=knob(SHARE))
    decline_in_policy: float = field(metadata=knob(SHARE))
    decline_out_of_policy: float = field(metadata=knob(SHARE))
    custom_rma: float = field(metadata=knob(SHARE))
    seller_prepaid_label: float = field(metadata=knob(SHARE))
    other_address: float = field(metadata=knob(SHARE))
    new_address: float = field(metadata=knob(SHARE))
    close_lag_days: Uniform = field(metadata=knob(DURATION, most=YEAR_DAYS))
    inspection_days: Uniform = field(metadata=knob(DURATION, most=YEAR_DAYS))


@dataclass(frozen=True)
class SellersSpec:
    count: int = field(metadata=knob(COUNT, most=100_000))
    professional_share: float = field(metadata=knob(SHARE))
    locales: Mapping[str, float] = field(metadata=knob(SHARES))
    sales_skew: float = field(metadata=knob(NONNEGATIVE, most=10))
    settings: SellerSettingsSpec = field(metadata=knob())
    review: ReviewSpec = field(metadata=knob())
    decisions: DecisionSpec = field(metadata=knob())


@dataclass(frozen=True)
class ShipBackSpec:
    """Share of authorized buyers who actually send the item back, by label type."""

    amazon_prepaid: float = field(metadata=knob(SHARE))
    amazon_unpaid: float = field(metadata=knob(SHARE))
    seller_prepaid: float = field(metadata=knob(SHARE))


@dataclass(frozen=True)
class BuyersSpec:
    population: int = field(metadata=knob(COUNT, most=10_000_000))
    locales: Mapping[str, float] = field(metadata=knob(SHARES))
    request_delay_days: Lognormal = field(metadata=knob(most=YEAR_DAYS))
    comment_share: float = field(metadata=knob(SHARE))
    ship_back: ShipBackSpec = field(metadata=knob())
    ship_delay_days: Lognormal = field(metadata=knob(most=YEAR_DAYS))


@dataclass(frozen=True)
class CarrierSpec:
    carriers: Mapping[str, float] = field(metadata=knob(SHARES))
    transit_days: Uniform = field(metadata=knob(DURATION, most=YEAR_DAYS))


@dataclass(frozen=True)
class Scenario:
    run: RunSpec = field(metadata=knob())
    policy: PolicySpec = field(metadata=knob())
    demand: DemandSpec = field(metadata=knob())
    categories: Mapping[str, CategorySpec] = field(metadata=knob())
    sellers: SellersSpec = field(metadata=knob())
    buyers: BuyersSpec = field(metadata=knob())
    shipping: CarrierSpec = field(metadata=knob())
