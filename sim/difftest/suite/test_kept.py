"""Every packaged kept case, as one conformance case each (run by ``returns-sim conform``)."""

from __future__ import annotations

import pytest

from sim.core.values import Hello
from sim.difftest.conform_kept import GROUP, kept_cases
from sim.difftest.kept import KeptCase
from sim.difftest.replay import replay
from sim.difftest.transcript import render_replay
from sim.rap.port import WirePort

PARAMS = [
    pytest.param(found, id=case.case_id,
                 marks=[pytest.mark.rap_case(case), *(getattr(pytest.mark, t) for t in case.tags)])
    for found, case in kept_cases()
]


@pytest.mark.parametrize("kept_case", PARAMS)
def test_kept_case(kept_case: KeptCase, rap_port: WirePort, rap_hello: Hello) -> None:
    verdict = replay(rap_port, kept_case, features=frozenset(rap_hello.optional))
    broke = next((row.broke for row in verdict.rows if row.broke is not None), None)
    if broke is not None:
        raise broke
    if not verdict.agrees:
        lines = "\n".join(render_replay(verdict.rows))
        raise AssertionError(f"{GROUP} case {kept_case.case_id} differs from the reference:\n"
                             f"{lines}")
