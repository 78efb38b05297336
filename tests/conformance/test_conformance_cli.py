"""``returns-sim conform`` as another team's CI uses it: selection, strict expected failures,
reports, and clear errors (exit 2) for bad inputs, before anything runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from mutants.conform_run import REPO, conform, mutant_impl, outcomes


def test_selection_by_case_and_group_id_and_by_tag() -> None:
    run = conform("--case", "win-02", "--case", "payer")
    assert run.returncode == 0, run.stdout[-2000:]
    assert "13 passed" in run.stdout  # win-02 plus the 12 rows of the payer outline
    tagged = conform("--tags", "C11 and not R07 and not kept")  # kept cases carry clauses too
    assert tagged.returncode == 0, tagged.stdout[-2000:]
    assert outcomes(tagged.stdout)["passed"] == 3
    # A filtered run leaves clauses out on purpose: no "no case ran for" noise.
    assert "no case ran for" not in tagged.stdout


def test_list_shows_every_case_with_its_clauses() -> None:
    run = conform("--list")
    assert run.returncode == 0
    lines = run.stdout.splitlines()
    assert len(lines) >= 200
    assert any(ln.split()[:3] == ["win-01", "C04", "C15"] for ln in lines), lines[:5]


def test_strict_expected_failures(tmp_path: Path) -> None:
    listed = tmp_path / "xfail.toml"
    listed.write_text('[expected_failures]\nbatch-failures = "we stop at the first failure"\n')
    run = conform("--impl", mutant_impl("batch_stops_at_first_failure"), "--tags", "batch",
                  "--expected-failures", str(listed))
    assert run.returncode == 0, run.stdout[-3000:]
    assert outcomes(run.stdout)["expected failure"] == 1
    # Against an implementation where the case passes, the stale entry fails the run.
    stale = conform("--tags", "batch", "--expected-failures", str(listed))
    assert stale.returncode == 1, stale.stdout[-3000:]
    assert outcomes(stale.stdout)["unexpected pass"] == 1
    assert "XPASS(strict)" in stale.stdout


def test_a_group_id_in_expected_failures_covers_its_rows(tmp_path: Path) -> None:
    listed = tmp_path / "xfail.toml"
    listed.write_text('[expected_failures]\nholiday = "no holiday rule yet"\n')
    run = conform("--impl", mutant_impl("holiday_ignored"), "--case", "holiday",
                  "--expected-failures", str(listed))
    found = outcomes(run.stdout)
    # Rows the mutant gets right anyway (the 90-day baby window) are unexpected passes.
    assert found["expected failure"] == 3 and found["unexpected pass"] == 3, found
    assert run.returncode == 1


def test_reports_are_written_whole(tmp_path: Path) -> None:
    junit, cucumber = tmp_path / "conform.xml", tmp_path / "conform.json"
    run = conform("--tags", "zh-CN", "--junitxml", str(junit), "--cucumberjson", str(cucumber))
    assert run.returncode == 0, run.stdout[-2000:]
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "18" and suite.get("failures") == "0"
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props.get("outcome") == "passed" and "case" in props
    features = json.loads(cucumber.read_text(encoding="utf-8"))
    assert sum(len(f["elements"]) for f in features) == 18
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conform.json", "conform.xml"]


def test_bad_impl_spec_is_exit_2() -> None:
    run = conform("--impl", "ftp://example.org")
    assert run.returncode == 2
    assert "--impl: bad engine spec 'ftp://example.org'" in run.stderr


def test_unknown_case_id_is_exit_2() -> None:
    run = conform("--case", "win-99")
    assert run.returncode == 2
    assert "--case 'win-99': no case or group has this id" in run.stderr


def test_tags_that_match_nothing_are_exit_2() -> None:
    run = conform("--tags", "C99")
    assert run.returncode == 2
    assert "no case matches --tags 'C99'" in run.stderr


def test_expected_failures_file_problems_are_exit_2_and_named(tmp_path: Path) -> None:
    cases = {
        "missing.toml": (None, "cannot read the file"),
        "broken.toml": ("[expected_failures\n", "not valid TOML"),
        "no_table.toml": ('win-01 = "x"\n', "unknown key 'win-01'"),
        "empty_reason.toml": ('[expected_failures]\nwin-01 = ""\n',
                              "expected_failures.win-01 must be a non-empty reason string"),
        "not_string.toml": ("[expected_failures]\nwin-01 = 3\n",
                            "expected_failures.win-01 must be a non-empty reason string, got 3"),
        "unknown_case.toml": ('[expected_failures]\nwin-77 = "typo"\n',
                              "expected_failures.win-77 names no case of the suite"),
    }
    for name, (text, message) in cases.items():
        path = tmp_path / name
        if text is not None:
            path.write_text(text, encoding="utf-8")
        run = conform("--expected-failures", str(path))
        assert run.returncode == 2, (name, run.stdout[-500:], run.stderr)
        assert message in run.stderr and str(path) in run.stderr, (name, run.stderr)


def test_report_into_a_missing_folder_is_exit_2(tmp_path: Path) -> None:
    run = conform("--junitxml", str(tmp_path / "nope" / "r.xml"))
    assert run.returncode == 2
    assert "does not exist" in run.stderr


def test_a_users_pytest_addopts_does_not_change_what_conform_runs_or_prints() -> None:
    """CI jobs often set PYTEST_ADDOPTS for their own tests; conform's run is its own."""
    env = {**os.environ, "PYTEST_ADDOPTS": "--durations=5 -p no:terminal_bogus --co"}
    run = subprocess.run(
        [sys.executable, "-m", "sim", "conform", "--case", "close-twice"], cwd=REPO,
        capture_output=True, text=True, timeout=180, check=False, env=env,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
    assert "slowest" not in run.stdout and "passed 1," in run.stdout, run.stdout[-2000:]
