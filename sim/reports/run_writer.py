"""A run's files written by a second process while the run goes on: ``returns-sim run``'s
writer.

Writing a year's results costs more than a second of CPU after the simulation, and the
simulation keeps one core busy while another waits. So a writer process is started before the run
starts (a fresh interpreter running this module: a fork would make this process pay for
copying every page the two shared, ~0.1 s of a year's run, and multiprocessing's spawn would
run the caller's main script again) and works beside it:

- while the run goes on, it takes the event rows in batches over a pipe, writes them to
  ``events.csv`` with the same :class:`~sim.reports.events.EventLog` a run without it uses,
  and feeds every piece written to the page's
  :class:`~sim.reports.html.run_data.EventSeriesBuilder` (what ``returns-sim report DIR``
  computes when it reads the file back); it loads matplotlib and the page's templates, in a
  thread, meanwhile, and draws ``windows_by_category.png`` (the policy and the categories
  are all it shows). Rows made before it is ready wait in this process;
- when the run ends, two forked children of its own (:func:`~sim.reports.plots.drawn_beside`)
  draw three more PNG plots from the run's tallies and the page's backlog plot, while it
  draws the page's other two plots of the events, then, once the KPIs arrive (received by a
  thread, so that the run's process never waits to send them), ``labels.png`` and
  ``report.html``; this process meanwhile summarizes and writes ``summary.json``, the
  returns report and the manifest. After the simulation the three processes have about
  2.4 s of CPU to share on two cores.

The files are the bytes of :func:`sim.reports.folder.write_run_folder`, which writes them all
in this process (``RunWriter(beside=False)``; the tests compare the two). The writer's
failure is raised here with its traceback (a bug); if this process fails or is stopped, the
writer is ended before the stage it writes into is removed.
"""

from __future__ import annotations

import contextlib
import gc
import io
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from sim.model.output import RunOutput
from sim.model.scenario import LoadedScenario, to_policy
from sim.reports.events import EventLog
from sim.reports.folder import (
    WrittenRun,
    cpu_seconds,
    measured_timings,
    write_run_folder,
    written_files,
)
from sim.reports.kpis import Requests, summarize
from sim.reports.manifest import run_manifest, write_json
from sim.reports.plots import (
    PLOTS,
    WindowsOf,
    drawn_beside,
    plot_labels,
    plot_paths,
    plot_windows,
    write_tally_plots,
)
from sim.reports.returns_report import write_report

BATCH = 4096  # event rows per message: a few milliseconds of the run
_ROWS, _RUN_ENDED = b"E", b"X"
READY = "ready"


class WriterFailed(RuntimeError):
    """The writer process failed (a bug: its traceback is the message)."""


