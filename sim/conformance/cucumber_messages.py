"""Cucumber Messages (NDJSON): the report format that replaced Cucumber JSON.

One JSON envelope a line, in the order Cucumber writes them: ``meta``; per feature file its
``source``, ``gherkinDocument`` and the ``pickle`` of each case that ran (built by the official
Gherkin parser, see ``gherkin_docs``); every ``stepDefinition`` and the ``hook`` that runs before
each scenario; ``testRunStarted``; a ``testCase`` per pickle; then per case
``testCaseStarted``, ``testStepStarted``/``testStepFinished`` per step, ``testCaseFinished``;
and ``testRunFinished``. Cucumber's HTML formatter (``@cucumber/html-formatter``) and the other
formatters of the Cucumber project read this file as it is.
"""

from __future__ import annotations

import json
import os
import platform
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sim.conformance.gherkin_docs import Document, case_id_of
from sim.conformance.phrases_catalogue import Phrase, catalogue
from sim.conformance.recording import (
    BEFORE_HOOK,
    FAILED,
    PASSED,
    CaseRun,
    RunRecord,
    StepRun,
)

PROTOCOL_VERSION = "32.0.0"
"""The Cucumber Messages schema these envelopes follow (fields used exist since 27)."""

_STATUS = {"passed": "PASSED", "failed": "FAILED", "skipped": "SKIPPED",
           "undefined": "UNDEFINED", "": "UNKNOWN"}


def _timestamp(ns: int) -> dict[str, int]:
    return {"seconds": ns // 1_000_000_000, "nanos": ns % 1_000_000_000}


def _duration(ns: int) -> dict[str, int]:
    return _timestamp(max(ns, 0))


def _source_reference(location: str) -> dict[str, Any]:
    path, _, line = location.rpartition(":")
    return {"uri": path, "location": {"line": int(line or 0)}}


def meta(implementation: str, version: str) -> dict[str, Any]:
    return {"meta": {
        "protocolVersion": PROTOCOL_VERSION,
        "implementation": {"name": implementation, "version": version},
        "runtime": {"name": platform.python_implementation(),
                    "version": platform.python_version()},
        "os": {"name": platform.system().lower() or os.name, "version": platform.release()},
        "cpu": {"name": platform.machine() or "unknown"},
    }}


def envelopes(
    record: RunRecord, documents: list[Document], implementation: str = "returns-sandbox",
    version: str = "",
) -> Iterator[dict[str, Any]]:
    yield meta(implementation, version)
    ran: list[tuple[Document, dict[str, Any], CaseRun]] = []
    for document in documents:
        pickles = []
        for pickle in document.pickles:
            case_id = case_id_of(document, pickle)
            run = record.cases.get(case_id) if case_id is not None else None
            if run is not None:
                pickles.append(pickle)
                ran.append((document, pickle, run))
        if not pickles:
            continue
        yield {"source": {"uri": document.uri, "data": document.source,
                          "mediaType": "text/x.cucumber.gherkin+plain"}}
        yield {"gherkinDocument": document.gherkin}
        for pickle in pickles:
            yield {"pickle": pickle}
    definitions = {f"sd-{i}": phrase for i, phrase in enumerate(catalogue())}
    for sd_id, phrase in definitions.items():
        yield {"stepDefinition": {
            "id": sd_id,
            "pattern": {"source": phrase.pattern, "type": "REGULAR_EXPRESSION"},
            "sourceReference": _source_reference(phrase.location),
        }}
    yield {"hook": {"id": "hook-0", "name": "reset the implementation",
                    "type": "BEFORE_TEST_CASE",
                    "sourceReference": {"uri": BEFORE_HOOK.split(":")[0].replace(".", "/")
                                        + ".py"}}}
    run_id = "run-0"
    yield {"testRunStarted": {"id": run_id, "timestamp": _timestamp(record.started_ns)}}
    for n, (_, pickle, _) in enumerate(ran):
        yield {"testCase": _test_case(n, pickle, definitions, run_id)}
    success = True
    for n, (_, pickle, run) in enumerate(ran):
        started = f"tcs-{n}"
        yield {"testCaseStarted": {"id": started, "testCaseId": f"tc-{n}", "attempt": 0,
                                   "timestamp": _timestamp(run.started_ns)}}
        clock = run.started_ns
        steps = [(f"tc-{n}-hook", run.before or StepRun("skipped"))]
        steps += [(f"tc-{n}-{i}", run.step(i)) for i in range(len(pickle["steps"]))]
        for step_id, result in steps:
            yield {"testStepStarted": {"testCaseStartedId": started, "testStepId": step_id,
                                       "timestamp": _timestamp(clock)}}
            clock += result.duration_ns
            yield {"testStepFinished": {
                "testCaseStartedId": started, "testStepId": step_id,
                "testStepResult": _result(result), "timestamp": _timestamp(clock)}}
            success = success and result.status not in (FAILED, "undefined")
        yield {"testCaseFinished": {"testCaseStartedId": started, "willBeRetried": False,
                                    "timestamp": _timestamp(max(clock, run.finished_ns))}}
    yield {"testRunFinished": {"testRunStartedId": run_id, "success": success,
                               "timestamp": _timestamp(record.finished_ns or record.started_ns)}}


def _test_case(
    n: int, pickle: dict[str, Any], definitions: dict[str, Phrase], run_id: str
) -> dict[str, Any]:
    steps: list[dict[str, Any]] = [{"id": f"tc-{n}-hook", "hookId": "hook-0"}]
    for i, step in enumerate(pickle["steps"]):
        matching = [(sd_id, m) for sd_id, phrase in definitions.items()
                    if (m := re.fullmatch(phrase.pattern, step["text"])) is not None
                    and _keyword_fits(phrase, step)]
        steps.append({
            "id": f"tc-{n}-{i}",
            "pickleStepId": step["id"],
            "stepDefinitionIds": [sd_id for sd_id, _ in matching],
            "stepMatchArgumentsLists": [
                {"stepMatchArguments": _arguments(m)} for _, m in matching
            ],
        })
    return {"id": f"tc-{n}", "pickleId": pickle["id"], "testSteps": steps,
            "testRunStartedId": run_id}


_TYPES = {"Context": "given", "Action": "when", "Outcome": "then"}


def _keyword_fits(phrase: Phrase, step: dict[str, Any]) -> bool:
    kind = _TYPES.get(step.get("type", ""))
    return kind is None or kind in phrase.keywords


def _arguments(match: re.Match[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for name in match.re.groupindex:
        if not match.group(name):
            continue  # an empty optional group (``已?``) marks nothing in the step text
        found.append({"group": {"start": match.start(name), "value": match.group(name),
                                "children": []}, "parameterTypeName": name})
    found.sort(key=lambda a: a["group"]["start"])
    return found


def _result(step: StepRun) -> dict[str, Any]:
    result: dict[str, Any] = {"status": _STATUS.get(step.status, "UNKNOWN"),
                              "duration": _duration(step.duration_ns)}
    if step.message and step.status != PASSED:
        result["message"] = step.message
    return result


def write(
    record: RunRecord, documents: list[Document], path: Path, version: str = ""
) -> None:
    with path.open("w", encoding="utf-8") as out:
        for envelope in envelopes(record, documents, version=version):
            out.write(json.dumps(envelope, ensure_ascii=False, separators=(",", ":")) + "\n")

