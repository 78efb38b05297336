"""Kept cases: a difference found once, stored for ever as ``<id>.ndjson``.

Line 1 is a header: ``{"kept": 1, "id", "level", "features", "found_against", "difference",
"tags"}`` (``level`` and ``features`` say what was compared; ``difference`` is what differed
when the case was found, at its ``step``; ``tags`` the clauses and rules it concerns). Every
other line is one step: ``{"request", "response"}``, the request as sent and the reference's
answer. The id is a hash of what is compared (level,
features, requests and answers), so the same case found twice is one file, whatever it was
found against. The same reader takes a ``trace.ndjson`` of ``run --trace`` (lines of
``{"request", "response"}`` and no header). Files that are not one are refused with the file,
the line and the field.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.difftest.compare import LEVELS
from sim.rap.envelope import dumps, parse

FORMAT = 1
MOST_STEPS = 1_000_000
"""The longest file replay reads (steps): a limit, so a runaway file fails fast."""
MOST_LINE_BYTES = 16 * 1024 * 1024


class KeptCaseError(ValueError):
    """A file that is not a kept case or a trace (the message names file, line and field)."""


@dataclass(frozen=True, slots=True)
class KeptStep:
    request: dict[str, Any]
    response: dict[str, Any]


@dataclass(frozen=True, slots=True)
class KeptCase:
    """A stored stream: each request and the reference's answer, and what was compared."""

    case_id: str
    level: str
    features: tuple[str, ...]
    steps: tuple[KeptStep, ...]
    found_against: str = ""
    difference: dict[str, Any] | None = None
    is_trace: bool = False
    tags: tuple[str, ...] = ()
    """Clauses and rules it concerns (``C15``, ``R04``): for selecting it, not compared."""

    @property
    def first_op(self) -> str:
        ops = [s.request.get("op") for s in self.steps]
        return str(ops[self.difference["step"] - 1]) if self.difference and \
            0 < self.difference.get("step", 0) <= len(ops) else "?"


def case_id(level: str, features: tuple[str, ...], steps: tuple[KeptStep, ...]) -> str:
    """``k`` + 12 hex digits of a SHA-256 of what the case compares."""
    body = dumps({"level": level, "features": sorted(features),
                  "steps": [[s.request, s.response] for s in steps]})
    return "k" + hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def new_case(level: str, features: frozenset[str], steps: list[tuple[dict[str, Any],
             dict[str, Any]]], found_against: str, difference: dict[str, Any] | None,
             tags: tuple[str, ...] = ()) -> KeptCase:
    kept = tuple(KeptStep(r, a) for r, a in steps)
    feats = tuple(sorted(features))
    return KeptCase(case_id(level, feats, kept), level, feats, kept, found_against, difference,
                    tags=tags)


def write(case: KeptCase, folder: Path) -> Path:
    """``folder/<id>.ndjson``, written whole or not at all; an existing file of that name is
    left as it is (same id, same content)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{case.case_id}.ndjson"
    if target.exists():
        return target
    header = {"kept": FORMAT, "id": case.case_id, "level": case.level,
              "features": list(case.features), "found_against": case.found_against,
              "difference": case.difference, "tags": list(case.tags)}
    lines = [dumps(header)] + [dumps({"request": s.request, "response": s.response})
                               for s in case.steps]
    fd, temp = tempfile.mkstemp(prefix=f".{case.case_id}-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write("\n".join(lines) + "\n")
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def read(path: Path) -> KeptCase:
    """A kept case or a trace; :class:`KeptCaseError` names what is wrong and where."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise KeptCaseError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with handle:
        rows = list(_rows(path, handle))
    if not rows:
        raise KeptCaseError(f"{path}: empty: expected a kept case or a trace.ndjson")
    first_line, first = rows[0]
    if "kept" in first:
        return _kept(path, first_line, first, rows[1:])
    steps = tuple(_step(path, n, row) for n, row in rows)
    return KeptCase(path.stem, "full", (), steps, is_trace=True)


def _rows(path: Path, handle: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, raw in enumerate(handle, start=1):
        if n > MOST_STEPS + 1:
            raise KeptCaseError(f"{path}:{n}: more than {MOST_STEPS} steps (the limit)")
        if len(raw) > MOST_LINE_BYTES:
            raise KeptCaseError(f"{path}:{n}: line longer than {MOST_LINE_BYTES} bytes")
        if not raw.strip():
            continue
        try:
            row = parse(raw)
        except (ValueError, RecursionError) as exc:
            raise KeptCaseError(f"{path}:{n}: not JSON ({exc})") from None
        if type(row) is not dict:
            raise KeptCaseError(f"{path}:{n}: expected a JSON object, got {dumps(row)[:60]}")
        yield n, row


def _kept(path: Path, n: int, head: dict[str, Any], rows: list[tuple[int, dict[str, Any]]]
          ) -> KeptCase:
    def need(name: str, kind: type | tuple[type, ...], what: str) -> Any:
        if name not in head:
            raise KeptCaseError(f"{path}:{n}: {name}: missing (the header needs {what})")
        if not isinstance(head[name], kind) or isinstance(head[name], bool):
            raise KeptCaseError(f"{path}:{n}: {name}: must be {what}, got "
                                f"{dumps(head[name])[:60]}")
        return head[name]

    if head.get("kept") != FORMAT:
        raise KeptCaseError(f"{path}:{n}: kept: must be {FORMAT}, got {dumps(head['kept'])}")
    declared = need("id", str, "the case id, a string")
    level = need("level", str, f"one of {', '.join(LEVELS)}")
    if level not in LEVELS:
        raise KeptCaseError(f"{path}:{n}: level: must be one of {', '.join(LEVELS)}, "
                            f"got {dumps(level)}")
    features = need("features", list, "a list of optional feature names")
    if not all(isinstance(f, str) for f in features):
        raise KeptCaseError(f"{path}:{n}: features: must be a list of strings")
    difference = head.get("difference")
    if difference is not None and not isinstance(difference, dict):
        raise KeptCaseError(f"{path}:{n}: difference: must be an object or null")
    found = head.get("found_against", "")
    tags = head.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(x, str) and x for x in tags):
        raise KeptCaseError(f"{path}:{n}: tags: must be a list of non-empty strings")
    steps = tuple(_step(path, m, row) for m, row in rows)
    if not steps:
        raise KeptCaseError(f"{path}: no steps after the header (line {n})")
    feats = tuple(sorted(features))
    actual = case_id(level, feats, steps)
    if declared != actual:
        raise KeptCaseError(f"{path}:{n}: id: {dumps(declared)} does not match the content "
                            f"(its hash is {actual}); a kept case is not edited by hand")
    return KeptCase(declared, level, feats, steps, str(found), difference, tags=tuple(tags))


def _step(path: Path, n: int, row: dict[str, Any]) -> KeptStep:
    for name in ("request", "response"):
        if name not in row:
            raise KeptCaseError(f"{path}:{n}: {name}: missing (each line needs request and "
                                "response)")
        if type(row[name]) is not dict:
            raise KeptCaseError(f"{path}:{n}: {name}: must be a JSON object")
    if "ok" not in row["response"]:
        raise KeptCaseError(f"{path}:{n}: response.ok: missing (not a rap/1 answer)")
    return KeptStep(row["request"], row["response"])


def folder_cases(folder: Path) -> list[KeptCase]:
    """Every ``*.ndjson`` kept case in ``folder``, by id."""
    return sorted((read(p) for p in folder.glob("*.ndjson")), key=lambda c: c.case_id)
