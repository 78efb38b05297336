"""Running ``returns-sim conform`` as a user would, for the conformance tests: a real process,
and its report read back (the outcome classes of the summary)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RUN_MUTANT = Path(__file__).resolve().parent / "run_mutant.py"


def conform(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sim", "conform", *args], cwd=REPO, capture_output=True,
        text=True, timeout=timeout, check=False,
    )


def mutant_impl(name: str) -> str:
    """The ``--impl`` spec of a mutant (or fault) served over stdio."""
    return "cmd:" + shlex.join([sys.executable, str(RUN_MUTANT), name])


def reference_stdio_impl() -> str:
    return "cmd:" + shlex.join([sys.executable, "-m", "sim", "serve", "--stdio"])


def outcomes(output: str) -> dict[str, int]:
    """``outcomes: passed 3, wrong answer 1, ...`` from a run's summary -> {class: count}."""
    line = next((ln for ln in output.splitlines() if ln.startswith("outcomes: ")), None)
    assert line is not None, f"no outcomes line in the report:\n{output[-3000:]}"
    return {m.group(1).strip(): int(m.group(2))
            for m in re.finditer(r"([a-z ]+?) (\d+)(?:,|$)", line.removeprefix("outcomes: "))}
