"""Benchmark: the experiment layer, as ratios to a bare SimPy loop of 1M timeouts measured in
this same process (docs/performance.md gives the figures and the targets).

1. one baseline year as a replication (KPIs only, no files): target <= 8x the loop;
2. a compare of 4 scenarios x 10 replications of the baseline year on the local process pool
   (all cores): target <= 4 minutes on the 2-core machine;
3. the same replications on a dask.distributed LocalCluster of 1 then 2 workers: speed-up
   target >= 1.8x (the cluster's start included, as ``--dask local`` pays it; then again on
   a cluster started before the clock, as an existing one is);
4. peak memory per worker (resident set of the worker processes): target < 1 GB.

    .venv/bin/python bench/experiments.py                     # everything, the full year
    .venv/bin/python bench/experiments.py --orders 200000 --replications 4 --skip-compare
"""

from __future__ import annotations

import argparse
import time

from sim_baseline import bare_simpy_rate  # bench/ is the script's folder

from sim.experiments.api import compare_experiment, run
from sim.experiments.design import Experiment
from sim.experiments.replicate import replicate
from sim.experiments.runner import Backend

SCENARIOS = ("baseline", "holiday", "understaffed", "all-auto")


def bare_simpy_seconds(events: int = 1_000_000) -> tuple[float, float]:
    """Wall and CPU time of the simplest SimPy loop of ``events`` timeouts (sim_baseline's
    loop). CPU time is the fairer ratio on a shared machine: it does not count the time the
    process waited for a core."""
    cpu = time.process_time()
    wall = events / bare_simpy_rate(events)
    return wall, time.process_time() - cpu


def _experiment(scenarios: tuple[str, ...], replications: int, orders: int | None) -> Experiment:
    return compare_experiment(scenarios[0], list(scenarios[1:]), replications=replications,
                              orders=orders)


def _timed(exp: Experiment, backend: Backend) -> tuple[float, float]:
    started = time.perf_counter()
    result = run(exp, backend)
    assert not result.failed, [r.error for r in result.failed]
    peak = max(r.peak_memory_mb for r in result.results)
    return time.perf_counter() - started, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=None,
                        help="orders per replication (default: the baseline year)")
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3,
                        help="replications timed, each after 3 loops (default 3)")
    parser.add_argument("--skip-compare", action="store_true",
                        help="skip the 4-scenario compare on the process pool")
    parser.add_argument("--skip-dask", action="store_true", help="skip the Dask speed-up")
    args = parser.parse_args()

    one = _experiment(("baseline", "baseline"), 2, args.orders).tasks()[0]
    loops: list[tuple[float, float]] = []
    rounds: list[tuple[float, float]] = []  # (wall, CPU) of each replication
    for _ in range(args.repeat):  # loops and replications alternate: both see the same host
        loops += [bare_simpy_seconds() for _ in range(3)]
        started = time.perf_counter()
        result = replicate(one)
        rounds.append((time.perf_counter() - started, result.cpu_s))
        assert result.ok, result.error
    loop, loop_cpu = min(w for w, _ in loops), min(c for _, c in loops)
    print(f"bare SimPy loop, 1M timeouts: {loop:.2f} s wall, {loop_cpu:.2f} s CPU (best of "
          f"{len(loops)})")
    orders = result.kpi_map()["orders"]
    walls = sorted(w for w, _ in rounds)
    wall, cpu, median = walls[0], min(c for _, c in rounds), walls[len(walls) // 2]
    print(f"one replication ({orders:.0f} orders, KPIs only), best of {args.repeat}: "
          f"{wall:.1f} s wall = {wall / loop:.1f}x the loop, {cpu:.1f} s CPU = "
          f"{cpu / loop_cpu:.1f}x the loop's CPU (target <= 8x); median {median:.1f} s = "
          f"{median / loop:.1f}x; peak {result.peak_memory_mb:.0f} MB")

    if not args.skip_compare:
        exp = _experiment(SCENARIOS, args.replications, args.orders)
        seconds, peak = _timed(exp, Backend("process-pool"))
        print(f"compare {len(SCENARIOS)} scenarios x {args.replications} replications, "
              f"process pool: {seconds:.0f} s = {seconds / 60:.1f} min (target <= 4 min); "
              f"peak per worker {peak:.0f} MB (target < 1024)")

    if not args.skip_dask:
        exp = _experiment(SCENARIOS[:2], max(2, args.replications // 2), args.orders)
        t1, _ = _timed(exp, Backend("dask", 1, "local"))
        t2, peak = _timed(exp, Backend("dask", 2, "local"))
        print(f"dask LocalCluster, {len(exp.tasks())} replications: 1 worker {t1:.1f} s, "
              f"2 workers {t2:.1f} s, speed-up {t1 / t2:.2f}x (target >= 1.8x); "
              f"peak per worker {peak:.0f} MB")
        c1, c2 = _on_running_cluster(exp, 1), _on_running_cluster(exp, 2)
        print(f"dask, a cluster already running (--dask tcp://...), {len(exp.tasks())} "
              f"replications: 1 worker {c1:.1f} s, 2 workers {c2:.1f} s, speed-up "
              f"{c1 / c2:.2f}x")


def _on_running_cluster(exp: Experiment, workers: int) -> float:
    """Seconds to run ``exp`` on a cluster of ``workers`` that is up before the clock starts,
    as a user's existing cluster is (``--dask tcp://HOST:8786``): what ``--dask local`` adds
    to each run, the cluster's start (its processes and their imports), is left out."""
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, host="127.0.0.1") as cluster:
        seconds, _ = _timed(exp, Backend("dask", None, cluster.scheduler_address))
    return seconds


if __name__ == "__main__":
    main()
