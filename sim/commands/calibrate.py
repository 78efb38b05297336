"""``returns-sim calibrate``: Amazon returns reports and order counts in, a scenario out.

Bad input (a file that is not a returns report, an encoding no candidate decodes, a row that
does not parse under ``--strict``, an order count of zero, a destination the tool did not write)
exits with 2 before anything is written. The calibration report folder is staged and renamed;
the scenario file (``-o``) is written beside its destination and renamed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sim.calibration.inputs import InputError, add_report_arguments
from sim.reports.manifest import tool_manifest, write_json


def configure(parser: argparse.ArgumentParser) -> None:
    add_report_arguments(parser)
    parser.add_argument("--orders", required=True, metavar="FILE|N",
                        help="orders placed over the report's period: a number, Amazon's orders "
                        "report, or a CSV with a column 'orders' and optional 'date' and "
                        "'category' columns")
    parser.add_argument("-o", "--output", type=Path, default=None, metavar="SCENARIO.toml",
                        help="also write the calibrated scenario here (it reads on top of the "
                        "baseline: returns-sim run SCENARIO.toml)")
    parser.add_argument("--out", type=Path, default=Path("results") / "calibration",
                        metavar="DIR", help="the calibration report folder (default: "
                        "results/calibration); replaced whole")
    parser.add_argument("--level", type=float, default=0.95, metavar="P",
                        help="confidence level of the intervals (default 0.95)")
    parser.add_argument("--force", action="store_true",
                        help="replace a file or folder the tool did not write")


def _fail(message: str, code: int = 2) -> int:
    print(f"returns-sim calibrate: error: {message}", file=sys.stderr)
    return code


def _manifest(args: argparse.Namespace, estimates: dict[str, Any]) -> dict[str, Any]:
    inputs = []
    for path in [*args.reports, *([args.categories] if args.categories else [])]:
        inputs.append({"path": str(path),
                       "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest()})
    found = {name: _version(name) for name in ("returns-sandbox", "scipy", "numpy",
                                               "matplotlib")}
    return tool_manifest(
        "calibrate", inputs=inputs,
        encodings={r["path"]: r["encoding"] for r in estimates["reports"]},
        orders=estimates["orders"], level=args.level, packages=found,
        command=["returns-sim", "calibrate", *map(str, args.reports), "--orders", args.orders])


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def main(args: argparse.Namespace) -> int:
    if not 0.5 <= args.level < 1:
        return _fail(f"--level: must be at least 0.5 and below 1, got {args.level}")
    try:
        import scipy  # noqa: F401  (the fits and intervals; in the 'sim' extra)
    except ImportError:
        return _fail("calibrate needs SciPy: pip install 'returns-sandbox[sim]'")
    from sim.calibration.categories import read_sku_map
    from sim.calibration.estimation import estimate
    from sim.calibration.orders import read_orders
    from sim.calibration.plots import write_plots
    from sim.calibration.reading import read_reports
    from sim.calibration.report import estimates_json, report_text
    from sim.calibration.scenario_toml import (
        OutputFileError,
        check_text,
        refuse_foreign,
        scenario_text,
        write_atomically,
    )
    from sim.model.scenario import ScenarioError, load
    from sim.reports.staging import OutputFolderError, staged_folder

    try:
        if args.output is not None:
            refuse_foreign(args.output, args.force)
        sku_map = read_sku_map(args.categories, args.encoding) if args.categories else None
        orders = read_orders(args.orders, sku_map, args.encoding)
        reports = read_reports(args.reports, args.encoding, args.strict)
    except (InputError, OutputFileError) as exc:
        return _fail(str(exc))
    base = load(None).scenario
    cal = estimate(reports, orders, sku_map, base, args.level)
    text = scenario_text(cal, base)
    try:
        check_text(text)
    except ScenarioError as exc:  # a bug: the estimates should always make a valid scenario
        return _fail(str(exc), 1)
    estimates = estimates_json(cal)
    try:
        with staged_folder(args.out, kind="calibrate", force=args.force,
                           parents=True) as stage:
            (stage / "scenario.toml").write_text(text, encoding="utf-8", newline="\n")
            (stage / "calibration.txt").write_text(report_text(cal, base), encoding="utf-8",
                                                   newline="\n")
            (stage / "estimates.json").write_text(json.dumps(estimates, indent=2) + "\n",
                                                  encoding="utf-8", newline="\n")
            write_plots(cal, base, stage)
            write_json(stage / "manifest.json", _manifest(args, estimates))
    except OutputFolderError as exc:
        return _fail(f"--out: {exc}")
    except KeyboardInterrupt:
        print("\nreturns-sim calibrate: interrupted; nothing written", file=sys.stderr)
        return 130
    if args.output is not None:
        write_atomically(args.output, text)
    if reports.skipped:
        print(f"returns-sim calibrate: warning: {reports.skipped} rows skipped (listed in "
              f"{args.out}/calibration.txt; --strict stops at the first)", file=sys.stderr)
    overall = cal.overall_rate
    print(f"returns-sim calibrate: {len(reports.rows)} returns from {len(reports.files)} "
          f"report(s), {reports.first_request}..{reports.last_request}")
    if overall is not None:
        print(f"  return rate {overall.value:.4f} [{overall.low:.4f}, {overall.high:.4f}] over "
              f"{orders.total:g} orders")
    if cal.delay is not None:
        d = cal.delay
        print(f"  request delay median {d.median:.2f} days [{d.median_low:.2f}, "
              f"{d.median_high:.2f}], sigma {d.sigma:.2f} [{d.sigma_low:.2f}, "
              f"{d.sigma_high:.2f}]")
    print(f"report in {args.out}/ (calibration.txt, estimates.json, scenario.toml, plots)"
          + (f"; scenario in {args.output}" if args.output else ""))
    return 0
