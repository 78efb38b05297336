"""The JUnit XML report, named for CI pages: one ``testcase`` per case, its feature as
``classname`` (so CI groups cases by feature), ``<case id>: <scenario title>`` as ``name``
(what a QA engineer searches for), the feature file and line, and the case, its outcome class
and each clause or rule it checks as properties.

A failed case (wrong answer, crash, timeout, protocol violation, unexpected pass) is a
``failure``; a case the harness or the feature broke (an unknown phrase) is an ``error``;
refused, not applicable and expected failures are ``skipped`` with the reason.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from sim.conformance.outcomes import FAILED, Outcome
from sim.conformance.recording import CaseRun, RunRecord

SUITE_NAME = "rap/1 conformance"


def tree(record: RunRecord, impl: str) -> ET.ElementTree[ET.Element]:
    runs = list(record.cases.values())
    counts = {"failures": 0, "errors": 0, "skipped": 0}
    cases = []
    for run in runs:
        element, kind = _case(run)
        if kind:
            counts[kind] += 1
        cases.append(element)
    seconds = max(record.finished_ns - record.started_ns, 0) / 1e9
    root = ET.Element("testsuites", {"name": SUITE_NAME, "tests": str(len(runs)),
                                     **{k: str(v) for k, v in counts.items()},
                                     "time": f"{seconds:.3f}"})
    suite = ET.SubElement(root, "testsuite", {
        "name": SUITE_NAME, "tests": str(len(runs)), **{k: str(v) for k, v in counts.items()},
        "time": f"{seconds:.3f}",
    })
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", {"name": "impl", "value": impl})
    suite.extend(cases)
    ET.indent(root)
    return ET.ElementTree(root)


def _case(run: CaseRun) -> tuple[ET.Element, str]:
    case = run.case
    seconds = max(run.finished_ns - run.started_ns, 0) / 1e9
    element = ET.Element("testcase", {
        "classname": run.feature_name or case.feature,
        "name": f"{case.case_id}: {case.scenario}",
        "file": case.feature,
        "line": str(case.line),
        "time": f"{seconds:.3f}",
    })
    properties = ET.SubElement(element, "properties")
    for name, value in (("case", case.case_id), ("group", case.group),
                        ("clauses", " ".join(case.clauses)), ("outcome", run.outcome)):
        ET.SubElement(properties, "property", {"name": name, "value": value})
    for clause in case.clauses:
        ET.SubElement(properties, "property", {"name": "clause", "value": clause})
    outcome = Outcome(run.outcome) if run.outcome in Outcome._value2member_map_ else None
    message = run.message or run.outcome
    if outcome in FAILED:
        failure = ET.SubElement(element, "failure", {"message": _first_line(message),
                                                     "type": run.outcome})
        failure.text = message
        return element, "failures"
    if outcome is Outcome.ERRORED:
        error = ET.SubElement(element, "error", {"message": _first_line(message),
                                                 "type": run.outcome})
        error.text = message
        return element, "errors"
    if outcome is not None and outcome is not Outcome.PASSED:
        ET.SubElement(element, "skipped", {"message": f"{run.outcome}: {_first_line(message)}"})
        return element, "skipped"
    return element, ""


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0][:300]


def write(record: RunRecord, path: Path, impl: str) -> None:
    tree(record, impl).write(path, encoding="utf-8", xml_declaration=True)
