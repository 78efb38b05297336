"""Sellers' desks: the people who work the manual queue, and when they work.

A request waits for a free reviewer of its desk, then for working hours, then for the review
itself (the steps are in :mod:`sim.model.review`). Batch authorizers instead collect their
pending requests and authorize the lot with ``authorize_batch`` at set hours of their working
days.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import simpy

from sim.core.values import DAY, HOUR, ReturnRecord
from sim.model.arrivals import Draws
from sim.model.output import ReturnExtra
from sim.model.population import SellerProfile
from sim.model.scenario_spec import ReviewSpec


@dataclass(frozen=True)
class WorkingHours:
    """Working days and hours (UTC) in simulation seconds counted from a midnight."""

    start_weekday: int  # weekday of simulation second 0 (0 = Monday)
    days: frozenset[int]
    open_s: int
    close_s: int
    batch_s: tuple[int, ...]

    @classmethod
    def of(cls, spec: ReviewSpec, start_weekday: int) -> WorkingHours:
        return cls(
            start_weekday,
            frozenset(spec.work_days),
            spec.work_start_hour * HOUR,
            spec.work_end_hour * HOUR,
            tuple(sorted(h * HOUR for h in spec.batch_hours)),
        )

    def _working(self, day: int) -> bool:
        return (self.start_weekday + day) % 7 in self.days

    def next_open(self, t: int) -> int:
        """The first instant at or after ``t`` inside working hours."""
        day, sec = divmod(t, DAY)
        if self._working(day):
            if sec < self.open_s:
                return day * DAY + self.open_s
            if sec < self.close_s:
                return t
        for k in range(1, 8):
            if self._working(day + k):
                return (day + k) * DAY + self.open_s
        raise ValueError("no working day in the week")  # the scenario check forbids this

    def next_batch(self, t: int) -> int:
        """The first batch slot at or after ``t`` on a working day."""
        day, sec = divmod(t, DAY)
        for k in range(8):
            if self._working(day + k):
                for slot in self.batch_s:
                    if k > 0 or slot >= sec:
                        return (day + k) * DAY + slot
        raise ValueError("no working day in the week")

    def working_seconds(self, horizon: int) -> int:
        """Working time of one reviewer over ``[0, horizon)``."""
        total = 0
        for day in range(-(-horizon // DAY)):
            if self._working(day):
                lo, hi = day * DAY + self.open_s, min(day * DAY + self.close_s, horizon)
                total += max(0, hi - lo)
        return total


@dataclass
class Desk:
    """One seller's review desk: mutable queues, by nature (not a value).

    Reviewing desks serve ``waiting`` first come, first served with ``reviewers`` people
    (``busy`` of them at work); batch desks collect ``queue`` for their next batch run. An
    entry is a return's state as the review steps pass it on: for ``waiting`` its record,
    draws and extra; ``queue`` has its id instead of its record.
    """

    profile: SellerProfile
    reviewers: int
    busy: int = 0
    waiting: deque[tuple[ReturnRecord, Draws, ReturnExtra]] = field(
        default_factory=deque)
    queue: list[tuple[str, Draws, ReturnExtra]] = field(default_factory=list)
    wake: simpy.Event | None = None
    batcher_started: bool = False
    reviewed: int = 0
    custom_rmas: int = 0
    addresses: list[str] = field(default_factory=list)
