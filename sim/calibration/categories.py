"""The SKU -> category map: the one thing a returns report lacks for per-category figures.

A CSV (comma or tab) with a header naming ``sku`` (or ``Merchant SKU``) and ``category``; other
columns are ignored. A seller exports it from their catalog (the flat-file inventory report has
both).
"""

from __future__ import annotations

from pathlib import Path

from sim.calibration.inputs import MAX_ROWS, InputError, read_table

UNMAPPED = "(unmapped)"
"""The category of rows whose SKU the map lacks (counted apart, never guessed)."""


def read_sku_map(path: Path, encoding: str | None = None) -> dict[str, str]:
    """``sku -> category`` from the map file; a SKU listed twice with two categories is refused
    (the file, the line and both categories are named)."""
    table = read_table(path, "--categories", encoding)
    header, reader = table.header, table.reader
    sku_col = next((header.index(k) for k in ("sku", "merchantsku", "sellersku") if k in header),
                   None)
    cat_col = header.index("category") if "category" in header else None
    if sku_col is None or cat_col is None:
        raise InputError(f"--categories {path}: the header must name the columns 'sku' and "
                         f"'category', got {table.first_line!r}")
    found: dict[str, str] = {}
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue
        if len(found) >= MAX_ROWS:
            raise InputError(f"--categories {path}: more than {MAX_ROWS} SKUs")
        line = reader.line_num
        if len(fields) <= max(sku_col, cat_col):
            raise InputError(f"--categories {path}:{line}: expected a sku and a category, got "
                             f"{','.join(fields)!r}")
        sku, category = fields[sku_col].strip(), fields[cat_col].strip()
        if not sku or not category:
            raise InputError(f"--categories {path}:{line}: sku and category must not be empty, "
                             f"got {sku!r}, {category!r}")
        prior = found.setdefault(sku, category)
        if prior != category:
            raise InputError(f"--categories {path}:{line}: SKU {sku!r} is mapped to both "
                             f"{prior!r} and {category!r}")
    if not found:
        raise InputError(f"--categories {path}: no SKU in the map")
    return found
