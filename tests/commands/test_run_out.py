"""``returns-sim run --out``: it never destroys what the tool did not write, and leaves nothing
behind when it fails, is interrupted (Ctrl-C, SIGTERM) or killed, as real processes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SMALL = ["--orders", "1500", "--quiet"]


def returns_sim(*args: str, cwd: Path, prefix: tuple[str, ...] = ()) -> \
        subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-m", "sim", "run", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def a_run_into(folder: Path, cwd: Path) -> None:
    done = returns_sim(*SMALL, "--out", str(folder), cwd=cwd)
    assert done.returncode == 0, done.stderr


def refused(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("returns-sim run: error: --out:"), done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


def test_a_folder_of_the_users_is_refused_and_force_replaces_it(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    refused(returns_sim(*SMALL, "--out", str(mine), cwd=tmp_path), str(mine), "--force")
    assert names(mine) == ["notes.txt"] and names(tmp_path) == ["mine"]
    done = returns_sim(*SMALL, "--out", str(mine), "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "notes.txt" not in names(mine) and "manifest.json" in names(mine)
    a_run_into(mine, tmp_path)  # now a results folder of ours: replaced without --force
    assert names(tmp_path) == ["mine"]


def test_the_current_folder_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    for force in ((), ("--force",)):
        refused(returns_sim(*SMALL, "--out", ".", *force, cwd=tmp_path), "the folder you are in")
    assert names(tmp_path) == ["notes.txt"]


def test_a_file_or_a_missing_parent_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("keep")
    refused(returns_sim(*SMALL, "--out", "file", cwd=tmp_path), "file", "is a file")
    refused(returns_sim(*SMALL, "--out", "file/sub", cwd=tmp_path), "is a file")
    refused(returns_sim(*SMALL, "--out", "no/such/place", cwd=tmp_path), "does not exist")
    assert names(tmp_path) == ["file"]
    assert (tmp_path / "file").read_text() == "keep"


def _without_write_override() -> tuple[str, ...] | None:
    """A prefix that runs a command unable to write where permissions say no: nothing for an
    ordinary user; for root, ``setpriv`` without the capability that overrides them."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return (setpriv, "--inh-caps=-dac_override", "--bounding-set=-dac_override", "--")


def test_a_read_only_parent_is_a_clear_error(tmp_path: Path) -> None:
    prefix = _without_write_override()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions cannot be made to bite")
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        done = returns_sim(*SMALL, "--out", str(parent / "out"), cwd=tmp_path, prefix=prefix)
        refused(done, str(parent / "out"), "cannot write")
        assert names(parent) == []
    finally:
        parent.chmod(0o755)


def _start_long_run(out: Path, cwd: Path) -> subprocess.Popen[str]:
    """The full baseline (tens of seconds), with Ctrl-C handled even if this test's own
    process ignores it (a background job's children inherit that)."""
    return subprocess.Popen(
        [sys.executable, "-m", "sim", "run", "--quiet", "--out", str(out)], cwd=cwd,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait_until_simulating(proc: subprocess.Popen[str], stage: Path) -> None:
    deadline = time.monotonic() + 90
    events = stage / "events.csv"
    while not (events.exists() and events.stat().st_size > 100_000):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never got going"
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "code", "word"), [(signal.SIGINT, 130, "interrupted"),
                                                   (signal.SIGTERM, 143, "terminated")])
def test_an_interrupted_run_leaves_the_old_results_and_no_temporary_folder(
    tmp_path: Path, sig: signal.Signals, code: int, word: str
) -> None:
    out = tmp_path / "out"
    a_run_into(out, tmp_path)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    proc = _start_long_run(out, tmp_path)
    _wait_until_simulating(proc, tmp_path / f".out.tmp-{proc.pid}")
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert word in stderr and "nothing written" in stderr and "Traceback" not in stderr
    assert names(tmp_path) == ["out"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.slow
def test_the_next_run_removes_what_a_killed_run_left(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = _start_long_run(out, tmp_path)
    stage = tmp_path / f".out.tmp-{proc.pid}"
    _wait_until_simulating(proc, stage)
    proc.kill()  # kill -9: no clean-up possible
    proc.communicate(timeout=60)
    assert names(tmp_path) == [stage.name]
    a_run_into(out, tmp_path)
    assert names(tmp_path) == ["out"]
