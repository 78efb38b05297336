"""The page reads events.csv and returns_report.tsv with :func:`csv_rows`, which splits plain
lines itself: it must give exactly the rows (and the errors) of the csv module's reader."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.reports.html.run_data import csv_rows

TRICKY = [
    "a,b\n",
    "\n",
    'a,"b\nc",d\n',
    'a,"b\r\nc"\r\n',
    "a,b\r\n",
    "a,b\rc,d\n",
    '"x""y",z\n',
    'a,"b\n\n"\n',
    "a\tb,c\n",
    "a,b",
    "a,\x00b\n",
    'unterminated,"quote\n',
]


def _read(path: Path, reader: str, delimiter: str) -> tuple[list[list[str]], str | None]:
    rows: list[list[str]] = []
    with path.open(newline="", encoding="utf-8") as handle:
        source = (csv_rows(handle, delimiter) if reader == "ours"
                  else csv.reader(handle, delimiter=delimiter))
        try:
            rows.extend(source)
        except csv.Error as exc:
            return rows, str(exc)
    return rows, None


def _same(path: Path, text: str, delimiter: str) -> None:
    path.write_text(text, encoding="utf-8", newline="")
    assert _read(path, "ours", delimiter) == _read(path, "csv", delimiter)


@pytest.mark.parametrize("delimiter", [",", "\t"])
@pytest.mark.parametrize("text", TRICKY)
def test_tricky_lines_read_as_the_csv_module_reads_them(
        tmp_path: Path, text: str, delimiter: str) -> None:
    _same(tmp_path / "rows.csv", "h1,h2\n" + text + "last,row\n", delimiter)
    _same(tmp_path / "rows.csv", text, delimiter)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet='ab,"\t\n\r\x00 é', max_size=60),
       delimiter=st.sampled_from([",", "\t"]))
def test_any_text_reads_as_the_csv_module_reads_it(
        tmp_path_factory: pytest.TempPathFactory, text: str, delimiter: str) -> None:
    _same(tmp_path_factory.mktemp("rows") / "rows.csv", text, delimiter)


def test_a_field_over_the_size_limit_is_the_csv_module_s_error(tmp_path: Path) -> None:
    old = csv.field_size_limit(10)
    try:
        _same(tmp_path / "rows.csv", "short,row\n" + "x" * 11 + ",y\n", ",")
    finally:
        csv.field_size_limit(old)
