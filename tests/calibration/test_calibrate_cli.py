"""returns-sim calibrate and check-report as a user meets them: clear refusals with exit 2 and
nothing half-written, a scenario file replaced only if the tool wrote it, and a report's
decisions checked against the policy with replayable cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from calibration_runs import RoundTrip, write_sku_map
from report_files import row, write_report

from sim.commands.cli import main
from sim.core.engine import ReferenceEngine
from sim.rap.inprocess import InProcessPort


def _calibrate(tmp_path: Path, report: Path, *extra: str) -> int:
    return main(["calibrate", str(report), "--out", str(tmp_path / "out"), *extra])


def test_a_file_that_is_not_a_report_exits_2_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "x.tsv"
    bogus.write_text("sku\tqty\nA\t1\n", "utf-8")
    code = _calibrate(tmp_path, bogus, "--orders", "100", "-o", str(tmp_path / "s.toml"))
    assert code == 2
    err = capsys.readouterr().err
    assert "not a returns report" in err and "'Order ID'" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "s.toml").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["x.tsv"]


def test_an_order_count_of_zero_exits_2(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    report = write_report(tmp_path / "r.tsv", [row()])
    assert _calibrate(tmp_path, report, "--orders", "0") == 2
    assert "--orders: the order count must be at least 1, got 0" in capsys.readouterr().err
    orders = tmp_path / "orders.csv"
    orders.write_text("category,orders\napparel,0\n", "utf-8")
    assert _calibrate(tmp_path, report, "--orders", str(orders)) == 2
    assert not (tmp_path / "out").exists()


def test_an_encoding_that_fails_every_candidate_exits_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = write_report(tmp_path / "r.tsv", [row()])
    report.write_bytes(report.read_bytes() + b"\x81\xff\x90\xff\n")
    assert _calibrate(tmp_path, report, "--orders", "100") == 2
    assert "the encoding is none of utf-8, cp1252, cp932" in capsys.readouterr().err


def test_strict_stops_at_a_bad_row_naming_file_line_column_and_value(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = write_report(tmp_path / "r.tsv", [row(), row(Order_ID="B", In_policy="maybe")])
    assert _calibrate(tmp_path, report, "--orders", "100", "--strict") == 2
    assert "r.tsv:3: In policy: expected Y or N, got 'maybe'" in capsys.readouterr().err


def test_a_scenario_file_the_tool_did_not_write_is_kept_unless_forced(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text("[buyers]\ncomment_share = 0.5\n", "utf-8")
    report = write_report(tmp_path / "r.tsv", [row(Order_ID=f"O{i}") for i in range(6)])
    args = ["calibrate", str(report), "--orders", "100", "--out", str(tmp_path / "o"), "-o",
            str(mine)]
    assert main(args) == 2
    assert "was not written by returns-sim calibrate" in capsys.readouterr().err
    assert mine.read_text("utf-8") == "[buyers]\ncomment_share = 0.5\n"
    assert not (tmp_path / "o").exists()
    assert main([*args, "--force"]) == 0
    text = mine.read_text("utf-8")
    assert text.startswith("# returns-sim calibrate:")
    assert "reasons" not in text.replace("# reasons", "")  # 6 returns: the base's mixes kept
    assert main(args) == 0  # now it is the tool's own file: replaced without --force
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text("utf-8"))
    assert manifest["tool"] == "returns-sandbox" and manifest["kind"] == "calibrate"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.toml", "o", "r.tsv"]


def test_rows_from_skus_the_map_lacks_are_counted_apart(
        round_trip: RoundTrip, tmp_path: Path) -> None:
    full = write_sku_map(tmp_path / "full.csv", str(round_trip.truth_file))
    lines = full.read_text("utf-8").splitlines()
    partial = tmp_path / "partial.csv"
    partial.write_text("\n".join(x for x in lines if not x.startswith("SHO-")) + "\n", "utf-8")
    out = tmp_path / "o"
    assert main(["calibrate", str(round_trip.run / "returns_report.tsv"), "--orders", "20000",
                 "--categories", str(partial), "--out", str(out)]) == 0
    estimates = json.loads((out / "estimates.json").read_text("utf-8"))
    assert "shoes" not in estimates["categories"]
    unmapped = estimates["categories"]["(unmapped)"]
    shoes = round_trip.estimates["categories"]["shoes"]["rows"]
    assert unmapped["rows"] == shoes
    assert any("SKUs the map lacks" in n for n in estimates["notes"])


def test_help_names_the_options_the_docs_describe(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["calibrate", "--help"])
    text = capsys.readouterr().out
    for option in ("--orders", "--categories", "--encoding", "--strict", "-o", "--out",
                   "--level", "--force", "Limits:"):
        assert option in text
    with pytest.raises(SystemExit):
        main(["check-report", "--help"])
    text = capsys.readouterr().out
    for option in ("--scenario", "--categories", "--seller", "--out", "Limits:"):
        assert option in text


def test_the_simulators_own_report_agrees_but_for_sellers_longer_windows(
        round_trip: RoundTrip, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    skus = write_sku_map(tmp_path / "skus.csv", str(round_trip.truth_file))
    code = main(["check-report", str(round_trip.run / "returns_report.tsv"), "--categories",
                 str(skus), "--scenario", str(round_trip.truth_file)])
    out = capsys.readouterr().out
    assert code in (0, 1)
    assert "Label to be paid by:" in out
    rows = round_trip.summary["return_requests"]
    disagreements = int(out.split(" disagreements")[0].rsplit("\n", 1)[-1])
    assert disagreements <= rows * 0.02  # only sellers with their own longer window (C04)
    for line in out.splitlines():
        if line.startswith("  /"):
            assert "C04" in line or "C09" in line


def test_disagreements_are_listed_with_their_clause_and_replay_as_cases(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        row(Order_ID="OK"),  # in policy, Amazon prepaid, customer pays an unwanted item
        row(Order_ID="LATE", Return_request_date="30-Jun-2025"),  # in policy? 4 months on
        row(Order_ID="PAYER", Label_to_be_paid_by="Seller"),  # rule 4: the customer pays
        row(Order_ID="OOP", In_policy="N", Return_request_date="30-Jun-2025"),  # prepaid, OOP
    ]
    report = write_report(tmp_path / "r.tsv", rows)
    out_dir = tmp_path / "check"
    assert main(["check-report", str(report), "--out", str(out_dir)]) == 1
    text = (out_dir / "check.txt").read_text("utf-8")
    assert "order LATE: In policy: report 'Y', engine 'N' (C15" in text
    assert "order PAYER: Label to be paid by: report 'Seller', engine 'Customer' (C09" in text
    assert "order OOP: Label type: report 'AmazonPrePaidLabel'" in text
    assert "order OK:" not in text
    cases = sorted((out_dir / "cases").iterdir())
    assert len(cases) == 3
    for case in cases:
        pairs = [json.loads(line) for line in case.read_text("utf-8").splitlines()]
        assert [p["request"]["seq"] for p in pairs] == list(range(1, len(pairs) + 1))
        engine = InProcessPort(ReferenceEngine())
        for p in pairs:  # a replay against the reference gives the same answers
            got = engine.execute(p["request"])
            assert got["ok"] == p["response"]["ok"]
            if got["ok"] and "return" in got["result"]:
                a, b = got["result"]["return"], p["response"]["result"]["return"]
                assert (a["status"], a["in_policy"], a["label"]) == (
                    b["status"], b["in_policy"], b["label"])
