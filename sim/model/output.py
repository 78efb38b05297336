"""What a finished run hands to the writers (summary, report, plots) and how a results folder
comes to exist: written whole in a temporary folder beside the destination, then renamed.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.core.values import Policy, ReturnRecord
from sim.model.population import Population
from sim.model.tally import Tally


@dataclass(frozen=True)
class RunOutput:
    """Everything the result files are computed from; nothing in here is re-simulated."""

    scenario_name: str
    seed: int
    t0: int  # epoch seconds of the first simulated day
    days: int
    implementation: str
    policy: Policy
    population: Population
    orders: int
    orders_by_category: np.ndarray
    records: Mapping[str, ReturnRecord]
    tally: Tally
    event_counts: Counter[tuple[str, str]]
    reviewer_capacity_s: int  # working seconds of the reviewers of desks that reviewed

    @property
    def horizon(self) -> int:
        return self.days * 86_400


@contextmanager
def staged_folder(destination: Path) -> Iterator[Path]:
    """Yield a fresh folder to write into; on success it replaces ``destination`` whole, on
    failure it is removed and ``destination`` is left as it was."""
    destination = destination.resolve()
    destination.parent.mkdir(parents=True, exist_ok=True)
    stage = destination.parent / f".{destination.name}.tmp-{os.getpid()}"
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir()
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    old = destination.parent / f".{destination.name}.old-{os.getpid()}"
    if destination.exists():
        destination.rename(old)
    stage.rename(destination)
    if old.exists():
        shutil.rmtree(old)
