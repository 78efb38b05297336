"""``fuzz`` has teeth: with a fixed seed and a small budget it finds every mutant of
``tests/mutants`` (each a real stdio process), without shrinking (``bench/fuzz.py`` times the
finding and the shrinking; the shrunk cases are the kept ones of ``sim/conformance/kept/``)."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from mutants.catalog import MUTANTS
from mutants.conform_run import REPO, mutant_impl

BUDGET_S = 60


def _fuzz(name: str, keep: Path) -> tuple[str, int, str]:
    """(mutant, exit status, the report's first lines and last lines)."""
    run = subprocess.run(
        [sys.executable, "-m", "sim", "fuzz", "--impl", mutant_impl(name), "--seed", "0",
         "--budget", str(BUDGET_S), "--shrink-time", "0", "--keep", str(keep / name)],
        cwd=REPO, capture_output=True, text=True, timeout=BUDGET_S + 120, check=False)
    return name, run.returncode, run.stdout[:1500] + run.stdout[-500:] + run.stderr[-1500:]


@pytest.mark.slow
def test_fuzz_finds_every_mutant_with_a_fixed_seed(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda n: _fuzz(n, tmp_path), MUTANTS))
    missed = [name for name, code, _ in results if code != 1]
    assert missed == [], "\n\n".join(tail for name, _, tail in results if name in missed)
    for name, _, tail in results:
        assert "fuzz: DIFFERENCE" in tail, (name, tail)
        assert len(list((tmp_path / name).glob("*.ndjson"))) == 1, name
