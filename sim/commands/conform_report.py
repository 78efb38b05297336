"""The results folder and HTML page of ``returns-sim conform --out DIR / --html PATH``.

The run records into a private temporary folder (``sim.conformance.record``); this module adds
the manifest and the page, then stages the folder into place whole
(:func:`sim.reports.staging.staged_folder`), or copies just the page to ``--html``. Kept apart
from ``conform.py`` so that command stays about running the suite.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from platform import python_version

from sim.conformance.record import RESULTS_FILE

TOOL = "returns-sandbox"


def check(args: argparse.Namespace) -> str | None:
    """The first problem with --out / --html, before anything runs."""
    if args.out is None and args.html is None:
        return None
    try:
        import jinja2  # noqa: F401  (the page's template library, in the sim extra)
    except ImportError:
        return ("--out/--html need Jinja2 for the report page: "
                "pip install 'returns-sandbox[sim]'")
    if args.html is not None and not args.html.parent.is_dir():
        return f"--html {args.html}: the folder {args.html.parent} does not exist"
    if args.out is not None:
        from sim.reports.staging import folder_is_ours

        out: Path = args.out
        if not out.parent.is_dir():
            return f"--out {out}: the folder {out.parent} does not exist"
        if out.exists() and not out.is_dir():
            return f"--out {out} exists and is a file, not a folder"
        if out.exists() and not folder_is_ours(out):
            return (f"--out {out} exists and is not a results folder written by returns-sim "
                    "(it has no manifest.json of ours); choose another folder")
    return None


def start(args: argparse.Namespace) -> tuple[Path | None, list[str]]:
    """A private folder to record into, and the pytest options that fill it."""
    if args.out is None and args.html is None:
        return None, []
    record = Path(tempfile.mkdtemp(prefix="returns-sim-conform-"))
    return record, ["-p", "sim.conformance.record", "--record-dir", str(record)]


def finish(args: argparse.Namespace, record: Path | None, exit_code: int,
           started: float) -> int:
    """Write the manifest and the page, and move them where they were asked for; the exit
    code (2 if the folder cannot be written after all)."""
    if record is None:
        return exit_code
    from sim.reports.html import write_report
    from sim.reports.staging import OutputFolderError, staged_folder

    try:
        if not (record / RESULTS_FILE).is_file():
            return exit_code  # the suite did not run (a usage error): nothing to report
        (record / "manifest.json").write_text(json.dumps(
            _manifest(args, record, exit_code, started), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8")
        page = write_report(record)
        if args.html is not None:
            temp = args.html.with_name(f".{args.html.name}.tmp")
            shutil.copyfile(page, temp)
            temp.replace(args.html)
        if args.out is not None:
            with staged_folder(args.out, kind="conform") as stage:
                for path in record.iterdir():
                    shutil.copy2(path, stage / path.name)
    except OutputFolderError as exc:
        print(f"returns-sim conform: --out: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(record, ignore_errors=True)
    return exit_code


def _manifest(args: argparse.Namespace, record: Path, exit_code: int,
              started: float) -> dict[str, object]:
    outcomes: Counter[str] = Counter()
    with (record / RESULTS_FILE).open(encoding="utf-8") as handle:
        for line in handle:
            outcomes[json.loads(line)["outcome"]] += 1
    try:
        ours = version(TOOL)
    except PackageNotFoundError:
        ours = "not installed"
    return {
        "tool": TOOL,
        "kind": "conform",
        "impl": args.impl,
        "command": ["returns-sim", "conform", "--impl", args.impl,
                    *(["--tags", args.tags] if args.tags else []),
                    *(x for c in args.case for x in ("--case", c)),
                    *(["--expected-failures", str(args.expected_failures)]
                      if args.expected_failures else [])],
        "exit_code": exit_code,
        "cases": sum(outcomes.values()),
        "outcomes": dict(sorted(outcomes.items())),
        "files": {"results": RESULTS_FILE, "hello": "hello.json",
                  "expected_failures": "expected_failures.json", "report": "report.html"},
        "packages": {"python": python_version(), TOOL: ours},
        "timings": {"wall_time_s": round(time.perf_counter() - started, 3)},
    }
