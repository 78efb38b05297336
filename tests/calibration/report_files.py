"""Small hand-made returns reports for the calibration tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sim.reports.returns_report import COLUMNS


def row(**values: str) -> dict[str, str]:
    """A report row: sensible defaults, overridden by keyword (spaces as underscores)."""
    base = {
        "Order ID": "111-0000001-0000001", "Order date": "01-Mar-2025",
        "Return request date": "08-Mar-2025", "Return request status": "Closed",
        "Amazon RMA ID": "DabcdefgRRMA", "Label type": "AmazonPrePaidLabel",
        "Label to be paid by": "Customer", "Merchant SKU": "APP-000001",
        "Item Name": "Plain Shirt", "Return quantity": "1",
        "Return Reason": "CR-UNWANTED_ITEM", "In policy": "Y",
        "Return delivery date": "15-Mar-2025", "Currency code": "USD",
    }
    base.update({k.replace("_", " "): v for k, v in values.items()})
    return base


def report_text(rows: Sequence[dict[str, str]], columns: Sequence[str] = COLUMNS) -> str:
    lines = ["\t".join(columns)]
    lines += ["\t".join(r.get(c, "") for c in columns) for r in rows]
    return "\n".join(lines) + "\n"


def write_report(path: Path, rows: Sequence[dict[str, str]],
                 columns: Sequence[str] = COLUMNS, encoding: str = "utf-8") -> Path:
    path.write_bytes(report_text(rows, columns).encode(encoding))
    return path