class _PipedEvents:
    """The run's event sink in this process: the fields of each row, as the call packed them,
    kept in a list and sent a batch at a time (pickled: the reference engine's statuses are
    StrEnum members). A row costs an append here; formatting it is the writer's work. Until
    the writer says it is ready, rows wait here rather than fill the pipe (which would stop
    the run)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._ready = False
        rows: list[tuple[Any, ...]] = []
        self._rows = rows
        limit = self._limit = [BATCH]
        append, flush = rows.append, self.flush

        def row(*fields: Any) -> None:  # (at, op, return_id, seller_id, error, status, detail)
            append(fields)
            if len(rows) >= limit[0]:
                flush()

        self.row = row

    def flush(self, last: bool = False) -> None:
        """Send the rows kept (``last``: the run has ended, so wait for the writer if need
        be)."""
        rows = self._rows
        if not self._ready:
            if not last and not self._conn.poll():
                self._limit[0] = len(rows) + BATCH
                return
            said = _said(self._conn)
            if said != READY:
                raise WriterFailed(str(said))
            self._ready = True
        if rows:
            _send(self._conn, _ROWS + pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
            rows.clear()
        self._limit[0] = BATCH


def _send(conn: Connection, data: bytes) -> None:
    try:
        conn.send_bytes(data)
    except OSError:  # the writer has ended: it failed, and says why
        raise WriterFailed(str(_said(conn, 5))) from None


def _said(conn: Connection, wait: float | None = None) -> str | dict[str, Any]:
    """The writer's next word (:data:`READY`, its traceback, or when done what it did),
    waiting for it at most ``wait`` seconds (``None``: as long as it takes)."""
    try:
        if wait is None or conn.poll(wait):
            said = conn.recv()
            if isinstance(said, str | dict):
                return said
    except (EOFError, OSError):
        pass
    return "the writer ended without a word"


def _page_respond_by(loaded: LoadedScenario) -> int | None:
    """respond_by as the page will read it from scenario.toml (:func:`read_scenario`, then
    :func:`respond_by_hours`); if it cannot, neither will the page, which then reads the rows
    back from events.csv rather than use series built for other parameters."""
    from sim.reports.html.run_data import respond_by_hours
    from sim.reports.html.settings import merged

    try:
        return respond_by_hours(merged(loaded.data))
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        return None


def _warm_up(windows: tuple[WindowsOf, Path] | None = None,
             drawn: list[WindowsOf] | None = None) -> None:
    """Load what drawing and the page need, and draw a figure to each canvas once (fonts
    found and cached), while the writer waits for rows; then draw the windows plot, which
    needs nothing of the run but its policy and categories (``windows``: those and its
    path), and add what it was drawn from to ``drawn``. (Should that fail, the PNG child
    draws the plot after the run and reports the failure.)"""
    from sim.reports.figures import new_figure, save_png
    from sim.reports.html.page import figure, plot, template

    fig = figure(2, 1)
    fig.subplots().set_title("warm-up")
    plot(fig, "", "")
    fig = new_figure(2, 1)
    fig.subplots().set_title("warm-up")
    save_png(fig, io.BytesIO())
    template("run.html")
    if windows is not None and drawn is not None:
        (policy, categories), path = windows
        with contextlib.suppress(Exception):
            plot_windows(policy, categories, path)
            drawn.append((policy, categories))


def _received(conn: Connection) -> Callable[[], Any]:
    """The run's next message, received by a thread: the run's process sends the KPIs while
    the writer draws, and a message larger than the socket's buffer would hold the sender
    until the writer reads it (a year's run waited ~0.6 s). What is returned waits for the
    message and the thread's end (a fork may follow: none is made with a thread running)."""
    message: Future[Any] = Future()

    def receive() -> None:
        try:
            message.set_result(conn.recv())
        except BaseException as exc:  # EOFError, OSError: raised where the message is taken
            message.set_exception(exc)

    thread = threading.Thread(target=receive, name="receive", daemon=True)
    thread.start()

    def taken() -> Any:  # raises what receiving raised
        thread.join()
        return message.result()

    return taken


def _stop_with(child: list[BaseProcess]) -> Callable[..., None]:
    def stop(signum: int, frame: object) -> None:
        for process in child:
            process.terminate()
            process.join()
        os._exit(128 + signum)
    return stop


def serve(fd: int) -> None:
    """The writer process's main: ``fd`` is its end of the connection to the run's process,
    whose first message says what to write where. The cyclic collector is off, as in the
    run's process: what the writer makes is freed by reference counting, and full passes over
    the page's growing series cost it ~0.1 s a year, one of them at the end, after the run."""
    gc.disable()
    conn = Connection(fd)
    try:
        folder, loaded, t0, days, plots, page = conn.recv()
    except (EOFError, OSError):
        return  # the run's process ended first
    _writer(conn, folder, loaded, t0, days, plots, page)
    # Its word is sent and its files closed: end without tearing the interpreter down
    # (freeing matplotlib and a year's series took ~0.2 s that the run's process waited for).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _writer(conn: Connection, folder: Path, loaded: LoadedScenario, t0: int, days: int,
            plots: bool, page: bool) -> None:
    """The writer: the module's docstring says what it does, in what order."""
    drawer: list[BaseProcess] = []
    signal.signal(signal.SIGTERM, _stop_with(drawer))
    try:
        from sim.reports.html.run_data import (
            EventSeriesBuilder,
            KnownRunData,
            csv_rows,
            events_only,
            sku_number,
        )
        from sim.reports.html.run_page import write_run_report
        from sim.reports.html.run_plots import (
            DrawnEarly,
            backlog_plot,
            event_plots,
            flows_plot,
            waits_plot,
        )

        windows_drawn: list[WindowsOf] = []
        windows = ((to_policy(loaded.scenario), tuple(loaded.scenario.categories)),
                   plot_paths(folder)[PLOTS.index("windows_by_category.png")])
        warm = threading.Thread(target=_warm_up, args=(windows if plots else None,
                                                       windows_drawn),
                                name="warm-up", daemon=True)
        if plots or page:
            warm.start()
        builder = EventSeriesBuilder(t0, days, _page_respond_by(loaded))

        def read_back(text: str) -> None:
            builder.feed(csv_rows(io.StringIO(text, newline="")))

        with EventLog(folder / "events.csv", on_text=read_back if page else None) as log:
            conn.send(READY)
            row = log.row
            while True:
                data = conn.recv_bytes()
                if data[:1] == _RUN_ENDED:
                    break
                for fields in pickle.loads(data[1:]):
                    row(*fields)
        output: RunOutput = pickle.loads(data[1:])
        if warm.is_alive():
            warm.join()  # no fork with a thread running
        early = None
        if page:  # what the page's plots of the events are drawn from
            early = events_only(folder, output.scenario_name, output.seed,
                                datetime.fromtimestamp(t0, UTC).date(), days,
                                builder.respond_by_hours, builder.series())
        with contextlib.ExitStack() as beside:
            # forked children draw the tally plots and the page's backlog plot (the costliest
            # of its plots), this process the rest meanwhile
            tally = backlog = None
            if plots:
                tally = beside.enter_context(drawn_beside(partial(
                    write_tally_plots, output, folder,
                    windows_drawn[0] if windows_drawn else None)))
            if early is not None:
                backlog = beside.enter_context(drawn_beside(partial(backlog_plot, early)))
            drawer.extend(d.process for d in (tally, backlog) if d and d.process)
            kpis = _received(conn)  # after the forks: no fork with a thread running
            mine = ({draw.__name__: draw(early) for draw in (waits_plot, flows_plot)}
                    if early is not None else {})
            summary, manifest, skus, in_policy = kpis()
            if plots:  # in a third child: at the end, a core is free
                labels = beside.enter_context(drawn_beside(partial(
                    plot_labels, summary, plot_paths(folder)[PLOTS.index("labels.png")])))
                if labels.process is not None:
                    drawer.append(labels.process)
            drawn = None
            if early is not None and backlog is not None:
                drawn = DrawnEarly(early, lambda: event_plots(  # the child's plot taken last
                    early, {**mine, backlog_plot.__name__: backlog.result()}))
                numbers = map(sku_number, skus)  # as read_categories reads the report's column
                known = KnownRunData(manifest, summary, builder, numbers, in_policy)
                write_run_report(folder, loaded, known, drawn)
        conn.send({"event_plots_drawn_early": drawn is not None and drawn.used})
    except BaseException:
        with contextlib.suppress(OSError):  # else the run's process has gone: nobody to tell
            conn.send(traceback.format_exc())


