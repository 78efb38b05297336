"""Which page a results folder gets: its ``manifest.json`` says what wrote it."""

from __future__ import annotations

import json
from pathlib import Path

REPORT_NAME = "report.html"
KINDS = ("run", "compare", "sweep", "conform")


class ReportError(Exception):
    """A folder no page can be built from; the message names the folder and what is wrong."""


def kind_of(folder: Path) -> str:
    manifest = folder / "manifest.json"
    if not folder.is_dir():
        raise ReportError(f"{folder}: no such folder")
    if not manifest.is_file():
        raise ReportError(f"{folder}: not a results folder (it has no manifest.json)")
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReportError(f"{manifest}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ReportError(f"{manifest}: expected a JSON object")
    kind = data.get("kind")
    if kind is None and (folder / "summary.json").is_file():
        kind = "run"  # a run folder from before manifests said their kind
    if kind not in KINDS:
        raise ReportError(f"{manifest}: \"kind\" is {kind!r}; a report can be built for "
                          f"{', '.join(KINDS)}")
    return str(kind)


def write_report(folder: Path, destination: Path | None = None) -> Path:
    """Build the page of ``folder`` from its files, into ``folder/report.html`` (or
    ``destination``). Raises ReportError for a folder that is not one of ours or lacks a file."""
    from sim.reports.html.page import write_page

    kind = kind_of(folder)
    try:
        if kind == "run":
            from sim.reports.html.run_page import run_html

            html = run_html(folder)
        elif kind == "conform":
            from sim.reports.html.conform_page import conform_html

            html = conform_html(folder)
        else:
            from sim.reports.html.experiment_page import experiment_html

            html = experiment_html(folder)
    except FileNotFoundError as exc:
        raise ReportError(f"{folder}: a {kind} folder needs {Path(exc.filename).name}, "
                          "which is missing") from None
    except (KeyError, ValueError) as exc:
        raise ReportError(f"{folder}: a file of this {kind} folder is not in the documented "
                          f"format ({type(exc).__name__}: {exc})") from None
    return write_page(destination or folder / REPORT_NAME, html)
