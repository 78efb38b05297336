"""The pytest plugin of the conformance kit: which implementation to drive, which cases to run,
which are expected to fail, and a report by clause and by outcome class.

Loaded by the repository's root ``conftest.py`` (so ``pytest --impl ...`` works in a checkout)
and with ``-p sim.conformance.plugin`` by ``returns-sim conform`` (so it works from a wheel).
It only touches pytest items that are Gherkin scenarios; other tests pass through untouched.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

from sim.conformance import FEATURES_DIR, cases, expected
from sim.conformance.outcomes import FAILED, Outcome, of_exception, of_skip
from sim.conformance.steps import STEP_MODULES
from sim.core.port import EnginePort
from sim.core.values import Hello
from sim.rap.clients import connect

pytest_plugins = list(STEP_MODULES)

CASE_KEY = pytest.StashKey[cases.Case]()
OUTCOME_KEY = pytest.StashKey[Outcome]()
RESULTS_KEY = pytest.StashKey["Results"]()
KNOWN_KEY = pytest.StashKey[list[cases.Case]]()
FAILED_STEP_KEY = pytest.StashKey[str]()


@dataclass
class Results:
    """What the run found, per case, for the summary."""

    impl: str
    hello: Hello | None = None
    outcomes: dict[str, tuple[cases.Case, Outcome]] = field(default_factory=dict)


# --------------------------------------------------------------------------- options


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("rap", "rap/1 conformance")
    group.addoption(
        "--impl", default="reference", metavar="SPEC",
        help="the implementation to check: 'reference' (in-process, the default), "
        "'cmd:<command line>' (a stdio subprocess, run without a shell) or http://HOST:PORT",
    )
    group.addoption(
        "--impl-timeout", type=float, default=5.0, metavar="SECONDS",
        help="how long one request may take before the case fails as a timeout (default 5)",
    )
    group.addoption(
        "--case", action="append", default=[], metavar="ID", dest="rap_cases",
        help="run only this case id or group id (repeatable)",
    )
    group.addoption(
        "--expected-failures", default=None, metavar="FILE", dest="rap_expected",
        help="TOML file of case ids expected to fail, with reasons (strict: a listed case "
        "that passes fails the run)",
    )


def pytest_configure(config: pytest.Config) -> None:
    timeout = config.getoption("--impl-timeout")
    if not timeout > 0:
        raise pytest.UsageError(
            f"--impl-timeout must be a positive number of seconds, got {timeout}"
        )
    config.stash[RESULTS_KEY] = Results(impl=config.getoption("--impl"))
    try:
        known = list(cases.all_cases(FEATURES_DIR))
    except cases.CaseError as exc:
        raise pytest.UsageError(f"the features break the case-id rules: {exc}") from None
    config.stash[KNOWN_KEY] = known
    # Register every feature tag as a marker, so `-m "C03 and not holiday"` selects cleanly.
    for tag in sorted({t for case in known for t in (*case.tags, case.case_id)}):
        config.addinivalue_line("markers", f"{tag}: Gherkin tag @{tag}")


# --------------------------------------------------------------------------- the port


@pytest.fixture(scope="session")
def rap_port(pytestconfig: pytest.Config) -> Iterator[EnginePort]:
    """The implementation under test, shared by every scenario (each starts with ``reset``)."""
    spec = pytestconfig.getoption("--impl")
    try:
        port = connect(spec, timeout=pytestconfig.getoption("--impl-timeout"))
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    try:
        yield port
    finally:
        port.close_port()


@pytest.fixture(scope="session")
def rap_hello(pytestconfig: pytest.Config, rap_port: EnginePort) -> Hello:
    hello = rap_port.hello()
    pytestconfig.stash[RESULTS_KEY].hello = hello
    return hello


@pytest.hookimpl
def pytest_bdd_before_scenario(request: pytest.FixtureRequest) -> None:
    """Every scenario starts from ``reset``, whether or not its first step asks for the world."""
    request.getfixturevalue("world")


@pytest.hookimpl
def pytest_bdd_step_error(
    request: pytest.FixtureRequest, feature: Any, step: Any, exception: Exception
) -> None:
    """Remember the step that failed: the report names it the way the feature file says it."""
    request.node.stash[FAILED_STEP_KEY] = (
        f"{feature.rel_filename}:{step.line_number}: {step.keyword.strip()} {step.name}"
    )


# --------------------------------------------------------------------------- selection


CASE_MARKER = "rap_case"
"""Hook for cases that are not Gherkin scenarios (the kept cases of ``sim.difftest``): an item
marked ``rap_case(case)`` is that case, selected, expected to fail and reported like one."""


def _case_of(item: pytest.Item) -> cases.Case | None:
    marker = item.get_closest_marker(CASE_MARKER)
    if marker is not None:
        found: cases.Case = marker.args[0]
        return found
    function = getattr(item, "obj", None)
    template = scenario_wrapper_template_registry.get(function) if function else None
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    example = callspec.params.get("_pytest_bdd_example") if callspec is not None else None
    return cases.case_of(template, example)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    scenario_items = []
    for item in items:
        try:
            case = _case_of(item)
        except cases.CaseError as exc:
            raise pytest.UsageError(f"the features break the case-id rules: {exc}") from None
        if case is None:
            continue
        item.stash[CASE_KEY] = case
        item.add_marker(case.case_id)
        item.user_properties.append(("case", case.case_id))
        item.user_properties.append(("clauses", " ".join(case.clauses)))
        scenario_items.append(item)
    known_cases = config.stash[KNOWN_KEY]
    known = {c.case_id for c in known_cases} | {c.group for c in known_cases}
    _apply_expected_failures(config, scenario_items, known)
    _select_cases(config, items, known)


def _apply_expected_failures(
    config: pytest.Config, items: list[pytest.Item], known: set[str]
) -> None:
    path = config.getoption("rap_expected")
    if path is None:
        return
    try:
        listed = expected.load(Path(path))
        expected.check_known(listed, known, Path(path))
    except expected.ExpectedFailuresError as exc:
        raise pytest.UsageError(str(exc)) from None
    for item in items:
        case = item.stash[CASE_KEY]
        reason = listed.get(case.case_id) or listed.get(case.group)
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=f"expected failure: {reason}", strict=True))


def _select_cases(config: pytest.Config, items: list[pytest.Item], known: set[str]) -> None:
    wanted = config.getoption("rap_cases")
    if not wanted:
        return
    unknown = sorted(set(wanted) - known)
    if unknown:
        raise pytest.UsageError(f"--case {unknown[0]}: no case or group has this id")
    keep, drop = [], []
    for item in items:
        case = item.stash.get(CASE_KEY, None)
        if case is not None and (case.case_id in wanted or case.group in wanted):
            keep.append(item)
        else:
            drop.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# --------------------------------------------------------------------------- outcomes


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    case = item.stash.get(CASE_KEY, None)
    if case is None:
        return report
    outcome = _classify(report, call)
    if report.failed and outcome in FAILED and call.excinfo is not None:
        # What failed, where, and why; the Python traceback only for harness errors.
        where = item.stash.get(FAILED_STEP_KEY, "before the first step (hello or reset)")
        report.longrepr = f"{where}\n{outcome.value}: {call.excinfo.value}"
    if outcome is not None and OUTCOME_KEY not in item.stash:
        item.stash[OUTCOME_KEY] = outcome
        item.user_properties.append(("outcome", outcome.value))
        item.config.stash[RESULTS_KEY].outcomes[item.nodeid] = (case, outcome)
    return report


def _classify(report: pytest.TestReport, call: pytest.CallInfo[None]) -> Outcome | None:
    """The case's class from one phase's report, or None when the phase says nothing new."""
    if hasattr(report, "wasxfail"):
        return Outcome.UNEXPECTED_PASS if report.passed else Outcome.EXPECTED_FAILURE
    if report.skipped:
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        return of_skip(reason.removeprefix("Skipped: "))
    if report.failed:
        if "[XPASS(strict)]" in str(report.longrepr):
            return Outcome.UNEXPECTED_PASS
        found = of_exception(call.excinfo.value) if call.excinfo is not None else None
        if report.when != "call":
            # Setting up a scenario talks to the implementation too (hello, reset): its
            # failures are the implementation's; anything else is the harness's.
            return found if found in FAILED and found is not Outcome.WRONG_ANSWER else (
                Outcome.ERRORED)
        return found or Outcome.ERRORED
    if report.when == "call":
        return Outcome.PASSED
    return None


# --------------------------------------------------------------------------- summary


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    results = config.stash.get(RESULTS_KEY, None)
    if results is None or not results.outcomes:
        return
    from sim.conformance.summary import render

    for line in render(results.impl, results.hello, results.outcomes.values()):
        terminalreporter.write_line(line)

