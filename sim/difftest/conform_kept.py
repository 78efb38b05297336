"""The kept cases as a group of ``returns-sim conform``, and its ``--summary-md`` report.

A pytest plugin, loaded by ``conform`` after ``sim.conformance.plugin``: every kept case of
``sim/conformance/kept/`` is one case ``kept-<id>`` of the group ``kept`` (tagged ``kept`` and
with the clauses and rules it concerns), so ``--case``, ``--tags``, ``--list`` and
``--expected-failures`` treat it like a written scenario. A kept case passes when the
implementation's answers agree with the reference's recorded ones at the case's level.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from sim.conformance import HERE, cases
from sim.conformance.plugin import CASE_MARKER, KNOWN_KEY, RESULTS_KEY
from sim.difftest import kept
from sim.difftest.conform_summary import write_summary

KEPT_DIR = HERE / "kept"
GROUP = "kept"
SUITE_MODULE = Path(__file__).resolve().parent / "suite" / "test_kept.py"


@cache
def kept_cases() -> tuple[tuple[kept.KeptCase, cases.Case], ...]:
    """Each packaged kept case and the conformance case it runs as."""
    out = []
    for found in kept.folder_cases(KEPT_DIR):
        op = found.first_op
        what = (found.difference or {}).get("path") or (found.difference or {}).get("failure")
        scenario = f"kept case: {op} ({what})" if what else f"kept case: {op}"
        tags = frozenset({GROUP, *found.tags})
        out.append((found, cases.Case(f"{GROUP}-{found.case_id}", GROUP,
                                      f"kept/{found.case_id}.ndjson", scenario, tags)))
    return tuple(out)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("rap").addoption(
        "--summary-md", default=None, metavar="PATH", dest="rap_summary_md",
        help="write a short Markdown summary (verdict per clause, failures with case ids)",
    )


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{CASE_MARKER}(case): the conformance case an item is")
    known = config.stash.get(KNOWN_KEY, None)
    extra = [case for _, case in kept_cases()]
    if known is not None:
        known.extend(extra)
    for tag in sorted({t for case in extra for t in (*case.tags, case.case_id)}):
        config.addinivalue_line("markers", f"{tag}: tag @{tag}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = session.config.getoption("rap_summary_md", None)
    results = session.config.stash.get(RESULTS_KEY, None)
    if path and results is not None:
        write_summary(Path(path), results.impl, results.hello, results.outcomes.values())
