"""Amazon's returns report (GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE) read as sellers hold it.

Like the SP-API connectors that read this report in production, every column is a nullable
string found by its header name, in any order, extra columns ignored; only the values the
calibration uses are then parsed, and a row whose value does not parse is reported by file,
line, column and value. A report covers at most 60 days of return requests, so a year comes as
several files that overlap: they are stitched, and a return seen in several keeps its latest
status.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sim.calibration.inputs import MAX_ROWS, InputError, header_key, read_text
from sim.reports.returns_report import COLUMNS

USED = (
    "Order ID", "Order date", "Return request date", "Return request status", "Amazon RMA ID",
    "Merchant RMA ID", "Label type", "Label to be paid by", "Merchant SKU", "Return quantity",
    "Return Reason", "In policy", "Return delivery date",
)
"""The columns the calibration and the check read (a report lacking one is refused)."""

STATUS_RANK = {"pending": 0, "approved": 1, "authorized": 1, "received": 2, "closed": 3}
"""How far a return has gone: of two rows of one return, the further one is the later."""

_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_AMAZON_DATE = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
MAX_LISTED_PROBLEMS = 1000


class BadRowError(InputError):
    """A row that does not parse, under ``--strict``."""


@dataclass(frozen=True)
class BadRow:
    """Where a row went wrong: file, line, column and value."""

    file: str
    line: int
    column: str
    value: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.problem}, got {self.value!r}"


@dataclass(frozen=True)
class ReturnRow:
    """One return request, with the report's values the tools use (None where empty)."""

    file: str
    line: int
    order_id: str
    order_date: date
    request_date: date
    status: str | None
    amazon_rma: str | None
    merchant_rma: str | None
    label_type: str | None
    payer: str | None
    sku: str | None
    quantity: int
    reason: str | None
    in_policy: bool | None
    delivery_date: date | None

    @property
    def key(self) -> tuple[str, str | None, date]:
        """A return's identity across overlapping reports (its RMA appears only once
        authorized, so it is not part of it)."""
        return (self.order_id, self.sku, self.request_date)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class ReportFile:
    path: str
    encoding: str
    compressed: bool
    rows: int
    skipped: int


@dataclass(frozen=True)
class Reports:
    """Every report read, stitched: one row per return, sorted by request date."""

    rows: tuple[ReturnRow, ...]
    files: tuple[ReportFile, ...]
    problems: tuple[BadRow, ...]  # the first MAX_LISTED_PROBLEMS
    skipped: int
    duplicates: int

    @property
    def first_request(self) -> date:
        return self.rows[0].request_date

    @property
    def last_request(self) -> date:
        return self.rows[-1].request_date


def parse_date(value: str) -> date:
    """``10-Jul-2025`` (the report's format) or ``2025-07-10`` (with or without a time)."""
    m = _AMAZON_DATE.fullmatch(value.strip())
    if m and m.group(2).lower() in _MONTHS:
        return date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    m = _ISO_DATE.match(value.strip())
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    raise ValueError("expected a date like 10-Jul-2025 or 2025-07-10")


def _columns(header: Sequence[str], path: str) -> dict[str, int]:
    index = {header_key(h): i for i, h in reversed(list(enumerate(header)))}
    missing = [c for c in USED if header_key(c) not in index]
    if missing:
        known = sum(header_key(c) in index for c in COLUMNS)
        raise InputError(
            f"{path}: not a returns report (GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE): it lacks "
            f"the column{'s' if len(missing) > 1 else ''} {', '.join(repr(c) for c in missing)} "
            f"(it has {known} of the report's {len(COLUMNS)} columns)")
    return {c: index[header_key(c)] for c in USED}


