"""``single_run``: simulate in memory, no files; seeds given apart; a plan derived once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sim.core.engine import ReferenceEngine
from sim.core.values import Instant
from sim.model.plan import RunPlan, plan_run
from sim.model.run import single_run
from sim.model.scenario import load


class ListSink:
    """An event sink that keeps its rows (the model needs nothing more of a sink)."""

    def __init__(self) -> None:
        self.rows: list[tuple[Instant, str, str, str, str, str, str]] = []

    def row(self, at: Instant, op: str, return_id: str, seller_id: str, error: str,
            status: str, detail: str) -> None:
        self.rows.append((at, op, return_id, seller_id, error, status, detail))


def small(seed: int = 5, population_seed: int | None = None) -> RunPlan:
    scenario = load().scenario
    return plan_run(scenario, name="baseline", seed=seed, population_seed=population_seed,
                    days=20, orders=1500)


def test_a_run_without_a_sink_writes_nothing_and_still_counts_every_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    plan = small()
    output = single_run(plan, ReferenceEngine())
    assert list(tmp_path.iterdir()) == []
    sink = ListSink()
    again = single_run(plan, ReferenceEngine(), sink=sink)
    assert sum(output.event_counts.values()) == len(sink.rows) > 0
    assert output.event_counts == again.event_counts
    # each row counted under its own (op, outcome), the hot ops' accepted calls included
    assert output.event_counts == Counter((op, error or "ok") for _, op, _, _, error, _, _
                                          in sink.rows)
    assert all(n > 0 for n in output.event_counts.values())
    assert sink.rows[0][1] == "set_policy"  # the setup goes through the gateway, logged
    assert output.timings.simpy_events > 0


def test_the_population_seed_changes_who_takes_part_not_what_happens() -> None:
    one = single_run(small(5), ReferenceEngine())
    same = single_run(small(5, population_seed=5), ReferenceEngine())
    other = single_run(small(5, population_seed=6), ReferenceEngine())
    assert one.population_seed == 5 and other.population_seed == 6
    assert one.event_counts == same.event_counts and one.orders == same.orders
    # the orders are the replication's: the same count, by category too
    assert other.orders == one.orders
    assert (other.orders_by_category == one.orders_by_category).all()
    # ... but sold by other sellers
    assert other.catalog.sku_names != one.catalog.sku_names


def test_the_plan_derives_once_what_every_part_uses() -> None:
    scenario = load().scenario
    plan = plan_run(scenario, orders=1000, days=10)
    assert plan.seed == plan.population_seed == scenario.run.seed
    warmup = scenario.run.warmup_days
    assert plan.measure_from == warmup * 86_400
    assert plan.horizon == (warmup + 10) * 86_400 and plan.rates.shape == (warmup + 10,)
    assert plan.expected_orders == pytest.approx(1000)
    with pytest.raises(ValueError, match="population seed"):
        plan_run(scenario, population_seed=-1)


def test_a_long_batch_queue_goes_in_calls_rap1_allows() -> None:
    """rap/1 takes at most 1000 ids in one authorize_batch; a longer queue is split."""
    from collections.abc import Sequence

    from sim.core.values import BatchOutcome
    from sim.model.gateway import BATCH_IDS, EngineGateway

    sizes: list[int] = []

    class Port:
        def authorize_batch(self, ids: Sequence[str], at: Instant) -> BatchOutcome:
            sizes.append(len(ids))
            return BatchOutcome(results=())

    gateway = EngineGateway(Port())  # type: ignore[arg-type]
    assert gateway.authorize_batch([f"R{i}" for i in range(2500)], "S1", 0) == {}
    assert BATCH_IDS == 1000 and sizes == [1000, 1000, 500]


def test_the_records_are_the_same_whether_the_port_keeps_them_or_the_gateway_does() -> None:
    """On the in-process reference the gateway takes the final records from the engine; on any
    other port (here a relay to the same engine, as a wire client would be) it keeps the
    records it was answered. Both must give the run the same records, in the same order."""
    from typing import Any

    class Relay:
        def __init__(self, inner: ReferenceEngine) -> None:
            self.inner = inner

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

    plan = plan_run(load().scenario, orders=3000, days=60)
    direct = single_run(plan, ReferenceEngine(notifications=False))
    relayed = single_run(plan, Relay(ReferenceEngine()))
    assert len(direct.records) > 100
    assert list(direct.records.items()) == list(relayed.records.items())
    assert direct.event_counts == relayed.event_counts
    assert any(r.status != "closed" for r in direct.records.values())  # some still open
