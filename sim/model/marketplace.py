"""The marketplace as a SimPy model: orders arrive, some come back, sellers and buyers act.

SimPy counts seconds from the scenario's start (midnight UTC of ``run.start``); the engine sees
epoch seconds. An order that is never returned costs one numpy draw and no event; a returned
one lives from its request to its close as a chain of scheduled steps (a process only while a
reviewer works on it): the engine decides at once or
the request waits for the seller's desk (a reviewer in working hours, or a batch run), then the
buyer ships (or not) and the carrier carries, the seller receives by RMA, and closes what came
back or, once ``close_eligible_at`` has passed, what did not.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

import simpy
from simpy.core import SimTime
from simpy.events import NORMAL, EventPriority

from sim.core.values import (
    DAY,
    HOUR,
    LabelChoice,
    LabelType,
    Order,
    OrderItem,
    ReturnRecord,
    ReturnRequest,
    Status,
)
from sim.model.arrivals import DayBatch, OrderSource
from sim.model.desks import Desk, WorkingHours
from sim.model.gateway import EngineGateway
from sim.model.output import ReturnExtra, RunTally
from sim.model.plan import RunPlan
from sim.model.population import Population
from sim.model.streams import Streams
from sim.model.tally import Tally

Process = Generator[simpy.Event, Any, Any]

_COMMENTS = {
    "AMZ-PG-APP-TOO-SMALL": "Runs small, I need a size up.",
    "AMZ-PG-APP-TOO-LARGE": "Too big for me.",
    "CR-DEFECTIVE": "Stopped working after two days.",
    "CR-DAMAGED_BY_CARRIER": "The box arrived crushed.",
    "CR-DAMAGED_BY_FC": "Box was fine but the item inside is broken.",
    "CR-SWITCHEROO": "This is not the item I ordered.",
    "CR-MISSING_PARTS": "Parts are missing.",
    "CR-NOT_COMPATIBLE": "Does not fit my model.",
    "CR-UNWANTED_ITEM": "No longer needed.",
    "CR-ORDERED_WRONG_ITEM": "I ordered the wrong one by mistake.",
    "CR-QUALITY_UNACCEPTABLE": "Quality is poor.",
    "AMZ-PG-BAD-DESC": "Not as described in the listing.",
}


class CountingEnvironment(simpy.Environment):
    """A SimPy environment that counts the events it schedules (through ``schedule``, its
    public hook), for the benchmark's events-per-second figure: SimPy keeps no public count,
    and an extra call per event costs well under 1% of an event's cost in this model."""

    def __init__(self) -> None:
        super().__init__()
        self.scheduled = 0

    def schedule(
        self, event: simpy.Event, priority: EventPriority = NORMAL, delay: SimTime = 0
    ) -> None:
        self.scheduled += 1
        super().schedule(event, priority, delay)


@dataclass(frozen=True)
class Simulated:
    """What the marketplace itself knows at the end of a run (the gateway knows the rest)."""

    tally: RunTally
    orders: int
    orders_by_category: Any  # numpy int64 array, one count per category
    reviewer_capacity_s: int
    simpy_events: int


