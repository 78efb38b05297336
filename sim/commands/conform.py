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
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from sim.commands import conform_report
from sim.conformance import SUITE_INI, SUITE_MODULE, cases, expected, folders
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
        "--features", action="append", default=[], type=Path, metavar="DIR",
        help="also run the .feature files of DIR (and its subfolders) with the packaged steps; "
        "repeatable",
    )
    parser.add_argument(
        "--no-builtin", action="store_true",
        help="run only the --features folders, not the packaged features",
    )
    parser.add_argument(
        "--tags", metavar="EXPR",
        help="run the cases whose tags match, e.g. '@C03 or @C16', "
        "'R05 and not optional-label_details' (the @ is optional)",
    )
    parser.add_argument(
        "--case", action="append", default=[], metavar="ID",
        help="run this case id (e.g. win-02) or group id (e.g. win); repeatable",
    )
    parser.add_argument(
        "--expected-failures", type=Path, metavar="FILE",
        help="TOML: [expected_failures] case-id = \"reason\"; a listed case that passes fails",
    )
    parser.add_argument(
        "--junitxml", type=Path, metavar="PATH",
        help="write a JUnit XML report (classname: the feature; name: 'case id: scenario')",
    )
    parser.add_argument(
        "--cucumberjson", type=Path, metavar="PATH", help="write a Cucumber JSON report"
    )
    parser.add_argument(
        "--cucumber-messages", type=Path, metavar="PATH",
        help="write Cucumber Messages (NDJSON), e.g. for @cucumber/html-formatter",
    )
    parser.add_argument(
        "--timeout", type=float, default=5.0, metavar="S",
        help="seconds one request may take before its case fails as a timeout (default 5)",
    )
    parser.add_argument(
        "--out", type=Path, metavar="DIR",
        help="write a results folder: manifest.json, results.jsonl (one line per case), "
        "hello.json, expected_failures.json and report.html",
    )
    parser.add_argument("--html", type=Path, metavar="PATH",
                        help="write only the HTML page here (no results folder)")
    parser.add_argument(
        "-v", "--verbose", action="store_true",
        help="one line per case; Python tracebacks under errors in feature files",
    )
    parser.add_argument(
        "--list", action="store_true",
        help="list the cases the other options select (id, clauses, file:line, scenario) "
        "and exit",
    )
    parser.add_argument(
        "--phrases", action="store_true",
        help="print the catalogue of step phrases (English and Chinese) and exit",
    )
    conform_cli.configure(parser)


REPORTS = (
    ("--junitxml", "junitxml", "--rap-junit"),
    ("--cucumberjson", "cucumberjson", "--rap-cucumber-json"),
    ("--cucumber-messages", "cucumber_messages", "--rap-messages"),
)
"""(conform option, its dest, the plugin option that writes it)."""


