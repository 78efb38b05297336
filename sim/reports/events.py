"""``events.csv``: one row per engine call and its outcome, written as the run goes.

A year of the baseline makes hundreds of thousands of calls, so rows go straight to a buffered
file rather than into memory (the run itself keeps only the counts by op and outcome).
:class:`EventLog` is the run's event sink (``sim.model.gateway.EventSink``): the command opens
it in the results folder being written and hands it to the run.
"""

from __future__ import annotations

import csv
from pathlib import Path
from types import TracebackType

from sim.core.timefmt import format_timestamp
from sim.core.values import Instant

_MM_SS = tuple(f"{m:02d}:{s:02d}Z" for m in range(60) for s in range(60))  # an hour's endings


EVENT_COLUMNS = ("seq", "at", "op", "return_id", "seller_id", "ok", "error", "status", "detail")


class EventLog:
    """Streams event rows to ``path``; a context manager that closes the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = path.open("w", encoding="utf-8", newline="", buffering=1 << 20)
        self._writer = csv.writer(self._file, lineterminator="\n")
        self._writer.writerow(EVENT_COLUMNS)
        self.seq = 0
        self._hour = -1  # the hour of the last row, and its ``YYYY-MM-DDTHH:`` text
        self._hour_text = ""

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

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
        """Write the row. Hot (one call per engine call), hence written inline:
        the timestamp from the hour's cached text and a table of minute:second endings (rows
        come in time order), the line by hand unless a field needs the csv module's quoting."""
        self.seq += 1
        hour, sec = divmod(at, 3600)
        if hour != self._hour:
            self._hour = hour
            self._hour_text = format_timestamp(hour * 3600)[:14]
        stamp = self._hour_text + _MM_SS[sec]
        ok = "false" if error else "true"
        # StrEnum members format as their value, exactly as the csv module writes them
        line = f"{self.seq},{stamp},{op},{return_id},{seller_id},{ok},{error},{status},{detail}\n"
        if line.count(",") == 8 and '"' not in line and "\r" not in line and (
            line.count("\n") == 1
        ):
            self._file.write(line)
        else:  # a field holds a comma, a quote or a line break: the csv module quotes it
            self._writer.writerow(
                (self.seq, stamp, op, return_id, seller_id, ok, error, status, detail)
            )

    def close(self) -> None:
        self._file.close()
