"""``returns-sim fuzz`` and ``returns-sim replay`` as a user runs them: real processes, real
stdio and HTTP implementations, exit codes, transcripts and kept cases on disk."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from mutants.conform_run import REPO, mutant_impl, reference_stdio_impl
from serve_helpers import http_server

from sim.difftest import kept


def returns_sim(*args: str, cwd: Path = REPO, timeout: float = 240
                ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str],
                                                            Path]:
    """One mutant fuzzed, shrunk and kept (shared by the tests that read the case)."""
    folder = tmp_path_factory.mktemp("kept")
    run = returns_sim("fuzz", "--impl", mutant_impl("label_payer_wrong"), "--seed", "0",
                      "--budget", "60", "--shrink-time", "15", "--keep", str(folder))
    files = list(folder.glob("*.ndjson"))
    assert len(files) == 1, run.stdout + run.stderr
    return run, files[0]


def test_fuzz_shrinks_a_difference_prints_its_transcript_and_keeps_it(
        found: tuple[subprocess.CompletedProcess[str], Path], tmp_path: Path) -> None:
    run, path = found
    assert run.returncode == 1, run.stderr
    assert "fuzz: DIFFERENCE, shrunk to" in run.stdout
    assert "the same twice more" in run.stdout
    assert "first difference: result.return.label.paid_by" in run.stdout
    case = kept.read(path)
    unshrunk = returns_sim("fuzz", "--impl", mutant_impl("label_payer_wrong"), "--seed", "0",
                           "--budget", "60", "--shrink-time", "0", "--keep", str(tmp_path))
    assert unshrunk.returncode == 1, unshrunk.stderr
    first = kept.read(next(tmp_path.glob("*.ndjson")))
    assert len(case.steps) < len(first.steps), (len(case.steps), len(first.steps))
    assert case.steps[0].request["op"] == "reset"
    assert case.difference is not None and case.difference["path"].endswith("paid_by")
    assert f"returns-sim replay {path}" in run.stdout


def test_replay_says_failed_against_the_mutant_and_fixed_against_the_reference(
        found: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, path = found
    failed = returns_sim("replay", str(path), "--impl", mutant_impl("label_payer_wrong"))
    assert failed.returncode == 1, failed.stderr
    assert failed.stdout.startswith(f"FAILED  {path}")
    assert "first difference: result.return.label.paid_by" in failed.stdout
    fixed = returns_sim("replay", str(path), "--impl", reference_stdio_impl())
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert fixed.stdout.startswith(f"FIXED  {path}")


def test_replay_maps_amazon_rmas_of_a_traced_run(tmp_path: Path) -> None:
    run = returns_sim("run", "--orders", "300", "--out", str(tmp_path / "out"), "--trace",
                      "--quiet", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    trace = tmp_path / "out" / "trace.ndjson"
    receives = sum('"op":"receive"' in line for line in trace.read_text("utf-8").splitlines())
    assert receives > 0
    replay = returns_sim("replay", str(trace), "--impl", mutant_impl("other_amazon_rmas"))
    assert replay.returncode == 0, replay.stdout[-3000:]
    assert replay.stdout.startswith(f"AGREES  {trace}")


def test_replay_refuses_a_file_that_is_not_a_case_naming_file_line_and_field(
        tmp_path: Path) -> None:
    bad = tmp_path / "bad.ndjson"
    bad.write_text('{"request": {"seq": 1, "op": "reset"}, "response": {"ok": true}}\n'
                   '{"request": {"seq": 2, "op": "reset"}}\n', "utf-8")
    run = returns_sim("replay", str(bad), "--impl", "reference")
    assert run.returncode == 2
    assert run.stderr.strip() == (f"returns-sim replay: {bad}:2: response: missing (each line "
                                  "needs request and response)")
    assert "Traceback" not in run.stderr


def test_the_same_seed_sends_the_same_streams(tmp_path: Path) -> None:
    ids = []
    for n in (1, 2):
        run = returns_sim("fuzz", "--impl", mutant_impl("unpaid_label_in_policy_pro"),
                          "--seed", "5", "--budget", "60", "--shrink-time", "0",
                          "--keep", str(tmp_path / str(n)))
        assert run.returncode == 1, run.stderr
        ids.append([p.name for p in (tmp_path / str(n)).glob("*.ndjson")])
    assert ids[0] == ids[1] and len(ids[0]) == 1


def test_an_implementation_that_cannot_be_reached_stops_the_run_at_once() -> None:
    started = time.monotonic()
    run = returns_sim("fuzz", "--impl", "http://127.0.0.1:1", "--budget", "60")
    assert run.returncode == 2
    assert "does not answer hello" in run.stderr and "Connection refused" in run.stderr
    assert time.monotonic() - started < 30
    assert returns_sim("fuzz", "--impl", "reference", "--budget", "1h").returncode == 2


def test_a_hanging_implementation_fails_within_the_timeout_and_the_run_goes_on() -> None:
    started = time.monotonic()
    run = returns_sim("fuzz", "--impl", mutant_impl("hangs_on_close"), "--timeout", "1",
                      "--budget", "8ex", "--shrink-time", "0")
    assert run.returncode == 1, run.stderr
    broke = [ln for ln in run.stdout.splitlines()
             if ln.startswith("fuzz: the implementation broke in example")]
    assert broke and all("within 1 s" in ln for ln in broke)
    examples = int(run.stdout.split("fuzz: ", 2)[2].split(" examples")[0])
    assert examples > len(broke)  # examples without a close went on
    assert time.monotonic() - started < 120


def test_nothing_is_found_against_the_reference_over_stdio_and_http() -> None:
    """Also not against a correct engine whose Amazon RMAs are other numbers."""
    run = returns_sim("fuzz", "--impl", reference_stdio_impl(), "--budget", "40ex")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "fuzz: no difference found" in run.stdout
    run = returns_sim("fuzz", "--impl", mutant_impl("other_amazon_rmas"), "--budget", "40ex")
    assert run.returncode == 0, run.stdout + run.stderr  # other Amazon RMAs are mapped
    with http_server() as (url, _):
        run = returns_sim("fuzz", "--impl", url, "--budget", "40ex", "--seed", "1")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "fuzz: no difference found" in run.stdout
