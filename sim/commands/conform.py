"""``returns-sim conform``: run the packaged Gherkin features against a rap/1 implementation.

Runs pytest in this process on the features and steps shipped inside the package, so it needs
no repository checkout. Inputs are checked before anything runs (bad engine spec, unreadable or
malformed expected-failures file, unknown case id: exit 2); reports are written to a temporary
file and renamed into place, so a report that exists is a whole one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from sim.conformance import FEATURES_DIR, SUITE_INI, SUITE_MODULE, cases, expected
from sim.difftest import conform_cli  # kept cases, --summary-md, hello first

EXIT_BAD_INPUT = 2

_PYTEST_EXIT = {
    pytest.ExitCode.OK: 0,
    pytest.ExitCode.TESTS_FAILED: 1,
    pytest.ExitCode.INTERRUPTED: 1,
    pytest.ExitCode.INTERNAL_ERROR: 1,
    pytest.ExitCode.USAGE_ERROR: EXIT_BAD_INPUT,
    pytest.ExitCode.NO_TESTS_COLLECTED: EXIT_BAD_INPUT,
}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--impl", default="reference", metavar="SPEC",
        help="the implementation: 'reference' (in-process, the default), "
        "'cmd:<command line>' (a stdio subprocess, no shell) or http://HOST:PORT",
    )
    parser.add_argument(
        "--tags", metavar="EXPR",
        help="run the cases whose tags match, e.g. 'C03 or C16', "
        "'R05 and not optional-label_details'",
    )
    parser.add_argument(
        "--case", action="append", default=[], metavar="ID",
        help="run this case id (e.g. win-02) or group id (e.g. win); repeatable",
    )
    parser.add_argument(
        "--expected-failures", type=Path, metavar="FILE",
        help="TOML: [expected_failures] case-id = \"reason\"; a listed case that passes fails",
    )
    parser.add_argument("--junitxml", type=Path, metavar="PATH", help="write a JUnit XML report")
    parser.add_argument(
        "--cucumberjson", type=Path, metavar="PATH", help="write a Cucumber JSON report"
    )
    parser.add_argument(
        "--timeout", type=float, default=5.0, metavar="S",
        help="seconds one request may take before its case fails as a timeout (default 5)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per case")
    parser.add_argument(
        "--list", action="store_true", help="list the cases (id, clauses, scenario) and exit"
    )
    conform_cli.configure(parser)


def main(args: argparse.Namespace) -> int:
    problem = _check_inputs(args)
    if problem is not None:
        print(f"returns-sim conform: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.list:
        for case in [*cases.all_cases(FEATURES_DIR), *conform_cli.extra_cases()]:
            print(f"{case.case_id:<32} {' '.join(case.clauses):<24} {case.scenario}")
        return 0
    problem = conform_cli.preflight(args)
    if problem is not None:
        print(f"returns-sim conform: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    reports = [(opt, path) for opt, path in
               (("--junitxml", args.junitxml), ("--cucumberjson", args.cucumberjson)) if path]
    # Each report is written into a private folder beside its target, then renamed into place.
    folders = {opt: Path(tempfile.mkdtemp(prefix=".conform-", dir=path.parent))
               for opt, path in reports}
    temps = {opt: folders[opt] / path.name for opt, path in reports}
    try:
        code = pytest.main(_pytest_args(args, temps), plugins=[])
        for opt, path in reports:
            if temps[opt].exists():
                os.replace(temps[opt], path)
    finally:
        for folder in folders.values():
            shutil.rmtree(folder, ignore_errors=True)
    exit_code = _PYTEST_EXIT.get(pytest.ExitCode(code), 1)
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print(f"returns-sim conform: no case matches --tags {args.tags!r}", file=sys.stderr)
    return exit_code


def _pytest_args(args: argparse.Namespace, temps: dict[str, Path]) -> list[str]:
    argv = [
        str(SUITE_MODULE), "-c", str(SUITE_INI), "--rootdir", str(SUITE_MODULE.parent),
        # Only the plugins the kit needs: whatever else is installed (hypothesis, ...) stays out
        # of a conformance run, and the steps need no assertion rewriting.
        "--disable-plugin-autoload", "-p", "pytest_bdd.plugin", "--assert=plain",
        "-p", "sim.conformance.plugin", "-p", "no:cacheprovider",
        "--impl", args.impl, "--impl-timeout", str(args.timeout),
        "-v" if args.verbose else "-q", "-r", "fEs",
        # sim.conformance has imported pytest_bdd already; pytest need not say so.
        "-W", "ignore::pytest.PytestAssertRewriteWarning",
    ]
    if args.tags:
        argv += ["-m", args.tags]
    for case_id in args.case:
        argv += ["--case", case_id]
    if args.expected_failures is not None:
        argv += ["--expected-failures", str(args.expected_failures)]
    for opt, temp in temps.items():
        argv += [opt, str(temp)]
    return argv + conform_cli.pytest_args(args)


def _check_inputs(args: argparse.Namespace) -> str | None:
    """The first problem with the command line, named, or None."""
    from sim.rap.clients import connect

    try:
        connect(args.impl, timeout=1.0).close_port()  # checks the spec; starts nothing
    except ValueError as exc:
        return f"--impl: {exc}"
    if not args.timeout > 0:
        return f"--timeout must be a positive number of seconds, got {args.timeout}"
    problem = conform_cli.check(args)
    if problem is not None:
        return problem
    known_cases = [*cases.all_cases(FEATURES_DIR), *conform_cli.extra_cases()]
    known = {c.case_id for c in known_cases} | {c.group for c in known_cases}
    for case_id in args.case:
        if case_id not in known:
            return f"--case {case_id!r}: no case or group has this id (see --list)"
    if args.expected_failures is not None:
        try:
            expected.check_known(
                expected.load(args.expected_failures), known, args.expected_failures
            )
        except expected.ExpectedFailuresError as exc:
            return f"--expected-failures {exc}"
    for name in ("junitxml", "cucumberjson"):
        path: Path | None = getattr(args, name)
        if path is not None and not path.parent.is_dir():
            return f"--{name} {path}: the folder {path.parent} does not exist"
    return None


def run(argv: Sequence[str]) -> int:
    """Parse ``argv`` as the options of ``conform`` and run (for tests and scripts)."""
    parser = argparse.ArgumentParser(prog="returns-sim conform")
    configure(parser)
    return main(parser.parse_args(list(argv)))
