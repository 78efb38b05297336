"""Optional parts of the install: a command that needs one says so, instead of a traceback.

``pip install returns-sandbox`` is the conformance kit (conform, serve); the simulator's
packages (SimPy, NumPy, Faker, matplotlib) come with the ``sim`` extra.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence

SIM_PACKAGES = ("numpy", "simpy", "faker", "matplotlib", "scipy", "jinja2", "dask", "distributed")
"""The modules of the ``sim`` extra (pyproject.toml; a test keeps the two lists equal)."""
EXIT_MISSING = 2


def missing(modules: Sequence[str]) -> list[str]:
    return [m for m in modules if importlib.util.find_spec(m) is None]


def require(extra: str, modules: Sequence[str], command: str) -> None:
    """Exit 2 with a message naming the extra when one of ``modules`` is not installed."""
    absent = missing(modules)
    if absent:
        print(
            f"returns-sim {command}: needs the '{extra}' extra (missing: {', '.join(absent)}); "
            f"install it with: pip install 'returns-sandbox[{extra}]'",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_MISSING)
