"""Benchmark: the simulator on the bundled baseline (one million orders), as `make run` runs it.

Runs as ``returns-sim run`` does (a writer process beside the simulation, which writes
``events.csv`` as the run goes and the rest with this process once it ends). Prints wall and
CPU time (as the manifest has them; CPU includes the writer's), peak memory, orders/s,
returns/s, SimPy events/s and that rate as a fraction of a bare SimPy timeout loop measured in
this same process, the whole run (every file, report.html included) as a ratio to that loop
of 1M timeouts, and the time Faker takes to fill the identity pools. Results are
written to a temporary folder (plots included) and thrown away. Targets (docs/performance.md):
<= 10x the bare loop, <= 1 GB, Faker < 10%.

    .venv/bin/python bench/sim_baseline.py              # the full baseline
    .venv/bin/python bench/sim_baseline.py --orders 200000 --scenario holiday
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Generator
from pathlib import Path

import simpy

from sim.core.engine import ReferenceEngine
from sim.model.population import make_pool
from sim.model.run import cyclic_gc_paused, plan_run, single_run
from sim.model.scenario import load
from sim.model.streams import Streams
from sim.reports.run_writer import run_writer


def bare_simpy_rate(events: int = 300_000) -> float:
    """Timeouts per second of the simplest SimPy loop: the ceiling for any SimPy model here."""
    env = simpy.Environment()

    def loop(env: simpy.Environment) -> Generator[simpy.Event, None, None]:
        for _ in range(events):
            yield env.timeout(1)

    env.process(loop(env))
    started = time.perf_counter()
    env.run()
    return events / (time.perf_counter() - started)


def faker_seconds(scenario_name: str | None, seed: int) -> float:
    """The Faker share of building a population: the pools the population builder fills."""
    s = load(scenario_name).scenario
    streams = Streams(seed)
    started = time.perf_counter()
    for loc in s.sellers.locales:
        make_pool(loc, streams.int_seed(f"faker.sellers.{loc}"))
    for loc in s.buyers.locales:
        if loc not in s.sellers.locales:
            make_pool(loc, streams.int_seed(f"faker.buyers.{loc}"), people_only=True)
    spent = time.perf_counter() - started
    make_pool.cache_clear()  # the run below makes its pools itself, as a fresh process does
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=None, help="bundled name or file (default baseline)")
    parser.add_argument("--orders", type=int, default=None, help="scale to about N orders")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()

    loops = [1_000_000 / bare_simpy_rate(1_000_000) for _ in range(3)]
    loaded = load(args.scenario)
    seed = loaded.scenario.run.seed if args.seed is None else args.seed
    faker_s = faker_seconds(args.scenario, seed)
    plan = plan_run(loaded.scenario, name=loaded.name, seed=seed, orders=args.orders)
    with tempfile.TemporaryDirectory() as tmp, cyclic_gc_paused():
        started = time.perf_counter()  # as `returns-sim run` does it: a writer process beside
        with run_writer(Path(tmp), loaded, start=plan.t0 + plan.measure_from,
                        days=plan.days) as writer:
            output = single_run(plan, ReferenceEngine(notifications=False), sink=writer.sink)
            result = writer.finish(output)
        whole_s = time.perf_counter() - started
    # the loop again after the run: on a shared machine the best of six is the core's speed
    loops += [1_000_000 / bare_simpy_rate(1_000_000) for _ in range(3)]
    loop_s = min(loops)
    bare = 1_000_000 / loop_s
    t = result.timings
    s = result.summary
    events_rate = t.simpy_events / t.simulation_s
    rows = [
        ("scenario", f"{loaded.name} (seed {seed})"),
        ("orders", f"{s['orders']:,}"),
        ("return requests", f"{s['return_requests']:,}"),
        ("wall time (manifest)", f"{t.total_s:.1f} s (population {t.population_s:.1f} s, "
         f"simulation {t.simulation_s:.1f} s, results, plots and report.html after it "
         f"{t.results_s:.1f} s)"),
        ("whole run, every file", f"{whole_s:.1f} s = {whole_s / loop_s:.1f}x the bare SimPy "
         f"loop of 1M timeouts ({loop_s:.2f} s, best of 3 before the run and 3 after; "
         "target <= 10x)"),
        ("CPU time (this process and the writer)", f"{t.cpu_s:.1f} s"),
        ("peak memory (max RSS)", f"{t.peak_memory_mb:,.0f} MB"),
        ("orders/s (whole run)", f"{s['orders'] / t.total_s:,.0f}"),
        ("returns/s (whole run)", f"{s['return_requests'] / t.total_s:,.0f}"),
        ("SimPy events", f"{t.simpy_events:,}"),
        ("SimPy events/s (simulation)", f"{events_rate:,.0f}"),
        ("bare SimPy timeouts/s (same process)", f"{bare:,.0f}"),
        ("model rate / bare rate", f"{events_rate / bare:.3f}"),
        ("Faker pools", f"{faker_s:.2f} s ({100 * faker_s / t.total_s:.1f}% of the run)"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
