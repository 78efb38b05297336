"""KPIs by seller plan add up to the totals, so a designer can see who waits."""

from __future__ import annotations

import pytest
from sim_runs import SmallRun, shared_small_run


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> SmallRun:
    return shared_small_run(str(tmp_path_factory.getbasetemp()))


def test_plans_add_up_to_the_totals(run: SmallRun) -> None:
    s = run.summary
    plans = s["by_plan"]
    assert sorted(plans) == ["individual", "professional"]
    assert sum(p["return_requests"] for p in plans.values()) == s["return_requests"]
    assert sum(p["manual_answered"] for p in plans.values()) == s["manual_answered"]
    assert sum(p["manual_answered_after_respond_by"] for p in plans.values()) == (
        s["manual_answered_after_respond_by"])
    assert sum(p["declined"] for p in plans.values()) == s["closures"]["declined"]
    backlog = sum(p["pending_backlog_mean"] for p in plans.values())
    assert backlog == pytest.approx(s["pending_backlog"]["mean"], abs=0.01)
    waits = s["time_to_authorization_hours"]
    assert sum(p["pending_to_authorization_hours"]["count"] for p in plans.values()) == (
        waits["manual"]["count"] + waits["batch"]["count"])


def test_individual_sellers_answer_a_larger_share_by_hand(run: SmallRun) -> None:
    plans = run.summary["by_plan"]
    assert plans["individual"]["share_pending"] > plans["professional"]["share_pending"]
