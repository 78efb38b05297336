"""summarize notes each request's SKU and policy for a run's page as it counts the KPIs (the
run's writer sends them instead of reading the records again): the same as reading them."""

from __future__ import annotations

import dataclasses

import pytest
from sim_runs import SmallRun, shared_small_run

from sim.reports.kpis import Requests, summarize


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> SmallRun:
    return shared_small_run(str(tmp_path_factory.getbasetemp()))


def test_noted_requests_are_each_records_sku_and_policy_in_record_order(run: SmallRun) -> None:
    out = run.output
    items = list(out.records.items())
    for kept in (items, items[::-1]):
        odd = dataclasses.replace(out, records=dict(kept))
        noted = Requests()
        assert summarize(odd, noted) == summarize(odd)
        assert noted.skus == [r.sku for _, r in kept]
        assert noted.in_policy == [r.in_policy for _, r in kept]
    assert set(noted.in_policy) == {True, False}  # both kinds are noted
