"""The kill rate of the full suite: every mutant, the whole suite, over stdio (run by hand).

    .venv/bin/python tests/mutants/kill_rate.py

Prints one line per mutant (killed or survived, and how many cases caught it) and the rate;
exits 1 when a mutant survives. The figure goes in docs/conformance.md.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mutants.catalog import MUTANTS
from mutants.conform_run import conform, mutant_impl, outcomes


def run_one(name: str) -> tuple[str, bool, int, float]:
    start = time.perf_counter()
    run = conform("--impl", mutant_impl(name), timeout=600)
    found = outcomes(run.stdout) if run.returncode in (0, 1) else {}
    caught = sum(n for cls, n in found.items() if cls not in ("passed", "refused", "skipped"))
    return name, run.returncode == 1 and caught > 0, caught, time.perf_counter() - start


def main() -> int:
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run_one, MUTANTS))
    for name, killed, caught, seconds in results:
        verdict = f"killed by {caught} case(s)" if killed else "SURVIVED"
        print(f"{name:<32} {verdict:<22} {seconds:5.1f} s   {MUTANTS[name].broken}")
    killed_count = sum(1 for _, killed, _, _ in results if killed)
    print(f"kill rate (full suite, stdio): {killed_count}/{len(results)}")
    return 0 if killed_count == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
