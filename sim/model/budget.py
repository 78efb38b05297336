"""How big a run will be, before it starts: hard limits, and an estimate of its memory.

A run keeps every return's records, the buyers' ids and the catalog in memory, so its peak
memory grows with the returns it will make, the buyers and the SKUs. The estimate below is a
straight line through measured peaks (docs/reliability.md gives the figures), rounded up, so a
run that would not fit is refused with the estimate before it takes the machine down, instead
of growing until the system kills it. Hard limits bound what no machine should be asked to do.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from sim.model.plan import RunPlan
from sim.model.scenario_spec import YEAR_DAYS

MAX_DAYS = 10 * YEAR_DAYS  # a run's horizon, whether from run.days or --days
MAX_ORDERS = 100_000_000  # expected orders over a run, whether from the scenario or --orders

# Peak memory of a run (resident, the reference engine in the same process), measured with
# `returns-sim run` on the baseline and on overlays with 10x buyers and 170x SKUs: fixed cost
# about 100 MB; per return 2.2 KB; per buyer 160 B; per SKU 300 B. Rounded up here.
BASE_BYTES = 120_000_000
RETURN_BYTES = 3_000
BUYER_BYTES = 200
SKU_BYTES = 400
SELLER_BYTES = 8_000


class RunTooLarge(ValueError):
    """A run beyond a hard limit (never run) or, with ``estimate``, beyond the memory there
    is (run only when insisted on)."""


@dataclass(frozen=True)
class SizeEstimate:
    orders: float  # expected over the horizon
    returns: float  # expected return requests
    buyers: int
    skus: int
    sellers: int
    bytes: int  # estimated peak memory

    def describe(self) -> str:
        return (f"about {self.bytes / 1e9:.1f} GB for {self.orders:,.0f} orders, "
                f"{self.returns:,.0f} returns, {self.buyers:,} buyers, {self.skus:,} SKUs and "
                f"{self.sellers:,} sellers")


def estimate(plan: RunPlan) -> SizeEstimate:
    """The expected size of ``plan`` and the peak memory it would need."""
    s = plan.scenario
    orders = plan.expected_orders
    return_rate = sum(c.share * c.return_rate for c in s.categories.values())
    returns = orders * return_rate
    skus = sum(c.skus for c in s.categories.values())
    size = (BASE_BYTES + RETURN_BYTES * returns + BUYER_BYTES * s.buyers.population
            + SKU_BYTES * skus + SELLER_BYTES * s.sellers.count)
    return SizeEstimate(orders, returns, s.buyers.population, skus, s.sellers.count, int(size))


def check_limits(plan: RunPlan) -> None:
    """Refuse a plan beyond the hard limits (:class:`RunTooLarge`)."""
    if plan.days > MAX_DAYS:
        raise RunTooLarge(f"days: at most {MAX_DAYS:,} days in a run, got {plan.days:,}")
    if plan.expected_orders > MAX_ORDERS:
        raise RunTooLarge(f"orders: at most {MAX_ORDERS:,} orders in a run, the scenario "
                          f"expects {plan.expected_orders:,.0f}")
    simulated = float(plan.rates.sum())  # the warm-up included: scaling to --orders can
    if not simulated <= MAX_ORDERS:  # blow it up when the measured days expect almost none
        raise RunTooLarge(f"orders: at most {MAX_ORDERS:,} orders in a run, warm-up included; "
                          f"the scenario with its {plan.warmup_days} warm-up days expects "
                          f"{simulated:,.0f} (are the demand profiles near 0 in the measured "
                          "days?)")


def available_memory() -> int | None:
    """Bytes this process could still take: Linux's ``MemAvailable``, and the container's
    limit (cgroup v2) if lower; None where neither can be read."""
    found: list[int] = []
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        pass
    cgroup = Path("/sys/fs/cgroup")
    try:
        limit = (cgroup / "memory.max").read_text().strip()
        if limit != "max":
            found.append(int(limit) - int((cgroup / "memory.current").read_text()))
    except (OSError, ValueError):
        pass
    if not found and hasattr(os, "sysconf"):
        with contextlib.suppress(OSError, ValueError):
            found.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    return max(0, min(found)) if found else None


def check_memory(plan: RunPlan, available: int | None) -> SizeEstimate:
    """The estimate of ``plan``; :class:`RunTooLarge` if it exceeds ``available`` bytes."""
    size = estimate(plan)
    if available is not None and size.bytes > available:
        raise RunTooLarge(f"this run would need {size.describe()}; "
                          f"{available / 1e9:.1f} GB of memory is available")
    return size
