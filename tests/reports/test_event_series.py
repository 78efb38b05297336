"""The page's series of a few hand-made events (``EventSeriesBuilder``): when requests are
counted pending, by plan, and how long each waited, by path."""

from __future__ import annotations

import io
from pathlib import Path

from sim.reports.events import EventLog
from sim.reports.html.run_data import EventSeriesBuilder, csv_rows

T0 = 1_735_689_600  # 2025-01-01T00:00:00Z
H = 3600


def _series(tmp_path: Path, rows: list[tuple[int, str, str, str, str, str, str]]
            ) -> EventSeriesBuilder:
    builder = EventSeriesBuilder(T0, 1, 4)
    with EventLog(tmp_path / "events.csv", on_text=lambda text: builder.feed(
            csv_rows(io.StringIO(text, newline="")))) as log:
        for fields in rows:
            log.row(*fields)
    return builder


def test_pending_steps_and_waits_by_plan_and_path(tmp_path: Path) -> None:
    pending = "pending_authorization"
    builder = _series(tmp_path, [
        (T0, "register_seller", "", "S1", "", "", "individual"),
        (T0, "register_seller", "", "S2", "", "", "professional"),
        (T0 + 90 * 60, "request_return", "R1", "S1", "", pending, ""),
        (T0 + 130 * 60, "request_return", "R2", "S1", "", pending, ""),
        (T0 + 140 * 60, "request_return", "R3", "S2", "", "authorized", "auto"),
        (T0 + 150 * 60, "request_return", "R4", "S2", "", pending, ""),
        (T0 + 5 * H, "authorize", "R1", "S1", "", "authorized", ""),
        (T0 + 7 * H, "close", "R2", "S1", "", "closed", "declined"),
        (T0 + 8 * H, "authorize_batch", "R4", "S2", "", "authorized", ""),
    ])
    series = builder.series()
    assert series.plans == ("individual", "professional")
    assert series.pending["individual"][:9].tolist() == [0, 0, 1, 2, 2, 1, 1, 0, 0]
    assert series.pending["professional"][:10].tolist() == [0, 0, 0, 1, 1, 1, 1, 1, 0, 0]
    waits = {path: (w.hours.tolist(), w.plans) for path, w in series.waits.items()}
    assert waits == {"auto": ([0.0], ("professional",)),
                     "manual": ([3.5], ("individual",)),
                     "batch": ([5.5], ("professional",))}
    assert series.late_answers["individual"].tolist() == [0]  # R2 closed after 4h50
    assert series.late_answers["professional"].tolist() == [0]  # R4 after 5h30