def _row(fields: list[str], cols: dict[str, int], path: str, line: int) -> ReturnRow | BadRow:
    def get(name: str) -> str | None:
        value = fields[cols[name]].strip()
        return value or None

    def when(name: str, required: bool) -> date | BadRow | None:
        value = get(name)
        if value is None:
            return BadRow(path, line, name, "", "missing") if required else None
        try:
            return parse_date(value)
        except ValueError as exc:
            return BadRow(path, line, name, value, str(exc))

    order_id = get("Order ID")
    if order_id is None:
        return BadRow(path, line, "Order ID", "", "missing")
    ordered, requested = when("Order date", True), when("Return request date", True)
    delivered = when("Return delivery date", False)
    for v in (ordered, requested, delivered):
        if isinstance(v, BadRow):
            return v
    assert isinstance(ordered, date) and isinstance(requested, date)
    assert delivered is None or isinstance(delivered, date)
    if requested < ordered:
        return BadRow(path, line, "Return request date", fields[cols["Return request date"]],
                      "before the order date")
    qty_text = get("Return quantity") or "1"
    if not qty_text.isdigit() or int(qty_text) < 1:
        return BadRow(path, line, "Return quantity", qty_text, "expected a whole number >= 1")
    flag = (get("In policy") or "").upper()
    if flag not in ("Y", "N", ""):
        return BadRow(path, line, "In policy", get("In policy") or "", "expected Y or N")
    return ReturnRow(
        path, line, order_id, ordered, requested, get("Return request status"),
        get("Amazon RMA ID"), get("Merchant RMA ID"), get("Label type"),
        get("Label to be paid by"), get("Merchant SKU"), int(qty_text), get("Return Reason"),
        None if not flag else flag == "Y", delivered,
    )


def read_report(path: Path, encoding: str | None, strict: bool,
                budget: int = MAX_ROWS) -> tuple[list[ReturnRow], list[BadRow], ReportFile]:
    """One report file: its rows, the rows it skipped and how it was decoded."""
    text = read_text(path, "report", encoding)
    reader = csv.reader(text.text.splitlines(keepends=True), delimiter="\t")
    header = next(reader, None)
    if header is None:
        raise InputError(f"{path}: empty file, not a returns report")
    cols = _columns(header, str(path))
    width = len(header)
    rows: list[ReturnRow] = []
    bad: list[BadRow] = []
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue
        line = reader.line_num
        if len(rows) >= budget:
            raise InputError(f"{path}: more than {MAX_ROWS} rows over all reports; "
                             "calibrate from fewer or shorter reports")
        if len(fields) < width:
            found: ReturnRow | BadRow = BadRow(str(path), line, "(row)", "\t".join(fields)[:80],
                                               f"{len(fields)} fields, the header has {width}")
        else:
            found = _row(fields, cols, str(path), line)
        if isinstance(found, BadRow):
            if strict:
                raise BadRowError(f"{found} (--strict stops at the first bad row)")
            bad.append(found)
        else:
            rows.append(found)
    return rows, bad, ReportFile(str(path), text.encoding, text.compressed, len(rows), len(bad))


def read_reports(paths: Sequence[Path], encoding: str | None = None,
                 strict: bool = False) -> Reports:
    """Read and stitch reports; of rows sharing :attr:`ReturnRow.key`, the one furthest along
    wins (then the one from the report reaching later dates, then the later file)."""
    best: dict[tuple[str, str | None, date], tuple[tuple[int, date, int], ReturnRow]] = {}
    files: list[ReportFile] = []
    problems: list[BadRow] = []
    skipped = total = 0
    for file_no, path in enumerate(paths):
        rows, bad, info = read_report(path, encoding, strict, MAX_ROWS - total)
        total += len(rows)
        files.append(info)
        skipped += len(bad)
        problems += bad[: max(0, MAX_LISTED_PROBLEMS - len(problems))]
        if not rows:
            continue
        reaches = max(r.request_date for r in rows)
        for r in rows:
            rank = (STATUS_RANK.get((r.status or "").lower(), -1), reaches, file_no)
            seen = best.get(r.key)
            if seen is None or rank >= seen[0]:
                best[r.key] = (rank, r)
    merged = sorted((r for _, r in best.values()), key=lambda r: (r.request_date, r.file, r.line))
    if not merged:
        detail = f"; first problem: {problems[0]}" if problems else ""
        raise InputError(f"no usable row in {', '.join(str(p) for p in paths)} "
                         f"({skipped} skipped){detail}")
    return Reports(tuple(merged), tuple(files), tuple(problems), skipped, total - len(merged))
