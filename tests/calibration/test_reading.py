"""The reader takes reports as sellers hold them: any column order, extra columns, gzip,
Windows-1252 and cp932, several overlapping 60-day files; and names what is wrong."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest
from report_files import report_text, row, write_report

from sim.calibration.inputs import InputError, decode
from sim.calibration.reading import BadRowError, read_reports
from sim.reports.returns_report import COLUMNS


def test_a_windows_1252_report_is_detected_and_recorded(tmp_path: Path) -> None:
    path = write_report(tmp_path / "r.tsv", [row(Item_Name="Café Crème ™ mug")],
                        encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    reports = read_reports([path])
    assert reports.files[0].encoding == "cp1252"
    assert len(reports.rows) == 1


def test_a_japanese_cp932_report_is_detected(tmp_path: Path) -> None:
    path = write_report(tmp_path / "jp.tsv", [row(Item_Name="サイズ、小さい")], encoding="cp932")
    assert read_reports([path]).files[0].encoding == "cp932"


def test_utf8_with_a_bom_is_read_and_the_bom_recorded(tmp_path: Path) -> None:
    path = tmp_path / "bom.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + report_text([row()]).encode("utf-8"))
    reports = read_reports([path])
    assert reports.files[0].encoding == "utf-8-sig"
    assert reports.rows[0].order_id == "111-0000001-0000001"


def test_a_gzip_report_reads_like_the_plain_one(tmp_path: Path) -> None:
    rows = [row(Order_ID=f"111-0000001-{i:07d}") for i in range(5)]
    plain = write_report(tmp_path / "r.tsv", rows)
    packed = tmp_path / "r.tsv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    a, b = read_reports([plain]), read_reports([packed])
    assert b.files[0].compressed and not a.files[0].compressed
    assert [r.order_id for r in a.rows] == [r.order_id for r in b.rows]


def test_shuffled_and_extra_columns_give_the_same_rows(tmp_path: Path) -> None:
    rows = [row(Order_ID=f"111-0000001-{i:07d}", Return_Reason=f"CR-R{i}") for i in range(6)]
    columns = [*COLUMNS, "Seller Notes", "Marketplace"]
    random.Random(3).shuffle(columns)
    plain = read_reports([write_report(tmp_path / "a.tsv", rows)])
    shuffled = read_reports([write_report(tmp_path / "b.tsv", rows, columns)])
    key = [(r.order_id, r.reason, r.request_date, r.label_type) for r in plain.rows]
    assert key == [(r.order_id, r.reason, r.request_date, r.label_type) for r in shuffled.rows]


def test_overlapping_60_day_files_keep_each_return_once_at_its_latest_status(
        tmp_path: Path) -> None:
    early = [row(Order_ID="A", Return_request_status="Approved", Return_delivery_date=""),
             row(Order_ID="B", Return_request_date="02-Mar-2025")]
    late = [row(Order_ID="A", Return_request_status="Closed"),
            row(Order_ID="C", Return_request_date="20-Apr-2025")]
    reports = read_reports([write_report(tmp_path / "jan.tsv", early),
                            write_report(tmp_path / "feb.tsv", late)])
    by_id = {r.order_id: r for r in reports.rows}
    assert sorted(by_id) == ["A", "B", "C"]
    assert reports.duplicates == 1
    assert by_id["A"].status == "Closed" and by_id["A"].delivery_date is not None
    # the order of the files does not matter: the further status wins
    again = read_reports([tmp_path / "feb.tsv", tmp_path / "jan.tsv"])
    assert {r.order_id: r.status for r in again.rows}["A"] == "Closed"


def test_a_file_that_is_not_a_returns_report_is_refused_naming_the_missing_columns(
        tmp_path: Path) -> None:
    path = tmp_path / "orders.tsv"
    path.write_text("amazon-order-id\tpurchase-date\tsku\n1\t2025-01-01\tX\n", "utf-8")
    with pytest.raises(InputError) as info:
        read_reports([path])
    message = str(info.value)
    assert "not a returns report" in message and "'Return request date'" in message
    assert "'In policy'" in message and str(path) in message


def test_a_bad_row_is_skipped_and_counted_or_stops_under_strict(tmp_path: Path) -> None:
    rows = [row(Order_ID="A"), row(Order_ID="B", Order_date="2025-13-45x"),
            row(Order_ID="C", Return_quantity="two")]
    path = write_report(tmp_path / "r.tsv", rows)
    reports = read_reports([path])
    assert [r.order_id for r in reports.rows] == ["A"]
    assert reports.skipped == 2
    first = str(reports.problems[0])
    assert f"{path}:3: Order date:" in first and "'2025-13-45x'" in first
    assert "Return quantity" in str(reports.problems[1])
    with pytest.raises(BadRowError, match=r"r.tsv:3: Order date"):
        read_reports([path], strict=True)


def test_an_encoding_no_candidate_decodes_is_refused_with_each_failure() -> None:
    data = report_text([row()]).encode("ascii") + b"\x81\xff\x90\xff\n"
    with pytest.raises(InputError) as info:
        decode(data, "x.tsv")
    message = str(info.value)
    assert "utf-8" in message and "cp1252" in message and "cp932" in message
    assert "--encoding" in message


def test_an_explicit_encoding_is_used_as_given(tmp_path: Path) -> None:
    path = write_report(tmp_path / "r.tsv", [row(Item_Name="Crème")], encoding="cp1252")
    assert read_reports([path], encoding="latin-1").files[0].encoding == "latin-1"
    with pytest.raises(InputError, match="not valid utf-8"):
        read_reports([path], encoding="utf-8")
