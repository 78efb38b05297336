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

from sim.conformance import cases, diagnostics, expected, folders, recording, report_files
from sim.conformance.outcomes import FAILED, Outcome, of_exception, of_skip
from sim.conformance.steps import STEP_MODULES
from sim.conformance.steps.vocabulary import PhraseError
from sim.core.values import Hello
from sim.rap.clients import WireClient, connect
from sim.rap.port import WirePort

pytest_plugins = list(STEP_MODULES)

CASE_KEY = pytest.StashKey[cases.Case]()
OUTCOME_KEY = pytest.StashKey[Outcome]()
RESULTS_KEY = pytest.StashKey["Results"]()
KNOWN_KEY = pytest.StashKey[list[cases.Case]]()
FAILED_STEP_KEY = pytest.StashKey[str]()
DIAGNOSIS_KEY = pytest.StashKey[str]()
FOLDERS_KEY = pytest.StashKey[tuple[folders.FeatureFolder, ...]]()


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
    group.addoption(
        "--features", action="append", default=[], metavar="DIR", dest="rap_features",
        help="also run the feature files of DIR with the packaged steps (repeatable)",
    )
    group.addoption(
        "--no-builtin", action="store_true", dest="rap_no_builtin",
        help="run only the --features folders, not the packaged features",
    )
    group.addoption(
        "--rap-progress", action="store_true",
        help="one line per case: id, outcome, feature file and line, scenario",
    )
    report_files.addoptions(group)


def pytest_configure(config: pytest.Config) -> None:
    # The step recorder for the reports (imported above, so registered as a module object).
    if not config.pluginmanager.is_registered(recording):
        config.pluginmanager.register(recording, "sim.conformance.recording")
    timeout = config.getoption("--impl-timeout")
    if not timeout > 0:
        raise pytest.UsageError(
            f"--impl-timeout must be a positive number of seconds, got {timeout}"
        )
    config.stash[RESULTS_KEY] = Results(impl=config.getoption("--impl"))
    try:
        chosen = folders.folders_of(
            config.getoption("rap_features"), not config.getoption("rap_no_builtin")
        )
        known = folders.collect(chosen)
    except folders.FolderError as exc:
        raise pytest.UsageError(str(exc)) from None
    except cases.CaseError as exc:
        raise pytest.UsageError(f"the features break the case-id rules: {exc}") from None
    config.stash[FOLDERS_KEY] = chosen
    config.stash[KNOWN_KEY] = known
    # Register every feature tag as a marker, so `-m "C03 and not holiday"` selects cleanly.
    for tag in sorted({t for case in known for t in (*case.tags, case.case_id)}):
        config.addinivalue_line("markers", f"{tag}: Gherkin tag @{tag}")


# --------------------------------------------------------------------------- the port


@pytest.fixture(scope="session")
def rap_port(pytestconfig: pytest.Config) -> Iterator[WirePort]:
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
def rap_hello(pytestconfig: pytest.Config, rap_port: WirePort) -> Hello:
    hello = rap_port.hello()
    pytestconfig.stash[RESULTS_KEY].hello = hello
    return hello


@pytest.hookimpl
def pytest_bdd_before_scenario(request: pytest.FixtureRequest) -> None:
    """Every scenario starts from ``reset``, whether or not its first step asks for the world."""
    request.getfixturevalue("world")


def _where(request: pytest.FixtureRequest, feature: Any, step: Any) -> str:
    chosen: tuple[folders.FeatureFolder, ...] = request.config.stash[FOLDERS_KEY]
    return f"{folders.uri_of(feature.filename, chosen)}:{step.line_number}"


@pytest.hookimpl
def pytest_bdd_after_scenario(request: pytest.FixtureRequest) -> None:
    """A scenario ends in step with the implementation, or fails: an extra answer to one of
    its requests is caught here (a ``hello`` gets the stale answer first), so this scenario is
    blamed and the implementation restarted, not the next scenario."""
    port = request.getfixturevalue("rap_port")
    if isinstance(port, WireClient):
        port.check_in_step()


