"""A conformance run's record: one JSON line per case, the implementation's ``hello`` and the
expected-failures list, written into a folder for the HTML report (``conform --out/--html``).

A pytest plugin of its own (``-p sim.conformance.record --record-dir DIR``), reading what the
kit's plugin already decided (the case, its outcome class, the step that failed), so the
verdicts of the terminal summary, JUnit, Cucumber JSON and the report cannot disagree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

from sim.conformance import expected
from sim.conformance.outcomes import FAILED, Outcome
from sim.conformance.plugin import CASE_KEY, FAILED_STEP_KEY, OUTCOME_KEY, RESULTS_KEY

RESULTS_FILE = "results.jsonl"
HELLO_FILE = "hello.json"
EXPECTED_FILE = "expected_failures.json"

_ERROR_KEY = pytest.StashKey[str]()
_LINES_KEY = pytest.StashKey[list[dict[str, Any]]]()
# What the steps' check() says: "<what>: expected <answer>, got <answer>"
_ANSWERS = re.compile(r"^(?P<what>.*?): expected (?P<expected>.*), got (?P<actual>.*)$", re.S)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("rap").addoption(
        "--record-dir", default=None, metavar="DIR", dest="rap_record",
        help="write results.jsonl, hello.json and expected_failures.json into DIR",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_LINES_KEY] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if call.excinfo is not None and _ERROR_KEY not in item.stash and report.failed:
        item.stash[_ERROR_KEY] = str(call.excinfo.value)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[
        None, object, object]:
    result = yield
    case = item.stash.get(CASE_KEY, None)
    outcome = item.stash.get(OUTCOME_KEY, None)
    if case is not None and outcome is not None:
        item.config.stash[_LINES_KEY].append(_line(item, case, outcome))
    return result


def _line(item: pytest.Item, case: Any, outcome: Outcome) -> dict[str, Any]:
    message = item.stash.get(_ERROR_KEY, "")
    if outcome is Outcome.EXPECTED_FAILURE:
        marker = item.get_closest_marker("xfail")
        message = message or (str(marker.kwargs.get("reason", "")) if marker else "")
    found = _ANSWERS.match(message) if outcome is Outcome.WRONG_ANSWER else None
    return {
        "id": case.case_id,
        "group": case.group,
        "feature": case.feature,
        "scenario": case.scenario,
        "text": _scenario_text(item),
        "clauses": list(case.clauses),
        "tags": sorted(case.tags),
        "outcome": outcome.value,
        "failure": outcome.value if outcome in FAILED or outcome is Outcome.ERRORED else None,
        "failed_step": item.stash.get(FAILED_STEP_KEY, None),
        "expected": found.group("expected") if found else None,
        "actual": found.group("actual") if found else None,
        "message": message,
    }


def _scenario_text(item: pytest.Item) -> str:
    """The Gherkin of the case as it ran (an outline row's values filled in)."""
    function = getattr(item, "obj", None)
    template = scenario_wrapper_template_registry.get(function) if function else None
    if template is None:
        return ""
    callspec = getattr(item, "callspec", None)
    example = callspec.params.get("_pytest_bdd_example") if callspec is not None else None
    scenario = template.render(example or {})
    lines = [f"{scenario.keyword}: {scenario.name}"]
    for step in scenario.steps:
        lines.append(f"  {step.keyword.strip()} {step.name}")
        if step.datatable is not None:
            lines += ["    | " + " | ".join(str(c) for c in row) + " |"
                      for row in step.datatable.raw()]
        if step.docstring is not None:
            lines += ['    """', *("    " + ln for ln in step.docstring.splitlines()), '    """']
    return "\n".join(lines)


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    folder = config.getoption("rap_record")
    if folder is None:
        return
    out = Path(folder)
    lines = config.stash[_LINES_KEY]
    with (out / RESULTS_FILE).open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    results = config.stash.get(RESULTS_KEY, None)
    hello = results.hello if results is not None else None
    (out / HELLO_FILE).write_text(json.dumps(
        None if hello is None else {
            "implementation": hello.implementation, "version": hello.version,
            "protocol": hello.protocol, "optional": list(hello.optional),
        }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    path = config.getoption("rap_expected")
    listed = expected.load(Path(path)) if path is not None else {}
    (out / EXPECTED_FILE).write_text(json.dumps(
        {"file": path, "expected_failures": listed}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8")
