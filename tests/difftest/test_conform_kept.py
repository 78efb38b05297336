"""``returns-sim conform`` for CI: the kept cases as a group of their own (listed, selected,
run), ``--summary-md``, and an implementation that cannot be reached stops the run at once."""

from __future__ import annotations

import re
import time
from pathlib import Path

from mutants.catalog import MUTANTS
from mutants.conform_run import conform, mutant_impl, outcomes

from sim.difftest.conform_kept import KEPT_DIR, kept_cases
from sim.difftest.preflight import reach_or_problem
from sim.difftest.replay import replay


def _mutant_of(found_against: str) -> str:
    match = re.match(r"tests/mutants (\w+):", found_against)
    assert match, found_against
    return match.group(1)


def test_every_mutant_fails_a_kept_case_and_every_kept_case_reads() -> None:
    kept = kept_cases()
    assert len(list(KEPT_DIR.glob("*.ndjson"))) == len(kept)
    for found, case in kept:
        assert case.case_id == f"kept-{found.case_id}" and case.group == "kept"
    named = {_mutant_of(k.found_against) for k, _ in kept}
    assert named <= set(MUTANTS)
    # A shrunk case found against one mutant can be the very case of another (same requests,
    # same answers: one file); those mutants must fail one of the kept cases too.
    for name in sorted(set(MUTANTS) - named):
        reached = reach_or_problem(mutant_impl(name), 5.0)
        assert not isinstance(reached, str), reached
        port, hello = reached
        try:
            verdicts = [replay(port, k, features=frozenset(hello.optional)) for k, _ in kept]
        finally:
            port.close_port()
        assert any(not v.agrees for v in verdicts), f"no kept case fails mutant {name}"


def test_kept_cases_are_listed_and_pass_against_the_reference(tmp_path: Path) -> None:
    listing = conform("--list")
    assert listing.returncode == 0
    ids = {line.split()[0] for line in listing.stdout.splitlines()}
    assert {case.case_id for _, case in kept_cases()} <= ids
    summary = tmp_path / "summary.md"
    run = conform("--case", "kept", "--summary-md", str(summary))
    assert run.returncode == 0, run.stdout[-3000:]
    assert outcomes(run.stdout)["passed"] == len(kept_cases())
    assert summary.read_text("utf-8").startswith("### rap/1 conformance: PASSED")


def test_a_kept_case_fails_against_its_mutant_and_the_summary_names_it(tmp_path: Path) -> None:
    found, case = kept_cases()[0]
    summary = tmp_path / "summary.md"
    run = conform("--impl", mutant_impl(_mutant_of(found.found_against)), "--case",
                  case.case_id, "--summary-md", str(summary))
    assert run.returncode == 1, run.stdout[-3000:]
    assert outcomes(run.stdout)["wrong answer"] == 1
    text = summary.read_text("utf-8")
    assert text.startswith("### rap/1 conformance: FAILED")
    assert f"- `{case.case_id}` (" in text
    tag = next(iter(sorted(case.tags - {"kept"})), None)
    if tag is not None:
        assert f"| {tag} | fail |" in text


def test_an_implementation_that_cannot_be_reached_stops_conform_at_once() -> None:
    started = time.monotonic()
    run = conform("--impl", "http://127.0.0.1:1")
    assert run.returncode == 2
    assert "does not answer hello" in run.stderr and "nothing was run" in run.stderr
    assert time.monotonic() - started < 30
    dead = conform("--impl", "cmd:false")
    assert dead.returncode == 2 and "does not answer hello" in dead.stderr
