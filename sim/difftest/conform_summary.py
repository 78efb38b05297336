"""``conform --summary-md``: a short Markdown summary a CI job can append to its page.

A verdict per clause and rule that ran, the count of each outcome class, and the cases that
failed with their ids (so a team can rerun one with ``--case``). Written to a temporary file
beside the target and renamed into place.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from sim.conformance.cases import CLAUSES, RULES, Case
from sim.conformance.outcomes import FAILED, Outcome
from sim.conformance.summary import COLUMNS, OTHER, column
from sim.core.values import Hello


def render_markdown(impl: str, hello: Hello | None,
                    results: Iterable[tuple[Case, Outcome]]) -> str:
    rows: dict[str, Counter[str]] = {tag: Counter() for tag in (*CLAUSES, *RULES, OTHER)}
    classes: Counter[Outcome] = Counter()
    failures: list[str] = []
    for case, outcome in results:
        classes[outcome] += 1
        for tag in case.clauses or (OTHER,):
            rows[tag][column(outcome)] += 1
        if outcome in FAILED or outcome is Outcome.ERRORED:
            failures.append(f"- `{case.case_id}` ({', '.join(case.clauses) or 'no clause'}; "
                            f"{outcome.value}): {case.feature}: {_cell(case.scenario)}")
    failed = bool(failures)
    who = f"{hello.implementation} {hello.version}" if hello is not None else "no hello"
    total = sum(classes.values())
    lines = [f"### rap/1 conformance: {'FAILED' if failed else 'PASSED'}", "",
             f"`{_cell(impl)}` ({_cell(who)}): {total} cases; " + ", ".join(
                 f"{o.value} {classes[o]}" for o in Outcome if classes[o]), "",
             "| clause | verdict | " + " | ".join(COLUMNS) + " |",
             "| --- | --- |" + " ---: |" * len(COLUMNS)]
    for tag, counts in rows.items():
        if sum(counts.values()):
            bad = counts["failed"] + counts["errored"]
            lines.append(f"| {tag} | {'fail' if bad else 'pass'} | "
                         + " | ".join(str(counts[c]) for c in COLUMNS) + " |")
    if failures:
        lines += ["", f"Failed cases ({len(failures)}; rerun one with `--case ID`):", ""]
        lines += failures
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_summary(path: Path, impl: str, hello: Hello | None,
                  results: Iterable[tuple[Case, Outcome]]) -> None:
    text = render_markdown(impl, hello, results)
    fd, temp = tempfile.mkstemp(prefix=".summary-", suffix=".md.tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
