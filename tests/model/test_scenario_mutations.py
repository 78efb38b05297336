"""Scenario mutation: every knob set to extreme and odd values of its type ends in a clean run
or a refusal with a message (exit 2 on the command line), never in a traceback, a hang or a
report with ``inf`` in it.

The base is the baseline made small (few sellers, buyers and SKUs) and each accepted mutant is
run for a few hundred orders, so the whole sweep takes seconds; the bounds themselves are the
scenario's (docs/scenarios.md, "Bounds").
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import json
import math
import tomllib
import types
import typing
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sim.commands import cli
from sim.core.engine import ReferenceEngine
from sim.model.budget import RunTooLarge, check_limits, check_memory
from sim.model.plan import plan_run
from sim.model.run import single_run
from sim.model.scenario import (
    BASELINE,
    LoadedScenario,
    ScenarioError,
    _bundled_bytes,
    build,
    check_scenario,
    merge,
)
from sim.model.scenario_spec import Scenario
from sim.reports.events import EventLog
from sim.reports.folder import write_run_folder

SMALL = """
[run]
days = 10
[sellers]
count = 30
[buyers]
population = 2000
"""


def small_tree() -> dict[str, Any]:
    base = tomllib.loads(_bundled_bytes(BASELINE).decode())
    over = tomllib.loads(SMALL)
    over["categories"] = {name: {"skus": 20} for name in base["categories"]}
    return merge(base, over, Scenario)


def leaves(tree: Any, tp: Any = Scenario, path: tuple[Any, ...] = ()) -> \
        Iterator[tuple[tuple[Any, ...], Any]]:
    """Every knob of the schema with its value: each field of a table, and of a table of
    entries (categories, mixes, windows) the whole table and its first entry only, which
    stands for the others."""
    if path:
        yield path, tree
    if dataclasses.is_dataclass(tp) and isinstance(tree, dict):
        hints = typing.get_type_hints(tp)
        for key, value in tree.items():
            yield from leaves(value, _inner(hints[key]), (*path, key))
    elif isinstance(tree, dict) and tree:
        key = next(iter(tree))
        yield from leaves(tree[key], _inner(typing.get_args(tp)[1]), (*path, key))
    elif isinstance(tree, list) and tree:
        yield from leaves(tree[0], None, (*path, 0))


def _inner(tp: Any) -> Any:
    """``X`` of ``X | None``."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    return args[0] if typing.get_origin(tp) in (types.UnionType, typing.Union) else tp


def odd_values(value: Any) -> list[Any]:
    """Values of the knob's own type at and beyond every edge, and one of another type."""
    if isinstance(value, bool):
        return [not value, 0]
    if isinstance(value, int):
        return [0, -1, 1, 24, 366, 3651, 10**12, 2**63 - 1, "7"]
    if isinstance(value, float):
        return [0.0, 1e-300, 1.0, 1.000001, 1e7, 1e308, -1e-9, "x"]
    if isinstance(value, date):
        return [date(1999, 12, 31), date(2000, 1, 1), date(2100, 12, 31), date(9999, 12, 1),
                "2025-01-01"]
    if isinstance(value, str):
        return ["", "x" * 101, "tab\tand,comma\"quote", "CR-DEFECTIVE", 3]
    if isinstance(value, list):
        return [[], value * 2, value[:1], [None]]
    if isinstance(value, dict):
        return [{}, {"": 1.0}, {"x" * 101: 1.0}, {"xx_YY": 1.0}, "table"]
    return [None]


