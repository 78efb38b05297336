"""Staged results folders: written whole or not at all, never over what the tool did not write,
and nothing left behind (the signal and kill -9 cases run as real processes in
tests/commands/test_run_out.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.reports.manifest import tool_manifest, write_json
from sim.reports.staging import OutputFolderError, _commit, _exchange, staged_folder


def results_folder(path: Path, marker: str = "old") -> Path:
    """A results folder as the tool leaves one: a manifest of ours and a file."""
    path.mkdir()
    write_json(path / "manifest.json", tool_manifest("run"))
    (path / "summary.json").write_text(marker)
    return path


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def dead_pid() -> int:
    """The id of a process that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_staged_folder_replaces_whole_or_not_at_all(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    with staged_folder(dest, kind="run") as stage:
        (stage / "a.txt").write_text("one")
    assert names(dest) == ["a.txt", "manifest.json"]
    with pytest.raises(RuntimeError), staged_folder(dest, kind="run") as stage:
        (stage / "b.txt").write_text("half")
        raise RuntimeError("boom")
    assert names(dest) == ["a.txt", "manifest.json"]
    with staged_folder(dest, kind="run") as stage:
        (stage / "c.txt").write_text("two")
    assert names(dest) == ["c.txt", "manifest.json"]
    assert names(tmp_path) == ["out"]  # no stage or old copy left


def test_a_folder_without_a_manifest_is_refused_and_left_alone(tmp_path: Path) -> None:
    dest = tmp_path / "mine"
    dest.mkdir()
    (dest / "thesis.tex").write_text("years of work")
    with pytest.raises(OutputFolderError, match="not a results folder") as info, \
            staged_folder(dest, kind="run"):
        pytest.fail("the block must not run")
    assert str(dest) in str(info.value) and "--force" in str(info.value)
    assert names(dest) == ["thesis.tex"]
    assert names(tmp_path) == ["mine"]


def test_a_foreign_manifest_does_not_make_a_folder_ours(tmp_path: Path) -> None:
    dest = tmp_path / "other"
    dest.mkdir()
    (dest / "manifest.json").write_text(json.dumps({"tool": "something-else"}))
    with pytest.raises(OutputFolderError), staged_folder(dest, kind="run"):
        pass
    (dest / "manifest.json").write_text("not json")
    with pytest.raises(OutputFolderError), staged_folder(dest, kind="run"):
        pass
    assert names(dest) == ["manifest.json"]


def test_an_earlier_results_folder_without_a_tool_field_is_ours(tmp_path: Path) -> None:
    """Results folders written before manifests named the tool list its package."""
    dest = tmp_path / "results"
    dest.mkdir()
    write_json(dest / "manifest.json",
               {"scenario": {"name": "baseline"}, "packages": {"returns-sandbox": "0.1.0"}})
    with staged_folder(dest, kind="run") as stage:
        (stage / "new.txt").write_text("new")
    assert names(dest) == ["manifest.json", "new.txt"]


def test_force_replaces_a_folder_that_is_not_ours(tmp_path: Path) -> None:
    dest = tmp_path / "mine"
    dest.mkdir()
    (dest / "old.txt").write_text("old")
    with staged_folder(dest, kind="sweep", force=True) as stage:
        (stage / "new.txt").write_text("new")
    assert names(dest) == ["manifest.json", "new.txt"]
    assert json.loads((dest / "manifest.json").read_text()) == {
        "tool": "returns-sandbox", "kind": "sweep"}


@pytest.mark.parametrize("force", [False, True])
def test_the_folder_you_stand_in_is_refused_even_with_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: bool
) -> None:
    here = results_folder(tmp_path / "here")
    monkeypatch.chdir(here)
    for dest in (Path("."), tmp_path):
        with pytest.raises(OutputFolderError, match="the folder you are in"), \
                staged_folder(dest, kind="run", force=force):
            pass
    assert names(here) == ["manifest.json", "summary.json"]


