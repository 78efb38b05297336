"""``events.csv``: one row per engine call and its outcome, written as the run goes.

A year of the baseline makes hundreds of thousands of calls, so rows go to the file as the run
goes, an hour of simulated time at a time, rather than into memory (the run itself keeps only
the counts by op and outcome). :class:`EventLog` is the run's event sink
(``sim.model.gateway.EventSink``): the command opens it in the results folder being written
and hands it to the run.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Protocol, TextIO

from sim.core.timefmt import format_timestamp
from sim.core.values import Instant

_MM_SS = tuple(f"{m:02d}:{s:02d}Z" for m in range(60) for s in range(60))  # an hour's endings

EVENT_COLUMNS = ("seq", "at", "op", "return_id", "seller_id", "ok", "error", "status", "detail")


class EventLog:
    """Streams event rows to ``path``; a context manager that closes the file.

    Rows are kept as text until their hour of simulated time is over (or the log is closed)
    and then written as one: appending to a list costs a fraction of a write to a text file,
    per row."""

    def __init__(self, path: Path, on_text: Callable[[str], None] | None = None) -> None:
        """``on_text``, if given, is handed each piece of text as it is written (whole rows,
        header first): a run's result writer reads the rows back from it as they go."""
        self.path = path
        file = path.open("w", encoding="utf-8", newline="", buffering=1 << 20)
        self._file: _Text = file if on_text is None else _Tee(file, on_text)
        self._writer = csv.writer(self._file, lineterminator="\n")
        self._writer.writerow(EVENT_COLUMNS)
        self._seq = 0
        self._hour_start = 0  # the hour of the pending rows, and its ``YYYY-MM-DDTHH:`` text
        self._hour_text = format_timestamp(0)[:14]
        self._pending: list[str] = []  # rows of that hour, each a line without its line break

    @property
    def seq(self) -> int:
        """Rows logged so far: the ``seq`` of the last one."""
        return self._seq

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
        """Log the row. Hot (one call per engine call), hence written inline: the timestamp
        from the hour's cached text and a table of minute:second endings, ``!s`` to spell a
        StrEnum member as its value without a call to its ``__format__``, and the line by hand
        unless a field needs the csv module's quoting."""
        self._seq += 1
        sec = at - self._hour_start
        if not 0 <= sec < 3600:  # a new hour (rows come in time order): write the last one's
            self._flush()
            self._hour_start = at - at % 3600
            self._hour_text = format_timestamp(self._hour_start)[:14]
            sec = at - self._hour_start
        ok = "false" if error else "true"
        line = (f"{self._seq},{self._hour_text}{_MM_SS[sec]},{op},{return_id},{seller_id},{ok},"
                f"{error},{status!s},{detail}")
        if line.count(",") == 8 and '"' not in line and "\n" not in line and "\r" not in line:
            self._pending.append(line)
        else:  # a field holds a comma, a quote or a line break: the csv module quotes it
            self._flush()
            self._writer.writerow((self._seq, self._hour_text + _MM_SS[sec], op, return_id,
                                   seller_id, ok, error, status, detail))

    def _flush(self) -> None:
        """Write the pending rows, in one piece."""
        pending = self._pending
        if pending:
            pending.append("")  # the text ends with a line break
            self._file.write("\n".join(pending))
            pending.clear()

    def close(self) -> None:
        if not self._file.closed:
            self._flush()
            self._file.close()


class _Text(Protocol):
    """What the log writes to: a text file, or a :class:`_Tee` of one."""

    @property
    def closed(self) -> bool: ...
    def write(self, text: str, /) -> int: ...
    def close(self) -> None: ...


class _Tee:
    """A text file that also hands each piece written to a function."""

    def __init__(self, file: TextIO, on_text: Callable[[str], None]) -> None:
        self._file = file
        self._on_text = on_text

    @property
    def closed(self) -> bool:
        return self._file.closed

    def write(self, text: str) -> int:
        written = self._file.write(text)
        self._on_text(text)
        return written

    def close(self) -> None:
        self._file.close()
