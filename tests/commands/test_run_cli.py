"""``returns-sim run`` end to end, as a user runs it: a real subprocess, its exit code, what it
prints and what it leaves on disk (and leaves nothing on bad input)."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from sim.commands import cli
from sim.commands import run as run_command
from sim.core.engine import ReferenceEngine
from sim.rap.inprocess import InProcessPort
from sim.reports.plots import PLOTS

SMALL = ["--orders", "1500"]


def returns_sim(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sim", "run", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
    )


def test_small_run_writes_results_and_prints_the_kpis(tmp_path: Path) -> None:
    done = returns_sim(*SMALL, "--seed", "3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "results" / "baseline"  # the default destination, under the cwd
    expected = {"summary.json", "events.csv", "returns_report.tsv", "manifest.json", *PLOTS,
                "scenario.toml", "report.html"}
    assert {p.name for p in folder.iterdir()} == expected
    assert "return requests" in done.stdout and "share auto-authorized" in done.stdout
    assert "results in" in done.stdout and str(Path("results") / "baseline") in done.stdout
    assert "simulating [" in done.stderr and "day 365/365 (100%)" in done.stderr
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["days"] == 365 and summary["seed"] == 3
    assert 1300 < summary["orders"] < 1700
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["command"] == ["returns-sim", "run", "--seed", "3", "--orders", "1500"]
    assert [p.name for p in tmp_path.joinpath("results").iterdir()] == ["baseline"]


def test_stdio_engine_gives_the_same_results_as_in_process(tmp_path: Path) -> None:
    """The holiday scenario in-process (traced) and through `serve --stdio`: same bytes."""
    local = tmp_path / "local"
    done = returns_sim("holiday", *SMALL, "--out", str(local), "--trace", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""
    impl = "cmd:" + shlex.join([sys.executable, "-m", "sim", "serve", "--stdio"])
    remote = returns_sim("holiday", *SMALL, "--out", str(tmp_path / "remote"), "--quiet",
                         "--impl", impl, cwd=tmp_path)
    assert remote.returncode == 0, remote.stderr
    for name in ("summary.json", "returns_report.tsv", "events.csv"):
        a = (local / name).read_bytes()
        b = (tmp_path / "remote" / name).read_bytes()
        assert a == b, name
    assert json.loads((local / "summary.json").read_text())["scenario"] == "holiday"

    lines = (local / "trace.ndjson").read_text("utf-8").splitlines()
    first, last = json.loads(lines[0]), json.loads(lines[-1])
    assert first["request"]["op"] == "hello" and first["response"]["ok"] is True
    assert last["request"]["seq"] == len(lines)
    ops = {json.loads(line)["request"]["op"] for line in lines}
    assert {"set_policy", "register_seller", "place_order", "request_return", "close"} <= ops

    # the trace replays: a fresh engine given the same requests gives the same responses
    fresh = InProcessPort(ReferenceEngine())
    for line in lines:
        pair = json.loads(line)
        assert fresh.execute(pair["request"]) == pair["response"], pair["request"]


def test_a_run_without_trace_uses_a_quiet_engine_and_gives_the_same_results(
    tmp_path: Path,
) -> None:
    """Without --trace the reference builds no notifications (nothing reads them); the files
    are those of a traced run, whose engine answers whole, notifications included."""
    quiet = run_command._engine(cli.build_parser(["run"]).parse_args(["run"]))
    assert isinstance(quiet, ReferenceEngine) and not quiet._notify
    traced = run_command._engine(cli.build_parser(["run"]).parse_args(["run", "--trace"]))
    assert isinstance(traced, InProcessPort) and traced.engine._notify  # type: ignore[attr-defined]

    plain = returns_sim("understaffed", *SMALL, "--out", str(tmp_path / "plain"), "--quiet",
                        cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    whole = returns_sim("understaffed", *SMALL, "--out", str(tmp_path / "whole"), "--quiet",
                        "--trace", cwd=tmp_path)
    assert whole.returncode == 0, whole.stderr
    for name in ("summary.json", "returns_report.tsv", "events.csv"):
        assert (tmp_path / "plain" / name).read_bytes() == \
            (tmp_path / "whole" / name).read_bytes(), name
    notes = [json.loads(line)["response"].get("result", {}).get("notifications")
             for line in (tmp_path / "whole" / "trace.ndjson").read_text("utf-8").splitlines()]
    assert any(notes), "the traced run's answers carry their notifications"


def test_a_bad_scenario_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[buyers]\ncomment_share = 1.5\n", encoding="utf-8")
    out = tmp_path / "out"
    done = returns_sim(str(bad), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 2
    assert "buyers.comment_share" in done.stderr and "1.5" in done.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]


def test_days_shortens_the_horizon(tmp_path: Path) -> None:
    done = returns_sim("--days", "3", "--out", str(tmp_path / "o"), "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert summary["days"] == 3
    assert 5000 < summary["orders"] < 11000  # three baseline days at ~2,700 orders a day


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--orders", "0"], "--orders"),
        (["--seed", "-1"], "--seed"),
        (["--timeout", "0"], "--timeout"),
        (["--impl", "ftp://nowhere"], "--impl"),
        (["no-such-scenario"], "no such file"),
    ],
)
def test_bad_options_exit_2_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    assert cli.main(["run", *args, "--out", str(tmp_path / "out")]) == 2
    assert words in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "words"),
    [(["--days", "x"], "invalid int"), (["--orders", "5", "--days", "5"], "not allowed with")],
)
def test_malformed_options_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["run", *args, "--out", str(tmp_path / "out")])
    assert info.value.code == 2
    assert words in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_an_engine_that_fails_exits_1_and_leaves_the_old_results(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"tool": "returns-sandbox", "kind": "run"}')
    (out / "keep.txt").write_text("previous run")
    impl = "cmd:" + shlex.join([sys.executable, "-c", "import sys; sys.stdin.readline()"])
    done = returns_sim(*SMALL, "--out", str(out), "--impl", impl, "--timeout", "5", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "engine" in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt", "manifest.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
