"""A small simulated run and its returns report, calibrated back: shared by the calibration
tests (tests/ is on the path)."""


from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.commands.cli import main
from sim.model.scenario import load

# The known answers differ from the baseline's, so a tool that echoed its base would fail.
KNOWN = """
[buyers]
request_delay_days = { median = 4.0, sigma = 0.6 }
[categories.apparel]
return_rate = 0.30
reasons = { "AMZ-PG-APP-TOO-SMALL" = 0.5, "CR-UNWANTED_ITEM" = 0.3, "CR-DEFECTIVE" = 0.2 }
[categories.electronics]
return_rate = 0.12
"""
ORDERS = 20_000
SEED = 11
LEVEL = "0.99"
"""The round trip checks about 60 intervals (rates, every reason share, delay parameters); at
0.99 each (a mix's shares simultaneous) a correct estimator passes with high probability,
while the known answers still sit far outside the baseline's values."""


@dataclass(frozen=True)
class RoundTrip:
    run: Path
    out: Path
    scenario_file: Path
    truth_file: Path

    @property
    def estimates(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((self.out / "estimates.json").read_text("utf-8"))
        return loaded

    @property
    def summary(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((self.run / "summary.json").read_text("utf-8"))
        return loaded


def write_sku_map(path: Path, scenario_spec: str | None) -> Path:
    """The simulator's SKUs are the category's first three letters and a running number, in
    the order of [categories]: the map a seller would export from their catalog."""
    scenario = load(scenario_spec).scenario
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["sku", "category"])
        start = 0
        for name, c in scenario.categories.items():
            w.writerows([f"{name[:3].upper()}-{start + j:06d}", name] for j in range(c.skus))
            start += c.skus
    return path




def make_round_trip(base: Path) -> RoundTrip:
    """Simulate the known scenario into ``base``, then calibrate from its own report."""
    truth = base / "known.toml"
    truth.write_text(KNOWN, "utf-8")
    run = base / "run"
    assert main(["run", str(truth), "--seed", str(SEED), "--orders", str(ORDERS), "--out",
                 str(run), "--quiet"]) == 0
    summary = json.loads((run / "summary.json").read_text("utf-8"))
    orders = base / "orders.csv"
    with orders.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["category", "orders"])
        w.writerows([c, v["orders"]] for c, v in summary["by_category"].items())
    skus = write_sku_map(base / "skus.csv", str(truth))
    out, scenario_file = base / "calibration", base / "calibrated.toml"
    code = main(["calibrate", str(run / "returns_report.tsv"), "--orders", str(orders),
                 "--categories", str(skus), "--out", str(out), "-o", str(scenario_file),
                 "--level", LEVEL])
    assert code == 0
    return RoundTrip(run, out, scenario_file, truth)
