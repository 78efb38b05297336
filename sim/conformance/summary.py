"""The terminal summary of a conformance run: a verdict per clause, then per outcome class."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sim.conformance.cases import CLAUSES, RULES, Case
from sim.conformance.outcomes import FAILED, Outcome
from sim.core.values import Hello

COLUMNS = ("passed", "failed", "errored", "skipped", "xfailed")
OTHER = "(rest)"
"""The row of cases that name no clause or rule (envelope and bad-request checks)."""


def column(outcome: Outcome) -> str:
    if outcome is Outcome.PASSED:
        return "passed"
    if outcome in FAILED:
        return "failed"
    if outcome is Outcome.ERRORED:
        return "errored"
    if outcome is Outcome.EXPECTED_FAILURE:
        return "xfailed"
    return "skipped"


def render(
    impl: str, hello: Hello | None, results: Iterable[tuple[Case, Outcome]],
    full_run: bool = True,
) -> list[str]:
    """The summary lines: one row per clause and rule that ran, the clauses and rules no case
    ran for (only in a full run, where it shows a gap; a run filtered by tag or case leaves
    clauses out on purpose), then the count of each outcome class."""
    rows: dict[str, Counter[str]] = {tag: Counter() for tag in (*CLAUSES, *RULES, OTHER)}
    classes: Counter[Outcome] = Counter()
    total = 0
    not_passed: list[str] = []
    for case, outcome in results:
        total += 1
        if outcome is not Outcome.PASSED:
            not_passed.append(f"  {case.case_id:<30} {outcome.value:<18} "
                              f"{case.feature}:{case.line}: {case.scenario}")
        classes[outcome] += 1
        for tag in case.clauses or (OTHER,):
            rows[tag][column(outcome)] += 1
    who = f"{hello.implementation} {hello.version}" if hello is not None else "(no hello)"
    lines = [f"rap/1 conformance of {impl} [{who}]: {total} cases", ""]
    lines.append(f"{'clause':<8}" + "".join(f"{c:>9}" for c in COLUMNS))
    idle = [tag for tag, counts in rows.items() if not sum(counts.values())]
    for tag, counts in rows.items():
        if tag not in idle:
            lines.append(f"{tag:<8}" + "".join(f"{counts[c]:>9}" for c in COLUMNS))
    lines.append("")
    if idle and full_run:
        lines.append(f"no case ran for: {', '.join(idle)}")
    if not_passed:
        lines.append("cases not passed:")
        lines.extend(not_passed)
    lines.append("outcomes: " + ", ".join(
        f"{o.value} {classes[o]}" for o in Outcome if classes[o] or o in (
            Outcome.PASSED, Outcome.WRONG_ANSWER, Outcome.CRASH, Outcome.TIMEOUT,
            Outcome.PROTOCOL_VIOLATION, Outcome.REFUSED)
    ))
    return lines
