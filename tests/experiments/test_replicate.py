"""One replication as a pure task: plain numbers out, failures recorded, not raised."""

from __future__ import annotations

import pickle

import pytest
from experiment_runs import ORDERS, case

from sim.experiments.design import ScenarioCase, Task, case_of
from sim.experiments.replicate import WAIT_EDGES_H, replicate
from sim.experiments.toml_text import loads_toml
from sim.model.scenario import ScenarioError


def case_of_text(text: str) -> ScenarioCase:
    return case_of(loads_toml(text), "edited", "<test>")


def _task(spec: str = "baseline", seed: int = 3, pop: int = 9) -> Task:
    c = case(spec)
    return Task(c.text, c.name, seed, pop, 0, ORDERS, None)


def test_a_replication_returns_plain_values_that_cross_processes_small() -> None:
    result = replicate(_task())
    assert result.ok
    kpis = result.kpi_map()
    assert kpis["orders"] and kpis["return_requests"]
    assert all(v is None or isinstance(v, float) for v in kpis.values())
    assert {p for p, _ in result.waits} == {"manual", "batch"}
    assert all(len(counts) == len(WAIT_EDGES_H) - 1 for _, counts in result.waits)
    assert len(pickle.dumps(result)) < 20_000


def test_the_same_task_gives_the_same_result() -> None:
    a, b = replicate(_task()), replicate(_task())
    assert (a.kpis, a.waits, a.weekly_backlog) == (b.kpis, b.waits, b.weekly_backlog)


def test_common_random_numbers_leave_demand_alone_when_only_staffing_changes() -> None:
    base, short = replicate(_task("baseline")), replicate(_task("understaffed"))
    assert base.kpi_map()["return_requests"] == short.kpi_map()["return_requests"]
    assert base.kpi_map()["reviewer_utilization"] != short.kpi_map()["reviewer_utilization"]


def test_the_replication_seed_changes_what_happens() -> None:
    assert replicate(_task(seed=3)).kpis != replicate(_task(seed=4)).kpis


def test_a_failing_replication_is_recorded_with_its_error() -> None:
    bad = Task("[policy\n", "broken", 1, 1, 0, ORDERS, None)
    result = replicate(bad)
    assert not result.ok and result.kpis == ()
    assert result.error is not None and result.error.startswith("ScenarioError")


@pytest.mark.parametrize("days", [3])
def test_a_horizon_shorter_than_a_week_has_no_weekly_backlog(days: int) -> None:
    c = case("baseline")
    result = replicate(Task(c.text, c.name, 1, 1, 0, 200, days))
    assert result.ok and result.weekly_backlog == ()


def test_half_available_reviewers_bind_where_demand_is_the_same() -> None:
    """Staffing a designer can scale: the understaffed desks at half availability, over two
    weeks of full January demand, keep requests pending longer; demand does not move."""
    full = case("understaffed")
    half = case_of_text(full.text.replace("availability = 1.0", "availability = 0.5"))
    a = replicate(Task(full.text, "full", 3, 9, 0, None, 14)).kpi_map()
    b = replicate(Task(half.text, "half", 3, 9, 0, None, 14)).kpi_map()
    assert a["return_requests"] == b["return_requests"]
    key = "by_plan.individual.pending_backlog_mean"
    assert b[key] > a[key]  # type: ignore[operator]
    assert b["reviewer_utilization"] > a["reviewer_utilization"]  # type: ignore[operator]


def test_an_availability_of_zero_is_refused() -> None:
    with pytest.raises(ScenarioError, match=r"sellers\.review\.availability"):
        case_of_text(case("baseline").text.replace("availability = 1.0", "availability = 0.0"))
