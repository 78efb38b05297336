"""Where replications run: in this process, in a local process pool, or on a Dask cluster.

Every backend runs the same pure task (:func:`sim.experiments.replicate.replicate`) and hands
back the results in task order, so what is written afterwards does not depend on the backend
or the number of workers. A replication that raises comes back as a failed result; a worker
that dies takes only its own replications down, which are recorded as failed too.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from sim.experiments.design import ExperimentError, Task
from sim.experiments.replicate import ReplicationResult, replicate

DASK_CONNECT_TIMEOUT_S = 5
MAX_WORKERS = 256


class BackendUnavailable(ExperimentError):
    """A backend that cannot be reached or started (exit code 2: nothing was run)."""


@dataclass(frozen=True)
class Backend:
    """``serial``, ``process-pool`` (``workers`` processes; None: one per core) or ``dask``
    (``address`` of a scheduler, or ``local`` for a LocalCluster of ``workers`` processes)."""

    name: str = "process-pool"
    workers: int | None = None
    address: str | None = None

    def __post_init__(self) -> None:
        if self.name not in ("serial", "process-pool", "dask"):
            raise ExperimentError(f"backend: {self.name!r} is not serial, process-pool or dask")
        if self.workers is not None and not 1 <= self.workers <= MAX_WORKERS:
            raise ExperimentError(
                f"--workers: must be between 1 and {MAX_WORKERS}, got {self.workers}"
            )
        if self.name == "dask" and not self.address:
            raise ExperimentError("--dask: give a scheduler address (tcp://HOST:8786) or 'local'")

    def describe(self) -> dict[str, Any]:
        workers = self.workers
        if workers is None and self.name != "serial" and self.address in (None, "local"):
            workers = os.cpu_count() or 1
        return {"name": self.name, "workers": 1 if self.name == "serial" else workers,
                "address": self.address}


Done = Callable[[ReplicationResult], None]


def _failed(task: Task, exc: BaseException) -> ReplicationResult:
    return ReplicationResult(task.name, task.replication, task.replication_seed,
                             task.population_seed, (), "", (), (),
                             error=f"{type(exc).__name__}: {exc}")


def run_tasks(tasks: Sequence[Task], backend: Backend,
              on_done: Done | None = None) -> list[ReplicationResult]:
    """Run every task on ``backend``; results in the order of ``tasks``."""
    notify: Done = on_done or (lambda _r: None)
    if backend.name == "serial":
        results = []
        for task in tasks:
            results.append(replicate(task))
            notify(results[-1])
        return results
    if backend.name == "process-pool":
        return _pool(tasks, backend.workers or os.cpu_count() or 1, notify)
    return _dask(tasks, backend, notify)


def _context() -> multiprocessing.context.BaseContext:
    # forkserver: workers start from a clean process, not a fork of a parent that may hold
    # threads (a Dask client, a test runner) or a large heap
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _collect(tasks: Sequence[Task], futures: Sequence[Any],
             notify: Done) -> list[ReplicationResult]:
    results: list[ReplicationResult] = []
    for task, future in zip(tasks, futures, strict=True):
        try:
            result: ReplicationResult = future.result()
        except Exception as exc:  # the worker died or the result could not come back
            result = _failed(task, exc)
        results.append(result)
        notify(result)
    return results


def _pool(tasks: Sequence[Task], workers: int, notify: Done) -> list[ReplicationResult]:
    workers = max(1, min(workers, len(tasks)))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context())
    try:
        futures: list[Future[ReplicationResult]] = [pool.submit(replicate, t) for t in tasks]
        results = _collect(tasks, futures, notify)
    except BaseException:
        # Ctrl-C or SIGTERM: stop now, not after the replications under way (a year each);
        # the executor has no public way to stop its workers, hence its process table
        workers_running = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in workers_running:
            process.terminate()
        raise
    pool.shutdown(wait=True)
    return results


def _dask(tasks: Sequence[Task], backend: Backend, notify: Done) -> list[ReplicationResult]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask is a dependency of the sim extra
        raise BackendUnavailable(f"--dask: dask.distributed is not installed ({exc})") from None
    cluster = None
    try:
        if backend.address == "local":
            cluster = LocalCluster(n_workers=backend.workers or os.cpu_count() or 1,
                                   threads_per_worker=1, processes=True,
                                   dashboard_address=None, host="127.0.0.1")
            client = Client(cluster)
        else:
            client = Client(backend.address, timeout=f"{DASK_CONNECT_TIMEOUT_S}s")
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise BackendUnavailable(
            f"--dask {backend.address}: no Dask scheduler answered within "
            f"{DASK_CONNECT_TIMEOUT_S} s ({type(exc).__name__}: {exc})"
        ) from None
    try:
        futures = client.map(replicate, list(tasks), pure=False)
        return _collect(tasks, futures, notify)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
