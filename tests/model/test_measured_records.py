"""``measured_records`` keeps what its plain comprehension keeps, in the same order, whatever
the order of the request times (a warm-up's, the boundary itself, none at all); told the
records are in time order, it finds the warm-up's prefix by bisection and keeps the same. The
gateway says they are in order only when they are sure to be (else each record is read)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from sim.core.engine import ReferenceEngine
from sim.core.values import Outcome
from sim.model.gateway import EngineGateway
from sim.model.plan import plan_run
from sim.model.run import measured_records
from sim.model.scenario import load


def _records(times: list[int]) -> dict[str, Any]:
    return {f"R{i}": SimpleNamespace(return_id=f"R{i}", requested_at=t)
            for i, t in enumerate(times)}


def _plain(records: dict[str, Any], since: int) -> dict[str, Any]:
    return {i: r for i, r in records.items() if r.requested_at >= since}


TIMES = [[], [5], [0, 1, 2, 3, 4, 5, 6], [9, 3, 5, 5, 1, 7, 5], [-3, 2**70, 5, 4, 6], [5, 5, 5],
         [1, 1, 4, 5, 5, 8], [6, 7, 8]]
SINCE = [5, 0, -(2**70), 2**70]


@pytest.mark.parametrize("times", TIMES)
@pytest.mark.parametrize("since", SINCE)
def test_measured_records_are_those_of_the_plain_comprehension(times: list[int],
                                                              since: int) -> None:
    want = _plain(_records(times), since)
    orders = [False, True] if times == sorted(times) else [False]
    for in_order in orders:
        records = _records(times)
        expected = {i: records[i] for i in want}
        got = measured_records(records, since, in_order=in_order)
        assert list(got) == list(expected)
        assert all(got[k] is expected[k] for k in expected)


def _requested(times: list[int]) -> EngineGateway:
    """A gateway on the reference engine, reset by its setup, that was answered requests at
    ``times`` (the engine's own answer replaced: only the order check is under test)."""
    engine = ReferenceEngine(notifications=False)
    gateway = EngineGateway(engine)
    gateway.setup(0, plan_run(load().scenario, orders=100, days=5).policy, [])
    for i, t in enumerate(times):
        record = SimpleNamespace(return_id=f"R{i}", requested_at=t, seller_id="S",
                                 status="requested", authorization=None)
        engine.request_return = lambda _r, rec=record: Outcome(rec)  # type: ignore
        gateway.request_return(SimpleNamespace(requested_at=t), "S")  # type: ignore[arg-type]
    return gateway


def test_the_gateway_vouches_for_the_order_only_when_it_saw_it() -> None:
    assert _requested([1, 3, 3, 7]).records_in_order
    assert not _requested([1, 3, 2, 7]).records_in_order  # the fallback: each record read
    assert not EngineGateway(ReferenceEngine()).records_in_order  # not reset by its setup

    class Relay:  # any other port (a wire client): the gateway keeps the answers
        inner = ReferenceEngine()

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

    relayed = EngineGateway(Relay())
    relayed.setup(0, plan_run(load().scenario, orders=100, days=5).policy, [])
    assert not relayed.records_in_order