class Marketplace:
    """One run of one scenario against one engine (behind ``gateway``)."""

    def __init__(
        self,
        plan: RunPlan,
        population: Population,
        gateway: EngineGateway,
        streams: Streams,
        *,
        label_details: bool = False,
        on_day: Callable[[int], None] | None = None,
    ) -> None:
        scenario = plan.scenario
        self.s = scenario
        self.plan = plan
        self.pop = population
        self.gw = gateway
        self.env = CountingEnvironment()
        self.t0 = plan.t0
        self.days, self.warmup_days = plan.sim_days, plan.warmup_days  # days: warm-up included
        self.horizon = plan.horizon
        self.source = OrderSource(plan, population, streams)
        self.tally = Tally(plan.sim_days, plan.policy.manual_response_hours * HOUR)
        first_day = scenario.run.start - timedelta(days=plan.warmup_days)
        self.hours = WorkingHours.of(scenario.sellers.review, first_day.weekday())
        self.desks = [
            Desk(p, simpy.Resource(self.env, capacity=p.reviewers)) for p in population.sellers
        ]
        self.label_details = label_details
        # hot lookups, bound once
        self.sellers = population.sellers
        self.skus = population.catalog.skus
        self.buyer_ids = population.buyers.ids
        self.categories = population.categories
        self.on_day = on_day
        self.returns = 0
        ship = scenario.buyers.ship_back
        self.ship_share = {
            LabelType.AMAZON_PREPAID: ship.amazon_prepaid,
            LabelType.AMAZON_UNPAID: ship.amazon_unpaid,
            LabelType.SELLER_PREPAID: ship.seller_prepaid,
        }
        self.label_low = [scenario.categories[c].label_cost.low for c in population.categories]
        self.label_high = [scenario.categories[c].label_cost.high for c in population.categories]

    @property
    def now(self) -> int:
        """Simulation seconds; always an int, since every delay scheduled is one."""
        return self.env.now  # type: ignore[return-value]

    # ------------------------------------------------------------------ setup and run

    def setup(self) -> None:
        """Set the policy and register every seller, through the gateway like every call."""
        sellers = [(d.profile.seller_id, d.profile.plan, d.profile.settings) for d in self.desks]
        for desk, addresses in zip(self.desks, self.gw.setup(self.t0, self.plan.policy, sellers),
                                   strict=True):
            desk.addresses = addresses

    def run(self) -> Simulated:
        """Simulate the horizon (after :meth:`setup`)."""
        self.env.process(self._arrivals())
        self.env.process(self._sampler())
        self.env.run(until=self.horizon)
        self.tally.finish(self.horizon)
        if self.on_day is not None:
            self.on_day(self.days - self.warmup_days)
        reviewers = sum(d.reviewers.capacity for d in self.desks if d.reviewed)
        working = self.hours.working_seconds(self.horizon) - self.hours.working_seconds(
            self.plan.measure_from)
        done = Simulated(
            tally=self.tally.result(self.warmup_days),
            orders=self.source.measured_orders,
            orders_by_category=self.source.orders_by_category,
            reviewer_capacity_s=round(reviewers * working * self.s.sellers.review.availability),
            simpy_events=self.env.scheduled,
        )
        self._let_go()
        return done

    def _let_go(self) -> None:
        """Drop every reference this finished run holds.

        A SimPy environment is a reference cycle (it holds methods bound to itself), and the
        events still queued at the horizon hold steps bound to this model, so without this the
        engine, the population and every record would be garbage only the cyclic collector
        can free: a pass over millions of objects (a second or more for a year) at the first
        collection after the run. Let go, they are freed by reference counting as soon as
        the caller drops them; what the cycle keeps is the few queued events."""
        self.__dict__.clear()

    def _later(self, delay: int, step: Callable[[Any], None]) -> None:
        """Call ``step`` in ``delay`` seconds: a timeout with a callback, no process.

        A return's life from its request on is a chain of such steps. SimPy orders events of
        the same instant by when they were scheduled, and each step schedules the next at the
        point where a generator process would have yielded, so the order (and every output) is
        the same; what goes is the process machinery (start, resume, end events)."""
        self.env.timeout(delay).callbacks.append(step)

    def _arrivals(self) -> Process:
        for d in range(self.days):
            if d:
                yield self.env.timeout(DAY)
            if d and d == self.warmup_days:  # the warm-up ends: the measured days begin
                self.tally.start_measuring(self.now)
            if self.on_day is not None and d >= self.warmup_days:
                self.on_day(d - self.warmup_days)
            batch = self.source.day(d)
            now, horizon = self.now, self.horizon
            for j, requested in enumerate(batch.requested):
                if requested < horizon:
                    self._later(requested - now, partial(self._request, batch, j))

    def _sampler(self) -> Process:
        while True:
            self.tally.sample_backlog()
            yield self.env.timeout(HOUR)

    # ------------------------------------------------------------------ one return

    def _request(self, b: DayBatch, j: int, _fired: object) -> None:
        """The buyer asks: place the order, request the return, then follow its path."""
        t0, tally, gw = self.t0, self.tally, self.gw
        seller = self.sellers[b.seller[j]]
        sid = seller.seller_id
        sku_index = b.sku[j]
        sku = self.skus[sku_index]
        cat = self.categories[b.category[j]]
        self.returns += 1
        rid = f"R{self.returns:08d}"
        order_id = f"{111 + b.order_no[j] % 3}-{b.order_no[j]:07d}-{b.order_suffix[j]:07d}"
        order = Order(
            order_id=order_id,
            seller_id=sid,
            buyer_id=self.buyer_ids[b.buyer[j]],
            ordered_at=t0 + b.ordered[j],
            delivered_at=t0 + b.delivered[j],
            items=(
                OrderItem(sku, cat, b.order_qty[j], b.unit_price[j]),
            ),
        )
        if not gw.place_order(order, t0 + b.requested[j]):
            return
        reason = b.reason[j]
        request = ReturnRequest(
            return_id=rid,
            order_id=order_id,
            sku=sku,
            quantity=b.return_qty[j],
            reason=reason,
            requested_at=t0 + b.requested[j],
            comment=_COMMENTS.get(reason, "Please see the reason.") if b.comment[j] else None,
        )
        rec = gw.request_return(request, sid)
        if rec is None:
            return
        now = self.now
        tally.count("requests", now)
        extra = ReturnExtra(
            b.category[j], b.order_no[j], b.ordered[j], b.order_qty[j], b.unit_price[j],
            b.prime[j], sku_index, plan=seller.plan.value, requested=b.requested[j],
        )
        tally.extras[rid] = extra
        if rec.status is not Status.PENDING_AUTHORIZATION:
            extra.path = "auto"
            self._authorized(rec, b, j, extra)
            return
        tally.went_pending(now)
        extra.pending = True
        desk = self.desks[seller.index]
        if seller.batch:
            extra.path = "batch"
            decided = self.env.event()
            desk.queue.append((rid, b.requested[j], decided))
            self._wake_batcher(desk)
            decided.callbacks.append(partial(self._batch_answer, b, j, extra))
        else:
            extra.path = "manual"
            self.env.process(self._manual(desk, rec, b, j, extra))

    def _batch_answer(self, b: DayBatch, j: int, extra: ReturnExtra, decided: simpy.Event) -> None:
        self._answered(decided.value, b, j, extra)

    def _manual(
        self, desk: Desk, rec: ReturnRecord, b: DayBatch, j: int, extra: ReturnExtra
    ) -> Process:
        """A process only while a reviewer is claimed and working; the rest are steps."""
        answer = yield from self._review(desk, rec, b, j)
        self._answered(answer, b, j, extra)

    def _answered(
        self, answer: ReturnRecord | None, b: DayBatch, j: int, extra: ReturnExtra
    ) -> None:
        if answer is not None and answer.status is Status.AUTHORIZED:
            self._authorized(answer, b, j, extra)

    def _authorized(self, rec: ReturnRecord, b: DayBatch, j: int, extra: ReturnExtra) -> None:
        now = self.now
        self.tally.count("authorizations", now)
        self.tally.waits[extra.path].append(now - b.requested[j])
        extra.authorized_wait = now - b.requested[j]
        self._ship_back(rec, b, j, extra)

    def _review(self, desk: Desk, rec: ReturnRecord, b: DayBatch, j: int) -> Process:
        """One reviewer takes the request in working hours and decides (rule 5 choices).

        Nothing of the model is bound to a local before the last ``yield``: a review still
        under way at the horizon must not keep the gateway (and the engine) alive."""
        p = desk.profile
        rid = rec.return_id
        with desk.reviewers.request() as claim:
            yield claim
            now = self.now
            opens = self.hours.next_open(now)
            if opens > now:
                yield self.env.timeout(opens - now)
            duration = b.review_s[j]
            yield self.env.timeout(round(duration / self.s.sellers.review.availability))
            t0, gw, tally = self.t0, self.gw, self.tally
            dec = self.s.sellers.decisions
            tally.busy_s += duration
            desk.reviewed += 1
            now = self.now
            at = t0 + now
            u_reply, u_decline, u_rma, u_label, u_addr, u_new = b.decide[j]
            if u_reply < dec.reply_first:
                name = self.pop.buyers.first_name(b.buyer[j])
                gw.reply(rid, p.seller_id, at, f"Hi {name}, thanks for your message about "
                         f"order {rec.order_id}. We are looking into your return.")
            decline = dec.decline_in_policy if rec.in_policy else dec.decline_out_of_policy
            if u_decline < decline:
                closed = gw.close(rid, p.seller_id, at)
                tally.answered(b.requested[j], now, rid)
                if closed is not None:
                    tally.count("closures", now)
                return closed
            rma = None
            if u_rma < dec.custom_rma:
                desk.custom_rmas += 1
                rma = f"RMA-{desk.custom_rmas:06d}"
            label = None
            if u_label < dec.seller_prepaid_label:
                extra = tally.extras[rid]
                extra.carrier = b.carrier[j]
                extra.tracking = b.tracking[j]
                label = (
                    LabelChoice(LabelType.SELLER_PREPAID, extra.carrier, extra.tracking)
                    if self.label_details
                    else LabelChoice(LabelType.SELLER_PREPAID)
                )
            address_id = None
            new_address = None
            if u_addr < dec.other_address:
                others = desk.addresses[1:]
                if u_new < dec.new_address or not others:
                    new_id = f"addr-{len(desk.addresses) + 1}"
                    new_address = self.pop.new_address(p, new_id, b.draw[j])
                    desk.addresses.append(new_id)
                else:
                    address_id = others[b.draw[j] % len(others)]
            answer = gw.authorize(
                rid, p.seller_id, at, rma=rma, label=label,
                return_address_id=address_id, return_address=new_address,
            )
            tally.answered(b.requested[j], now, rid)
            return answer

    def _wake_batcher(self, desk: Desk) -> None:
        if not desk.batcher_started:
            desk.batcher_started = True
            self.env.process(self._batcher(desk))
        elif desk.wake is not None and not desk.wake.triggered:
            desk.wake.succeed()

    def _batcher(self, desk: Desk) -> Process:
        """A seller who authorizes the whole pending queue at set hours (rule 6)."""
        env = self.env
        while True:
            if not desk.queue:
                desk.wake = env.event()
                yield desk.wake
            slot = self.hours.next_batch(self.now)
            if slot > self.now:
                yield env.timeout(slot - self.now)
            items, desk.queue = desk.queue, []
            done = self.gw.authorize_batch(
                [rid for rid, _, _ in items], desk.profile.seller_id, self.t0 + self.now
            )
            for rid, requested, decided in items:
                self.tally.answered(requested, self.now, rid)
                decided.succeed(done.get(rid))

    def _ship_back(self, rec: ReturnRecord, b: DayBatch, j: int, extra: ReturnExtra) -> None:
        """The buyer ships (or not), the carrier carries; the seller receives and closes."""
        t0 = self.t0
        assert rec.label is not None and rec.rma is not None, "an authorized return has both"
        now = self.now
        ships = b.ship_u[j] < self.ship_share[rec.label.type]
        handed = now + b.ship_delay_s[j]
        arrive = handed + b.transit_s[j]
        close_at = max(now, rec.close_eligible_at - t0 + b.close_lag_s[j])
        if ships and handed < self.horizon:
            c = b.category[j]
            extra.shipped = True
            extra.label_cost = round(
                self.label_low[c] + b.label_cost_u[j] * (self.label_high[c] - self.label_low[c]), 2
            )
            if not extra.carrier:
                extra.carrier = b.carrier[j]
                extra.tracking = b.tracking[j]
        if ships and arrive <= close_at:
            self._later(arrive - now, partial(self._receive, rec, b, j, arrive))
        else:
            self._later(close_at - now, partial(self._close_unreturned, rec, b, j, ships, arrive))

    def _receive(
        self, rec: ReturnRecord, b: DayBatch, j: int, arrive: int, _fired: object
    ) -> None:
        """The package arrives before the close: receive it, close after inspection."""
        assert rec.rma is not None
        if self.gw.receive(rec.seller_id, rec.rma.number, self.t0 + arrive, rec.return_id) is None:
            return
        self.tally.count("receipts", arrive)
        self.tally.receipt_waits.append(arrive - b.requested[j])
        inspection = b.inspection_s[j]
        self._later(inspection, partial(self._close_inspected, rec, arrive + inspection))

    def _close_inspected(self, rec: ReturnRecord, done: int, _fired: object) -> None:
        if self.gw.close(rec.return_id, rec.seller_id, self.t0 + done) is not None:
            self.tally.count("closures", done)

    def _close_unreturned(
        self, rec: ReturnRecord, b: DayBatch, j: int, ships: bool, arrive: int, _fired: object
    ) -> None:
        """Nothing came back in time: close once eligible; a package still on its way is
        refused when it arrives."""
        close_at = self.now
        if self.gw.close(rec.return_id, rec.seller_id, self.t0 + close_at) is not None:
            self.tally.count("closures", close_at)
        if ships:
            self._later(arrive - close_at, partial(self._receive_late, rec, arrive))

    def _receive_late(self, rec: ReturnRecord, arrive: int, _fired: object) -> None:
        assert rec.rma is not None
        if self.gw.receive(rec.seller_id, rec.rma.number, self.t0 + arrive, rec.return_id) is None:
            self.tally.late_packages += 1
