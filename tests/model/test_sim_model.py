"""Model invariants on a small run: what the engine was told must make sense as a story."""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from sim_runs import SMALL_DAYS, SmallRun, shared_small_run

from sim.core.timefmt import parse_timestamp
from sim.core.values import DAY, HOUR, Mode, Status
from sim.model.desks import WorkingHours
from sim.model.plan import epoch_of
from sim.model.population import build_population, scrambled_id, scrambled_ids
from sim.model.scenario import load, to_policy
from sim.model.scenario_spec import ReviewSpec
from sim.model.streams import Streams


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> SmallRun:
    return shared_small_run(str(tmp_path_factory.getbasetemp()))


def by_return(run: SmallRun) -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for e in run.events():
        if e["return_id"]:
            rows[e["return_id"]].append(e)
    return rows


def test_the_small_run_exercises_every_path(run: SmallRun) -> None:
    s = run.summary
    paths = s["time_to_authorization_hours"]
    assert all(paths[p]["count"] > 0 for p in ("auto", "manual", "batch"))
    assert all(s["closures"][r] > 0 for r in ("declined", "not_returned", "completed"))
    assert s["labels"]["seller_prepaid"]["count"] > 0
    assert s["packages_after_close"] > 0


def test_events_are_in_time_order_and_numbered(run: SmallRun) -> None:
    events = run.events()
    times = [parse_timestamp(e["at"]) for e in events]
    assert times == sorted(times)
    assert [int(e["seq"]) for e in events] == list(range(1, len(events) + 1))


def test_no_authorization_before_its_request(run: SmallRun) -> None:
    for r in run.engine.returns():
        if r.authorized_at is not None:
            assert r.authorized_at >= r.requested_at
            if r.authorization is Mode.AUTO:
                assert r.authorized_at == r.requested_at


def test_receipts_only_of_authorized_returns(run: SmallRun) -> None:
    for rid, rows in by_return(run).items():
        seen_authorized = False
        for e in rows:
            if e["op"] in ("authorize", "authorize_batch", "request_return") and \
                    e["status"] == "authorized":
                seen_authorized = True
            if e["op"] == "receive" and e["ok"] == "true":
                assert seen_authorized, rid
                assert e["status"] == "received"
            if e["op"] == "receive" and e["ok"] == "false":
                # a package that came after its request was closed
                assert e["error"] == "invalid_state"
                assert any(x["op"] == "close" and x["ok"] == "true" for x in rows)


def test_every_request_ends_closed_or_is_still_open_at_the_horizon(run: SmallRun) -> None:
    scenario = load().scenario
    horizon = epoch_of(scenario) + SMALL_DAYS * DAY
    lag = scenario.sellers.decisions.close_lag_days.high * DAY
    inspection = scenario.sellers.decisions.inspection_days.high * DAY
    for r in run.engine.returns():
        if r.status is Status.CLOSED:
            assert r.closed_at is not None and r.closed_at < horizon
        elif r.status is Status.AUTHORIZED:
            assert r.close_eligible_at + lag >= horizon, r.return_id
        elif r.status is Status.RECEIVED:
            assert r.received_at is not None and r.received_at + inspection >= horizon
        else:
            # waiting for a reviewer: never more than a week and a review
            assert r.requested_at >= horizon - 8 * DAY, r.return_id


def test_not_returned_closes_wait_for_close_eligibility(run: SmallRun) -> None:
    for r in run.engine.returns():
        if r.close_reason is not None and r.close_reason.value == "not_returned":
            assert r.closed_at is not None and r.closed_at >= r.close_eligible_at


def _measured(run: SmallRun) -> list[dict[str, str]]:
    """events.csv's rows of the measured days (the warm-up's rows are dated before)."""
    start = run.summary["start"]
    return [e for e in run.events() if e["at"] >= start]


def test_counts_agree_between_events_summary_and_report(run: SmallRun) -> None:
    events = run.events()
    summary = run.summary
    report = run.report()
    requested = [e for e in _measured(run) if e["op"] == "request_return" and e["ok"] == "true"]
    assert len(requested) == summary["return_requests"] == len(report)
    assert summary["engine_calls"]["request_return"]["ok"] >= len(requested)  # warm-up too
    ops = Counter((e["op"], e["error"] or "ok") for e in events)
    for op, outcomes in summary["engine_calls"].items():
        for outcome, count in outcomes.items():
            assert ops[(op, outcome)] == count
    closes = Counter(r["Return request status"] for r in report)
    assert closes["Closed"] == sum(summary["closures"].values())
    since = calendar.timegm(date.fromisoformat(summary["start"]).timetuple())
    assert {r["Order ID"] for r in report} == {
        rec.order_id for rec in run.engine.returns() if rec.requested_at >= since
    }
    late = [e for e in _measured(run) if e["op"] == "receive" and e["error"] == "invalid_state"]
    assert len(late) == summary["packages_after_close"]


