"""The feature files of a run as Cucumber itself reads them: Gherkin documents and pickles.

Both Cucumber reports (the JSON one and Cucumber Messages) describe scenarios in Cucumber's own
terms: the Gherkin AST (keywords, tags with their lines, descriptions, tables) and the pickles
(one per scenario or Examples row, with the steps of its background). The official parser
(``gherkin-official``, which pytest-bdd uses too) builds them, with ids that are stable for the
same files, so the reports do not re-invent Gherkin. Each pickle is tied to its case by the case
id: the ``case`` column of its Examples row, or its ``@case-`` tag.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gherkin.stream.gherkin_events import GherkinEvents

from sim.conformance.cases import CASE_TAG

MEDIA_TYPE = "text/x.cucumber.gherkin+plain"


@dataclass
class Document:
    uri: str
    source: str
    gherkin: dict[str, Any]
    """The ``gherkinDocument`` message (with ``uri``)."""
    pickles: list[dict[str, Any]]
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    """AST nodes by id: scenarios, backgrounds, steps, tags, Examples rows."""
    parents: dict[str, dict[str, Any]] = field(default_factory=dict)
    """For an Examples row id: its Examples block."""

    @property
    def feature(self) -> dict[str, Any]:
        feature: dict[str, Any] = self.gherkin.get("feature") or {}
        return feature


def parse(files: Iterable[tuple[str, Path]]) -> list[Document]:
    """``(uri, path)`` of each feature file -> its document; ids are unique across them."""
    events = GherkinEvents(GherkinEvents.Options(True, True, True))
    documents = []
    for uri, path in files:
        text = path.read_text(encoding="utf-8")
        doc: dict[str, Any] = {}
        pickles: list[dict[str, Any]] = []
        envelope_source = {"source": {"uri": uri, "data": text, "mediaType": MEDIA_TYPE}}
        for envelope in events.enum(envelope_source):  # type: ignore[arg-type]
            if "gherkinDocument" in envelope:
                doc = dict(envelope["gherkinDocument"])  # type: ignore[typeddict-item]
            elif "pickle" in envelope:
                pickles.append(dict(envelope["pickle"]))  # type: ignore[typeddict-item]
        document = Document(uri, text, doc, pickles)
        _index(document)
        documents.append(document)
    return documents


def _index(document: Document) -> None:
    def walk(node: Any, parent: dict[str, Any] | None = None) -> None:
        if isinstance(node, dict):
            if "id" in node:
                document.nodes[node["id"]] = node
                if parent is not None and "cells" in node:
                    document.parents[node["id"]] = parent
            examples_parent = node if "tableBody" in node else None
            for value in node.values():
                walk(value, examples_parent)
        elif isinstance(node, list):
            for value in node:
                walk(value, parent)

    walk(document.feature)


def case_id_of(document: Document, pickle: dict[str, Any]) -> str | None:
    """The case a pickle runs: its Examples row's ``case`` cell, or its ``@case-`` tag."""
    ids = pickle.get("astNodeIds", [])
    if len(ids) > 1 and ids[-1] in document.parents:
        examples = document.parents[ids[-1]]
        header = [c["value"] for c in (examples.get("tableHeader") or {}).get("cells", [])]
        row = [c["value"] for c in document.nodes[ids[-1]]["cells"]]
        if "case" in header:
            return str(row[header.index("case")])
    for tag in pickle.get("tags", []):
        name = str(tag["name"]).lstrip("@")
        if name.startswith(CASE_TAG):
            return name[len(CASE_TAG):]
    return None


def scenario_of(document: Document, pickle: dict[str, Any]) -> dict[str, Any]:
    return document.nodes[pickle["astNodeIds"][0]]


def step_node(document: Document, pickle_step: dict[str, Any]) -> dict[str, Any]:
    return document.nodes[pickle_step["astNodeIds"][0]]
