"""Order counts come as a number, Amazon's orders report, or a CSV per category and day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sim.calibration.categories import UNMAPPED, read_sku_map
from sim.calibration.inputs import InputError
from sim.calibration.orders import read_orders


def test_a_number_is_a_total_over_the_report_period() -> None:
    orders = read_orders("20_000", None)
    assert orders.total == 20_000 and not orders.by_category and not orders.by_day


def test_amazons_orders_report_counts_distinct_orders_per_day_and_category(
        tmp_path: Path) -> None:
    skus = tmp_path / "skus.csv"
    skus.write_text("sku,category\nA1,apparel\nB1,books\n", "utf-8")
    report = tmp_path / "orders.txt"
    report.write_text(
        "amazon-order-id\tpurchase-date\tsku\tquantity\n"
        "111-1\t2025-03-01T10:00:00+00:00\tA1\t1\n"
        "111-1\t2025-03-01T10:00:00+00:00\tB1\t1\n"  # one order, two categories
        "111-2\t2025-03-01T11:00:00+00:00\tA1\t2\n"
        "111-2\t2025-03-01T11:00:00+00:00\tA1\t1\n"  # the same order and category again
        "111-3\t2025-03-02T09:00:00+00:00\tZZ\t1\n", "utf-8")
    orders = read_orders(str(report), read_sku_map(skus))
    assert orders.counts == {("apparel", date(2025, 3, 1)): 2, ("books", date(2025, 3, 1)): 1,
                             (UNMAPPED, date(2025, 3, 2)): 1}


def test_a_csv_of_orders_per_category_and_day(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("date,category,orders\n2025-03-01,apparel,10\n01-Mar-2025,books,5\n"
                    "2025-03-02,apparel,7\n", "utf-8")
    orders = read_orders(str(path), None)
    assert orders.by_day and orders.by_category
    assert orders.categories() == {"apparel": 17, "books": 5}


@pytest.mark.parametrize("text, problem", [
    ("category,orders\napparel,ten\n", "orders: expected a whole number >= 0, got 'ten'"),
    ("date,orders\n2025-02-30,4\n", "date:"),
    ("when,how many\nx,1\n", "neither an orders report"),
])
def test_a_bad_orders_file_is_refused_naming_line_and_value(
        tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "o.csv"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError, match=problem):
        read_orders(str(path), None)


def test_a_missing_orders_file_or_a_zero_count_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_orders(str(tmp_path / "nope.csv"), None)
    with pytest.raises(InputError, match="at least 1"):
        read_orders("0", None)


def test_a_sku_mapped_to_two_categories_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "skus.csv"
    path.write_text("sku,category\nA1,apparel\nA1,books\n", "utf-8")
    with pytest.raises(InputError, match="'A1' is mapped to both 'apparel' and 'books'"):
        read_sku_map(path)