@pytest.hookimpl
def pytest_bdd_step_error(
    request: pytest.FixtureRequest, feature: Any, step: Any, exception: Exception
) -> None:
    """Remember the step that failed: the report names it the way the feature file says it.
    A phrase the steps do not understand gets a message in the feature's language."""
    where = _where(request, feature, step)
    request.node.stash[FAILED_STEP_KEY] = f"{where}: {step.keyword.strip()} {step.name}"
    if isinstance(exception, PhraseError):
        request.node.stash[DIAGNOSIS_KEY] = diagnostics.bad_phrase(
            where, step, exception, feature.language
        )


@pytest.hookimpl
def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, feature: Any, step: Any, exception: Exception
) -> None:
    """A step no definition matches: where it is and the nearest known phrases."""
    where = _where(request, feature, step)
    request.node.stash[FAILED_STEP_KEY] = f"{where}: {step.keyword.strip()} {step.name}"
    request.node.stash[DIAGNOSIS_KEY] = diagnostics.undefined_step(where, step, feature.language)


# --------------------------------------------------------------------------- selection


CASE_MARKER = "rap_case"
"""Hook for cases that are not Gherkin scenarios (the kept cases of ``sim.difftest``): an item
marked ``rap_case(case)`` is that case, selected, expected to fail and reported like one."""


def _template_of(item: pytest.Item) -> Any:
    function = getattr(item, "obj", None)
    return scenario_wrapper_template_registry.get(function) if function else None


def _case_of(item: pytest.Item) -> cases.Case | None:
    marker = item.get_closest_marker(CASE_MARKER)
    if marker is not None:
        found: cases.Case = marker.args[0]
        return found
    template = _template_of(item)
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    example = callspec.params.get("_pytest_bdd_example") if callspec is not None else None
    chosen: tuple[folders.FeatureFolder, ...] = item.config.stash[FOLDERS_KEY]
    return cases.case_of(template, example, folders.uri_of(template.feature.filename, chosen))


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
    # Reports and the terminal name the feature file and the case, not the pytest module.
    report.location = (case.feature, max(case.line - 1, 0), f"{case.case_id}: {case.scenario}")
    message = ""
    if report.failed and call.excinfo is not None:
        diagnosis = item.stash.get(DIAGNOSIS_KEY, None)
        if diagnosis is not None:
            # A mistake in the feature: the message says where and what would be right.
            verbose = item.config.option.verbose > 0 or item.config.getoption("rap_progress")
            traceback = str(report.longrepr) if verbose else None
            message = diagnostics.no_traceback(int(verbose), diagnosis, traceback)
            report.longrepr = message
            recording.explain_failure(item, diagnosis)
        elif outcome in FAILED:
            # What failed, where, and why; the Python traceback only for harness errors.
            where = item.stash.get(FAILED_STEP_KEY, "before the first step (hello or reset)")
            message = f"{where}\n{outcome.value if outcome else ''}: {call.excinfo.value}"
            report.longrepr = message
        else:
            message = str(call.excinfo.value)
    elif report.skipped and isinstance(report.longrepr, tuple):
        message = str(report.longrepr[2])
        # The skip summary names the scenario's line, not pytest-bdd's module.
        report.longrepr = (case.feature, case.line, message)
    if outcome is not None and OUTCOME_KEY not in item.stash:
        item.stash[OUTCOME_KEY] = outcome
        item.user_properties.append(("outcome", outcome.value))
        item.config.stash[RESULTS_KEY].outcomes[item.nodeid] = (case, outcome)
        recording.finish_case(item, report, outcome.value, message)
        if item.config.getoption("rap_progress"):
            _progress(item.config, case, outcome)
    return report


def _progress(config: pytest.Config, case: cases.Case, outcome: Outcome) -> None:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_line(
            f"{case.case_id:<30} {outcome.value:<18} {case.feature}:{case.line}  {case.scenario}"
        )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    case = item.stash.get(CASE_KEY, None)
    template = _template_of(item)
    if case is not None and template is not None:
        recording.begin(item, case, template.feature, len(template.steps))


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

    filtered = bool(config.getoption("rap_cases") or config.getoption("markexpr")
                    or config.getoption("keyword") or config.getoption("rap_no_builtin"))
    lines = render(results.impl, results.hello, results.outcomes.values(), full_run=not filtered)
    for line in lines:
        terminalreporter.write_line(line)


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    record = config.stash.get(recording.RUN_KEY, None)
    if record is not None and FOLDERS_KEY in config.stash:
        results = config.stash[RESULTS_KEY]
        report_files.write_requested(config, record, results.impl, results.hello)

