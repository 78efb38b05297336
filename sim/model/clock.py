"""The model's SimPy environment: it counts the events it schedules, and it calls a plain
function at a later instant for less than a timeout costs.

Most of a run's ~440k events are steps of a return's life (request, receipt, close, a review's
stages), each a function to call at a known instant. A :class:`~simpy.events.Timeout` with a
callback does that, but it checks its delay, stores a value and goes through ``schedule``
(counted here, one Python call more): a :class:`Step` is pushed onto SimPy's queue directly,
with the same key a timeout gets (time, ``NORMAL`` priority, the next event number), so SimPy
fires it at the same instant and in the same order as the timeout it replaces.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush
from typing import Any

import simpy
from simpy.core import SimTime
from simpy.events import NORMAL, EventPriority


class Step(simpy.Event):
    """An event that only calls ``step`` when it fires.

    It skips :class:`simpy.Event`'s constructor on purpose: SimPy's loop reads nothing of a
    fired event but its callbacks and ``_ok``, and nothing else ever sees a step (nobody
    yields it, nobody waits for it)."""

    def __init__(self, step: Callable[[Any], None]) -> None:
        self.callbacks = [step]
        self._ok = True


class CountingEnvironment(simpy.Environment):
    """A SimPy environment that counts the events it schedules, for the benchmark's
    events-per-second figure (SimPy keeps no public count): the events of SimPy's own
    machinery (processes, timeouts) through ``schedule``, its public hook, and the model's
    steps in :meth:`later`."""

    def __init__(self) -> None:
        super().__init__()
        self.scheduled = 0

    @property
    def now(self) -> int:
        """Simulation seconds; always an int in this model, since every delay is one."""
        return self._now  # type: ignore[return-value]

    def schedule(
        self, event: simpy.Event, priority: EventPriority = NORMAL, delay: SimTime = 0
    ) -> None:
        self.scheduled += 1
        super().schedule(event, priority, delay)

    def later(self, delay: int, step: Callable[[Any], None]) -> None:
        """Call ``step`` (with the fired event, which it ignores) in ``delay`` seconds.

        Exactly what ``self.timeout(delay).callbacks.append(step)`` does to the order of
        events, at a quarter of the cost: the same queue key, without the timeout's checks,
        value and ``schedule`` call (see the module's docstring)."""
        self.scheduled += 1
        heappush(self._queue, (self._now + delay, NORMAL, next(self._eid), Step(step)))
