"""``pip install returns-sandbox`` is the conformance kit; ``returns-sim run`` without the
``sim`` extra says which extra to install (exit 2), instead of an ImportError traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Python started as if NumPy and SimPy were not installed.
WITHOUT_SIM = """
import importlib.abc, sys
class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('numpy', 'simpy'):
            raise ModuleNotFoundError(name)
        return None
sys.meta_path.insert(0, Hide())
import importlib.util
real = importlib.util.find_spec
importlib.util.find_spec = lambda n, *a: None if n in ('numpy', 'simpy') else real(n, *a)
from sim.commands.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", WITHOUT_SIM, *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)


def test_run_without_the_sim_extra_names_the_extra() -> None:
    run = _run("run")
    assert run.returncode == 2, run.stderr
    assert "needs the 'sim' extra (missing: numpy, simpy)" in run.stderr
    assert "pip install 'returns-sandbox[sim]'" in run.stderr
    assert "Traceback" not in run.stderr


def test_conform_works_without_the_sim_extra() -> None:
    run = _run("conform", "--case", "close-twice")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr


def test_the_checked_modules_are_the_sim_extra_of_pyproject() -> None:
    """One list in pyproject.toml, one in the check: a package added to the extra and not to
    the check would fail with an ImportError instead of naming the extra."""
    import re
    import tomllib

    from sim.commands.extras import SIM_PACKAGES

    extra = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"][
        "optional-dependencies"]["sim"]
    names = {re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0].lower() for spec in extra}
    assert names == set(SIM_PACKAGES)
