"""The Cucumber JSON report, as Cucumber's own JSON formatter writes it, for dashboards and
JSON-report renderers that have not moved to Cucumber Messages.

Every scenario that ran is there, also one stopped by an undefined step (``undefined``); steps
after a failure are ``skipped``; tags keep their ``@`` and line; ``match.location`` is the step
definition's ``file:line``; element ids are ``feature;scenario`` (plus ``;examples;row`` for an
outline row) from the names in the feature file; ``uri`` is the file as the run names it
(``features/zh-CN/core_flows.feature``). Before every scenario runs one hook (``reset`` and the
optional-feature check), reported as the element's ``before`` entry.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sim.conformance.gherkin_docs import Document, case_id_of, scenario_of, step_node
from sim.conformance.recording import CaseRun, RunRecord, StepRun


def slug(text: str) -> str:
    """Cucumber's id form: lower case, runs of spaces as ``-``, no ``;``."""
    return re.sub(r"\s+", "-", text.strip().lower()).replace(";", "")


def features(record: RunRecord, documents: list[Document]) -> list[dict[str, Any]]:
    out = []
    for document in documents:
        elements = []
        feature = document.feature
        for pickle in document.pickles:
            case_id = case_id_of(document, pickle)
            run = record.cases.get(case_id) if case_id is not None else None
            if run is not None:
                elements.append(_element(document, pickle, run))
        if not elements:
            continue
        out.append({
            "uri": document.uri,
            "id": slug(feature.get("name", "")),
            "keyword": feature.get("keyword", "Feature"),
            "name": feature.get("name", ""),
            "description": feature.get("description", ""),
            "line": feature.get("location", {}).get("line", 1),
            "tags": [_tag(t) for t in feature.get("tags", [])],
            "elements": elements,
        })
    return out


def _tag(tag: dict[str, Any]) -> dict[str, Any]:
    return {"name": tag["name"], "line": tag["location"]["line"]}


def _element(document: Document, pickle: dict[str, Any], run: CaseRun) -> dict[str, Any]:
    scenario = scenario_of(document, pickle)
    element_id = f"{slug(document.feature.get('name', ''))};{slug(scenario['name'])}"
    ids = pickle.get("astNodeIds", [])
    if len(ids) > 1 and ids[-1] in document.parents:
        examples = document.parents[ids[-1]]
        rows = [r["id"] for r in examples.get("tableBody", [])]
        # Cucumber numbers the rows of an Examples table from its header (row 1).
        element_id += f";{slug(examples.get('name', ''))};{rows.index(ids[-1]) + 2}"
    tag_lines = {t["id"]: t["location"]["line"] for t in _all_tags(document)}
    return {
        "id": element_id,
        "keyword": scenario["keyword"],
        "name": pickle["name"],
        "description": scenario.get("description", ""),
        "line": pickle.get("location", scenario["location"])["line"],
        "type": "scenario",
        "tags": [{"name": t["name"], "line": tag_lines.get(t["astNodeId"], 0)}
                 for t in pickle.get("tags", [])],
        "before": [{"match": {"location": run.before.location if run.before else ""},
                    "result": _result(run.before or StepRun("skipped"))}],
        "steps": [_step(document, step, run.step(i), i, run)
                  for i, step in enumerate(pickle["steps"])],
    }


def _all_tags(document: Document) -> list[dict[str, Any]]:
    return [n for n in document.nodes.values() if str(n.get("name", "")).startswith("@")
            and "location" in n and "keyword" not in n]


def _step(
    document: Document, step: dict[str, Any], result: StepRun, index: int, run: CaseRun
) -> dict[str, Any]:
    node = step_node(document, step)
    line = node["location"]["line"]
    location = result.location or f"{document.uri}:{line}"
    entry: dict[str, Any] = {
        "keyword": node["keyword"],
        "name": step["text"],
        "line": line,
        "match": {"location": location},
        "result": _result(result),
    }
    argument = step.get("argument") or {}
    if "dataTable" in argument:
        entry["rows"] = [{"cells": [c["value"] for c in row["cells"]]}
                         for row in argument["dataTable"]["rows"]]
    if "docString" in argument:
        doc = argument["docString"]
        entry["doc_string"] = {"value": doc["content"], "content_type": doc.get("mediaType", ""),
                               "line": line + 1}
    return entry


def _result(step: StepRun) -> dict[str, Any]:
    result: dict[str, Any] = {"status": step.status or "skipped"}
    if step.status in ("passed", "failed"):
        result["duration"] = step.duration_ns
    if step.message and step.status in ("failed", "undefined", "skipped"):
        result["error_message"] = step.message
    return result


def write(record: RunRecord, documents: list[Document], path: Path) -> None:
    text = json.dumps(features(record, documents), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
