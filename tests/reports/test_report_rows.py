"""``returns_report.tsv`` is written from lines spelled inline (``report_lines``) for speed;
:func:`row` is the columns' readable definition. Every line must be that row, tab-joined, and a
row whose fields need quoting must reach the csv writer as its fields."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest
from sim_runs import SmallRun, shared_small_run

from sim.reports.returns_report import COLUMNS, report_lines, row, write_report


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> SmallRun:
    return shared_small_run(str(tmp_path_factory.getbasetemp()))


def _expected_rows(run: SmallRun) -> list[list[str]]:
    out = run.output
    records = sorted(out.records.values(), key=lambda r: (r.requested_at, r.return_id))
    return [row(r, out.tally.extras[r.return_id], out) for r in records]


def test_each_line_is_its_row_joined_by_tabs(run: SmallRun) -> None:
    lines = list(report_lines(run.output))
    assert lines == ["\t".join(fields) for fields in _expected_rows(run)]


def test_names_that_need_quoting_go_to_the_csv_writer(run: SmallRun, tmp_path: Path) -> None:
    out = run.output
    names = list(out.catalog.sku_names)
    for i in range(0, len(names), 3):  # a quote, a tab, a line break, in turn
        names[i] += ('Monitor 27"', "a\tb", "two\nlines")[i // 3 % 3]
    odd = dataclasses.replace(out, catalog=dataclasses.replace(out.catalog,
                                                               sku_names=tuple(names)))
    lines = list(report_lines(odd))
    assert any(isinstance(line, list) for line in lines)
    assert any(isinstance(line, str) for line in lines)

    count = write_report(odd, tmp_path / "returns_report.tsv")
    expected = io.StringIO()
    writer = csv.writer(expected, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    records = sorted(odd.records.values(), key=lambda r: (r.requested_at, r.return_id))
    writer.writerows(row(r, odd.tally.extras[r.return_id], odd) for r in records)
    assert count == len(records)
    assert (tmp_path / "returns_report.tsv").read_bytes() == expected.getvalue().encode()
