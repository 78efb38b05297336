"""The results folder and HTML page of ``returns-sim conform --out DIR / --html PATH``.

The run records into a private folder beside the destination (``sim.conformance.record``);
this module adds the manifest and the page, then renames the folder into place whole, or
copies just the page to ``--html``. Kept apart from ``conform.py`` so that command stays about
running the suite.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from platform import python_version

from sim.conformance.record import RESULTS_FILE

TOOL = "returns-sandbox"


def not_ours(folder: Path) -> str | None:
    """Why ``folder`` must not be replaced (it exists and this tool did not write it), or None."""
    if not folder.exists():
        return None
    if not folder.is_dir():
        return f"{folder} exists and is not a folder"
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("tool") != TOOL:
        return (f"{folder} exists and is not a results folder of {TOOL} (no manifest.json of "
                "ours): choose another folder, or remove it yourself")
    return None


def check(args: argparse.Namespace) -> str | None:
    if args.out is None and args.html is None:
        return None
    try:
        import jinja2  # noqa: F401  (the page's template library, in the sim extra)
    except ImportError:
        return ("--out/--html need Jinja2 for the report page: "
                "pip install 'returns-sandbox[sim]'")
    if args.out is not None:
        problem = not_ours(args.out)
        if problem is not None:
            return f"--out {problem}"
    if args.html is not None and not args.html.parent.is_dir():
        return f"--html {args.html}: the folder {args.html.parent} does not exist"
    return None


def start(args: argparse.Namespace) -> tuple[Path | None, list[str]]:
    """A private folder to record into, and the pytest options that fill it."""
    if args.out is None and args.html is None:
        return None, []
    beside = (args.out.resolve().parent if args.out is not None else args.html.resolve().parent)
    beside.mkdir(parents=True, exist_ok=True)
    record = Path(tempfile.mkdtemp(prefix=".conform-record-", dir=beside))
    return record, ["-p", "sim.conformance.record", "--record-dir", str(record)]


def finish(args: argparse.Namespace, record: Path | None, exit_code: int,
           started: float) -> None:
    """Write the manifest and the page, and move them where they were asked for."""
    if record is None:
        return
    from sim.reports.html import REPORT_NAME, write_report

    try:
        if not (record / RESULTS_FILE).is_file():
            return  # the suite did not run (a usage error): nothing to report
        (record / "manifest.json").write_text(json.dumps(
            _manifest(args, record, exit_code, started), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8")
        page = write_report(record)
        if args.html is not None:
            shutil.copyfile(page, args.html.with_name(f".{args.html.name}.tmp"))
            args.html.with_name(f".{args.html.name}.tmp").replace(args.html)
        if args.out is not None:
            from sim.model.output import staged_folder

            with staged_folder(args.out) as stage:
                for path in record.iterdir():
                    shutil.copy2(path, stage / path.name)
            assert (args.out / REPORT_NAME).is_file()
    finally:
        shutil.rmtree(record, ignore_errors=True)


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
