"""Scenario loading: the bundled files, the overlay on the baseline, and every kind of refusal
naming the key path and the value."""

from __future__ import annotations

import filecmp
from datetime import date
from pathlib import Path

import pytest

from sim.core.values import Holiday
from sim.model.scenario import ScenarioError, bundled_names, load, merge, parse, to_policy

ROOT = Path(__file__).resolve().parents[2]
BASE = (ROOT / "sim" / "scenarios" / "baseline.toml").read_bytes()


def refuse(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse(text.encode(), BASE)
    return info.value


def test_the_four_scenarios_are_bundled_and_load() -> None:
    assert bundled_names() == ["all-auto", "baseline", "holiday", "understaffed"]
    for name in bundled_names():
        loaded = load(name)
        assert loaded.name == name
        assert len(loaded.sha256) == 64


def test_top_level_scenarios_folder_is_the_package_data() -> None:
    """One source of truth: scenarios/ shows the very files shipped in sim/scenarios/."""
    top, packaged = ROOT / "scenarios", ROOT / "sim" / "scenarios"
    names = sorted(p.name for p in packaged.glob("*.toml"))
    assert names == sorted(p.name for p in top.glob("*.toml"))
    _, mismatch, errors = filecmp.cmpfiles(top, packaged, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_default_is_the_baseline_and_a_year_of_a_million_orders() -> None:
    s = load().scenario
    assert load().name == "baseline"
    assert s.run.days == 365
    assert 900_000 <= s.demand.orders_per_day * s.run.days <= 1_100_000
    assert abs(sum(c.share for c in s.categories.values()) - 1) < 1e-9
    # apparel comes back most, books and media least (design.md)
    rates = {k: c.return_rate for k, c in s.categories.items()}
    assert max(rates, key=rates.__getitem__) == "apparel"
    assert rates["books"] < 0.03 and rates["media"] < 0.03


def test_overlays_change_only_what_they_state() -> None:
    base = load().scenario
    holiday = load("holiday").scenario
    assert holiday.policy.holiday is not None and base.policy.holiday is None
    assert holiday.categories == base.categories
    under = load("understaffed").scenario
    assert under.sellers.review.reviewers_professional == 1
    assert under.sellers.decisions == base.sellers.decisions
    auto = load("all-auto").scenario.sellers.settings
    assert (auto.individual_auto_share, auto.out_of_policy_auto_share,
            auto.exempt_mode_auto_share) == (1.0, 1.0, 1.0)


def test_a_copy_of_the_baseline_with_one_knob_changed(tmp_path: Path) -> None:
    text = BASE.decode().replace("manual_response_hours = 24", "manual_response_hours = 48")
    path = tmp_path / "slow.toml"
    path.write_text(text, encoding="utf-8")
    loaded = load(str(path))
    assert loaded.name == "slow"
    assert loaded.scenario.policy.manual_response_hours == 48
    assert to_policy(loaded.scenario).manual_response_hours == 48


def test_to_policy_carries_every_policy_field() -> None:
    s = load("holiday").scenario
    p = to_policy(s)
    assert p.default_window_days == 30
    assert p.category_window_days == {"baby": 90, "renewed": 90, "electronics": 15}
    assert p.non_returnable_categories == ("grocery",)
    assert p.prepaid_exempt_categories == ("furniture", "handmade")
    assert p.transit_days == 15
    assert p.holiday == Holiday(date(2025, 11, 1), date(2025, 12, 31), date(2026, 1, 31))
    assert "CR-DEFECTIVE" in p.seller_fault_reasons


def test_merge_merges_tables_and_replaces_other_values() -> None:
    assert merge({"a": {"x": 1, "y": 2}, "b": [1]}, {"a": {"y": 3}, "b": [2]}) == {
        "a": {"x": 1, "y": 3},
        "b": [2],
    }


@pytest.mark.parametrize(
    ("toml", "key", "value", "words"),
    [
        ("[sellers]\ncuont = 3\n", "sellers.cuont", 3, "unknown key"),
        ("[categories.apparel]\nsize = 1\n", "categories.apparel.size", 1, "unknown key"),
        ("[sellers]\ncount = \"many\"\n", "sellers.count", "many", "expected an integer"),
        ("[sellers]\ncount = true\n", "sellers.count", True, "expected an integer"),
        ("[policy]\ntransit_days = 1.5\n", "policy.transit_days", 1.5, "expected an integer"),
        ("[run]\nstart = \"2025-01-01\"\n", "run.start", "2025-01-01", "expected a date"),
        ("[demand]\nprime_share = 1.5\n", "demand.prime_share", 1.5, "between 0 and 1"),
        ("[categories.books]\nreturn_rate = -0.1\n", "categories.books.return_rate", -0.1,
         "between 0 and 1"),
        ("[buyers]\nlocales = { en_US = 0.5, zh_CN = 0.4 }\n", "buyers.locales", 0.9,
         "sum to 1"),
        ("[categories.apparel]\nshare = 0.3\n", "categories.*.share", 1.1, "sum to 1"),
        ("[demand]\nquantity_shares = [0.5, 0.6]\n", "demand.quantity_shares", 1.1,
         "sum to 1"),
        ("[policy]\ntransit_days = -2\n", "policy.transit_days", -2, "cannot be negative"),
        ("[shipping]\ntransit_days = { low = -1.0, high = 3.0 }\n", "shipping.transit_days.low",
         -1.0, "negative"),
        ("[sellers.decisions]\nclose_lag_days = { low = 5.0, high = 1.0 }\n",
         "sellers.decisions.close_lag_days", {"low": 5.0, "high": 1.0}, "low exceeds high"),
        ("[categories.toys]\nlabel_cost = { low = 9, high = 2 }\n", "categories.toys.label_cost",
         {"low": 9, "high": 2}, "low exceeds high"),
        ("[policy]\nnon_returnable_categories = [\"cars\"]\n",
         "policy.non_returnable_categories", "cars", "names no category"),
        ("[demand]\nweekday_profile = [1.0, 1.0]\n", "demand.weekday_profile", [1.0, 1.0],
         "expected 7 values"),
        ("[sellers.review]\nwork_start_hour = 18\nwork_end_hour = 9\n",
         "sellers.review.work_end_hour", 9, "working hours"),
        ("[sellers]\ncount = 0\n", "sellers.count", 0, "at least 1"),
    ],
)
def test_bad_knobs_are_refused_naming_key_and_value(
    toml: str, key: str, value: object, words: str
) -> None:
    err = refuse(toml)
    assert err.key == key
    assert err.value == value
    assert words in str(err)
    assert str(err).startswith(f"{key}: ")
    assert repr(value) in str(err)


def test_a_file_that_is_not_toml_is_refused() -> None:
    err = refuse("[sellers\ncount = 3")
    assert err.key == "scenario"
    assert "not valid TOML" in str(err)


def test_a_missing_file_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load(str(tmp_path / "nope.toml"))
    assert "no such file" in str(info.value)
    assert "nope.toml" in str(info.value)


def test_without_the_baseline_every_key_is_required() -> None:
    with pytest.raises(ScenarioError) as info:
        parse(b"[run]\nstart = 2025-01-01\ndays = 3\nseed = 1\n", None)
    assert info.value.key == "policy"
    assert "missing key" in str(info.value)


def test_a_mix_in_an_overlay_replaces_the_baseline_mix_whole() -> None:
    s = parse(b"[buyers]\nlocales = { en_US = 0.5, zh_CN = 0.5 }\n", BASE)
    assert dict(s.buyers.locales) == {"en_US": 0.5, "zh_CN": 0.5}
    # while a category table still merges key by key
    s = parse(b"[categories.books]\nreturn_rate = 0.5\n", BASE)
    assert s.categories["books"].return_rate == 0.5
    assert s.categories["books"].skus == 3000


def _knob_paths(cls: type, prefix: str) -> list[str]:
    """Dotted paths of every knob (``categories.<name>.share`` for a category's)."""
    import dataclasses
    import typing

    from sim.model.scenario_spec import CategorySpec, Lognormal, Uniform

    paths = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        path = f"{prefix}{f.name}"
        if isinstance(tp, type) and dataclasses.is_dataclass(tp) and tp not in (Lognormal, Uniform):
            paths += _knob_paths(tp, path + ".")
        elif CategorySpec in typing.get_args(tp):
            paths += _knob_paths(CategorySpec, path + ".<name>.")
        else:
            paths.append(path)
    return paths


def test_every_knob_is_documented_with_its_default() -> None:
    from sim.model.scenario_spec import Scenario

    doc = (ROOT / "docs" / "scenarios.md").read_text("utf-8")
    missing = [p for p in _knob_paths(Scenario, "") if f"`{p}`" not in doc]
    assert missing == []
