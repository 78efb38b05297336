"""Simulate a scenario with known answers, calibrate from its own returns_report.tsv with the
orders it counted, and recover the answers within their intervals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from calibration_runs import RoundTrip, write_sku_map

from sim.calibration.estimation import MIN_ROWS
from sim.commands.cli import main
from sim.model.scenario import load


def test_return_rates_are_recovered_within_their_intervals(round_trip: RoundTrip) -> None:
    truth = load(str(round_trip.truth_file)).scenario
    cats = round_trip.estimates["categories"]
    own = {c: e for c, e in cats.items() if e["return_rate_basis"].startswith("per category")}
    assert {"apparel", "shoes", "electronics", "home_kitchen"} <= set(own)
    for name, e in own.items():
        r = e["return_rate"]
        assert r["low"] <= truth.categories[name].return_rate <= r["high"], (name, r)
    # the intervals are tight enough to tell the known answer from the baseline's
    base = load(None).scenario
    for name in ("apparel", "electronics"):
        r = own[name]["return_rate"]
        assert not r["low"] <= base.categories[name].return_rate <= r["high"], (name, r)


def test_thin_categories_are_pooled_and_the_pooled_rate_holds(round_trip: RoundTrip) -> None:
    truth = load(str(round_trip.truth_file)).scenario
    cats = round_trip.estimates["categories"]
    summary = round_trip.summary["by_category"]
    thin = [c for c, e in cats.items() if e["return_rate_basis"].startswith("pooled")]
    assert thin and all(cats[c]["rows"] < MIN_ROWS for c in thin)
    orders = sum(summary[c]["orders"] for c in thin)
    expected = sum(summary[c]["orders"] * truth.categories[c].return_rate for c in thin) / orders
    r = cats[thin[0]]["return_rate"]
    assert r["low"] <= expected <= r["high"]


def test_reason_mixes_are_recovered_within_their_intervals(round_trip: RoundTrip) -> None:
    truth = load(str(round_trip.truth_file)).scenario
    cats = round_trip.estimates["categories"]
    checked = 0
    for name, e in cats.items():
        if not e["reasons_basis"].startswith("per category"):
            continue
        true_mix = truth.categories[name].reasons
        assert set(e["reasons"]) <= set(true_mix), name
        for reason, share in true_mix.items():
            got = e["reasons"].get(reason)
            assert got is not None and got["low"] <= share <= got["high"], (name, reason, got)
            checked += 1
    assert checked >= 20
    apparel = cats["apparel"]["reasons"]
    assert apparel["CR-DEFECTIVE"]["low"] > 0.04  # the baseline's 0.04 is excluded


def test_the_request_delay_is_recovered_within_its_intervals(round_trip: RoundTrip) -> None:
    d = round_trip.estimates["request_delay_days"]
    assert d["median_low"] <= 4.0 <= d["median_high"], d
    assert d["sigma_low"] <= 0.6 <= d["sigma_high"], d
    assert not d["median_low"] <= 6.0 <= d["median_high"]  # the baseline's median is out
    assert d["n"] > 500


def test_the_calibrated_scenario_loads_and_holds_the_estimates(round_trip: RoundTrip) -> None:
    text = round_trip.scenario_file.read_text("utf-8")
    assert text.startswith("# returns-sim calibrate:")
    assert "[policy]" not in text and "[sellers" not in text  # only what changed
    scenario = load(str(round_trip.scenario_file)).scenario
    d = round_trip.estimates["request_delay_days"]
    assert abs(scenario.buyers.request_delay_days.median - d["median"]) < 1e-3
    apparel = round_trip.estimates["categories"]["apparel"]
    assert abs(scenario.categories["apparel"].return_rate - apparel["return_rate"]["value"]) < 1e-4
    for line in text.splitlines():
        if line.startswith("return_rate"):
            assert "returns" in line and "orders" in line and "99%" in line


def test_the_report_shows_estimates_intervals_and_plots(round_trip: RoundTrip) -> None:
    text = (round_trip.out / "calibration.txt").read_text("utf-8")
    assert "Return rates" in text and "Reason mix" in text and "Request delay" in text
    assert "pooled over the thin categories" in text
    for name in ("request_delay.png", "ship_delay.png", "return_rates.png", "reasons.png",
                 "shares.png"):
        assert (round_trip.out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_a_run_of_the_calibrated_scenario_reproduces_the_rates_and_delay(
        round_trip: RoundTrip, tmp_path: Path) -> None:
    """Done when: the calibrated scenario, run (larger, another seed) and calibrated again,
    lands inside the first calibration's intervals."""
    run = tmp_path / "again"
    assert main(["run", str(round_trip.scenario_file), "--seed", "5", "--orders", "100000",
                 "--out", str(run), "--quiet"]) == 0
    summary = json.loads((run / "summary.json").read_text("utf-8"))
    orders = tmp_path / "orders.csv"
    orders.write_text("category,orders\n" + "".join(
        f"{c},{v['orders']}\n" for c, v in summary["by_category"].items()), "utf-8")
    skus = write_sku_map(tmp_path / "skus.csv", str(round_trip.scenario_file))
    out = tmp_path / "cal"
    assert main(["calibrate", str(run / "returns_report.tsv"), "--orders", str(orders),
                 "--categories", str(skus), "--out", str(out)]) == 0
    again = json.loads((out / "estimates.json").read_text("utf-8"))
    first = round_trip.estimates
    for name, e in first["categories"].items():
        if e["return_rate_basis"].startswith("per category"):
            r, got = e["return_rate"], again["categories"][name]["return_rate"]["value"]
            assert r["low"] <= got <= r["high"], (name, r, got)
    d, got_d = first["request_delay_days"], again["request_delay_days"]
    assert d["median_low"] <= got_d["median"] <= d["median_high"]
    assert d["sigma_low"] <= got_d["sigma"] <= d["sigma_high"]
