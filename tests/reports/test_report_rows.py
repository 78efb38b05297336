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

from sim.model.output import RunOutput
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


def _expected_bytes(out: RunOutput) -> bytes:
    expected = io.StringIO()
    writer = csv.writer(expected, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    records = sorted(out.records.values(), key=lambda r: (r.requested_at, r.return_id))
    writer.writerows(row(r, out.tally.extras[r.return_id], out) for r in records)
    return expected.getvalue().encode()


def test_records_kept_out_of_request_order_are_written_sorted(run: SmallRun,
                                                              tmp_path: Path) -> None:
    """A run keeps its records in request order, and the report is written in the order
    they are kept; records kept in another order are written sorted all the same."""
    out = run.output
    items = list(out.records.items())
    half = len(items) // 2
    for name, kept in (("kept", items), ("reversed", items[::-1]),
                       ("one late", [*items[:half], *items[half + 1:], items[half]])):
        odd = dataclasses.replace(out, records=dict(kept))
        path = tmp_path / f"{name}.tsv"
        assert write_report(odd, path) == len(items), name
        assert path.read_bytes() == _expected_bytes(out), name


def test_requests_made_at_the_same_second_are_ordered_by_return_id(run: SmallRun,
                                                                   tmp_path: Path) -> None:
    out = run.output
    at = min(r.requested_at for r in out.records.values())
    same = {rid: dataclasses.replace(r, requested_at=at)
            for rid, r in list(out.records.items())[:50]}
    for name, kept in (("in order", same), ("reversed", dict(reversed(same.items())))):
        odd = dataclasses.replace(out, records=kept)
        path = tmp_path / f"{name}.tsv"
        write_report(odd, path)
        assert path.read_bytes() == _expected_bytes(odd), name
