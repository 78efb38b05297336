"""What a run derives from its scenario and options, derived once and passed down.

The policy the engine is given, the seeds, the number of days and the horizon in seconds, the
first second (epoch) and the expected orders of each day were each computed in two or three
places (the run, the marketplace, the population builder, the order source); a
:class:`RunPlan` computes them once, so every part of a run agrees by construction.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from sim.core.values import DAY, Policy
from sim.model.scenario import to_policy
from sim.model.scenario_spec import Scenario


def daily_rates(scenario: Scenario, days: int, warmup_days: int = 0) -> np.ndarray:
    """Expected orders on each simulated day, the ``warmup_days`` before ``run.start`` first
    (profiles scaled to mean 1)."""
    d = scenario.demand
    weekday = np.array(d.weekday_profile) / np.mean(d.weekday_profile)
    monthly = np.array(d.monthly_profile) / np.mean(d.monthly_profile)
    start = scenario.run.start - timedelta(days=warmup_days)
    days += warmup_days
    out = np.empty(days)
    for i in range(days):
        day = start + timedelta(days=i)
        rate = d.orders_per_day * weekday[day.weekday()] * monthly[day.month - 1]
        if d.peak is not None and d.peak.start <= day <= d.peak.end:
            rate *= d.peak.multiplier
        out[i] = rate
    return out


def epoch_of(scenario: Scenario) -> int:
    """Epoch seconds of midnight UTC of the scenario's first day."""
    start = scenario.run.start
    return calendar.timegm((start.year, start.month, start.day, 0, 0, 0, 0, 0, 0))


@dataclass(frozen=True, eq=False)
class RunPlan:
    """One run's scenario, seeds and everything derived from them (an ``ndarray`` inside, so
    compared by identity)."""

    name: str
    scenario: Scenario
    policy: Policy
    seed: int  # the replication seed: orders, requests, reviews, shipping, closing
    population_seed: int  # sellers, catalog and buyers (the same as ``seed`` unless given)
    days: int  # measured days, from run.start
    horizon: int  # seconds: the end of the simulation (warm-up and measured days)
    t0: int  # epoch seconds of simulation second 0 (warm-up included)
    orders_requested: int | None
    rates: np.ndarray  # expected orders on each day, scaled to ``orders_requested``

    warmup_days: int = 0

    @property
    def expected_orders(self) -> float:
        """Expected orders of the measured days."""
        return float(self.rates[self.warmup_days:].sum())

    @property
    def sim_days(self) -> int:
        return self.warmup_days + self.days

    @property
    def measure_from(self) -> int:
        """Simulation second where the measured days start."""
        return self.warmup_days * DAY


def plan_run(
    scenario: Scenario,
    *,
    name: str = "scenario",
    seed: int | None = None,
    population_seed: int | None = None,
    days: int | None = None,
    orders: int | None = None,
) -> RunPlan:
    """The plan of one run: ``seed`` defaults to the scenario's ``run.seed``,
    ``population_seed`` to ``seed`` (so one seed gives today's runs), ``days`` to
    ``run.days``; ``orders`` scales demand so that about that many orders arrive."""
    seed = scenario.run.seed if seed is None else seed
    population_seed = seed if population_seed is None else population_seed
    for what, value in (("seed", seed), ("population seed", population_seed)):
        if value < 0:
            raise ValueError(f"{what}: must not be negative, got {value}")
    days = scenario.run.days if days is None else days
    warmup = scenario.run.warmup_days
    rates = daily_rates(scenario, days, warmup)
    if orders is not None:
        expected = float(rates[warmup:].sum())
        rates = rates * (orders / expected if expected > 0 else 0.0)
    return RunPlan(
        name=name,
        scenario=scenario,
        policy=to_policy(scenario),
        seed=seed,
        population_seed=population_seed,
        days=days,
        horizon=(warmup + days) * DAY,
        t0=epoch_of(scenario) - warmup * DAY,
        orders_requested=orders,
        rates=rates,
        warmup_days=warmup,
    )
