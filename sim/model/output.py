"""What a finished run hands to the writers (summary, report, plots) and to experiments.

A run is simulate, then write: :func:`sim.model.run.single_run` returns a :class:`RunOutput`
in memory and writes nothing; ``sim.reports`` turns it into files. Everything the writers
need is here as plain values (the model's own objects, SimPy and the population builder stay
inside ``sim.model``), so a report can never reach into a model's insides.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from sim.core.values import Policy, ReturnRecord

THROUGHPUT = ("requests", "authorizations", "receipts", "closures")


@dataclass(slots=True)
class ReturnExtra:
    """Per return: what the model knows that the engine does not (filled in as the return
    goes, hence mutable; nothing changes it once the run has ended)."""

    category: int
    order_no: int
    ordered: int  # seconds since the start
    order_qty: int
    unit_price: float
    prime: bool
    item: int  # SKU index
    path: str = ""  # auto, manual or batch once authorized
    carrier: str = ""
    tracking: str = ""
    label_cost: float | None = None  # cost of a label that was used
    shipped: bool = False
    plan: str = ""  # the seller's plan (individual, professional)
    requested: int = 0  # seconds since the start
    pending: bool = False  # went pending authorization (a seller had to answer)
    answered: int = -1  # when a pending request was answered (authorized or declined)
    authorized_wait: int = -1  # seconds from request to authorization, once authorized
    late: bool = False  # answered after respond_by


@dataclass(frozen=True)
class RunTally:
    """What the model counted over a run, beyond the engine's own records."""

    daily: Mapping[str, tuple[int, ...]]  # THROUGHPUT name -> count per day
    extras: Mapping[str, ReturnExtra]  # by return id
    waits: Mapping[str, tuple[int, ...]]  # path -> seconds from request to authorization
    receipt_waits: tuple[int, ...]  # seconds from request to receipt
    backlog: tuple[int, ...]  # requests pending at each whole hour
    breaches: tuple[int, ...]  # simulation seconds of answers after respond_by
    pending_max: int
    mean_backlog: float  # time-weighted mean of the pending requests
    manual_answered: int
    late_answers: int
    busy_s: int  # reviewer working seconds spent on reviews
    late_packages: int  # packages that arrived after their request was closed

    def daily_array(self, name: str) -> np.ndarray:
        return np.asarray(self.daily[name], dtype=np.int64)


@dataclass(frozen=True)
class CatalogFacts:
    """What the reports know of the population: the categories and each SKU's name and ASIN
    (index = SKU number)."""

    categories: tuple[str, ...]
    sku_names: tuple[str, ...]

    @cached_property
    def asins(self) -> tuple[str, ...]:
        """Each SKU's ASIN, written when first read: only the returns report reads them, and
        a replication, which writes none, would write the whole catalog's (about 1% of a
        replication at a fifth of the year) for nothing. An ASIN is arithmetic on the SKU's
        index, so when it is written changes nothing."""
        from sim.model.population import asins  # Faker's import stays out of the reports'

        return tuple(asins(len(self.sku_names)))


@dataclass(frozen=True)
class SimTimings:
    """Where the simulate half of a run spent its time (never part of a result file's bytes)."""

    population_s: float
    simulation_s: float
    cpu_s: float
    simpy_events: int  # events SimPy scheduled, counted by the model's environment


@dataclass(frozen=True)
class RunOutput:
    """Everything the result files are computed from; nothing in here is re-simulated."""

    scenario_name: str
    seed: int  # the replication seed: orders, requests, reviews, shipping, closing
    population_seed: int  # sellers, catalog and buyers
    t0: int  # epoch seconds of the first simulated day
    days: int
    orders_requested: int | None  # the total orders demand was scaled to, if any
    implementation: str
    implementation_version: str
    policy: Policy
    catalog: CatalogFacts
    orders: int
    orders_by_category: np.ndarray
    records: Mapping[str, ReturnRecord]
    tally: RunTally
    event_counts: Counter[tuple[str, str]]  # (op, "ok" or error code) -> engine calls
    reviewer_capacity_s: int  # working seconds of the reviewers of desks that reviewed
    timings: SimTimings = field(compare=False)
    # simulation second where the measured days start (after run.warmup_days); ``t0`` and
    # the extras' times count from the first simulated second, warm-up included
    measure_from: int = 0

    @property
    def horizon(self) -> int:
        """The simulation second where the run stopped."""
        return self.measure_from + self.days * 86_400

    @property
    def start(self) -> int:
        """Epoch seconds of the first measured day."""
        return self.t0 + self.measure_from
