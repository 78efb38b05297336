"""An experiment, before anything runs: which scenarios (as complete TOML text), how many
replications, how big, and which seeds.

A scenario travels as text, not as a loaded object, so a task sent to another process or a
Dask worker carries a few kilobytes of plain data and the folder can keep each scenario exactly
as it was run. Seeds follow the common-random-numbers design: replication ``r`` uses the same
replication seed in every scenario (each activity's stream is a named SeedSequence child of
it), and by default one population seed for all, so every scenario meets the same sellers,
catalog and buyers and differences between scenarios are not drowned in seed-to-seed noise.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from sim.experiments.toml_text import dumps_toml, loads_toml
from sim.model.scenario import BASELINE, ScenarioError, load, merge, parse
from sim.model.scenario_spec import Scenario

MAX_REPLICATIONS = 1000
MAX_SCENARIOS = 200  # scenarios (or sweep points) in one experiment
_UNSAFE = re.compile(r"[^A-Za-z0-9._=,\[\]-]")


class ExperimentError(ValueError):
    """An experiment that cannot be run as asked; the commands turn it into exit code 2."""


@dataclass(frozen=True)
class ScenarioCase:
    """One scenario of an experiment: its name, its complete TOML text and where it came from.
    ``point`` holds a sweep point's values by key path (empty in a compare)."""

    name: str
    text: str
    source: str
    sha256: str
    point: Mapping[str, Any] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return _UNSAFE.sub("_", self.name) + ".toml"

    def scenario(self) -> Scenario:
        return parse(self.text.encode("utf-8"), None, self.source)


@dataclass(frozen=True)
class Task:
    """Everything one replication needs, as plain values (picklable, a few kilobytes)."""

    scenario_text: str
    name: str
    replication_seed: int
    population_seed: int
    replication: int
    orders: int | None
    days: int | None


@dataclass(frozen=True)
class Experiment:
    """Scenarios (the first is the base every other is compared with), replications, size
    and seeds."""

    kind: str  # "compare" or "sweep"
    cases: tuple[ScenarioCase, ...]
    replications: int
    orders: int | None
    days: int | None
    seed: int
    vary_population: bool = False
    vary: tuple[tuple[str, tuple[Any, ...]], ...] = ()

    def __post_init__(self) -> None:
        if self.replications < 2:
            raise ExperimentError(
                f"--replications: at least 2 are needed, got {self.replications}: a 95% "
                "interval needs the spread between replications, and one replication has none"
            )
        if self.replications > MAX_REPLICATIONS:
            raise ExperimentError(
                f"--replications: at most {MAX_REPLICATIONS}, got {self.replications}"
            )
        if len(self.cases) > MAX_SCENARIOS:
            raise ExperimentError(
                f"at most {MAX_SCENARIOS} scenarios (or sweep points) in one experiment, "
                f"got {len(self.cases)}"
            )
        if self.seed < 0:
            raise ExperimentError(f"--seed: must not be negative, got {self.seed}")
        for flag, value in (("orders", self.orders), ("days", self.days)):
            if value is not None and value < 1:
                raise ExperimentError(f"--{flag}: must be at least 1, got {value}")

    @property
    def base(self) -> ScenarioCase:
        return self.cases[0]

    def replication_seeds(self) -> list[int]:
        """One seed per replication: the SeedSequence children of the experiment's seed."""
        children = np.random.SeedSequence(self.seed).spawn(self.replications)
        return [int(c.generate_state(1, dtype=np.uint64)[0]) for c in children]

    def population_seeds(self) -> list[int]:
        """The marketplace's seed per replication: the experiment's seed in every one (the
        marketplace of ``returns-sim run --seed SEED``), or the replication's own seed."""
        if self.vary_population:
            return self.replication_seeds()
        return [self.seed] * self.replications

    def tasks(self) -> list[Task]:
        """Every scenario x replication, scenario by scenario (the order of the files)."""
        rep, pop = self.replication_seeds(), self.population_seeds()
        return [
            Task(case.text, case.name, rep[r], pop[r], r, self.orders, self.days)
            for case in self.cases
            for r in range(self.replications)
        ]


# --------------------------------------------------------------------------- scenarios


def _bundled_text(name: str) -> str:
    return (resources.files("sim") / "scenarios" / f"{name}.toml").read_text("utf-8")


def scenario_tree(spec: str) -> tuple[dict[str, Any], str, str]:
    """A scenario (file path or bundled name) as its complete tree (the baseline merged in),
    with its name and source; a scenario that does not load raises ScenarioError."""
    loaded = load(spec)  # every check of `returns-sim run`, with its messages
    if loaded.source.startswith("<bundled>/"):
        text = _bundled_text(loaded.name)
    else:
        text = Path(spec).read_text("utf-8")
    base = loads_toml(_bundled_text(BASELINE))
    return merge(base, loads_toml(text), Scenario), loaded.name, loaded.source


def case_of(tree: Mapping[str, Any], name: str, source: str,
            point: Mapping[str, Any] | None = None) -> ScenarioCase:
    """A case from a complete tree; checks it as a scenario (ScenarioError if it is not)."""
    text = dumps_toml(tree)
    parse(text.encode("utf-8"), None, source)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return ScenarioCase(name, text, source, digest, dict(point or {}))


def cases_of(specs: list[str]) -> tuple[ScenarioCase, ...]:
    """Cases for ``compare``: each scenario loaded whole, repeated names made unique."""
    if len(specs) < 2:
        raise ExperimentError("compare needs a base scenario and at least one other")
    cases: list[ScenarioCase] = []
    seen: dict[str, int] = {}
    for spec in specs:
        try:
            tree, name, source = scenario_tree(spec)
            seen[name] = seen.get(name, 0) + 1
            unique = name if seen[name] == 1 else f"{name}-{seen[name]}"
            cases.append(case_of(tree, unique, source))
        except ScenarioError as exc:
            raise ExperimentError(f"scenario {spec}: {exc}") from None
    return tuple(cases)
