"""What the model counts as it runs, beyond the engine's own records.

Only what the final return records cannot tell: the path a request took (automatic, reviewed
one by one, or batch), when manual answers came, the backlog over time, reviewer busy time,
shipping and label costs, and packages that arrived too late. An accumulator, so mutable;
:meth:`Tally.result` hands the finished count on as a value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.model.output import THROUGHPUT, ReturnExtra, RunTally


@dataclass
class Tally:
    days: int
    respond_s: int
    daily: dict[str, list[int]] = field(default_factory=dict)  # lists: cheaper to bump
    extras: dict[str, ReturnExtra] = field(default_factory=dict)
    waits: dict[str, list[int]] = field(
        default_factory=lambda: {"auto": [], "manual": [], "batch": []}
    )
    receipt_waits: list[int] = field(default_factory=list)
    pending: int = 0
    pending_max: int = 0
    pending_area: float = 0.0
    pending_since: int = 0
    backlog: list[int] = field(default_factory=list)  # pending at each whole hour
    breaches: list[int] = field(default_factory=list)  # times of answers after respond_by
    manual_answered: int = 0
    late_answers: int = 0
    busy_s: int = 0
    late_packages: int = 0
    measure_start: int = 0  # simulation second where the measured days start
    # ``daily``'s lists by name, for the model's steps to bump (``list[day] += 1``) without
    # a method call and a look-up by name: once or more per return
    daily_requests: list[int] = field(init=False, repr=False, compare=False)
    daily_authorizations: list[int] = field(init=False, repr=False, compare=False)
    daily_receipts: list[int] = field(init=False, repr=False, compare=False)
    daily_closures: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in THROUGHPUT:
            self.daily[name] = [0] * self.days
        self.daily_requests = self.daily["requests"]
        self.daily_authorizations = self.daily["authorizations"]
        self.daily_receipts = self.daily["receipts"]
        self.daily_closures = self.daily["closures"]

    def _move_pending(self, now: int, delta: int) -> None:
        self.pending_area += self.pending * (now - self.pending_since)
        self.pending_since = now
        self.pending += delta
        if self.pending > self.pending_max:
            self.pending_max = self.pending

    def went_pending(self, now: int) -> None:
        self._move_pending(now, +1)

    def answered(self, requested: int, now: int, extra: ReturnExtra) -> None:
        """A pending request was authorized or declined at ``now`` (simulation seconds).

        ``extra`` is the request's own (the one in :attr:`extras`): the caller holds it, and
        a look-up by return id in a year's ``extras`` is a trip to memory."""
        self._move_pending(now, -1)
        self.manual_answered += 1
        extra.answered = now
        if now > requested + self.respond_s:
            self.late_answers += 1
            self.breaches.append(now)
            extra.late = True

    def start_measuring(self, now: int) -> None:
        """The warm-up ends at ``now``: from here on the counts are the measured year's (the
        requests still pending stay pending: the year opens with the queue it inherits)."""
        self.measure_start = now
        self.pending_area = 0.0
        self.pending_since = now
        self.pending_max = self.pending
        for waits in self.waits.values():
            waits.clear()
        self.receipt_waits.clear()
        self.breaches.clear()
        self.manual_answered = self.late_answers = self.busy_s = self.late_packages = 0

    def sample_backlog(self) -> None:
        self.backlog.append(self.pending)

    def finish(self, horizon: int) -> None:
        self._move_pending(horizon, 0)

    def result(self, warmup_days: int = 0) -> RunTally:
        """The tally as a value, once the run has ended (see :meth:`finish`): the measured
        days only, their times counted from the end of the warm-up."""
        start = self.measure_start
        measured = self.pending_since - start
        return RunTally(
            daily={name: tuple(counts[warmup_days:]) for name, counts in self.daily.items()},
            extras=self.extras,
            waits={path: tuple(w) for path, w in self.waits.items()},
            receipt_waits=tuple(self.receipt_waits),
            backlog=tuple(self.backlog[warmup_days * 24:]),
            breaches=tuple(t - start for t in self.breaches),
            pending_max=self.pending_max,
            mean_backlog=self.pending_area / measured if measured else 0.0,
            manual_answered=self.manual_answered,
            late_answers=self.late_answers,
            busy_s=self.busy_s,
            late_packages=self.late_packages,
        )
