"""What ``returns-sim conform`` gets from this layer, as a few hooks its module calls: the
kept cases (listed, selectable, run as the group ``kept``), ``--summary-md``, and a
``hello`` before anything runs, so an implementation that cannot be reached stops the run at
once with one message (exit 2) instead of failing every case after a timeout each.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.conformance.cases import Case
from sim.difftest.conform_kept import SUITE_MODULE, kept_cases
from sim.difftest.kept import KeptCaseError
from sim.difftest.preflight import reach_or_problem


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--summary-md", type=Path, metavar="PATH",
        help="write a short Markdown summary (verdict per clause, failed case ids), e.g. "
        "for a CI job's summary page",
    )


def _with_kept(args: argparse.Namespace) -> bool:
    """Kept cases run beside the packaged suite, so ``--no-builtin`` leaves them out too."""
    return not getattr(args, "no_builtin", False)


def extra_cases(args: argparse.Namespace) -> list[Case]:
    """The kept cases this run selects from, as conformance cases (``kept-<id>``, group
    ``kept``)."""
    return [case for _, case in kept_cases()] if _with_kept(args) else []


def check(args: argparse.Namespace) -> str | None:
    """The first problem with this layer's options or files, or None."""
    path: Path | None = getattr(args, "summary_md", None)
    if path is not None and not path.parent.is_dir():
        return f"--summary-md {path}: the folder {path.parent} does not exist"
    try:
        kept_cases()
    except KeptCaseError as exc:
        return f"a packaged kept case is broken: {exc}"
    return None


def preflight(args: argparse.Namespace) -> str | None:
    """Start or reach the implementation and ask ``hello``; a message when it cannot."""
    reached = reach_or_problem(args.impl, args.timeout)
    if isinstance(reached, str):
        return f"{reached}; nothing was run"
    reached[0].close_port()
    return None


def pytest_args(args: argparse.Namespace) -> list[str]:
    """The kept cases' module and plugin (beside the packaged suite: not with
    ``--no-builtin``), and the summary's path, for the pytest run."""
    argv = [str(SUITE_MODULE)] if _with_kept(args) else []
    argv += ["-p", "sim.difftest.conform_kept"]
    if getattr(args, "summary_md", None) is not None:
        argv += ["--summary-md", str(args.summary_md)]
    return argv