def test_a_file_where_a_folder_is_expected_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "file.txt"
    file.write_text("keep")
    with pytest.raises(OutputFolderError, match="is a file"), staged_folder(file, kind="run"):
        pass
    with pytest.raises(OutputFolderError, match="is a file"), \
            staged_folder(file / "sub", kind="run", parents=True):
        pass
    assert file.read_text() == "keep"
    assert names(tmp_path) == ["file.txt"]


def test_a_missing_parent_is_refused_unless_parents_are_asked_for(tmp_path: Path) -> None:
    dest = tmp_path / "a" / "b" / "out"
    with pytest.raises(OutputFolderError, match="does not exist"), staged_folder(dest, kind="run"):
        pass
    assert names(tmp_path) == []
    with pytest.raises(RuntimeError), staged_folder(dest, kind="run", parents=True):
        raise RuntimeError("boom")
    assert names(tmp_path) == []  # the parents it made are gone again
    with staged_folder(dest, kind="run", parents=True) as stage:
        (stage / "x").write_text("x")
    assert names(dest) == ["manifest.json", "x"]


def test_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    target = results_folder(tmp_path / "target")
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(OutputFolderError, match="symbolic link"), staged_folder(link, kind="run"):
        pass
    assert names(target) == ["manifest.json", "summary.json"]


def test_stale_temporaries_of_dead_runs_are_removed(tmp_path: Path) -> None:
    dest = results_folder(tmp_path / "out")
    pid = dead_pid()
    stale = tmp_path / f".out.tmp-{pid}"
    stale.mkdir()
    (stale / "events.csv").write_text("half")
    alive = tmp_path / f".out.tmp-{os.getppid()}"  # a live process's: maybe still writing
    alive.mkdir()
    other = tmp_path / f".other.tmp-{pid}"  # another destination's: not ours to judge
    other.mkdir()
    with staged_folder(dest, kind="run") as stage:
        (stage / "new").write_text("new")
    assert names(tmp_path) == sorted([".other.tmp-" + str(pid), alive.name, "out"])


def test_old_results_moved_aside_by_a_killed_run_are_put_back(tmp_path: Path) -> None:
    """The fallback replacement (rename aside, rename in, delete) killed between its renames
    leaves the old results aside; the next run puts them back before it goes on."""
    aside = results_folder(tmp_path / f".out.old-{dead_pid()}")
    dest = tmp_path / "out"
    with pytest.raises(RuntimeError), staged_folder(dest, kind="run"):
        raise RuntimeError("this run fails too")
    assert names(tmp_path) == ["out"] and not aside.exists()
    assert (dest / "summary.json").read_text() == "old"


def test_replacing_swaps_the_folders_in_one_step(tmp_path: Path) -> None:
    """Where the system has renameat2 (Linux), the destination is never missing."""
    if not sys.platform.startswith("linux"):
        pytest.skip("renameat2 is Linux's")
    old = results_folder(tmp_path / "out", "old")
    new = results_folder(tmp_path / "new", "new")
    assert _exchange(new, old)
    assert (old / "summary.json").read_text() == "new"
    assert (new / "summary.json").read_text() == "old"


def test_the_fallback_replacement_leaves_nothing_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sim.reports.staging._exchange", lambda a, b: False)
    dest = results_folder(tmp_path / "out", "old")
    stage = results_folder(tmp_path / ".out.tmp-1", "new")
    _commit(stage, dest, force=False)
    assert (dest / "summary.json").read_text() == "new"
    assert names(tmp_path) == ["out"]


def test_a_folder_that_stops_being_ours_during_the_run_is_not_replaced(tmp_path: Path) -> None:
    dest = results_folder(tmp_path / "out")
    with pytest.raises(OutputFolderError, match="changed while"), \
            staged_folder(dest, kind="run") as stage:
        (stage / "new").write_text("new")
        (dest / "manifest.json").unlink()  # someone else's folder now
    assert names(dest) == ["summary.json"]
    assert names(tmp_path) == ["out"]
