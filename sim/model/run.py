"""One run of the model, in memory: build the population, set up the engine, simulate, and
hand back a :class:`~sim.model.output.RunOutput`. No file is written here.

A run is simulate, then write (the STARS ``single_run``): the command line writes a results
folder from the output (``sim.reports.folder``), while replications and sweeps call
:func:`single_run` many times and keep only what they need. The engine call log is streamed to
the :class:`~sim.model.gateway.EventSink` the caller gives (none: no events written).
"""

from __future__ import annotations

import gc
import time
from bisect import bisect_left
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import compress, islice
from operator import attrgetter, le

from sim.core.port import EnginePort
from sim.core.values import ReturnRecord
from sim.model.gateway import EngineGateway, EventSink
from sim.model.marketplace import Marketplace
from sim.model.output import CatalogFacts, RunOutput, SimTimings
from sim.model.plan import RunPlan, plan_run
from sim.model.population import build_population
from sim.model.streams import Streams

__all__ = ["RunPlan", "cyclic_gc_paused", "plan_run", "single_run"]


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a run.

    A run keeps hundreds of thousands of records alive and allocates millions of short-lived
    objects that reference counting frees anyway; each full pass of the cyclic collector walks
    every live object and finds nothing, which cost about a quarter of a baseline run (the
    result writers included). Cycles made meanwhile are collected when the pause ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    except BaseException:
        # A failed or interrupted run: its objects are garbage or about to be. The first
        # collection after the pause would walk all of them (minutes, for a run of millions
        # of returns, before Ctrl-C could clean up); frozen, they are left to reference
        # counting, and to the process's end.
        gc.freeze()
        raise
    finally:
        if was_enabled:
            gc.enable()


def single_run(
    plan: RunPlan,
    port: EnginePort,
    *,
    sink: EventSink | None = None,
    on_day: Callable[[int], None] | None = None,
) -> RunOutput:
    """Run ``plan`` against ``port`` (which the caller opens, wraps and closes).

    The population draws from ``plan.population_seed``'s streams, everything else from
    ``plan.seed``'s: one :class:`numpy.random.SeedSequence` child per named stream of each.
    ``on_day`` is called with each simulated day as it starts (a progress bar)."""
    with cyclic_gc_paused():
        started = time.perf_counter()
        cpu_started = time.process_time()
        population = build_population(plan.scenario, plan.policy, Streams(plan.population_seed))
        built = time.perf_counter()
        gateway = EngineGateway(port, sink)
        hello = gateway.hello()
        model = Marketplace(
            plan,
            population,
            gateway,
            Streams(plan.seed),
            label_details="label_details" in hello.optional,
            on_day=on_day,
        )
        model.setup()
        done = model.run()
        simulated = time.perf_counter()
    catalog = population.catalog
    return RunOutput(
        scenario_name=plan.name,
        seed=plan.seed,
        population_seed=plan.population_seed,
        t0=plan.t0,
        days=plan.days,
        orders_requested=plan.orders_requested,
        implementation=hello.implementation,
        implementation_version=hello.version,
        policy=plan.policy,
        catalog=CatalogFacts(population.categories, catalog.names),
        orders=done.orders,
        orders_by_category=done.orders_by_category,
        records=measured_records(gateway.latest_records(), plan.t0 + plan.measure_from,
                                 in_order=gateway.records_in_order),
        tally=done.tally,
        event_counts=gateway.counts,
        reviewer_capacity_s=done.reviewer_capacity_s,
        timings=SimTimings(
            population_s=built - started,
            simulation_s=simulated - built,
            cpu_s=time.process_time() - cpu_started,
            simpy_events=done.simpy_events,
        ),
        measure_from=plan.measure_from,
    )


def measured_records(records: dict[str, ReturnRecord], since: int, *,
                     in_order: bool = False) -> dict[str, ReturnRecord]:
    """The returns requested in the measured days by return id (a warm-up's own requests left
    out; those still open at the horizon stay in, as open: cut off by the horizon, not folded
    in), in the order of ``records`` (which may be changed and returned).

    ``{i: r for i, r in records.items() if r.requested_at >= since}``. Reading a year's ~95k
    records, scattered in memory, took ~0.12 s; if ``in_order`` (the records are in
    non-decreasing ``requested_at``: :attr:`EngineGateway.records_in_order`), the warm-up's
    are a prefix, found by bisection and deleted: ~10 ms. Otherwise each is read, in C
    iterators (no Python bytecode per record)."""
    if in_order:
        warm_up = bisect_left(list(records.values()), since, key=_REQUESTED_AT)
        for return_id in list(islice(records, warm_up)):
            del records[return_id]
        return records
    values = records.values()
    kept = list(compress(values, map(partial(le, since), map(_REQUESTED_AT, values))))
    return dict(zip(map(_RETURN_ID, kept), kept, strict=True))


_REQUESTED_AT = attrgetter("requested_at")
_RETURN_ID = attrgetter("return_id")
