"""Drive the stream machine with Hypothesis under a budget, and keep the minimal difference.

Hypothesis generates examples from a seed (no example database, so a seed alone decides the
run), and on a failing example shrinks it to fewer commands and simpler values, then runs the
minimal one last: that run's steps are the case. A time budget is spent in batches of examples,
each batch seeded from the run's seed and its number, so two runs with one seed send the same
streams in the same order (a time budget only decides where they stop). The minimal case is
then replayed twice more, to tell an implementation that answers wrongly from one that does
not answer the same way twice.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, Verbosity, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Flaky
from hypothesis.internal.conjecture import engine as conjecture_engine
from hypothesis.stateful import run_state_machine_as_test

from sim.difftest.generation import Stats, Streams
from sim.difftest.pairing import Differs, Pair, Step, replay_steps
from sim.rap.port import WirePort

BATCH = 100
SHRINK_SECONDS = 20.0
"""By default Hypothesis shrinks for at most this long (its own limit is 5 minutes): a CI job
wants a readable case soon more than the smallest one late."""
LONGEST_SHRINK_S = 3600.0
STEPS_PER_EXAMPLE = 30
LONGEST_BUDGET_S = 24 * 3600.0
MOST_EXAMPLES = 10_000_000


@dataclass(frozen=True, slots=True)
class Budget:
    """How long to look: ``seconds`` of wall time or a number of ``examples``."""

    seconds: float | None = None
    examples: int | None = None

    def __str__(self) -> str:
        return f"{self.examples}ex" if self.examples is not None else f"{self.seconds:g}s"


def parse_budget(text: str) -> Budget:
    """``60`` or ``60s`` (seconds, at most a day) or ``500ex`` (examples)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(s|ex)?\s*", text)
    if m is None:
        raise ValueError(f"--budget: expected seconds (60, 60s) or examples (500ex), got {text!r}")
    number, unit = m.groups()
    if unit == "ex":
        n = int(float(number))
        if not 1 <= n <= MOST_EXAMPLES:
            raise ValueError(f"--budget: between 1ex and {MOST_EXAMPLES}ex, got {text!r}")
        return Budget(examples=n)
    seconds = float(number)
    if not 0 < seconds <= LONGEST_BUDGET_S:
        raise ValueError(f"--budget: between 0 and {LONGEST_BUDGET_S:g} seconds, got {text!r}")
    return Budget(seconds=seconds)


@dataclass
class Found:
    """The minimal difference: its steps and whether two more runs gave it again."""

    steps: list[Step]
    deterministic: bool
    reruns: list[list[Step]] = field(default_factory=list)
    shrink_cut: bool = False
    """Shrinking stopped at its time limit: another run may shrink to another case."""


@dataclass
class FuzzReport:
    examples: int
    commands: int
    seconds: float
    found: Found | None
    broken: list[str]
    """One line per example the implementation broke in (timeout, crash, bad answer)."""
    first_difference_s: float | None = None
    """Seconds to the first failing example, before shrinking."""


