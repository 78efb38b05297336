"""Rules 1 and 2: the return window (category, seller, holiday) and being in policy."""

from __future__ import annotations

from datetime import date

from engine_fixtures import DELIVERED, T0, World, ts

from sim.core.values import DAY, Holiday, Mode, Plan, Policy, Violation

HOLIDAY = Holiday(
    ordered_from=date(2025, 11, 1), ordered_to=date(2025, 12, 31), return_by=date(2026, 1, 31)
)
HOLIDAY_END = ts("2026-01-31T23:59:59Z")


def _window_for(
    world: World, category: str, *, ordered_at: int = T0, delivered_at: int | None = None
) -> int:
    world.order("O1", ordered_at=ordered_at, delivered_at=delivered_at, category=category)
    requested = (delivered_at if delivered_at is not None else ordered_at + 2 * DAY) + 1
    return world.request("R1", requested_at=requested).return_.window_closes_at


def test_default_window_is_thirty_days_after_delivery() -> None:
    w = World()
    w.seller()
    assert _window_for(w, "toys") == DELIVERED + 30 * DAY


def test_policy_default_window_applies_to_unlisted_categories() -> None:
    w = World(Policy(default_window_days=45, category_window_days={"baby": 90}))
    w.seller()
    assert _window_for(w, "toys") == DELIVERED + 45 * DAY


def test_category_window_replaces_the_default_even_when_shorter() -> None:
    w = World(Policy(category_window_days={"electronics": 15, "baby": 90}))
    w.seller()
    assert _window_for(w, "electronics") == DELIVERED + 15 * DAY
    w2 = World(Policy(category_window_days={"electronics": 15, "baby": 90}))
    w2.seller()
    assert _window_for(w2, "baby") == DELIVERED + 90 * DAY


def test_seller_window_larger_than_marketplace_wins() -> None:
    w = World(Policy(category_window_days={"electronics": 15}))
    w.seller(return_window_days={"electronics": 40, "toys": 60})
    assert _window_for(w, "electronics") == DELIVERED + 40 * DAY
    w2 = World(Policy(category_window_days={"electronics": 15}))
    w2.seller(return_window_days={"electronics": 40, "toys": 60})
    assert _window_for(w2, "toys") == DELIVERED + 60 * DAY


def test_seller_window_equal_to_marketplace_is_accepted_and_changes_nothing() -> None:
    w = World()
    w.seller(return_window_days={"toys": 30})
    assert _window_for(w, "toys") == DELIVERED + 30 * DAY


def test_seller_window_for_another_category_does_not_apply() -> None:
    w = World()
    w.seller(return_window_days={"books": 90})
    assert _window_for(w, "toys") == DELIVERED + 30 * DAY


def test_marketplace_window_wins_when_a_later_policy_outgrows_the_seller() -> None:
    """Rule 1 takes the seller's window only "where it is larger": a policy set after
    registration that is more generous than the seller applies."""
    w = World()
    w.seller(return_window_days={"toys": 40})
    w.engine.set_policy(Policy(default_window_days=60))
    assert _window_for(w, "toys") == DELIVERED + 60 * DAY


def test_individual_seller_window_counts_too() -> None:
    w = World()
    w.seller("S1", Plan.INDIVIDUAL, return_window_days={"toys": 50})
    assert _window_for(w, "toys") == DELIVERED + 50 * DAY


def test_window_is_computed_at_request_time_and_kept() -> None:
    w = World()
    w.seller()
    first = _window_for(w, "toys")
    w.engine.set_policy(Policy(default_window_days=5, transit_days=1))
    kept = w.engine.get_return("R1")
    assert kept.window_closes_at == first
    assert kept.close_eligible_at == first + 15 * DAY


# --------------------------------------------------------------------------- rule 2


def test_request_at_the_exact_second_the_window_closes_is_in_policy() -> None:
    w = World()
    w.seller()
    w.order()
    closes = DELIVERED + 30 * DAY
    r = w.request(requested_at=closes).return_
    assert r.window_closes_at == closes
    assert r.in_policy is True
    assert r.policy_violations == ()


def test_request_one_second_after_the_window_is_window_expired() -> None:
    w = World()
    w.seller(out_of_policy=Mode.MANUAL)
    w.order()
    r = w.request(requested_at=DELIVERED + 30 * DAY + 1).return_
    assert r.in_policy is False
    assert r.policy_violations == (Violation.WINDOW_EXPIRED,)


def test_request_at_delivery_is_in_policy() -> None:
    w = World()
    w.seller()
    w.order()
    r = w.request(requested_at=DELIVERED).return_
    assert r.in_policy is True


def test_non_returnable_category_is_out_of_policy_even_inside_the_window() -> None:
    w = World(Policy(non_returnable_categories=("grocery",)))
    w.seller()
    w.order(category="grocery")
    r = w.request().return_
    assert r.in_policy is False
    assert r.policy_violations == (Violation.NON_RETURNABLE,)


def test_both_violations_are_listed_window_first() -> None:
    w = World(Policy(non_returnable_categories=("grocery",)))
    w.seller()
    w.order(category="grocery")
    r = w.request(requested_at=DELIVERED + 31 * DAY).return_
    assert r.in_policy is False
    assert r.policy_violations == (Violation.WINDOW_EXPIRED, Violation.NON_RETURNABLE)


