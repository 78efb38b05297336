"""Transcripts a person can read: each request, both answers, the first differing field.

The implementation's answer is printed only where it differs from the reference's (after
its Amazon RMAs are written as the reference's); elsewhere it says ``(same)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sim.difftest.compare import Difference
from sim.difftest.pairing import Step
from sim.rap.envelope import dumps

LONGEST_LINE = 2000


def _line(value: Any) -> str:
    text = dumps(value)
    return text if len(text) <= LONGEST_LINE else text[: LONGEST_LINE - 3] + "..."


def render_steps(steps: Sequence[Step]) -> list[str]:
    """The fuzz transcript of one stream."""
    out = []
    for n, step in enumerate(steps, start=1):
        out += _exchange(n, step.request, step.reference, step.implementation,
                         [step.difference] if step.difference else [], step.failure)
    return out


def _exchange(n: int, request: Any, reference: Any, implementation: Any,
              found: Iterable[Difference], failure: str | None) -> list[str]:
    found = list(found)
    out = [f"{n:>3} > {_line(request)}", f"    < reference:      {_line(reference)}"]
    if failure is not None:
        out.append(f"    < implementation: no answer: {failure}")
    elif found:
        out.append(f"    < implementation: {_line(implementation)}")
        out.append(f"    ! first difference: {found[0].describe()}")
        out += [f"    ! also: {d.describe()}" for d in found[1:]]
    else:
        out.append("    < implementation: (same)")
    return out


def render_replay(rows: Sequence[Any]) -> list[str]:
    """The replay transcript: only the steps that differ, each with every differing field."""
    out = []
    for row in rows:
        if row.failure is None and not row.differences:
            continue
        out += _exchange(row.index, row.request, row.reference, row.implementation,
                         row.differences, row.failure)
    return out
