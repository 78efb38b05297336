"""set_policy: it replaces the policy whole, applies to later requests only, and refuses values
that make no sense with invalid_policy (naming the field and the value)."""

from __future__ import annotations

from datetime import date

import pytest
from engine_fixtures import DELIVERED, REQUESTED, World

from sim.core.errors import ErrorCode
from sim.core.values import DAY, HOUR, Holiday, LabelType, Policy, Violation


def test_set_policy_answers_the_policy_now_in_force() -> None:
    w = World()
    p = Policy(
        default_window_days=20,
        category_window_days={"baby": 90},
        non_returnable_categories=("grocery",),
        transit_days=5,
        holiday=Holiday(date(2025, 11, 1), date(2025, 12, 31), date(2026, 1, 31)),
        prepaid_exempt_categories=("sofa",),
        manual_response_hours=48,
        seller_fault_reasons=("CR-DEFECTIVE",),
    )
    assert w.engine.set_policy(p) == p


def test_default_policy_answers_defaults() -> None:
    assert World().engine.set_policy(Policy()) == Policy()


def test_set_policy_replaces_rather_than_merges() -> None:
    w = World(Policy(transit_days=3, non_returnable_categories=("grocery",)))
    assert w.engine.set_policy(Policy(default_window_days=40)) == Policy(default_window_days=40)
    w.seller()
    w.order(category="grocery")
    r = w.request().return_
    assert r.in_policy is True
    assert r.close_eligible_at == DELIVERED + 40 * DAY + 15 * DAY


def test_policy_applies_only_to_later_requests() -> None:
    w = World()
    w.individual("S1")
    w.order("O1", quantity=2)
    first = w.request("R1").return_
    w.engine.set_policy(Policy(default_window_days=60, transit_days=2, manual_response_hours=1))
    assert w.engine.get_return("R1") == first
    second = w.request("R2").return_
    assert second.window_closes_at == DELIVERED + 60 * DAY
    assert second.close_eligible_at == second.window_closes_at + 2 * DAY
    assert second.respond_by == REQUESTED + HOUR


def test_prepaid_exempt_categories_come_from_the_policy() -> None:
    w = World(Policy(prepaid_exempt_categories=("toys",)))
    w.seller()
    w.order("O1", quantity=2)
    assert w.request("R1").return_.status == "pending_authorization"
    w.engine.set_policy(Policy())
    r = w.request("R2").return_
    assert r.label is not None and r.label.type == LabelType.AMAZON_PREPAID


@pytest.mark.parametrize(
    ("policy", "field_end", "value"),
    [
        (Policy(default_window_days=0), "default_window_days", 0),
        (Policy(default_window_days=-5), "default_window_days", -5),
        (Policy(category_window_days={"baby": 0}), "baby", 0),
        (Policy(transit_days=-1), "transit_days", -1),
        (Policy(manual_response_hours=0), "manual_response_hours", 0),
    ],
)
def test_nonsense_numbers_are_invalid_policy(policy: Policy, field_end: str, value: int) -> None:
    w = World()
    err = w.refuses(ErrorCode.INVALID_POLICY, lambda: w.engine.set_policy(policy))
    assert str(err.details["field"]).endswith(field_end)
    assert err.details["value"] == value


def test_holiday_ordered_from_after_ordered_to_is_invalid_policy() -> None:
    w = World()
    bad = Policy(holiday=Holiday(date(2025, 12, 31), date(2025, 11, 1), date(2026, 1, 31)))
    err = w.refuses(ErrorCode.INVALID_POLICY, lambda: w.engine.set_policy(bad))
    assert "holiday" in str(err.details["field"])


def test_holiday_return_by_before_ordered_to_is_invalid_policy() -> None:
    w = World()
    bad = Policy(holiday=Holiday(date(2025, 11, 1), date(2025, 12, 31), date(2025, 12, 30)))
    err = w.refuses(ErrorCode.INVALID_POLICY, lambda: w.engine.set_policy(bad))
    assert "return_by" in str(err.details["field"])


def test_holiday_of_a_single_day_returnable_the_same_day_is_valid() -> None:
    w = World()
    one = Policy(holiday=Holiday(date(2025, 11, 1), date(2025, 11, 1), date(2025, 11, 1)))
    assert w.engine.set_policy(one) == one


def test_edge_values_that_make_sense_are_accepted() -> None:
    w = World()
    p = Policy(
        default_window_days=1,
        category_window_days={"x": 1},
        transit_days=0,
        manual_response_hours=1,
    )
    assert w.engine.set_policy(p) == p


def test_refused_policy_leaves_the_old_one_in_force() -> None:
    w = World(Policy(default_window_days=10, non_returnable_categories=("grocery",)))
    w.refuses(ErrorCode.INVALID_POLICY, lambda: w.engine.set_policy(Policy(transit_days=-1)))
    w.seller()
    w.order(category="grocery")
    r = w.request(requested_at=DELIVERED + 11 * DAY).return_
    assert r.window_closes_at == DELIVERED + 10 * DAY
    assert r.policy_violations == (Violation.WINDOW_EXPIRED, Violation.NON_RETURNABLE)


def test_refused_policy_leaves_seller_checks_on_the_old_policy() -> None:
    w = World(Policy(default_window_days=10))
    w.refuses(
        ErrorCode.INVALID_POLICY,
        lambda: w.engine.set_policy(Policy(default_window_days=50, manual_response_hours=0)),
    )
    assert dict(w.seller("S1", return_window_days={"toys": 20}).settings.return_window_days) == {
        "toys": 20
    }