def set_at(tree: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(tree)
    node: Any = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


def mutants() -> list[tuple[str, dict[str, Any]]]:
    base = small_tree()
    found = []
    for path, value in leaves(base):
        for odd in odd_values(value):
            name = ".".join(str(p) for p in path) + f" = {odd!r:.40}"
            found.append((name, set_at(base, path, odd)))
    return found


def clean(text: str) -> bool:
    return not any(bad in text for bad in ("inf", "nan", "Infinity", "NaN"))


def outcome(tree: dict[str, Any], folder: Path) -> str:
    """'refused: ...' or 'ran'; anything else raises (the test's failure)."""
    try:
        scenario = build(Scenario, tree, "")
        check_scenario(scenario)
    except ScenarioError as exc:
        assert exc.key and str(exc).startswith(exc.key), exc
        return f"refused: {exc}"
    plan = plan_run(scenario, name="mutant", orders=200)
    try:
        check_limits(plan)
        check_memory(plan, 4 * 10**9)
    except RunTooLarge as exc:
        return f"refused: {exc}"
    folder.mkdir()
    with EventLog(folder / "events.csv") as sink:  # as `returns-sim run` writes it
        output = single_run(plan, ReferenceEngine(), sink=sink)
    loaded = LoadedScenario(scenario, "mutant", "<mutant>", "0" * 64, "0" * 64,
                            b"# a mutant of the baseline, built in memory\n")
    # the page for one ran mutant in eight: its plots cost ten times the run
    page = int(folder.name) % 8 == 0
    written = write_run_folder(output, folder, loaded=loaded, plots=False, page=page)
    json.dumps(written.summary, allow_nan=False)  # no inf or nan in summary.json
    with (folder / "returns_report.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            for column in ("Order Amount", "Label cost", "Refunded Amount"):
                assert row[column] == "" or math.isfinite(float(row[column])), row
    return "ran"


ALL = mutants()


@pytest.mark.slow
def test_every_mutant_runs_cleanly_or_is_refused_with_a_message(tmp_path: Path) -> None:
    results: dict[str, str] = {}
    for i, (name, tree) in enumerate(ALL):
        try:
            results[name] = outcome(tree, tmp_path / str(i))
        except Exception as exc:  # the point: name the mutant that broke
            pytest.fail(f"{name}: {type(exc).__name__}: {exc}")
    ran = sum(1 for r in results.values() if r == "ran")
    assert len(results) > 300 and ran > 80, (len(results), ran)  # both outcomes exercised


@pytest.mark.parametrize(("text", "words"), [
    ("[buyers]\npopulation = 1000000000000\n", "buyers.population: must be at most"),
    ("[categories.apparel]\nskus = 1000000000000\n", "categories.apparel.skus"),
    ("[demand]\norders_per_day = 1e308\n", "demand.orders_per_day"),
    ("[run]\nstart = 9999-12-01\n", "run.start: a date must lie between"),
    ("[buyers]\nlocales = { xx_YY = 1.0 }\n", "not a Faker locale"),
    ("[categories.apparel]\nprice = { median = 1e308, sigma = 0.5 }\n", "price.median"),
    ("[run]\ndays = 1000000\n", "run.days: must be at most 3,650"),
])
def test_the_reported_absurd_scenarios_exit_2_with_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, words: str
) -> None:
    scenario = tmp_path / "absurd.toml"
    scenario.write_text(text, encoding="utf-8")
    assert cli.main(["run", str(scenario), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["absurd.toml"]


def test_a_run_too_large_for_memory_is_refused_with_the_estimate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sim.commands.run.available_memory", lambda: 50_000_000)
    out = tmp_path / "out"
    short = tmp_path / "short.toml"
    short.write_text("[run]\ndays = 3\n", encoding="utf-8")
    assert cli.main(["run", str(short), "--orders", "300", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "would need about" in err and "GB" in err and "--force" in err
    assert not out.exists()
    assert cli.main(["run", str(short), "--orders", "300", "--out", str(out), "--quiet",
                     "--force"]) == 0
    assert (out / "summary.json").exists()


@pytest.mark.parametrize("args", [["--orders", "1000000000"], ["--days", "3651"],
                                  ["--seed", str(2**63)], ["--timeout", "nan"]])
def test_run_options_beyond_their_limits_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    assert cli.main(["run", *args, "--out", str(tmp_path / "out")]) == 2
    assert args[0] in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
