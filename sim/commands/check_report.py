"""``returns-sim check-report``: a returns report's own decisions against the reference policy.

Each row is replayed in the in-process reference engine under the scenario's policy and
windows; the engine's decision is cross-tabulated against the report's ``In policy``,
``Return request status``, ``Label type`` and ``Label to be paid by``. Exit codes: 0 every row
agrees, 1 some disagree, 2 bad input (nothing written).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from sim.calibration.inputs import InputError, add_report_arguments

LISTED = 20


def configure(parser: argparse.ArgumentParser) -> None:
    from sim.calibration.checking import SELLERS

    add_report_arguments(parser)
    parser.add_argument("--scenario", default=None, metavar="S",
                        help="the scenario whose policy and windows apply (a TOML file or a "
                        "bundled name; default: the baseline)")
    parser.add_argument("--seller", choices=SELLERS, default="any",
                        help="the seller's plan to replay (default any: professional with the "
                        "defaults, else individual on manual authorization)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="write check.txt (every disagreement), disagreements.csv and "
                        "cases/<n>.ndjson (one replayable rap/1 case per disagreeing row)")
    parser.add_argument("--force", action="store_true",
                        help="replace an --out folder the tool did not write")


def _fail(message: str, code: int = 2) -> int:
    print(f"returns-sim check-report: error: {message}", file=sys.stderr)
    return code


def main(args: argparse.Namespace) -> int:
    from sim.calibration.categories import read_sku_map
    from sim.calibration.checking import check, summary_text
    from sim.calibration.reading import read_reports
    from sim.model.scenario import ScenarioError, load
    from sim.rap.envelope import dumps
    from sim.reports.manifest import tool_manifest, write_json
    from sim.reports.staging import OutputFolderError, staged_folder

    try:
        loaded = load(args.scenario)
    except ScenarioError as exc:
        return _fail(f"--scenario {args.scenario}: {exc}")
    try:
        sku_map = read_sku_map(args.categories, args.encoding) if args.categories else None
        reports = read_reports(args.reports, args.encoding, args.strict)
    except InputError as exc:
        return _fail(str(exc))
    result = check(reports, loaded.scenario, sku_map, args.seller)
    print(summary_text(result, LISTED), end="")
    if reports.skipped:
        print(f"returns-sim check-report: warning: {reports.skipped} rows skipped (first: "
              f"{reports.problems[0]})", file=sys.stderr)
    if args.out is not None:
        try:
            with staged_folder(args.out, kind="check-report", force=args.force,
                               parents=True) as stage:
                (stage / "check.txt").write_text(summary_text(result), encoding="utf-8")
                cases = stage / "cases"
                cases.mkdir()
                with (stage / "disagreements.csv").open("w", encoding="utf-8",
                                                        newline="") as f:
                    w = csv.writer(f)
                    w.writerow(["file", "line", "order_id", "column", "report", "engine",
                                "clause", "why", "case"])
                    written: dict[str, str] = {}
                    for d in result.disagreements:
                        name = written.get(d.row.where)
                        if name is None:
                            name = written[d.row.where] = f"cases/{len(written) + 1:05d}.ndjson"
                            (stage / name).write_text(
                                "".join(dumps(p) + "\n" for p in d.case), encoding="utf-8")
                        w.writerow([d.row.file, d.row.line, d.row.order_id, d.column, d.report,
                                    d.engine, d.clause, d.why, name])
                write_json(stage / "manifest.json", tool_manifest(
                    "check-report", reports=[str(p) for p in args.reports],
                    scenario=loaded.source, rows=result.rows,
                    disagreements=len(result.disagreements)))
        except OutputFolderError as exc:
            return _fail(f"--out: {exc}")
        print(f"written to {args.out}/ (check.txt, disagreements.csv, cases/)")
    return 1 if result.disagreements else 0
