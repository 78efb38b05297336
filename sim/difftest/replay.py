"""Replay a kept case or a ``run --trace`` file against any implementation.

The recorded answers are the reference's; the implementation's answers are compared with them
by the contract's rules, Amazon RMAs mapped as they come (so a later ``receive`` sends the
implementation its own number). Every step is replayed and every differing field reported;
the replay stops early only when the implementation gives no answer (a crash or a timeout
loses its state, so what follows would compare nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.core.port import ImplementationFailure
from sim.difftest.compare import Difference, RmaMap, compare_all
from sim.difftest.kept import KeptCase
from sim.rap.port import WirePort


@dataclass(frozen=True, slots=True)
class Replayed:
    index: int
    request: dict[str, Any]
    reference: dict[str, Any]
    implementation: dict[str, Any] | None
    differences: list[Difference]
    failure: str | None = None
    broke: ImplementationFailure | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    case: KeptCase
    rows: list[Replayed]

    @property
    def agrees(self) -> bool:
        return all(r.failure is None and not r.differences for r in self.rows)

    @property
    def word(self) -> str:
        """FIXED or FAILED for a kept case; AGREES or DIFFERS for a trace."""
        if self.case.is_trace:
            return "AGREES" if self.agrees else "DIFFERS"
        return "FIXED" if self.agrees else "FAILED"

    @property
    def differing(self) -> int:
        return sum(1 for r in self.rows if r.failure is not None or r.differences)


def replay(impl: WirePort, case: KeptCase, *, features: frozenset[str],
           level: str | None = None) -> Verdict:
    """Send every request of ``case`` to ``impl`` (after a ``reset`` when the case does not
    start with one) and compare each answer at ``level`` (the case's own by default)."""
    level = level or case.level
    rmas = RmaMap()
    rows: list[Replayed] = []
    if not case.steps or case.steps[0].request.get("op") != "reset":
        try:
            impl.execute({"seq": 0, "op": "reset", "args": {}})
        except ImplementationFailure as exc:
            first = case.steps[0]
            return Verdict(case, [Replayed(0, {"seq": 0, "op": "reset", "args": {}},
                                           first.response, None, [], str(exc), exc)])
    for n, step in enumerate(case.steps, start=1):
        try:
            answer = impl.execute(rmas.request_for_impl(step.request))
        except ImplementationFailure as exc:
            rows.append(Replayed(n, step.request, step.response, None, [], str(exc), exc))
            break
        found = compare_all(step.request.get("op"), step.response, answer, level=level,
                            features=features, rmas=rmas)
        rows.append(Replayed(n, step.request, step.response, answer, found))
    return Verdict(case, rows)
