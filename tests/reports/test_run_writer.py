"""``returns-sim run``'s writer process (:mod:`sim.reports.run_writer`): the folder it writes
beside the run is, byte for byte, the folder written in one process; its page is the page
``returns-sim report`` rebuilds from the files; rows wait for it rather than fill the pipe; it
fails loudly and is ended with the run however the run ends."""

from __future__ import annotations

import io
import json
import multiprocessing
import pickle
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
from test_events import ROWS, T0

from sim.commands.cli import main as cli
from sim.core.engine import ReferenceEngine
from sim.model.run import plan_run, single_run
from sim.model.scenario import load
from sim.reports.events import EventLog
from sim.reports.html import REPORT_NAME
from sim.reports.html.run_data import EventSeries, EventSeriesBuilder, csv_rows, read_events
from sim.reports.run_writer import BATCH, READY, WriterFailed, _PipedEvents, run_writer


def _write(folder: Path, scenario: str, beside: bool) -> Path:
    folder.mkdir(parents=True)
    loaded = load(scenario)
    plan = plan_run(loaded.scenario, name=loaded.name, seed=11, orders=20_000, days=150)
    with run_writer(folder, loaded, start=plan.t0 + plan.measure_from, days=plan.days,
                    command=["returns-sim", "run", scenario], beside=beside) as writer:
        output = single_run(plan, ReferenceEngine(), sink=writer.sink)
        written = writer.finish(output)
    if beside:  # the page took the plots of the events drawn while the KPIs were computed
        assert writer.facts == {"event_plots_drawn_early": True}
    assert [p.name for p in written.files] == sorted(
        (p.name for p in folder.iterdir()), key=[p.name for p in written.files].index)
    return folder


def _manifest_without_timings(folder: Path) -> dict[str, object]:
    manifest: dict[str, object] = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest.pop("timings")
    return manifest


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["understaffed", "holiday"])
def test_a_folder_written_beside_the_run_is_the_folder_written_in_one_process(
    tmp_path: Path, scenario: str
) -> None:
    beside = _write(tmp_path / "beside", scenario, beside=True)
    alone = _write(tmp_path / "alone", scenario, beside=False)
    names = sorted(p.name for p in alone.iterdir())
    assert sorted(p.name for p in beside.iterdir()) == names
    assert len(names) == 11
    for name in names:
        if name == "manifest.json":
            assert _manifest_without_timings(beside) == _manifest_without_timings(alone)
        else:
            assert (beside / name).read_bytes() == (alone / name).read_bytes(), name
    copy = tmp_path / "copy"  # and its page, built from what it knew, is the files' page
    shutil.copytree(beside, copy)
    (copy / REPORT_NAME).unlink()
    assert cli(["report", str(copy)]) == 0
    assert (copy / REPORT_NAME).read_bytes() == (beside / REPORT_NAME).read_bytes()


def test_a_failing_writer_is_raised_with_its_traceback(tmp_path: Path) -> None:
    (tmp_path / "events.csv").mkdir()  # the writer cannot open its file
    loaded = load("baseline")
    plan = plan_run(loaded.scenario, name=loaded.name, seed=1, orders=5_000, days=30)
    with (pytest.raises(WriterFailed, match=r"(?s)Traceback.*IsADirectoryError"),
          run_writer(tmp_path, loaded, start=plan.t0, days=plan.days) as writer):
        writer.finish(single_run(plan, ReferenceEngine(), sink=writer.sink))


def test_the_writer_is_ended_when_the_run_fails(tmp_path: Path) -> None:
    loaded = load("baseline")
    with (pytest.raises(RuntimeError, match="the engine broke"),
          run_writer(tmp_path, loaded, start=T0, days=10) as writer):
        writer.sink.row(T0, "set_policy", "", "", "", "", "")
        raise RuntimeError("the engine broke")
    assert writer.process is not None and writer.process.poll() is not None


def test_rows_wait_until_the_writer_is_ready_and_then_go_in_order() -> None:
    ours, theirs = multiprocessing.Pipe(duplex=True)
    sink = _PipedEvents(ours)
    rows = [(T0 + i, "authorize", f"R{i}", "A1", "", "authorized", "") for i in range(3 * BATCH)]
    for fields in rows[: 2 * BATCH]:
        sink.row(*fields)
    assert not theirs.poll(), "a row went to a writer that had not said it was ready"
    got: list[tuple[object, ...]] = []

    def read() -> None:  # as the writer does: a message is a tag byte, then pickled rows
        while len(got) < len(rows):
            got.extend(pickle.loads(theirs.recv_bytes()[1:]))

    reader = threading.Thread(target=read)
    reader.start()
    theirs.send(READY)
    for fields in rows[2 * BATCH:]:
        sink.row(*fields)
    sink.flush(last=True)
    reader.join(timeout=30)
    assert got == rows


def _series(series: EventSeries) -> dict[str, object]:
    def plain(value: object) -> object:
        if isinstance(value, np.ndarray):
            return value.tolist()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value
    return {
        "plans": series.plans,
        "waits": {k: (w.hours.tolist(), w.plans) for k, w in series.waits.items()},
        "pending": plain(dict(series.pending)),
        "late": plain(dict(series.late_answers)),
        "daily": plain(dict(series.daily)),
    }


def test_series_fed_the_rows_as_they_are_written_are_the_series_of_the_file(
    tmp_path: Path
) -> None:
    builder = EventSeriesBuilder(T0, 60, 24)
    path = tmp_path / "events.csv"
    with EventLog(path, on_text=lambda text: builder.feed(
            csv_rows(io.StringIO(text, newline="")))) as log:
        for fields in ROWS:  # quoted fields, line breaks, the warm-up's second, new hours
            log.row(*fields)
    assert _series(builder.series()) == _series(read_events(path, T0, 60, 24))
    assert builder.made_for(T0, 60, 24) and not builder.made_for(T0, 60, 48)
