"""Small simulator runs shared by the simulator's tests (one run per parameters per session).

A "small run" is the bundled baseline scaled to a few thousand orders over a short horizon:
enough returns to exercise every path (automatic, manual, batch, declined, late packages), a
few seconds to run.
"""

from __future__ import annotations

import csv
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.core.engine import ReferenceEngine
from sim.model.output import RunOutput
from sim.model.run import plan_run, single_run
from sim.model.scenario import load
from sim.reports.events import EventLog
from sim.reports.folder import WrittenRun, write_run_folder

SMALL_ORDERS = 5000
SMALL_DAYS = 120
SMALL_SEED = 7


@dataclass(frozen=True)
class SmallRun:
    folder: Path
    output: RunOutput
    written: WrittenRun
    engine: ReferenceEngine

    @property
    def summary(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((self.folder / "summary.json").read_text("utf-8"))
        return loaded

    def events(self) -> list[dict[str, str]]:
        with (self.folder / "events.csv").open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    def report(self) -> list[dict[str, str]]:
        with (self.folder / "returns_report.tsv").open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f, delimiter="\t"))


def run_small(folder: Path, *, seed: int = SMALL_SEED, scenario: str | None = None,
              plots: bool = True) -> SmallRun:
    """Simulate, then write the results folder, as ``returns-sim run`` does (unstaged)."""
    folder.mkdir(parents=True, exist_ok=True)
    engine = ReferenceEngine()
    loaded = load(scenario)
    plan = plan_run(loaded.scenario, name=loaded.name, seed=seed, days=SMALL_DAYS,
                    orders=SMALL_ORDERS)
    with EventLog(folder / "events.csv") as sink:
        output = single_run(plan, engine, sink=sink)
    written = write_run_folder(output, folder, loaded=loaded, plots=plots)
    return SmallRun(folder, output, written, engine)


@functools.cache
def shared_small_run(base: str) -> SmallRun:
    """One small baseline run per test session (``base`` is a session temp folder)."""
    return run_small(Path(base) / "small")
