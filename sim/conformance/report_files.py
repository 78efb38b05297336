"""The machine-readable reports a conformance run writes when asked: JUnit XML, Cucumber JSON
and Cucumber Messages (NDJSON), all from the same record of what each step did.

``returns-sim conform`` passes temporary paths here and renames the files into place when the
run is over, so a report that exists is a whole one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sim.conformance import cucumber_json, cucumber_messages, gherkin_docs, junit
from sim.conformance.recording import RunRecord
from sim.core.values import Hello

OPTIONS = {
    "rap_junit": ("--rap-junit", "write a JUnit XML report named for CI pages"),
    "rap_cucumber_json": ("--rap-cucumber-json", "write a Cucumber JSON report"),
    "rap_messages": ("--rap-messages", "write Cucumber Messages (NDJSON)"),
}


def addoptions(group: Any) -> None:
    for dest, (flag, text) in OPTIONS.items():
        group.addoption(flag, dest=dest, default=None, metavar="PATH", help=text)


def write_requested(
    config: pytest.Config, record: RunRecord, impl: str, hello: Hello | None
) -> None:
    paths = {dest: config.getoption(dest) for dest in OPTIONS}
    if not any(paths.values()):
        return
    if paths["rap_junit"]:
        junit.write(record, Path(paths["rap_junit"]), impl)
    if paths["rap_cucumber_json"] or paths["rap_messages"]:
        documents = _documents(record)
        if paths["rap_cucumber_json"]:
            cucumber_json.write(record, documents, Path(paths["rap_cucumber_json"]))
        if paths["rap_messages"]:
            from sim import __version__

            cucumber_messages.write(record, documents, Path(paths["rap_messages"]),
                                    version=__version__)


def _documents(record: RunRecord) -> list[gherkin_docs.Document]:
    """The feature files of the cases that ran, in the order they ran first."""
    files: dict[str, Path] = {}
    for run in record.cases.values():
        files.setdefault(run.case.feature, Path(run.feature_file))
    return gherkin_docs.parse(files.items())