class RunWriter:
    """Writes one run's files into ``folder``: hand :attr:`sink` to the run as its event sink,
    then call :meth:`finish` with its output. Use :func:`run_writer`, which ends a writer
    process that is not needed any more. ``beside=False`` (the default where there is no POSIX
    descriptor passing) writes everything in this process
    (:func:`~sim.reports.folder.write_run_folder`): the same bytes."""

    def __init__(self, folder: Path, loaded: LoadedScenario, *, start: int, days: int,
                 command: Sequence[str] = (), plots: bool = True, page: bool = True,
                 beside: bool | None = None) -> None:
        self.folder, self.loaded, self.command = folder, loaded, command
        self.plots, self.page = plots, page
        self.process: subprocess.Popen[bytes] | None = None
        self.facts: dict[str, Any] = {}  # what the writer did, once finished (for the tests)
        self._log: EventLog | None = None
        if beside is None:  # passing a connection's descriptor to a fresh interpreter
            beside = os.name == "posix" and bool(sys.executable)
        if not beside:
            self._log = EventLog(folder / "events.csv")
            self.sink: EventLog | _PipedEvents = self._log
            return
        self._conn, theirs = multiprocessing.Pipe(duplex=True)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", f"from {__name__} import serve; serve({theirs.fileno()})"],
            pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL,
            start_new_session=True)  # not in the terminal's group: Ctrl-C is for this process
        theirs.close()
        self._conn.send((folder, loaded, start, days, plots, page))
        self.sink = _PipedEvents(self._conn)

    def finish(self, output: RunOutput) -> WrittenRun:
        """Write the files of ``output`` (the run that was given :attr:`sink`)."""
        if self._log is not None:
            self._log.close()
            return write_run_folder(output, self.folder, loaded=self.loaded,
                                    command=self.command, plots=self.plots, page=self.page)
        assert isinstance(self.sink, _PipedEvents) and self.process is not None
        started, cpu_started = time.perf_counter(), cpu_seconds()
        self.sink.flush(last=True)
        tallies = replace(output, records={}, tally=replace(output.tally, extras={}))
        _send(self._conn, _RUN_ENDED + pickle.dumps(tallies, pickle.HIGHEST_PROTOCOL))
        summary = summarize(output, requests := Requests())
        provisional = run_manifest(self.loaded, output, self.command,
                                   measured_timings(output, started, cpu_started))
        _send(self._conn, pickle.dumps((summary, provisional, requests.skus,
                                        requests.in_policy), pickle.HIGHEST_PROTOCOL))
        write_json(self.folder / "summary.json", summary)
        write_report(output, self.folder / "returns_report.tsv")
        said = _said(self._conn)
        self.process.wait()
        if isinstance(said, str):
            raise WriterFailed(said)
        self.facts = said
        timings = measured_timings(output, started, cpu_started)
        write_json(self.folder / "manifest.json",
                   run_manifest(self.loaded, output, self.command, timings))
        return WrittenRun(summary, timings, written_files(self.folder, self.plots, self.page))

    def close(self) -> None:
        """End the writer process (it has finished, or is not needed any more)."""
        if self._log is not None:
            self._log.close()
        if self.process is not None:
            self._conn.close()
            if self.process.poll() is None:
                self.process.terminate()
            self.process.wait()


@contextmanager
def run_writer(folder: Path, loaded: LoadedScenario, *, start: int, days: int,
               command: Sequence[str] = (), plots: bool = True, page: bool = True,
               beside: bool | None = None) -> Iterator[RunWriter]:
    """A :class:`RunWriter` into ``folder`` for a run of ``loaded`` measuring ``days`` days
    from epoch second ``start``, ended when the block ends, however it ends."""
    writer = RunWriter(folder, loaded, start=start, days=days, command=command, plots=plots,
                       page=page, beside=beside)
    try:
        yield writer
    finally:
        writer.close()
