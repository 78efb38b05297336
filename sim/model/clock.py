"""The model's SimPy environment: it counts the events it schedules, and it calls a function
at a later instant for less than a timeout costs.

Most of a run's ~380k events are steps of a return's life (request, receipt, close, a
review's stages), each a function to call with known arguments at a known instant. A
:class:`~simpy.events.Timeout` with a :func:`~functools.partial` as its callback does that
with eight objects (the timeout, its attribute values, its callback list and the list's items,
the partial, its arguments, the bound method, the queue entry), each allocated at scheduling
and read again, long out of the CPU's caches, when it fires. A :class:`Step` is the partial
and the event at once: five objects. It goes onto SimPy's queue directly, with the key a
timeout gets (time, ``NORMAL`` priority, the next event number), so SimPy fires it at the
same instant and in the same order as the timeout it replaces.

Returns are scheduled weeks ahead, so most of those steps are far off: a step due after the
next hour (a :data:`SLOT`) waits in a list of its hour and goes onto SimPy's heap the hour
before that hour begins. The heap then holds about two hours of events instead of a few
weeks' (a baseline year: about a hundred instead of 6k; with day-long slots, about a
thousand), and each pop and push walks a shorter path through it (a pop and a push of a
thousand-entry heap cost about 250 ns more than of a hundred-entry one: 0.1 s a year). A move
an hour is 8.8k events a year, a few milliseconds. A step keeps the key it was given when
scheduled, and the heap orders by key alone, so the events fire in the same order as if they
had been on the heap all along.

:meth:`CountingEnvironment.run` is SimPy's ``run`` with ``step`` written into its loop: one
Python call fewer per event (about 0.4M a year), the same pops, callbacks and failures.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from heapq import heappop, heappush
from typing import Any, cast

import simpy
from simpy.core import EmptySchedule, SimTime, StopSimulation
from simpy.events import NORMAL, URGENT, Event, EventPriority

from sim.core.values import HOUR

QueueEntry = tuple[SimTime, EventPriority, int, Event]
"""An entry of SimPy's event heap: its sort key (time, priority, event number), the event."""

SLOT = HOUR
"""The span of time whose steps go onto the heap together, one slot ahead of time."""


class Step(partial[None]):
    """A function with its arguments that SimPy fires as an event: its one callback is
    itself, so SimPy's loop calls ``func(*args, step)`` (a step takes the fired event last,
    and ignores it).

    SimPy's loop reads nothing of a fired event but ``callbacks`` and ``_ok``. The step and
    its callback tuple refer to each other until SimPy fires it and drops the tuple (for the
    steps still queued when a run stops, :meth:`CountingEnvironment.let_go` does)."""

    __slots__ = ("callbacks",)
    callbacks: tuple[Step] | None  # (itself,) until fired; SimPy sets None when it fires
    _ok = True  # a step never fails


def drop_callbacks(event: simpy.Event) -> None:
    """Forget what ``event`` would call, as SimPy does to an event it has processed."""
    event.callbacks = None  # type: ignore[assignment]  # SimPy's own mark of a processed event


