"""Staging an experiment's folder: written whole beside the destination, renamed in at the end.

A local stand-in with the signature of ``sim.reports.staging.staged_folder`` (which the model's
branch provides for every folder-writing command); the experiment commands switch to it when
it lands. It refuses, before writing anything, a destination this tool did not write.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sim.model.output import staged_folder as _stage

TOOL = "returns-sandbox"


class OutputFolderError(Exception):
    """A destination that must not be replaced; the message names it (commands exit 2)."""


def _ours(folder: Path) -> bool:
    try:
        doc = json.loads((folder / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and doc.get("tool") == TOOL


def check_destination(destination: Path, *, force: bool = False) -> None:
    """Refuse a destination that exists and is not a results folder this tool wrote."""
    if not destination.exists() or force:
        return
    if not destination.is_dir():
        raise OutputFolderError(f"{destination} exists and is not a folder")
    if any(destination.iterdir()) and not _ours(destination):
        raise OutputFolderError(
            f"{destination} exists and is not a results folder of returns-sandbox (no "
            "manifest.json with \"tool\": \"returns-sandbox\"); choose another --out or "
            "remove it yourself"
        )


@contextmanager
def staged_folder(destination: Path, *, kind: str, force: bool = False) -> Iterator[Path]:
    """Yield a fresh folder; on success it replaces ``destination`` whole, on failure (or
    Ctrl-C) it is removed and ``destination`` is left as it was."""
    del kind  # recorded in the manifest by the caller; kept for the shared signature
    check_destination(destination, force=force)
    with _stage(destination) as stage:
        yield stage