def fuzz(
    impl: WirePort, *, level: str, features: frozenset[str], seed: int, budget: Budget,
    progress: Callable[[Stats, float], None] | None = None,
    shrink_seconds: float = SHRINK_SECONDS,
) -> FuzzReport:
    """Look for a difference between the reference and ``impl`` within ``budget``, and shrink
    it for at most ``shrink_seconds`` (0: keep the first failing stream as it is)."""
    pair = Pair(impl, level, features, pipelined=True)
    stats = Stats(progress)
    started = stats.started
    machine = type("FuzzStreams", (Streams,), {"pair": pair, "stats": stats})
    found: Differs | None = None
    flaky = False
    batch = 0
    while found is None:  # found: the minimal case, as Hypothesis ran it last
        if budget.examples is not None:
            remaining = budget.examples - stats.examples
        else:
            remaining = BATCH if time.monotonic() - started < (budget.seconds or 0) else 0
        if remaining <= 0:
            break
        found, flaky = _run_batch(machine, seed, batch, min(remaining, BATCH)
                                  if budget.examples is None else remaining, shrink_seconds)
        batch += 1
    pair.close()
    shrunk_for = time.monotonic() - started - (stats.first_difference_s or 0.0)
    result = None
    if found is not None:
        deadline = time.monotonic() + shrink_seconds
        steps = trim(impl, found.steps, level=level, features=features, deadline=deadline)
        found = Differs(steps)
        requests = [step.request for step in found.steps]
        reruns = [replay_steps(impl, requests, level=level, features=features)
                  for _ in range(2)]
        same = all(_same_ending(found.steps, rerun) for rerun in reruns)
        result = Found(found.steps, same and not flaky, reruns,
                       shrink_seconds > 0 and shrunk_for >= shrink_seconds)
    broken = [f"example {i + 1}: {exc}" for i, exc in enumerate(stats.broken)]
    return FuzzReport(stats.examples, stats.commands, time.monotonic() - started, result, broken,
                      stats.first_difference_s)


def _run_batch(machine: type[Streams], seed: int, batch: int, examples: int,
               shrink_seconds: float) -> tuple[Differs | None, bool]:
    seeded = hypothesis_seed(seed * 1_000_003 + batch)(machine)
    config = settings(
        max_examples=examples, stateful_step_count=STEPS_PER_EXAMPLE, deadline=None,
        database=None, suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
        verbosity=Verbosity.quiet, print_blob=False,
        phases=(Phase.generate, Phase.shrink) if shrink_seconds > 0 else (Phase.generate,),
    )
    try:
        with _shrinking_capped(shrink_seconds):
            run_state_machine_as_test(seeded, settings=config)
    except Differs as exc:
        return exc, False
    except Flaky as exc:  # the minimal example did not fail again when run last
        inner = [e for e in getattr(exc, "exceptions", ()) if isinstance(e, Differs)]
        if inner:
            return inner[0], True
        raise
    return None, False


@contextmanager
def _shrinking_capped(seconds: float) -> Iterator[None]:
    """Hypothesis has no setting for how long it shrinks; its engine reads this module
    constant when shrinking starts (left alone if a later Hypothesis renames it)."""
    name = "MAX_SHRINKING_SECONDS"
    old = getattr(conjecture_engine, name, None)
    if old is None:
        yield
        return
    setattr(conjecture_engine, name, seconds)
    try:
        yield
    finally:
        setattr(conjecture_engine, name, old)


def trim(impl: WirePort, steps: list[Step], *, level: str, features: frozenset[str],
         deadline: float) -> list[Step]:
    """After Hypothesis: drop one request at a time (never the first ``reset``) while the
    same difference still shows, until no request can go or ``deadline`` passes; then number
    the requests 1, 2, 3... A replay costs far less than a Hypothesis example (nothing is
    drawn), so this finishes what a time-limited shrink left."""
    current = steps
    changed = True
    while changed and time.monotonic() < deadline:
        changed = False
        for i in range(len(current) - 1, 0, -1):
            if time.monotonic() >= deadline or i >= len(current):
                break
            candidate = [s.request for s in current[:i] + current[i + 1:]]
            again = replay_steps(impl, candidate, level=level, features=features)
            if _same_ending(current, again, length=False):
                current, changed = again, True
    renumbered = [{**s.request, "seq": n} if type(s.request.get("seq")) is int else s.request
                  for n, s in enumerate(current, start=1)]
    final = replay_steps(impl, renumbered, level=level, features=features)
    return final if _same_ending(current, final) else current


def _same_ending(first: list[Step], again: list[Step], length: bool = True) -> bool:
    if not again or (length and len(first) != len(again)):
        return False
    a, b = first[-1], again[-1]
    if a.difference is not None and b.difference is not None:
        return a.difference.path == b.difference.path
    return a.failure is not None and b.failure is not None
