"""Result files: a pinned back-test, byte-identical reruns, Amazon's report format, and the
all-or-nothing results folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sim_runs import SMALL_SEED, SmallRun, run_small, shared_small_run

from sim.model.population import asin, asins
from sim.reports.returns_report import COLUMNS, amazon_date


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> SmallRun:
    return shared_small_run(str(tmp_path_factory.getbasetemp()))


# The back-test: the small baseline run (seed 7, about 5000 orders over 120 days). A change to
# the model, the baseline or the engine that moves these numbers must be deliberate: rerun,
# check the new figures make sense, and update them here.
PINNED = {
    "orders": 4970,
    "return_requests": 362,
    "return_rate": 0.072837,
    "share_in_policy": 0.972376,
    "share_auto_authorized": 0.671271,
    "manual_answered": 119,
    "manual_answered_after_respond_by": 7,
    "pending_backlog": {"max": 5, "mean": 0.323},
    "share_shipped_back": 0.887955,
    "closures": {"declined": 5, "not_returned": 17, "completed": 294},
    "open_at_horizon": {"pending_authorization": 0, "authorized": 35, "received": 11},
    "packages_after_close": 2,
    "peak_authorizations_per_day": {"count": 10, "date": "2025-04-04"},
    "labels": {
        "amazon_prepaid": {"count": 218, "share": 0.610644},
        "amazon_unpaid": {"count": 115, "share": 0.322129},
        "seller_prepaid": {"count": 24, "share": 0.067227},
    },
    "label_cost_by_payer": {
        "seller": {"labels": 75, "total": 754.18, "mean": 10.06},
        "customer": {"labels": 242, "total": 2301.03, "mean": 9.51},
    },
}


def test_back_test_pins_the_small_run(run: SmallRun) -> None:
    summary = run.summary
    assert {k: summary[k] for k in PINNED} == PINNED
    paths = summary["time_to_authorization_hours"]
    assert paths["auto"] == {"count": 243, "mean": 0.0, "p50": 0.0, "p90": 0.0, "p99": 0.0}
    assert paths["manual"]["count"] == 76
    assert paths["batch"]["count"] == 38


def test_summary_is_internally_consistent(run: SmallRun) -> None:
    s = run.summary
    authorized = sum(v["count"] for v in s["time_to_authorization_hours"].values())
    assert authorized == sum(v["count"] for v in s["labels"].values())
    assert s["return_requests"] == (
        sum(s["closures"].values()) + sum(s["open_at_horizon"].values())
    )
    by_cat = s["by_category"]
    assert sum(c["return_requests"] for c in by_cat.values()) == s["return_requests"]
    assert by_cat["apparel"]["return_rate"] > by_cat["books"]["return_rate"]


def test_same_seed_gives_byte_identical_results(run: SmallRun, tmp_path: Path) -> None:
    again = run_small(tmp_path / "again")
    names = sorted(p.name for p in run.folder.iterdir())
    assert names == sorted(p.name for p in again.folder.iterdir())
    for name in names:
        if name == "manifest.json":
            continue
        assert (run.folder / name).read_bytes() == (again.folder / name).read_bytes(), name
    one = json.loads((run.folder / "manifest.json").read_text())
    two = json.loads((again.folder / "manifest.json").read_text())
    one.pop("timings")
    two.pop("timings")
    assert one == two


def test_another_seed_gives_another_run(run: SmallRun, tmp_path: Path) -> None:
    other = run_small(tmp_path / "other", seed=SMALL_SEED + 1, plots=False)
    assert other.summary["orders"] != run.summary["orders"] or \
        other.summary["return_requests"] != run.summary["return_requests"]


def test_manifest_names_what_was_run(run: SmallRun) -> None:
    m = json.loads((run.folder / "manifest.json").read_text())
    assert m["seed"] == SMALL_SEED
    assert m["scenario"]["name"] == "baseline"
    assert re.fullmatch(r"[0-9a-f]{64}", m["scenario"]["sha256"])
    assert m["engine"]["implementation"] == "returns-sandbox-reference"
    assert set(m["packages"]) >= {"python", "simpy", "numpy", "faker", "matplotlib"}
    assert m["timings"]["wall_time_s"] > 0


def test_returns_report_speaks_amazons_format(run: SmallRun) -> None:
    header = (run.folder / "returns_report.tsv").read_text("utf-8").split("\n", 1)[0]
    assert tuple(header.split("\t")) == COLUMNS
    rows = run.report()
    date = re.compile(r"\d{2}-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{4}")
    for r in rows:
        assert date.fullmatch(r["Order date"]) and date.fullmatch(r["Return request date"])
        assert r["Return request status"] in {"Pending", "Approved", "Received", "Closed"}
        assert r["Label type"] in {"", "AmazonPrePaidLabel", "AmazonUnPaidLabel",
                                   "SellerPrePaidLabel"}
        assert r["Label to be paid by"] in {"", "Seller", "Customer"}
        assert r["In policy"] in {"Y", "N"} and r["Is prime"] in {"Y", "N"}
        assert r["Return type"] == "C-Returns"
        assert r["Currency code"] == "USD"
        assert re.fullmatch(r"B0[0-9A-Z]{8}", r["ASIN"])
        assert re.fullmatch(r"\d{3}-\d{7}-\d{7}", r["Order ID"])
        assert r["Amazon RMA ID"] == "" or re.fullmatch(r"D[A-Za-z0-9]{7}RRMA", r["Amazon RMA ID"])
        assert not (r["Amazon RMA ID"] and r["Merchant RMA ID"])
        if r["Return delivery date"]:
            assert date.fullmatch(r["Return delivery date"])
            assert re.fullmatch(r"\d+\.\d{2}", r["Refunded Amount"])
        assert re.fullmatch(r"\d+\.\d{2}", r["Order Amount"])
    assert any(r["Merchant RMA ID"] for r in rows)
    assert any(r["In policy"] == "N" for r in rows)


def test_report_rows_follow_request_dates(run: SmallRun) -> None:
    rows = run.report()
    records = run.output.records
    ordered = sorted(records.values(), key=lambda r: (r.requested_at, r.return_id))
    assert [r["Order ID"] for r in rows] == [r.order_id for r in ordered]


def test_amazon_formats() -> None:
    assert amazon_date(1752105600) == "10-Jul-2025"
    assert amazon_date(0) == "01-Jan-1970"
    assert asin(0) != asin(1) and asin(5) == asin(5)
    assert asins(60) == [asin(i) for i in range(60)]
