"""The model's one door to the engine: every call goes through the port, and every call (the
setup's included) is counted by op and outcome, leaves the latest record of the return it
touched, and is handed to the run's :class:`EventSink` (``events.csv``) if it has one.

Only the final records matter to a run (:meth:`EngineGateway.latest_records`). The in-process
reference engine keeps exactly those itself: the gateway resets it, every op after goes
through here, and each accepted op's answer is the very record the engine stores. So on that
port (:func:`sim.core.port.kept_records` says which) the gateway keeps none of its own (a
dictionary store per accepted op, three or four a return, and the old record's release, all
for a copy of the engine's store); any other port (a wire client, a wrapper such as the
trace) keeps them here, as the records it was answered.

A refusal is not an error of the model: a package arriving after its request was closed is
refused with ``invalid_state``, and that refusal is what the model counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Protocol

from sim.core.errors import EngineError
from sim.core.port import EnginePort, kept_records
from sim.core.values import (
    Address,
    Authorization,
    Hello,
    Instant,
    LabelChoice,
    Order,
    Outcome,
    Plan,
    Policy,
    ReturnRecord,
    ReturnRequest,
    SettingsPatch,
)

BATCH_IDS = 1000
"""Return ids in one ``authorize_batch``: rap/1's limit (docs/protocol.md, "Limits")."""

# count keys of the accepted hot calls (counted apart: see EngineGateway.counts)
_PLACE_ORDER_OK = ("place_order", "ok")
_REQUEST_RETURN_OK = ("request_return", "ok")
_CLOSE_OK = ("close", "ok")
_RECEIVE_OK = ("receive", "ok")


class EventSink(Protocol):
    """Where a run's engine calls go, one row each, in simulated-time order (``events.csv``
    in :mod:`sim.reports.events`; a run without a sink writes no events)."""

    def row(
        self,
        at: Instant,
        op: str,
        return_id: str,
        seller_id: str,
        error: str,
        status: str,
        detail: str,
    ) -> None: ...


