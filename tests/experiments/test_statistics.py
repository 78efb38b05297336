"""Means, intervals and paired differences: the numbers a designer reads effects from."""

from __future__ import annotations

import math

import pytest

from sim.experiments.replicate import ReplicationResult
from sim.experiments.stats import compare_rows, interval, paired, replications_for


def _result(scenario: str, r: int, value: float | None) -> ReplicationResult:
    return ReplicationResult(scenario, r, r, 0, (("k", value),), "2025-01-01", (), ())


def test_mean_interval_is_the_t_interval() -> None:
    values = [1.0, 2.0, 3.0, 4.0]
    got = interval(values)
    sd = math.sqrt(sum((v - 2.5) ** 2 for v in values) / 3)
    half = 3.182446305284263 * sd / 2.0  # t(0.975, 3) * sd / sqrt(4)
    assert got.mean == 2.5
    assert got.low == pytest.approx(2.5 - half)
    assert got.high == pytest.approx(2.5 + half)


def test_one_value_gives_no_interval_rather_than_a_fake_one() -> None:
    got = interval([0.7])
    assert got.mean == 0.7
    assert got.low is None and got.high is None


def test_a_kpi_that_did_not_vary_has_its_point_as_interval() -> None:
    got = interval([3.0, 3.0, 3.0])
    assert (got.low, got.high) == (3.0, 3.0)


def test_paired_difference_sees_a_small_effect_that_the_spread_hides() -> None:
    base = [0.640, 0.635, 0.554, 0.743]  # seed-to-seed spread of ~0.08
    other = [b + 0.007 + e for b, e in zip(base, [0.001, -0.001, 0.002, -0.002], strict=True)]
    d = paired(other, base)
    assert d.low is not None and d.high is not None
    assert 0.0 < d.low < 0.007 < d.high
    separate = interval(other)
    assert separate.low is not None and separate.low < interval(base).mean  # type: ignore[operator]


def test_rows_mark_a_difference_beyond_noise_and_leave_the_base_unmarked() -> None:
    rows = compare_rows({
        "base": [_result("base", r, v) for r, v in enumerate([1.0, 2.0, 3.0])],
        "up": [_result("up", r, v) for r, v in enumerate([2.1, 2.9, 4.05])],
        "same": [_result("same", r, v) for r, v in enumerate([1.2, 1.8, 3.1])],
    }, "base", ["k"])
    by = {r.scenario: r for r in rows}
    assert by["base"].beyond_noise is None and by["base"].diff_mean is None
    assert by["up"].beyond_noise is True
    assert by["up"].diff_pct == pytest.approx(100 * by["up"].diff_mean / 2.0)  # type: ignore[operator]
    assert by["same"].beyond_noise is False


def test_failed_and_undefined_replications_are_left_out_of_the_pairs() -> None:
    failed = ReplicationResult("up", 2, 2, 0, (), "", (), (), error="EngineError: no")
    rows = compare_rows({
        "base": [_result("base", r, v) for r, v in enumerate([1.0, 2.0, 3.0])],
        "up": [_result("up", 0, 1.5), _result("up", 1, None), failed],
    }, "base", ["k"])
    up = next(r for r in rows if r.scenario == "up")
    assert up.n == 1 and up.diff_n == 1
    assert up.diff_ci_low is None and up.beyond_noise is None


def test_replications_needed_for_a_precision() -> None:
    n = replications_for(half_width=0.01, sd=0.02)
    assert n == 18  # t(0.975, 17) * 0.02 / sqrt(18) = 0.00995
    assert replications_for(half_width=0.02, sd=0.02) < n