def test_orders_are_counted_whether_or_not_returned(run: SmallRun) -> None:
    s = run.summary
    assert s["orders"] == sum(c["orders"] for c in s["by_category"].values())
    assert s["orders"] > 5 * s["return_requests"]
    placed = sum(1 for e in _measured(run) if e["op"] == "place_order")
    assert placed == s["return_requests"]  # only returned orders reach the engine


def test_manual_answers_after_respond_by_are_counted(run: SmallRun) -> None:
    """Recompute the breach count from the engine's records (24 h after the request), of the
    answers given in the measured days."""
    late = 0
    since = calendar.timegm(date.fromisoformat(run.summary["start"]).timetuple())
    for r in run.engine.returns():
        if r.authorization is Mode.MANUAL and r.authorized_at is not None:
            late += r.authorized_at >= since and r.authorized_at > r.requested_at + 24 * HOUR
        elif r.authorization is None and r.close_reason is not None and \
                r.close_reason.value == "declined":
            assert r.closed_at is not None
            late += r.closed_at >= since and r.closed_at > r.requested_at + 24 * HOUR
    assert late == run.summary["manual_answered_after_respond_by"]


# --------------------------------------------------------------------------- parts


def test_working_hours() -> None:
    spec = ReviewSpec(
        reviewers_professional=1, reviewers_individual=1, work_start_hour=9, work_end_hour=17,
        work_days=(0, 1, 2, 3, 4), review_minutes=load().scenario.sellers.review.review_minutes,
        batch_share=0.0, batch_hours=(10, 16),
    )
    hours = WorkingHours.of(spec, start_weekday=0)  # second 0 is a Monday midnight
    assert hours.next_open(0) == 9 * HOUR
    assert hours.next_open(10 * HOUR) == 10 * HOUR
    assert hours.next_open(17 * HOUR) == DAY + 9 * HOUR
    assert hours.next_open(4 * DAY + 18 * HOUR) == 7 * DAY + 9 * HOUR  # Friday night -> Monday
    assert hours.next_batch(10 * HOUR + 1) == 16 * HOUR
    assert hours.next_batch(5 * DAY) == 7 * DAY + 10 * HOUR  # Saturday -> Monday 10:00
    assert hours.working_seconds(7 * DAY) == 5 * 8 * HOUR


def test_streams_are_named_not_ordered() -> None:
    a, b = Streams(5), Streams(5)
    first = a.rng("orders").random(3)
    b.rng("something else").random(10)
    assert np.array_equal(first, b.rng("orders").random(3))
    assert not np.array_equal(first, a.rng("requests").random(3))
    assert not np.array_equal(first, Streams(6).rng("orders").random(3))


def test_population_is_deterministic_and_ids_unique() -> None:
    scenario = load().scenario
    one = build_population(scenario, to_policy(scenario), Streams(3))
    two = build_population(scenario, to_policy(scenario), Streams(3))
    assert one.sellers == two.sellers
    assert one.catalog.names == two.catalog.names
    assert one.buyers.ids[:100] == two.buyers.ids[:100]
    assert len(set(one.buyers.ids)) == len(one.buyers.ids)
    assert len({s.seller_id for s in one.sellers}) == len(one.sellers)
    locales = Counter(s.locale for s in one.sellers)
    assert set(locales) == {"en_US", "zh_CN"}
    assert build_population(scenario, to_policy(scenario), Streams(4)).sellers != one.sellers


def test_vectorised_ids_match_the_scalar_ones() -> None:
    assert scrambled_ids("A", 1, 50) == [scrambled_id("A", i) for i in range(1, 51)]


def test_the_engine_accepts_every_seller(tmp_path: Path) -> None:
    from sim.core.engine import ReferenceEngine

    scenario = load("all-auto").scenario
    pop = build_population(scenario, to_policy(scenario), Streams(11))
    engine = ReferenceEngine()
    engine.set_policy(to_policy(scenario))
    for s in pop.sellers:
        engine.register_seller(s.seller_id, s.plan, s.settings)