def main(args: argparse.Namespace) -> int:
    if args.phrases:
        from sim.conformance.phrases_catalogue import render

        sys.stdout.write(render())
        return 0
    problem, selected = _check_inputs(args)
    if problem is not None:
        print(f"returns-sim conform: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.list:
        for case in selected:
            print(f"{case.case_id:<32} {' '.join(case.clauses):<24} "
                  f"{case.feature}:{case.line}  {case.scenario}")
        return 0
    problem = conform_cli.preflight(args)
    if problem is not None:
        print(f"returns-sim conform: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    reports = [(plugin_opt, path) for _, dest, plugin_opt in REPORTS
               if (path := getattr(args, dest)) is not None]
    # Each report is written into a private folder beside its target, then renamed into place.
    folders_made = {opt: Path(tempfile.mkdtemp(prefix=".conform-", dir=path.parent))
                    for opt, path in reports}
    temps = {opt: folders_made[opt] / path.name for opt, path in reports}
    started = time.perf_counter()
    record, record_args = conform_report.start(args)
    try:
        with _own_pytest_options():
            code = pytest.main(_pytest_args(args, temps) + record_args, plugins=[])
        for opt, path in reports:
            if temps[opt].exists():
                os.replace(temps[opt], path)
    finally:
        for folder in folders_made.values():
            shutil.rmtree(folder, ignore_errors=True)
    exit_code = _PYTEST_EXIT.get(pytest.ExitCode(code), 1)
    return conform_report.finish(args, record, exit_code, started)


@contextmanager
def _own_pytest_options() -> Iterator[None]:
    """Run the suite with conform's options only: a ``PYTEST_ADDOPTS`` set for the user's own
    tests (``--durations``, ``-x``, ``-p``...) would change what conform prints and reports."""
    saved = os.environ.pop("PYTEST_ADDOPTS", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["PYTEST_ADDOPTS"] = saved


def _pytest_args(args: argparse.Namespace, temps: dict[str, Path]) -> list[str]:
    argv = [
        str(SUITE_MODULE), "-c", str(SUITE_INI), "--rootdir", str(SUITE_MODULE.parent),
        # Only the plugins the kit needs: whatever else is installed (hypothesis, ...) stays out
        # of a conformance run, and the steps need no assertion rewriting.
        "--disable-plugin-autoload", "-p", "pytest_bdd.plugin", "--assert=plain",
        "-p", "sim.conformance.plugin", "-p", "no:cacheprovider",
        "--impl", args.impl, "--impl-timeout", str(args.timeout),
        # pytest's own lines name its test module; the kit's name the feature files.
        "-q", "--no-header", "--tb=short", "-rs",
        # sim.conformance has imported pytest_bdd already; pytest need not say so.
        "-W", "ignore::pytest.PytestAssertRewriteWarning",
    ]
    if args.verbose:
        argv.append("--rap-progress")
    for folder in args.features:
        argv += ["--features", str(folder)]
    if args.no_builtin:
        argv.append("--no-builtin")
    if args.tags:
        argv += ["-m", folders.normalize_tags(args.tags)]
    for case_id in args.case:
        argv += ["--case", case_id]
    if args.expected_failures is not None:
        argv += ["--expected-failures", str(args.expected_failures)]
    for opt, temp in temps.items():
        argv += [opt, str(temp)]
    return argv + conform_cli.pytest_args(args)


def _check_inputs(args: argparse.Namespace) -> tuple[str | None, list[cases.Case]]:
    """The first problem with the command line, named (or None), and the cases it selects."""
    from sim.conformance.diagnostics import suggestion_lines
    from sim.rap.clients import connect

    try:
        connect(args.impl, timeout=1.0).close_port()  # checks the spec; starts nothing
    except ValueError as exc:
        return f"--impl: {exc}", []
    if not args.timeout > 0:
        return f"--timeout must be a positive number of seconds, got {args.timeout}", []
    problem = conform_cli.check(args)
    if problem is not None:
        return problem, []
    try:
        known_cases = folders.collect(folders.folders_of(args.features, not args.no_builtin))
    except (folders.FolderError, cases.CaseError) as exc:
        return str(exc), []
    known_cases = [*known_cases, *conform_cli.extra_cases(args)]
    known = {c.case_id for c in known_cases} | {c.group for c in known_cases}
    for case_id in args.case:
        if case_id not in known:
            near = suggestion_lines([case_id], sorted(known))
            hint = f"; nearest: {', '.join(near)}" if near else ""
            return f"--case {case_id!r}: no case or group has this id (see --list){hint}", []
    if args.expected_failures is not None:
        try:
            expected.check_known(
                expected.load(args.expected_failures), known, args.expected_failures
            )
        except expected.ExpectedFailuresError as exc:
            return f"--expected-failures {exc}", []
    for _, dest, _ in REPORTS:
        path: Path | None = getattr(args, dest)
        if path is not None and not path.parent.is_dir():
            return f"--{dest.replace('_', '-')} {path}: the folder {path.parent} does not exist", []
    problem = conform_report.check(args)
    if problem:
        return problem, []
    try:
        selected = folders.select(known_cases, args.tags, args.case)
    except ValueError as exc:
        return str(exc), []
    if not selected:
        return f"no case matches --tags {args.tags!r}" + (
            f" and --case {' '.join(args.case)}" if args.case else ""), []
    return None, selected


def run(argv: Sequence[str]) -> int:
    """Parse ``argv`` as the options of ``conform`` and run (for tests and scripts)."""
    parser = argparse.ArgumentParser(prog="returns-sim conform")
    configure(parser)
    return main(parser.parse_args(list(argv)))
