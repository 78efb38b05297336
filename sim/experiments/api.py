"""The experiment layer as Python functions, for notebooks and for the commands.

``compare("baseline", "window45.toml")`` and ``sweep("baseline", {"policy.default_window_days":
[30, 45, 60]})`` run the replications and return an :class:`ExperimentResult` whose
``table()`` is the comparison (one dict per scenario x KPI) and whose ``write(folder)`` leaves
the same folder the commands write. docs/experiments.md has a worked example.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sim.experiments import files, plots
from sim.experiments.design import Experiment, ExperimentError, cases_of, scenario_tree
from sim.experiments.grid import grid_cases, parse_vary
from sim.experiments.replicate import ReplicationResult
from sim.experiments.runner import Backend, run_tasks
from sim.experiments.stats import Row, compare_rows, kpi_names
from sim.experiments.table import render
from sim.model.scenario import ScenarioError
from sim.reports.html import write_report
from sim.reports.staging import staged_folder

DEFAULT_REPLICATIONS = 10


@dataclass(frozen=True)
class ExperimentResult:
    """The replications' results and the comparison table of an experiment."""

    experiment: Experiment
    results: tuple[ReplicationResult, ...]
    kpis: tuple[str, ...]
    rows: tuple[Row, ...]
    backend: Mapping[str, Any]
    timings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> list[ReplicationResult]:
        return [r for r in self.results if not r.ok]

    def table(self, kpi: str | None = None) -> list[dict[str, Any]]:
        """The comparison as records (one per scenario x KPI; only ``kpi``'s if given), ready
        for ``pandas.DataFrame(...)``."""
        return [asdict(r) for r in self.rows if kpi is None or r.kpi == kpi]

    def replications(self) -> list[dict[str, Any]]:
        """One record per scenario x replication with every KPI (replications.csv's rows)."""
        return [{"scenario": r.scenario, "replication": r.replication, "error": r.error,
                 **r.kpi_map()} for r in self.results]

    def text(self, kpis: Sequence[str] | None = None) -> str:
        """The terminal table (headline KPIs, or ``kpis``)."""
        return render(self.rows, self.experiment.base.name, self.experiment.replications, kpis)

    def write(self, folder: Path, command: Sequence[str] = (), *, force: bool = False) -> Path:
        """Write the experiment's folder (staged, renamed into place when complete)."""
        with staged_folder(folder, kind=self.experiment.kind, force=force,
                           parents=True) as stage:
            self.write_into(stage, command)
        return folder

    def write_into(self, stage: Path, command: Sequence[str] = ()) -> None:
        """Write every file into ``stage``, an empty folder (the caller stages it)."""
        started = time.perf_counter()
        exp = self.experiment
        files.write_tables(stage, exp, self.results, self.kpis, self.rows)
        plots.write_plots(stage, exp, self.results, self.rows)
        timings = {**self.timings, "files_s": round(time.perf_counter() - started, 3)}
        files.write_json(stage / "manifest.json", files.manifest(
            exp, self.results, command, dict(self.backend), timings))
        write_report(stage)  # report.html, read back from the files just written


def backend_of(workers: int | None = None, dask: str | None = None,
               serial: bool = False) -> Backend:
    if dask is not None:
        return Backend("dask", workers, dask)
    if serial or workers == 1:
        return Backend("serial")
    return Backend("process-pool", workers)


def run(exp: Experiment, backend: Backend,
        on_done: Callable[[ReplicationResult], None] | None = None) -> ExperimentResult:
    """Run every replication of ``exp`` on ``backend`` and compute the comparison."""
    started = time.perf_counter()
    results = run_tasks(exp.tasks(), backend, on_done)
    ran = time.perf_counter()
    kpis = kpi_names(results)
    by_scenario: dict[str, list[ReplicationResult]] = {c.name: [] for c in exp.cases}
    for r in results:
        by_scenario[r.scenario].append(r)
    rows = compare_rows(by_scenario, exp.base.name, kpis)
    timings = {"replications_s": round(ran - started, 3),
               "statistics_s": round(time.perf_counter() - ran, 3)}
    return ExperimentResult(exp, tuple(results), tuple(kpis), tuple(rows), backend.describe(),
                            timings)


def _seed(seed: int | None, spec: str) -> int:
    if seed is not None:
        return seed
    tree, _, _ = scenario_tree(spec)
    return int(tree["run"]["seed"])


def compare_experiment(base: str, others: Sequence[str], *, replications: int,
                       orders: int | None = None, days: int | None = None,
                       seed: int | None = None, vary_population: bool = False) -> Experiment:
    cases = cases_of([base, *others])
    return Experiment("compare", cases, replications, orders, days, _seed(seed, base),
                      vary_population)


def sweep_experiment(scenario: str, vary: Sequence[str] | Mapping[str, Sequence[Any]], *,
                     replications: int, orders: int | None = None, days: int | None = None,
                     seed: int | None = None, vary_population: bool = False) -> Experiment:
    try:
        tree, name, source = scenario_tree(scenario)
    except ScenarioError as exc:
        raise ExperimentError(f"scenario {scenario}: {exc}") from None
    if isinstance(vary, Mapping):
        options = [f"{k}={','.join(_text(v) for v in values)}" for k, values in vary.items()]
    else:
        options = list(vary)
    if not options:
        raise ExperimentError("sweep needs at least one --vary KEY=V1,V2,...")
    parsed = tuple(parse_vary(o, tree) for o in options)
    cases = grid_cases(tree, name, source, parsed)
    if len(cases) < 2:
        raise ExperimentError("--vary: the grid has one point; give at least two values")
    return Experiment("sweep", cases, replications, orders, days, _seed(seed, scenario),
                      vary_population, parsed)


def _text(value: Any) -> str:
    from sim.experiments.toml_text import scalar

    return scalar(value)


def compare(base: str, *others: str, replications: int = DEFAULT_REPLICATIONS,
            orders: int | None = None, days: int | None = None, seed: int | None = None,
            vary_population: bool = False, workers: int | None = None,
            dask: str | None = None, out: Path | str | None = None) -> ExperimentResult:
    """Compare ``others`` with ``base`` (file paths or bundled names) over replications."""
    exp = compare_experiment(base, others, replications=replications, orders=orders,
                             days=days, seed=seed, vary_population=vary_population)
    result = run(exp, backend_of(workers, dask))
    if out is not None:
        result.write(Path(out), ["compare (python)", base, *others])
    return result


def sweep(scenario: str, vary: Mapping[str, Sequence[Any]],
          replications: int = DEFAULT_REPLICATIONS, orders: int | None = None,
          days: int | None = None, seed: int | None = None, vary_population: bool = False,
          workers: int | None = None, dask: str | None = None,
          out: Path | str | None = None) -> ExperimentResult:
    """Every combination of ``vary``'s values, each compared with the grid's first point."""
    exp = sweep_experiment(scenario, vary, replications=replications, orders=orders,
                           days=days, seed=seed, vary_population=vary_population)
    result = run(exp, backend_of(workers, dask))
    if out is not None:
        result.write(Path(out), ["sweep (python)", scenario])
    return result