class EngineGateway:
    """Typed engine calls that count and log themselves and keep each return's latest
    record (or leave that to the in-process reference, which keeps the same: see above)."""

    def __init__(self, port: EnginePort, sink: EventSink | None = None) -> None:
        self.port = port
        self.sink = sink
        self._engine_records = kept_records(port)  # None: the port does not keep them
        # the latest record by return id, when the port does not keep them (None: it does)
        self._kept: dict[str, ReturnRecord] | None = {} if self._engine_records is None else None
        self._counts: Counter[tuple[str, str]] = Counter()  # all but the hot ops' accepted
        # the hot ops' accepted calls, one or more a return: an int attribute bumped costs a
        # tenth of a Counter's item (a tuple key hashed twice, a dict subclass's slow path)
        self._place_ok = self._request_ok = self._close_ok = self._receive_ok = 0
        # whether the latest records are in non-decreasing request time (see records_in_order)
        self._in_order = False
        self._last_requested: float = float("-inf")

    @property
    def counts(self) -> Counter[tuple[str, str]]:
        """Engine calls by (op, "ok" or error code), the hot ops' accepted ones included (a
        new Counter: only keys with calls, in no particular order)."""
        counts = self._counts.copy()
        for key, n in ((_PLACE_ORDER_OK, self._place_ok), (_REQUEST_RETURN_OK, self._request_ok),
                       (_CLOSE_OK, self._close_ok), (_RECEIVE_OK, self._receive_ok)):
            if n:
                counts[key] = n
        return counts

    def latest_records(self) -> dict[str, ReturnRecord]:
        """Every return's latest record by return id, in the order its request was accepted
        (a new dict, the caller's to change)."""
        if self._engine_records is not None:
            return self._engine_records()
        assert self._kept is not None
        return self._kept.copy()

    @property
    def records_in_order(self) -> bool:
        """Whether :meth:`latest_records` is sure to be in non-decreasing ``requested_at``
        (so a time's records are a prefix, found by bisection: ``sim.model.run``). Only on a
        port that keeps the records (whose later records keep the request's time), reset by
        :meth:`setup`, every accepted request seen here in time order; a wire client's answers
        may carry any time, so its records are read one by one."""
        return self._in_order

    def _row(self, at: Instant, op: str, return_id: str, seller_id: str, error: str,
             status: str, detail: str) -> None:
        counts = self._counts
        key = (op, error or "ok")
        counts[key] = counts.get(key, 0) + 1
        if self.sink is not None:
            self.sink.row(at, op, return_id, seller_id, error, status, detail)

    def _ok(self, at: Instant, op: str, record: ReturnRecord, detail: str = "") -> ReturnRecord:
        """Keep, count and log an accepted call's record. The hot ops (one call or more per
        return) do the same inline, with their count key built once: two Python calls fewer
        per engine call."""
        kept = self._kept
        if kept is not None:
            kept[record.return_id] = record
        # StrEnum members are str: passing them as they are skips the enum's `.value` lookup
        self._row(at, op, record.return_id, record.seller_id, "", record.status, detail)
        return record

    def _refused(
        self, at: Instant, op: str, return_id: str, seller_id: str, e: EngineError
    ) -> None:
        self._row(at, op, return_id, seller_id, e.code.value, "", e.message)

    def hello(self) -> Hello:
        """Who the engine is and what it offers (not an event: nothing is decided)."""
        return self.port.hello()

    def setup(
        self, at: Instant, policy: Policy, sellers: Sequence[tuple[str, Plan, SettingsPatch]]
    ) -> list[list[str]]:
        """Reset the engine, set the policy and register every seller, logged at ``at``; the
        address ids each seller was registered with, in order. A refusal here is raised: the
        engine disagrees with the scenario, and the run cannot go on."""
        self.port.reset()
        self._in_order, self._last_requested = self._engine_records is not None, float("-inf")
        self.port.set_policy(policy)
        self._row(at, "set_policy", "", "", "", "", "")
        addresses: list[list[str]] = []
        for seller_id, plan, settings in sellers:
            seller = self.port.register_seller(seller_id, plan, settings)
            addresses.append([a.address_id for a in seller.settings.return_addresses])
            self._row(at, "register_seller", "", seller_id, "", "", plan)  # a str (see _ok)
        return addresses

    def place_order(self, order: Order, at: Instant) -> bool:
        """Place ``order`` at ``at`` (the model places an order only right before its return
        request, so the call is logged at that time, not at ``ordered_at``)."""
        try:
            self.port.place_order(order)
        except EngineError as e:
            self._refused(at, "place_order", "", order.seller_id, e)
            return False
        self._place_ok += 1
        if self.sink is not None:
            self.sink.row(at, "place_order", "", order.seller_id, "", "", order.order_id)
        return True

    def request_return(self, request: ReturnRequest, seller_id: str) -> ReturnRecord | None:
        try:
            out = self.port.request_return(request)
        except EngineError as e:
            self._refused(request.requested_at, "request_return", request.return_id, seller_id, e)
            return None
        r = out.return_
        kept = self._kept
        if kept is not None:
            kept[r.return_id] = r
        if r.requested_at < self._last_requested:  # the model asks in time order: never
            self._in_order = False
        self._last_requested = r.requested_at
        self._request_ok += 1
        if self.sink is not None:
            self.sink.row(request.requested_at, "request_return", r.return_id, r.seller_id, "",
                          r.status, r.authorization or "")
        return r

    def authorize(
        self,
        return_id: str,
        seller_id: str,
        at: Instant,
        *,
        rma: str | None = None,
        label: LabelChoice | None = None,
        return_address_id: str | None = None,
        return_address: Address | None = None,
    ) -> ReturnRecord | None:
        try:
            out = self.port.authorize(
                Authorization(return_id, at, rma, label, return_address_id, return_address)
            )
        except EngineError as e:
            self._refused(at, "authorize", return_id, seller_id, e)
            return None
        r = out.return_
        return self._ok(at, "authorize", r, r.label.type if r.label else "")

    def authorize_batch(
        self, return_ids: Sequence[str], seller_id: str, at: Instant
    ) -> dict[str, ReturnRecord]:
        """Authorized records by return id; per-id refusals are logged as their own rows. A
        queue longer than rap/1 allows in one call goes in several calls at the same time."""
        done: dict[str, ReturnRecord] = {}
        for first in range(0, len(return_ids), BATCH_IDS):
            chunk = return_ids[first:first + BATCH_IDS]
            try:
                out = self.port.authorize_batch(chunk, at)
            except EngineError as e:
                for rid in chunk:
                    self._refused(at, "authorize_batch", rid, seller_id, e)
                continue
            for item in out.results:
                if item.ok and item.return_ is not None:
                    done[item.return_id] = self._ok(at, "authorize_batch", item.return_, "batch")
                elif item.error is not None:
                    self._refused(at, "authorize_batch", item.return_id, seller_id, item.error)
        return done

    def close(self, return_id: str, seller_id: str, at: Instant) -> ReturnRecord | None:
        try:
            out: Outcome = self.port.close(return_id, at)
        except EngineError as e:
            self._refused(at, "close", return_id, seller_id, e)
            return None
        r = out.return_
        kept = self._kept
        if kept is not None:
            kept[r.return_id] = r
        self._close_ok += 1
        if self.sink is not None:
            self.sink.row(at, "close", r.return_id, r.seller_id, "", r.status,
                          r.close_reason or "")
        return r

    def reply(self, return_id: str, seller_id: str, at: Instant, message: str) -> bool:
        try:
            out = self.port.reply(return_id, at, message)
        except EngineError as e:
            self._refused(at, "reply", return_id, seller_id, e)
            return False
        self._ok(at, "reply", out.return_)
        return True

    def receive(self, seller_id: str, rma: str, at: Instant, return_id: str) -> ReturnRecord | None:
        try:
            r = self.port.receive(seller_id, rma, at)
        except EngineError as e:
            self._refused(at, "receive", return_id, seller_id, e)
            return None
        kept = self._kept
        if kept is not None:
            kept[r.return_id] = r
        self._receive_ok += 1
        if self.sink is not None:
            self.sink.row(at, "receive", r.return_id, r.seller_id, "", r.status, rma)
        return r
