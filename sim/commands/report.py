"""``returns-sim report DIR``: (re)build the folder's ``report.html`` from its data files.

Works on any results folder this tool wrote (a run, a compare or sweep experiment, a
conformance run): it reads the files, never re-simulates or re-runs anything. A folder that is
not one of ours, or lacks a file its page needs, exits 2 with the reason and writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, metavar="DIR",
                        help="a results folder written by run, compare, sweep or conform --out")
    parser.add_argument("--html", type=Path, default=None, metavar="PATH",
                        help="write the page here instead of DIR/report.html")


def main(args: argparse.Namespace) -> int:
    from sim.reports.html import ReportError, write_report

    if args.html is not None and not args.html.parent.is_dir():
        print(f"returns-sim report: error: --html {args.html}: the folder {args.html.parent} "
              "does not exist", file=sys.stderr)
        return 2
    try:
        path = write_report(args.folder, args.html)
    except ReportError as exc:
        print(f"returns-sim report: error: {exc}", file=sys.stderr)
        return 2
    print(f"returns-sim report: {path} ({path.stat().st_size:,} bytes)")
    return 0