def test_non_returnable_does_not_touch_other_categories() -> None:
    w = World(Policy(non_returnable_categories=("grocery",)))
    w.seller()
    w.order(category="toys")
    assert w.request().return_.in_policy is True


def test_category_window_expiry_uses_the_category_window() -> None:
    w = World(Policy(category_window_days={"electronics": 15}))
    w.seller()
    w.order(category="electronics")
    r = w.request(requested_at=DELIVERED + 15 * DAY + 1).return_
    assert r.policy_violations == (Violation.WINDOW_EXPIRED,)


def test_seller_window_keeps_a_late_request_in_policy() -> None:
    w = World()
    w.seller(return_window_days={"toys": 60})
    w.order()
    r = w.request(requested_at=DELIVERED + 59 * DAY).return_
    assert r.in_policy is True
    assert r.window_closes_at == DELIVERED + 60 * DAY


# --------------------------------------------------------------------------- holiday


def _holiday_world() -> World:
    w = World(Policy(holiday=HOLIDAY))
    w.seller()
    return w


def test_holiday_order_inside_the_dates_is_returnable_until_return_by_end_of_day() -> None:
    w = _holiday_world()
    ordered = ts("2025-11-20T12:00:00Z")
    assert _window_for(w, "toys", ordered_at=ordered) == HOLIDAY_END


def test_holiday_first_second_of_ordered_from_counts() -> None:
    w = _holiday_world()
    assert _window_for(w, "toys", ordered_at=ts("2025-11-01T00:00:00Z")) == HOLIDAY_END


def test_holiday_last_second_of_ordered_to_counts() -> None:
    w = _holiday_world()
    ordered = ts("2025-12-31T23:59:59Z")
    # Delivered a second later: 30 days end 2026-01-31T00:00:00Z, before return_by's end.
    assert _window_for(w, "toys", ordered_at=ordered, delivered_at=ordered + 1) == HOLIDAY_END


def test_holiday_order_one_second_before_ordered_from_does_not_count() -> None:
    w = _holiday_world()
    ordered = ts("2025-10-31T23:59:59Z")
    assert _window_for(w, "toys", ordered_at=ordered) == ordered + 2 * DAY + 30 * DAY


def test_holiday_order_the_day_after_ordered_to_does_not_count() -> None:
    w = _holiday_world()
    ordered = ts("2026-01-01T00:00:00Z")
    assert _window_for(w, "toys", ordered_at=ordered) == ordered + 2 * DAY + 30 * DAY


def test_holiday_uses_the_order_date_not_the_delivery_date() -> None:
    w = _holiday_world()
    ordered = ts("2025-10-30T12:00:00Z")
    delivered = ts("2025-11-05T12:00:00Z")
    assert (
        _window_for(w, "toys", ordered_at=ordered, delivered_at=delivered) == delivered + 30 * DAY
    )


def test_holiday_takes_the_later_of_the_two_windows() -> None:
    """A long seller window that runs past return_by keeps its own end."""
    w = World(Policy(holiday=HOLIDAY))
    w.seller(return_window_days={"toys": 90})
    ordered = ts("2025-12-20T08:00:00Z")
    delivered = ordered + 2 * DAY
    assert (
        _window_for(w, "toys", ordered_at=ordered, delivered_at=delivered) == delivered + 90 * DAY
    )


def test_holiday_request_at_return_by_end_is_in_policy_and_one_second_later_is_not() -> None:
    w = World(Policy(holiday=HOLIDAY))
    w.seller(out_of_policy=Mode.MANUAL)
    w.order("O1", ordered_at=ts("2025-11-10T09:00:00Z"))
    assert w.request("R1", requested_at=HOLIDAY_END).return_.in_policy is True
    w.order("O2", ordered_at=ts("2025-11-10T09:00:00Z"))
    late = w.request("R2", "O2", requested_at=HOLIDAY_END + 1).return_
    assert late.policy_violations == (Violation.WINDOW_EXPIRED,)


def test_holiday_close_eligibility_counts_transit_from_the_holiday_window() -> None:
    w = World(Policy(holiday=HOLIDAY, transit_days=10))
    w.seller()
    r = _window_for(w, "toys", ordered_at=ts("2025-11-10T09:00:00Z"))
    assert w.engine.get_return("R1").close_eligible_at == r + 10 * DAY


def test_the_window_includes_its_last_second() -> None:
    """A request at the window's last second is in policy (none of the violations' checks
    apply), the next second is not: the boundary of the rules' no-violation fast path."""
    from sim.core.policy import violations

    policy = Policy(non_returnable_categories=("grocery",))
    closes = DELIVERED + 30 * DAY
    assert violations(policy, "toys", closes, closes) == ()
    assert violations(policy, "toys", closes + 1, closes) == (Violation.WINDOW_EXPIRED,)
    assert violations(policy, "grocery", closes, closes) == (Violation.NON_RETURNABLE,)
    w = World()
    w.seller()
    w.order(category="toys")
    r = w.request(requested_at=DELIVERED + 30 * DAY).return_
    assert r.window_closes_at == r.requested_at and r.in_policy is True
