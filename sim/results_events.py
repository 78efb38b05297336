"""``events.csv``: one row per engine call and its outcome, written as the run goes.

A year of the baseline makes hundreds of thousands of calls, so rows go straight to a buffered
file rather than into memory; the counts by op and outcome are all the run keeps.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import TextIO

from sim.domain import Instant
from sim.timefmt import format_timestamp

_DAY = 86_400


class _Stamps:
    """RFC 3339 text of instants, the date part cached per day (rows come in time order)."""

    def __init__(self) -> None:
        self._day = -1
        self._prefix = ""

    def __call__(self, at: Instant) -> str:
        day, sec = divmod(at, _DAY)
        if day != self._day:
            self._day = day
            self._prefix = format_timestamp(day * _DAY)[:11]
        h, rest = divmod(sec, 3600)
        m, s = divmod(rest, 60)
        return f"{self._prefix}{h:02d}:{m:02d}:{s:02d}Z"

EVENT_COLUMNS = ("seq", "at", "op", "return_id", "seller_id", "ok", "error", "status", "detail")


class EventLog:
    """Streams event rows to ``path`` (or nowhere, for a run that keeps no files)."""

    def __init__(self, path: Path | None) -> None:
        self._file: TextIO | None = None
        self._writer = None
        if path is not None:
            self._file = path.open("w", encoding="utf-8", newline="", buffering=1 << 20)
            self._writer = csv.writer(self._file, lineterminator="\n")
            self._writer.writerow(EVENT_COLUMNS)
        self.seq = 0
        self._stamp = _Stamps()
        self.counts: Counter[tuple[str, str]] = Counter()  # (op, "ok" or error code) -> rows

    def row(
        self,
        at: Instant,
        op: str,
        return_id: str,
        seller_id: str,
        error: str,
        status: str,
        detail: str,
    ) -> None:
        self.seq += 1
        self.counts[(op, error or "ok")] += 1
        if self._writer is not None:
            self._writer.writerow(
                (
                    self.seq,
                    self._stamp(at),
                    op,
                    return_id,
                    seller_id,
                    "false" if error else "true",
                    error,
                    status,
                    detail,
                )
            )

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
