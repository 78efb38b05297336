"""Results folders are written whole beside the destination, then renamed into place.

A minimal local version of the shared interface (``staged_folder(destination, *, kind,
force=False)``, ``OutputFolderError``) until the full one lands; the signature and the refusal
rule are the shared ones: a destination that exists and is not a folder this tool wrote (a
``manifest.json`` with ``"tool": "returns-sandbox"``) is refused before anything is written,
unless ``force``.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TOOL = "returns-sandbox"


class OutputFolderError(Exception):
    """A destination the tool may not replace; the message names the folder."""


def _ours(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("tool") == TOOL


@contextmanager
def staged_folder(destination: Path, *, kind: str, force: bool = False) -> Iterator[Path]:
    """Yield a fresh folder beside ``destination``; on success it replaces ``destination``
    whole, on any error (Ctrl-C included) it is removed and ``destination`` is left as it was.
    ``kind`` names what is written (run, calibrate, ...) in messages."""
    destination = destination.resolve()
    if destination.exists():
        if not destination.is_dir():
            raise OutputFolderError(f"{destination} exists and is not a folder; choose another "
                                    f"place for the {kind} results")
        if not force and any(destination.iterdir()) and not _ours(destination):
            raise OutputFolderError(
                f"{destination} exists and is not a results folder this tool wrote (no "
                f"manifest.json from {TOOL}); choose another folder or pass --force")
    destination.parent.mkdir(parents=True, exist_ok=True)
    stage = destination.parent / f".{destination.name}.tmp-{os.getpid()}"
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir()
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    old = destination.parent / f".{destination.name}.old-{os.getpid()}"
    if destination.exists():
        destination.rename(old)
    stage.rename(destination)
    if old.exists():
        shutil.rmtree(old)
