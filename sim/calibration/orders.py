"""Order counts: what a returns report cannot say (how many orders were *not* returned).

``--orders`` takes one of three things, told apart by their content:

- a number: every order placed over the days the report's returns were ordered (from its first
  order date to its last request date), spread evenly over those days;
- Amazon's orders report (``GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL``: columns
  ``amazon-order-id``, ``purchase-date``, ``sku``): distinct orders per day, and per category
  through the SKU map;
- a CSV with a column ``orders`` and optional ``date`` and ``category`` columns: orders per
  category and day (either may be absent: then they are totals).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sim.calibration.categories import UNMAPPED
from sim.calibration.inputs import MAX_ROWS, InputError, read_table
from sim.calibration.reading import parse_date

MAX_ORDERS = 10**12
"""The largest order count taken (a guard against a typo, not a business limit)."""


@dataclass(frozen=True)
class OrderCounts:
    """Orders keyed by (category or None for all, day or None for the whole period)."""

    counts: Mapping[tuple[str | None, date | None], float]
    source: str

    @property
    def total(self) -> float:
        return float(sum(self.counts.values()))

    @property
    def by_category(self) -> bool:
        return any(c is not None for c, _ in self.counts)

    @property
    def by_day(self) -> bool:
        return any(d is not None for _, d in self.counts)

    def categories(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for (c, _), n in self.counts.items():
            if c is not None:
                out[c] = out.get(c, 0.0) + n
        return out


def _positive(total: float, where: str) -> None:
    if total <= 0:
        raise InputError(f"{where}: the order count must be at least 1, got {total:g}; a return "
                         "rate needs the orders placed (returned or not)")


def read_orders(spec: str, sku_map: Mapping[str, str] | None,
                encoding: str | None = None) -> OrderCounts:
    """Parse ``--orders``: a number or a file (see the module's docstring)."""
    text = spec.strip().replace("_", "")
    if text.lstrip("-").isdigit():
        n = int(text)
        _positive(n, "--orders")
        if n > MAX_ORDERS:
            raise InputError(f"--orders: at most {MAX_ORDERS}, got {n}")
        return OrderCounts({(None, None): float(n)}, f"--orders {n}")
    path = Path(spec)
    if not path.exists():
        raise InputError(f"--orders: expected a number of orders or a file, got {spec!r} "
                         "(no such file)")
    table = read_table(path, "--orders", encoding)
    header, reader = table.header, table.reader
    if "amazonorderid" in header and "purchasedate" in header:
        counts = _orders_report(reader, header, sku_map, str(path))
    elif "orders" in header:
        counts = _orders_csv(reader, header, str(path))
    else:
        raise InputError(f"--orders {path}: neither an orders report (columns amazon-order-id, "
                         "purchase-date) nor a CSV with a column 'orders' (and optional 'date', "
                         f"'category'); header {table.first_line!r}")
    _positive(sum(counts.values()), f"--orders {path}")
    return OrderCounts(dict(counts), f"{path} ({table.encoding})")


def _rows(reader: Any, path: str) -> Iterator[tuple[str, list[str]]]:
    """Non-blank rows with where they are (``--orders FILE:LINE``), at most MAX_ROWS."""
    for count, fields in enumerate(reader):
        if count >= MAX_ROWS:
            raise InputError(f"--orders {path}: more than {MAX_ROWS} rows")
        if any(f.strip() for f in fields):
            yield f"--orders {path}:{reader.line_num}", fields


def _orders_report(reader: Any, header: list[str], sku_map: Mapping[str, str] | None,
                   path: str) -> Counter[tuple[str | None, date | None]]:
    i_id, i_date = header.index("amazonorderid"), header.index("purchasedate")
    i_sku = header.index("sku") if "sku" in header else None
    seen: set[tuple[str, str | None]] = set()
    counts: Counter[tuple[str | None, date | None]] = Counter()
    for where, fields in _rows(reader, path):
        if len(fields) <= max(i_id, i_date, i_sku or 0):
            raise InputError(f"{where}: {len(fields)} fields, fewer than the header's")
        try:
            day = parse_date(fields[i_date])
        except ValueError as exc:
            raise InputError(f"{where}: purchase-date: {exc}, got {fields[i_date]!r}") from None
        category = None
        if sku_map is not None and i_sku is not None:
            category = sku_map.get(fields[i_sku].strip(), UNMAPPED)
        key = (fields[i_id].strip(), category)
        if key not in seen:  # an order with two lines of one category counts once
            seen.add(key)
            counts[(category, day)] += 1
    return counts


def _orders_csv(reader: Any, header: list[str],
                path: str) -> Counter[tuple[str | None, date | None]]:
    i_n = header.index("orders")
    i_date = header.index("date") if "date" in header else None
    i_cat = header.index("category") if "category" in header else None
    counts: Counter[tuple[str | None, date | None]] = Counter()
    for where, fields in _rows(reader, path):
        if len(fields) <= max(i_n, i_date or 0, i_cat or 0):
            raise InputError(f"{where}: {len(fields)} fields, fewer than the header's")
        value = fields[i_n].strip()
        if not value.isdigit():
            raise InputError(f"{where}: orders: expected a whole number >= 0, got {value!r}")
        day = None
        if i_date is not None:
            try:
                day = parse_date(fields[i_date])
            except ValueError as exc:
                raise InputError(f"{where}: date: {exc}, got {fields[i_date]!r}") from None
        category = fields[i_cat].strip() or None if i_cat is not None else None
        counts[(category, day)] += int(value)
    return counts
