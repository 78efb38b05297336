"""``returns-sim compare`` and ``sweep`` as a designer runs them, and every bad input."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import matplotlib.image
import pytest
from experiment_runs import ORDERS, SEED, window_copy

from sim.commands.cli import main
from sim.experiments import replicate as replicate_module
from sim.experiments.design import Task
from sim.model.output import RunOutput

SMALL = ["--orders", str(ORDERS), "--seed", str(SEED), "--workers", "1", "--quiet"]


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_compare_writes_the_documented_folder(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    code = main(["compare", "baseline", "understaffed", "--replications", "3", *SMALL,
                 "--out", str(out)])
    assert code == 0
    reps = _csv(out / "replications.csv")
    assert [(r["scenario"], r["replication"]) for r in reps] == [
        (s, str(i)) for s in ("baseline", "understaffed") for i in range(3)]
    assert {r["status"] for r in reps} == {"ok"}
    rows = _csv(out / "comparison.csv")
    util = next(r for r in rows if r["scenario"] == "understaffed"
                and r["kpi"] == "reviewer_utilization")
    assert util["beyond_noise"] == "true" and float(util["diff_mean"]) > 0
    doc = json.loads((out / "comparison.json").read_text("utf-8"))
    assert doc["tool"] == "returns-sandbox" and doc["kind"] == "compare"
    assert doc["base"] == "baseline" and doc["replications"] == 3
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert (manifest["tool"], manifest["kind"]) == ("returns-sandbox", "compare")
    assert manifest["backend"]["name"] == "serial"
    assert len(manifest["seeds"]["replication_seeds"]) == 3
    assert sorted(p.name for p in (out / "scenarios").iterdir()) == [
        "baseline.toml", "understaffed.toml"]
    for name in ("differences.png", "spread.png", "time_to_authorization.png",
                 "weekly_backlog.png"):
        image = matplotlib.image.imread(out / name)
        assert image.shape[0] > 300 and image.shape[1] > 300


def test_compare_prints_means_intervals_and_marked_differences(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compare", "baseline", "understaffed", "--replications", "3", "--orders",
            str(ORDERS), "--workers", "1", "--out", str(tmp_path / "o")]
    assert main(args) == 0
    text = capsys.readouterr().out
    block = text.split("reviewer utilization")[1].split("\n\n")[0]
    assert "understaffed" in block and "diff +" in block and block.rstrip().endswith("*")


def test_sweep_compares_each_point_with_the_first(tmp_path: Path) -> None:
    out = tmp_path / "sw"
    code = main(["sweep", "baseline", "--vary", "policy.default_window_days=30,45,60",
                 "--replications", "2", *SMALL, "--out", str(out)])
    assert code == 0
    doc = json.loads((out / "comparison.json").read_text("utf-8"))
    assert doc["kind"] == "sweep" and doc["base"] == "baseline[default_window_days=30]"
    assert doc["points"]["baseline[default_window_days=60]"] == {
        "policy.default_window_days": 60}
    assert (out / "sweep.png").stat().st_size > 10_000
    assert "default_window_days = 45" in (
        out / "scenarios" / "baseline[default_window_days=45].toml").read_text("utf-8")


def test_a_failed_replication_is_recorded_and_the_exit_code_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = replicate_module.simulate_in_memory

    def flaky(task: Task) -> RunOutput:
        if task.name == "understaffed" and task.replication == 1:
            raise RuntimeError("engine crashed")
        return real(task)

    monkeypatch.setattr(replicate_module, "simulate_in_memory", flaky)
    out = tmp_path / "f"
    code = main(["compare", "baseline", "understaffed", "--replications", "3", *SMALL,
                 "--out", str(out)])
    assert code == 1
    failed = [r for r in _csv(out / "replications.csv") if r["status"] == "failed"]
    assert [(r["scenario"], r["replication"], r["error"]) for r in failed] == [
        ("understaffed", "1", "RuntimeError: engine crashed")]
    rows = _csv(out / "comparison.csv")
    assert next(r for r in rows if r["scenario"] == "understaffed")["diff_n"] == "2"


@pytest.mark.parametrize(("argv", "message"), [
    (["compare", "baseline", "nosuch"], "scenario nosuch"),
    (["compare", "baseline", "understaffed", "--replications", "1"], "at least 2"),
    (["sweep", "baseline", "--vary", "policy.default_windw_days=30,45"],
     "did you mean policy.default_window_days"),
    (["sweep", "baseline", "--vary", "policy.default_window_days=30,forty"],
     "expected an integer"),
    (["sweep", "baseline", "--vary", "policy.default_window_days=30"], "one point"),
    (["compare", "baseline", "understaffed", "--workers", "0"], "--workers"),
])
def test_bad_input_exits_2_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
        message: str) -> None:
    out = tmp_path / "never"
    assert main([*argv, "--orders", "500", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_an_unreachable_dask_scheduler_fails_within_seconds(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "never"
    started = time.perf_counter()
    code = main(["compare", "baseline", "understaffed", "--replications", "2", "--orders",
                 "500", "--dask", "tcp://127.0.0.1:9", "--out", str(out), "--quiet"])
    assert code == 2 and time.perf_counter() - started < 15
    assert "no Dask scheduler answered" in capsys.readouterr().err
    assert not out.exists()


def test_a_folder_the_tool_did_not_write_is_not_replaced(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep", encoding="utf-8")
    assert main(["compare", "baseline", str(window_copy(tmp_path)), *SMALL,
                 "--replications", "2", "--out", str(mine)]) == 2
    assert "not a results folder" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
