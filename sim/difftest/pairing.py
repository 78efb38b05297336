"""One request to both sides: the reference in-process and the implementation over its port.

A :class:`Pair` keeps what the comparison needs across a stream (the Amazon RMA map, the
implementation's optional features) and the steps so far, so a difference comes back with the
whole stream that led to it. The implementation gets each request with the reference's Amazon
RMAs replaced by its own numbers.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.core.engine import ReferenceEngine
from sim.core.port import ImplementationFailure
from sim.difftest.compare import Difference, RmaMap, compare
from sim.difftest.preflight import startup_allowance
from sim.rap.envelope import handle
from sim.rap.port import WirePort


@dataclass(frozen=True, slots=True)
class Step:
    """One request, the reference's answer, the implementation's answer (``None`` when it gave
    none) and the first difference (``None`` when they agree)."""

    request: dict[str, Any]
    reference: dict[str, Any]
    implementation: dict[str, Any] | None
    difference: Difference | None = None
    failure: str | None = None


class Differs(Exception):
    """The implementation's answer differs from the reference's (or it gave none)."""

    def __init__(self, steps: list[Step]) -> None:
        last = steps[-1]
        why = last.failure or (last.difference.describe() if last.difference else "?")
        super().__init__(f"step {len(steps)} ({_op(last.request)}): {why}")
        self.steps = steps


class ImplementationBroke(Exception):
    """The implementation timed out, crashed or broke the protocol (not a wrong answer)."""

    def __init__(self, steps: list[Step], failure: ImplementationFailure) -> None:
        super().__init__(str(failure))
        self.steps = steps
        self.failure = failure


def _op(request: Mapping[str, Any]) -> str:
    op = request.get("op")
    return op if isinstance(op, str) else "?"


class Pair:
    """The reference and an implementation, driven in step.

    ``pipelined``: the implementation's half of each exchange runs on a worker thread, so
    generating the next request (and the implementation computing its answer in its own
    process) overlap; a difference then surfaces at :meth:`drain` (the end of the stream),
    with the steps up to the one that differed. The worker is the only one to
    touch the RMA map and the steps, and it sends requests in order, each mapped with what
    the answers before it taught."""

    def __init__(self, impl: WirePort, level: str = "full",
                 features: frozenset[str] = frozenset(), *, pipelined: bool = False) -> None:
        self.impl = impl
        self.level = level
        self.features = features
        self.reference = ReferenceEngine()
        self.rmas = RmaMap()
        self.steps: list[Step] = []
        self.seq = 0
        self._problem: Differs | ImplementationBroke | None = None
        self._stopped = False
        self._queue: queue.Queue[tuple[dict[str, Any], dict[str, Any]] | None] | None = None
        if pipelined:
            self._queue = queue.Queue()
            threading.Thread(target=self._work, args=(self._queue,), daemon=True).start()

    def restart(self) -> dict[str, Any]:
        """A fresh stream: new reference engine, no RMAs, ``reset`` on both sides. After the
        implementation broke, it is restarted with a ``hello`` first, given time to start."""
        self._wait()
        if self._stopped and self.steps and self.steps[-1].failure is not None:
            with startup_allowance(self.impl), contextlib.suppress(ImplementationFailure):
                self.impl.execute({"seq": 0, "op": "hello"})
        self.reference = ReferenceEngine()
        self.rmas = RmaMap()
        self.steps = []
        self.seq = 0
        self._problem = None
        self._stopped = False
        return self.send("reset", {})

    def send(self, op: str, args: Mapping[str, Any]) -> dict[str, Any]:
        """Send ``op`` with ``args`` (numbered in order); the reference's answer."""
        self.seq += 1
        return self.send_request({"seq": self.seq, "op": op, "args": dict(args)})

    def send_request(self, request: dict[str, Any]) -> dict[str, Any]:
        """Send a whole request as it is (a malformed one too); the reference's answer.
        Raises :class:`Differs` or :class:`ImplementationBroke`; pipelined, only
        :meth:`drain` raises, so where a stream fails never depends on the worker's timing."""
        reference = handle(self.reference, request)
        if self._queue is not None:
            self._queue.put((request, reference))
        else:
            self._exchange(request, reference)
            self._check()
        return reference

    def drain(self) -> None:
        """Wait for every exchange sent so far; raise what went wrong, if anything."""
        self._wait()
        self._check()

    def close(self) -> None:
        """Stop the worker thread (the port stays open)."""
        if self._queue is not None:
            self._queue.put(None)
            self._queue = None

    def _wait(self) -> None:
        if self._queue is not None:
            self._queue.join()

    def _check(self) -> None:
        problem, self._problem = self._problem, None
        if problem is not None:
            raise problem

    def _work(self, jobs: queue.Queue[tuple[dict[str, Any], dict[str, Any]] | None]) -> None:
        while True:
            job = jobs.get()
            try:
                if job is None:
                    return
                self._exchange(*job)
            finally:
                jobs.task_done()

    def _exchange(self, request: dict[str, Any], reference: dict[str, Any]) -> None:
        if self._stopped:
            return
        try:
            answer = self.impl.execute(self.rmas.request_for_impl(request))
        except ImplementationFailure as exc:
            self._stopped = True
            self.steps.append(Step(request, reference, None, failure=str(exc)))
            self._problem = ImplementationBroke(list(self.steps), exc)
            return
        difference = compare(request.get("op"), reference, answer, level=self.level,
                             features=self.features, rmas=self.rmas)
        self.steps.append(Step(request, reference, answer, difference))
        if difference is not None:
            self._stopped = True
            self._problem = Differs(list(self.steps))


def replay_steps(
    impl: WirePort, requests: list[dict[str, Any]], *, level: str, features: frozenset[str],
) -> list[Step]:
    """Send a recorded stream again on a fresh pair (first request should be ``reset``); the
    steps up to the first difference or failure."""
    pair = Pair(impl, level, features)
    for request in requests:
        try:
            pair.send_request(dict(request))
        except (Differs, ImplementationBroke):
            break
    return pair.steps
