"""What each step of each case did, recorded from pytest-bdd's hooks, for the reports.

pytest-bdd's own Cucumber JSON loses what a dashboard needs (a scenario with an undefined step
is missing, steps after a failure are ``failed`` with no message, the step definitions'
locations are empty). This plugin records, per case, the status, duration, message and step
definition of every step of the scenario, so the report writers (``cucumber_json``,
``cucumber_messages``, ``junit``) can say exactly what happened, the way Cucumber would.
"""

from __future__ import annotations

import inspect
import re
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sim.conformance.cases import Case

PASSED, FAILED, SKIPPED, UNDEFINED = "passed", "failed", "skipped", "undefined"

RUN_KEY = pytest.StashKey["RunRecord"]()
CASE_RUN_KEY = pytest.StashKey["CaseRun"]()
_STARTED_KEY = pytest.StashKey[tuple[int, int]]()  # (step index, monotonic ns)

BEFORE_HOOK = "sim.conformance.steps.fixtures:world"
"""What runs before every scenario (``reset``, the optional-feature check), as reports name it."""


@dataclass
class StepRun:
    status: str
    duration_ns: int = 0
    message: str | None = None
    location: str | None = None
    """``sim/conformance/steps/returns.py:45``: where the step definition is."""
    definition: Callable[..., object] | None = None


@dataclass
class CaseRun:
    case: Case
    feature_file: str
    feature_name: str
    step_count: int
    started_ns: int = 0
    """Wall clock (ns since the epoch) when the scenario began."""
    finished_ns: int = 0
    before: StepRun | None = None
    steps: dict[int, StepRun] = field(default_factory=dict)
    outcome: str = ""
    """The outcome class (``sim.conformance.outcomes.Outcome`` value)."""
    message: str = ""
    """What the terminal says about the case when it did not pass."""

    def step(self, index: int) -> StepRun:
        """The step's result; steps that never ran are ``skipped``."""
        return self.steps.get(index) or StepRun(SKIPPED)


@dataclass
class RunRecord:
    started_ns: int = field(default_factory=time.time_ns)
    finished_ns: int = 0
    cases: dict[str, CaseRun] = field(default_factory=dict)


def definition_location(func: Callable[..., object]) -> str:
    """``sim/conformance/steps/returns.py:45`` for a step function: the package path, the same
    from a checkout and from an installed wheel."""
    module = getattr(func, "__module__", "") or ""
    try:
        line = inspect.getsourcelines(func)[1]
    except (OSError, TypeError):
        line = 0
    if module.startswith("sim."):
        path = module.replace(".", "/") + ".py"
    else:
        source = inspect.getsourcefile(func) or module
        path = Path(source).as_posix()
    return f"{path}:{line}"


def case_run(request: pytest.FixtureRequest) -> CaseRun | None:
    return request.node.stash.get(CASE_RUN_KEY, None)


# --------------------------------------------------------------------------- hooks


def pytest_configure(config: pytest.Config) -> None:
    config.stash[RUN_KEY] = RunRecord()


def pytest_sessionfinish(session: pytest.Session) -> None:
    record = session.config.stash.get(RUN_KEY, None)
    if record is not None:
        record.finished_ns = time.time_ns()


def begin(item: pytest.Item, case: Case, feature: Any, step_count: int) -> None:
    """Called by the plugin when a scenario item is known to be a case."""
    run = CaseRun(case, str(feature.filename), str(feature.name), step_count)
    item.stash[CASE_RUN_KEY] = run
    item.config.stash[RUN_KEY].cases[case.case_id] = run


@pytest.hookimpl(wrapper=True)
def pytest_bdd_before_scenario(
    request: pytest.FixtureRequest, feature: Any, scenario: Any
) -> Generator[None, None, None]:
    run = case_run(request)
    start = time.monotonic_ns()
    if run is not None:
        run.started_ns = time.time_ns()
        run.step_count = len(scenario.steps)
    try:
        yield
    except BaseException as exc:
        if run is not None:
            run.before = StepRun(_status_of(exc), time.monotonic_ns() - start, _text(exc),
                                 BEFORE_HOOK)
        raise
    if run is not None:
        run.before = StepRun(PASSED, time.monotonic_ns() - start, None, BEFORE_HOOK)


@pytest.hookimpl
def pytest_bdd_before_step(
    request: pytest.FixtureRequest, scenario: Any, step: Any, step_func: Callable[..., object]
) -> None:
    run = case_run(request)
    if run is None:
        return
    index = _index(scenario, step)
    request.node.stash[_STARTED_KEY] = (index, time.monotonic_ns())
    run.steps[index] = StepRun("", 0, None, definition_location(step_func), step_func)


@pytest.hookimpl
def pytest_bdd_after_step(request: pytest.FixtureRequest, scenario: Any, step: Any) -> None:
    _finish(request, scenario, step, PASSED, None)


@pytest.hookimpl
def pytest_bdd_step_error(
    request: pytest.FixtureRequest, scenario: Any, step: Any, exception: BaseException
) -> None:
    _finish(request, scenario, step, _status_of(exception), _text(exception))


@pytest.hookimpl
def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, scenario: Any, step: Any, exception: BaseException
) -> None:
    run = case_run(request)
    if run is not None:
        run.steps[_index(scenario, step)] = StepRun(UNDEFINED, 0, _text(exception))


def finish_case(item: pytest.Item, report: pytest.TestReport, outcome: str, message: str) -> None:
    """The case is over: a step left running ended as the case did (``pytest.skip`` inside a
    step raises past pytest-bdd's error hook); every later step stays ``skipped``."""
    run = item.stash.get(CASE_RUN_KEY, None)
    if run is None:
        return
    run.finished_ns = time.time_ns()
    run.outcome, run.message = outcome, message
    if not run.started_ns:
        run.started_ns = run.finished_ns
    started = item.stash.get(_STARTED_KEY, None)
    if started is not None:
        index, at = started
        step = run.steps.get(index)
        if step is not None and not step.status:
            step.status = SKIPPED if report.skipped else FAILED
            step.duration_ns = time.monotonic_ns() - at
            step.message = message or None
    if run.before is None:
        run.before = StepRun(PASSED if report.passed else (SKIPPED if report.skipped else FAILED),
                             0, message or None, BEFORE_HOOK)


def explain_failure(item: pytest.Item, message: str) -> None:
    """Replace the failing step's raw exception text by a message for people (the file, the
    line, the nearest phrases), so the reports say what the terminal says."""
    run = item.stash.get(CASE_RUN_KEY, None)
    if run is None:
        return
    for step in run.steps.values():
        if step.status in (FAILED, UNDEFINED):
            step.message = message


def _finish(
    request: pytest.FixtureRequest, scenario: Any, step: Any, status: str, message: str | None
) -> None:
    run = case_run(request)
    started = request.node.stash.get(_STARTED_KEY, None)
    if run is None or started is None:
        return
    index, at = started
    entry = run.steps.get(index) or StepRun("")
    entry.status, entry.message = status, message
    entry.duration_ns = time.monotonic_ns() - at
    run.steps[index] = entry
    del request.node.stash[_STARTED_KEY]


def _index(scenario: Any, step: Any) -> int:
    for i, candidate in enumerate(scenario.steps):
        if candidate is step:
            return i
    return scenario.steps.index(step)


def _status_of(exc: BaseException) -> str:
    return SKIPPED if isinstance(exc, pytest.skip.Exception) else FAILED


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _text(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return _ANSI.sub("", text)[:4000]
