"""A conformance run's page: a verdict, the clause x outcome matrix, every failing case with its
scenario, the expected and the actual answer, the expected failures with their reasons, and the
implementation's ``hello``. Read from the folder's ``results.jsonl`` (one line per case)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.reports.html.page import read_json, render

OTHER = "(rest)"
# Columns of the matrix, failures first; passed and the not-run classes after.
FAILURES = ("wrong answer", "crash", "timeout", "protocol violation", "unexpected pass",
            "errored")
OTHERS = ("passed", "expected failure", "refused", "not applicable", "skipped")


@dataclass(frozen=True)
class Matrix:
    columns: tuple[str, ...]
    rows: list[tuple[str, list[int]]]


def _clause_order(tag: str) -> tuple[int, int, str]:
    found = re.fullmatch(r"([CR])(\d+)", tag)
    if found is None:
        return (2, 0, tag)
    return (0 if found.group(1) == "C" else 1, int(found.group(2)), tag)


def matrix(cases: list[dict[str, Any]]) -> Matrix:
    counts: dict[str, Counter[str]] = {}
    for case in cases:
        for tag in case["clauses"] or [OTHER]:
            counts.setdefault(tag, Counter())[case["outcome"]] += 1
    seen = {c["outcome"] for c in cases}
    columns = (*FAILURES, *(o for o in OTHERS if o in seen or o == "passed"),
               *sorted(seen - set(FAILURES) - set(OTHERS)))
    rows = [(tag, [counts[tag][c] for c in columns])
            for tag in sorted(counts, key=_clause_order)]
    return Matrix(columns, rows)


def read_cases(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def conform_html(folder: Path) -> str:
    manifest = read_json(folder / "manifest.json")
    cases = read_cases(folder / manifest.get("files", {}).get("results", "results.jsonl"))
    hello = read_json(folder / "hello.json")
    listed = read_json(folder / "expected_failures.json")
    outcomes = Counter(c["outcome"] for c in cases)
    failing = [c for c in cases if c["outcome"] in FAILURES]
    who = (f"{hello['implementation']} {hello['version']}" if hello else manifest.get("impl"))
    return render(
        "conform.html",
        title=f"rap/1 conformance of {who}",
        manifest=manifest,
        hello=hello,
        cases=cases,
        outcomes=[(o, outcomes[o]) for o in (*FAILURES, *OTHERS) if outcomes[o]],
        failed=sum(outcomes[o] for o in FAILURES),
        failing=failing,
        matrix=matrix(cases),
        failure_columns=FAILURES,
        expected=listed,
        expected_outcomes={c["id"]: c["outcome"] for c in cases},
    )
