"""``events.csv`` as written by :class:`EventLog` is, byte for byte, what the csv module writes
for the same rows: its hand-made lines, hourly writes and quoting fallback change nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sim.core.timefmt import format_timestamp
from sim.core.values import Plan, Status
from sim.reports.events import EVENT_COLUMNS, EventLog

T0 = 1_767_225_600  # 2026-01-01T00:00:00Z

ROWS: list[tuple[int, str, str, str, str, str, str]] = [
    (T0 - 1, "set_policy", "", "", "", "", ""),  # the warm-up's last second
    (T0, "register_seller", "", "A1", "", "", Plan.INDIVIDUAL),
    (T0 + 59, "request_return", "R1", "A1", "", Status.PENDING_AUTHORIZATION, ""),
    (T0 + 3599, "reply", "R1", "A1", "", "", 'says "hello", twice'),
    (T0 + 3600, "receive", "R1", "A1", "invalid_state", "", "a,b"),
    (T0 + 3601, "close", "R1", "A1", "", Status.CLOSED, "line\nbreak"),
    (T0 + 3602, "close", "R2", "A1", "", Status.CLOSED, "carriage\rreturn"),
    (T0 + 3603, "authorize", "R3", "A1", "", Status.AUTHORIZED, "Zoë, 12\" screen"),
    (T0 + 3603, "authorize", "R4", "A1", "", Status.AUTHORIZED, "plain"),
    (T0 + 86_400 * 40 + 17, "authorize_batch", "R5", "A1", "", Status.AUTHORIZED, "x\ty"),
    (T0 + 86_400 * 40 + 18, "receive", "R5", "A1", "", Status.RECEIVED, "\x1f"),
]


def _expected(rows: list[tuple[int, str, str, str, str, str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EVENT_COLUMNS)
    for seq, (at, op, rid, sid, error, status, detail) in enumerate(rows, 1):
        writer.writerow((seq, format_timestamp(at), op, rid, sid, "false" if error else "true",
                         error, status, detail))
    return buffer.getvalue()


def test_rows_are_spelled_as_the_csv_module_spells_them(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    with EventLog(path) as log:
        for row in ROWS:
            log.row(*row)
        assert log.seq == len(ROWS)
    assert path.read_bytes() == _expected(ROWS).encode("utf-8")


def test_rows_out_of_time_order_keep_their_timestamps(tmp_path: Path) -> None:
    rows = [ROWS[5], ROWS[2], ROWS[9], ROWS[0], ROWS[8]]
    path = tmp_path / "events.csv"
    with EventLog(path) as log:
        for row in rows:
            log.row(*row)
    assert path.read_bytes() == _expected(rows).encode("utf-8")


def test_an_empty_log_has_the_header_alone(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    log = EventLog(path)
    log.close()
    log.close()  # closing twice is harmless
    assert path.read_text(encoding="utf-8") == ",".join(EVENT_COLUMNS) + "\n"
