"""Seeds, scenario text and sweep grids: what an experiment is before it runs."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from experiment_runs import case, window_copy

from sim.experiments.design import Experiment, ExperimentError, cases_of, scenario_tree
from sim.experiments.grid import grid_cases, parse_vary
from sim.experiments.toml_text import dumps_toml
from sim.model.scenario import bundled_names


def _exp(replications: int = 3, vary_population: bool = False) -> Experiment:
    return Experiment("compare", (case("baseline"), case("understaffed")), replications,
                      1000, None, 5, vary_population)


def test_replication_r_has_the_same_seeds_in_every_scenario() -> None:
    tasks = _exp().tasks()
    by_rep: dict[int, set[tuple[int, int]]] = {}
    for t in tasks:
        by_rep.setdefault(t.replication, set()).add((t.replication_seed, t.population_seed))
    assert all(len(seeds) == 1 for seeds in by_rep.values())
    assert len({t.replication_seed for t in tasks}) == 3


def test_one_marketplace_by_default_and_a_new_one_per_replication_on_request() -> None:
    assert set(_exp().population_seeds()) == {5}
    varied = _exp(vary_population=True)
    assert varied.population_seeds() == varied.replication_seeds()


def test_one_replication_is_refused_with_the_reason() -> None:
    with pytest.raises(ExperimentError, match=r"at least 2.*one replication has none"):
        _exp(replications=1)


@pytest.mark.parametrize("name", bundled_names())
def test_scenario_text_reads_back_as_the_same_tree(name: str) -> None:
    tree, _, _ = scenario_tree(name)
    assert tomllib.loads(dumps_toml(tree)) == tree


def test_a_what_if_file_is_kept_complete_with_its_change(tmp_path: Path) -> None:
    c = cases_of(["baseline", str(window_copy(tmp_path))])[1]
    tree = tomllib.loads(c.text)
    assert tree["policy"]["default_window_days"] == 45
    assert tree["demand"]["orders_per_day"] > 0  # the baseline merged in
    assert c.scenario().policy.default_window_days == 45


def test_a_scenario_that_does_not_load_names_itself(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[policy]\ndefault_window_days = -3\n", encoding="utf-8")
    with pytest.raises(ExperimentError, match=r"bad.toml.*default_window_days"):
        cases_of(["baseline", str(bad)])


def test_a_mistyped_vary_key_names_the_nearest_keys() -> None:
    tree, _, _ = scenario_tree("baseline")
    with pytest.raises(ExperimentError, match=r"did you mean policy\.default_window_days"):
        parse_vary("policy.default_windw_days=30,45", tree)


def test_vary_values_are_read_as_toml() -> None:
    tree, _, _ = scenario_tree("baseline")
    assert parse_vary("sellers.review.work_days=[0,1],[0, 1, 2]", tree) == (
        "sellers.review.work_days", ([0, 1], [0, 1, 2]))
    assert parse_vary("buyers.comment_share=0.1,0.5", tree)[1] == (0.1, 0.5)


def test_a_value_of_the_wrong_type_is_refused_before_anything_runs() -> None:
    tree, name, source = scenario_tree("baseline")
    vary = [parse_vary("policy.default_window_days=30,forty", tree)]
    with pytest.raises(ExperimentError, match=r"default_window_days.*expected an integer"):
        grid_cases(tree, name, source, vary)


def test_the_grid_is_every_combination_first_key_slowest() -> None:
    tree, name, source = scenario_tree("baseline")
    vary = [parse_vary("policy.default_window_days=30,45", tree),
            parse_vary("sellers.review.reviewers_professional=1,2", tree)]
    cases = grid_cases(tree, name, source, vary)
    assert [c.name for c in cases] == [
        "baseline[default_window_days=30,reviewers_professional=1]",
        "baseline[default_window_days=30,reviewers_professional=2]",
        "baseline[default_window_days=45,reviewers_professional=1]",
        "baseline[default_window_days=45,reviewers_professional=2]",
    ]
    assert cases[3].scenario().sellers.review.reviewers_professional == 2