class CountingEnvironment(simpy.Environment):
    """A SimPy environment that counts the events it schedules, for the benchmark's
    events-per-second figure (SimPy keeps no public count): the events of SimPy's own
    machinery (processes, timeouts) through ``schedule``, its public hook, and the model's
    steps in :meth:`later`, each hour's move of the steps due the next included."""

    def __init__(self) -> None:
        super().__init__()
        self.scheduled = 0
        self._next_eid = self._eid.__next__  # SimPy's counter of events, bound once
        self._waiting: dict[int, list[QueueEntry]] = {}  # steps by slot, not yet on the heap
        self._next_move = 0  # the slot whose steps go onto the heap next
        self._move(None)

    @property
    def now(self) -> int:
        """Simulation seconds; always an int in this model, since every delay is one."""
        return self._now  # type: ignore[return-value]

    def schedule(
        self, event: simpy.Event, priority: EventPriority = NORMAL, delay: SimTime = 0
    ) -> None:
        self.scheduled += 1
        super().schedule(event, priority, delay)

    def run(self, until: SimTime | Event | None = None) -> Any:
        """:meth:`simpy.Environment.run`, same set-up and same ends (the ``until`` event's
        value, ``None`` when the schedule runs out, SimPy's errors), with the body of
        :meth:`~simpy.Environment.step` inline: a baseline year is 0.4M events, and SimPy's
        loop spends a method call on each (tests/model/test_clock.py compares both)."""
        if until is not None:
            if not isinstance(until, Event):
                at: SimTime = until if isinstance(until, int) else float(until)
                if at <= self.now:
                    raise ValueError(
                        f"until ({at}) must be greater than the current simulation time"
                    )
                until = Event(self)
                until._ok = True
                until._value = None
                self.schedule(until, URGENT, at - self.now)
            elif until.callbacks is None:
                return until.value
            until.callbacks.append(StopSimulation.callback)
        try:
            self._loop()
        except StopSimulation as exc:
            return exc.args[0]
        except EmptySchedule:
            if until is not None:
                assert not until.triggered
                raise RuntimeError(
                    f'No scheduled events left but "until" event was not triggered: {until}'
                ) from None
        return None

    def _loop(self) -> None:
        """:meth:`simpy.Environment.step` (SimPy 4.1's, line for line) until something
        raises, as SimPy's ``run`` calls it (a ``try`` costs nothing on Python 3.11 until it
        catches)."""
        queue = self._queue
        while True:
            try:
                self._now, _, _, event = heappop(queue)
            except IndexError:
                raise EmptySchedule() from None
            callbacks, event.callbacks = event.callbacks, None  # type: ignore[assignment]
            try:
                for callback in callbacks:
                    callback(event)
            except StopSimulation:
                # as SimPy's ``step``: the event keeps the callbacks not yet called, and is
                # processed again first when the simulation resumes
                event.callbacks = callbacks[callbacks.index(callback) + 1:]
                self.schedule(event, EventPriority(-1))
                raise
            if not event._ok and not hasattr(event, "_defused"):
                # a failed event no one defused crashes the run, as in SimPy's ``step``
                exc = type(event._value)(*event._value.args)
                exc.__cause__ = event._value
                raise exc

    def later(self, delay: int, func: Callable[..., None], *args: Any) -> None:
        """Call ``func(*args, fired_event)`` in ``delay`` seconds.

        Exactly what ``self.timeout(delay).callbacks.append(partial(func, *args))`` does to
        the order of events, for less (see the module's docstring)."""
        self.scheduled += 1
        step = Step(func, *args)
        step.callbacks = (step,)
        at: int = self._now + delay  # type: ignore[assignment]  # ``now`` costs a call
        # an event as far as SimPy's loop is concerned, which is all that sees it (no
        # ``cast``: it is a call too, and this runs for every step)
        entry: QueueEntry = (at, NORMAL, self._next_eid(), step)  # type: ignore[assignment]
        slot = at // SLOT
        if slot > self._next_move:  # its slot's move is still to come, in an hour at the soonest
            waiting = self._waiting.get(slot)
            if waiting is None:
                self._waiting[slot] = [entry]
            else:
                waiting.append(entry)
        else:
            heappush(self._queue, entry)

    def soon(self, func: Callable[..., None], *args: Any) -> None:
        """Call ``func(*args, fired_event)`` at the current instant, before this instant's
        events of normal priority: the key SimPy gives the ``Initialize`` event that starts a
        process (``URGENT``, the next event number), so a chain of steps can stand in for a
        process, its first run included, in the same place among the events."""
        self.scheduled += 1
        step = Step(func, *args)
        step.callbacks = (step,)
        entry: QueueEntry = (self._now, URGENT, self._next_eid(), step)  # type: ignore[assignment]
        heappush(self._queue, entry)

    def _move(self, _fired: object) -> None:
        """Put the steps of slot ``_next_move`` on the heap (at the start of the slot before
        it), and schedule the next slot's move a slot later."""
        queue = self._queue
        for entry in self._waiting.pop(self._next_move, []):
            heappush(queue, entry)
        self._next_move += 1
        self.scheduled += 1
        step = Step(self._move)
        step.callbacks = (step,)
        heappush(queue, ((self._next_move - 1) * SLOT, NORMAL, self._next_eid(), cast(Event, step)))

    def let_go(self) -> None:
        """Break the reference cycles of a finished run (the environment is unusable after).

        A queued step refers to itself through its callbacks, a process waits on its event
        through them (the event's callbacks hold the process, the process holds the event),
        and SimPy binds the environment's methods to itself: cut, all of it is freed by
        reference counting, none of it left for the cyclic collector."""
        for entries in (self._queue, *self._waiting.values()):
            for *_, event in entries:
                drop_callbacks(event)
        self._queue.clear()
        self._waiting.clear()
        self.__dict__.clear()
