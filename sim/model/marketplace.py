"""The marketplace as a SimPy model: orders arrive, some come back, sellers and buyers act.

SimPy counts seconds from the scenario's start (midnight UTC of ``run.start``); the engine sees
epoch seconds. An order that is never returned costs one numpy draw and no event; a returned
one lives from its request to its close as a chain of scheduled steps: the engine decides at
once or the request waits for the seller's desk (a reviewer in working hours, or a batch run:
:mod:`sim.model.review`), then the buyer ships (or not) and the carrier carries, the seller
receives by RMA, and closes what came back or, once ``close_eligible_at`` has passed, what did
not.

A step is a function SimPy calls at its instant (:meth:`CountingEnvironment.later`), not a
process. SimPy orders events of the same instant by when they were scheduled, and each step
schedules the next at the point where a generator process would have yielded, so the order
(and every output) is the same; what goes is the process machinery (start, resume, end events).
The steps run once per return or more: each reads its return's draws from one tuple
(:class:`~sim.model.arrivals.Draws`), and takes the time from what it knows (the instant it was
scheduled for) where it can rather than from SimPy.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import simpy

from sim.core.values import (
    DAY,
    HOUR,
    LabelType,
    ReturnRecord,
    Status,
)
from sim.model.arrivals import Draws, OrderSource
from sim.model.clock import CountingEnvironment, drop_callbacks
from sim.model.commands import one_item_order, return_request
from sim.model.desks import Desk, WorkingHours
from sim.model.gateway import EngineGateway
from sim.model.output import ReturnExtra, RunTally
from sim.model.plan import RunPlan
from sim.model.population import Population
from sim.model.review import ReviewDesks
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
# enum members looked up once: reading one off its class is a slow path of the enum type
_PENDING = Status.PENDING_AUTHORIZATION
_AUTHORIZED = Status.AUTHORIZED


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
        self.desks = [Desk(p, p.reviewers) for p in population.sellers]
        self.review = ReviewDesks(
            self.env, self.hours, gateway, self.tally, population, scenario.sellers.decisions,
            scenario.sellers.review.availability, t0=self.t0, label_details=label_details,
            answered=self._answered,
        )
        # hot lookups, bound once
        self.sellers = population.sellers
        self.plans = [p.plan.value for p in population.sellers]  # `.value`: a slow property
        self.skus = population.catalog.skus
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
        self.env.soon(self._sample)  # where SimPy would have started a sampling process
        self.env.run(until=self.horizon)
        self.tally.finish(self.horizon)
        if self.on_day is not None:
            self.on_day(self.days - self.warmup_days)
        reviewers = sum(d.reviewers for d in self.desks if d.reviewed)
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
        """Drop every reference this finished run holds, and break the cycles it leaves.

        A SimPy environment is a reference cycle (it holds methods bound to itself), and the
        events still queued at the horizon (and the processes waiting on them, in a cycle
        with them) hold steps bound to this model, so without this the engine, the
        population and every record would be garbage only the cyclic collector can free: a
        pass over millions of objects (a second or more for a year) at the first collection
        after the run. Even the few thousand queued events, with the records and draws they
        hold, cost that collection a few tenths of a second. Let go, everything is freed by
        reference counting as soon as the caller drops the run's output."""
        for desk in self.desks:
            if desk.wake is not None:  # a batch desk's process waits on it: a cycle
                drop_callbacks(desk.wake)
        self.env.let_go()
        self.review.let_go()
        self.__dict__.clear()

    def _arrivals(self) -> Process:
        for d in range(self.days):
            if d:
                yield self.env.timeout(DAY)
            if d and d == self.warmup_days:  # the warm-up ends: the measured days begin
                self.tally.start_measuring(self.env.now)
            if self.on_day is not None and d >= self.warmup_days:
                self.on_day(d - self.warmup_days)
            now, horizon = self.env.now, self.horizon
            later, request = self.env.later, self._request
            for r in self.source.day(d):
                if r.requested < horizon:
                    later(r.requested - now, request, r)

    def _sample(self, _fired: object) -> None:
        """Sample the backlog every whole hour: a step that schedules the next, where a
        sampling process would have scheduled its timeout (and resumed on it): the same
        events in the same order, without a timeout and a generator resumed each hour
        (9.8k a year)."""
        self.tally.sample_backlog()
        self.env.later(HOUR, self._sample)

    # ------------------------------------------------------------------ one return

    def _request(self, r: Draws, _fired: object) -> None:
        """The buyer asks: place the order, request the return, then follow its path.

        The step fires at the request's own time, which is therefore ``now``."""
        now = r.requested
        t0, tally, gw = self.t0, self.tally, self.gw
        seller = self.sellers[r.seller]
        sid = seller.seller_id
        sku = self.skus[r.sku]
        self.returns += 1
        rid = "R" + str(self.returns).zfill(8)  # f"R{n:08d}", without a format spec parsed
        order_id = r.order_id
        order = one_item_order(order_id, sid, r.buyer_id, t0 + r.ordered, t0 + r.delivered,
                               sku, self.categories[r.category], r.order_qty, r.unit_price)
        at = t0 + now
        if not gw.place_order(order, at):
            return
        reason = r.reason
        comment = _COMMENTS.get(reason, "Please see the reason.") if r.comment else None
        rec = gw.request_return(
            return_request(rid, order_id, sku, r.return_qty, reason, at, comment), sid)
        if rec is None:
            return
        tally.daily_requests[now // DAY] += 1
        pending = rec.status is _PENDING
        path = ("batch" if seller.batch else "manual") if pending else "auto"
        # all positional: keywords cost the dataclass __init__ a third of a microsecond more
        extra = ReturnExtra(r.category, r.order_no, r.ordered, r.order_qty, r.unit_price, r.prime,
                            r.sku, path, "", "", None, False, self.plans[r.seller], now, pending)
        tally.extras[rid] = extra
        if not pending:
            self._authorized(rec, r, extra)
            return
        tally.went_pending(now)
        desk = self.desks[seller.index]
        if seller.batch:
            self.review.batch(desk, rid, r, extra)
        else:
            # the review starts at once: SimPy would have started its process next, before
            # any other event of this instant (sim.model.review says why)
            self.review.manual(desk, rec, r, extra)

    def _answered(self, answer: ReturnRecord | None, r: Draws, extra: ReturnExtra) -> None:
        """A seller answered a pending request (None: the engine refused the answer)."""
        if answer is not None and answer.status is _AUTHORIZED:
            self._authorized(answer, r, extra)

    def _authorized(self, rec: ReturnRecord, r: Draws, extra: ReturnExtra) -> None:
        now = self.env.now
        tally = self.tally
        tally.daily_authorizations[now // DAY] += 1
        wait = now - r.requested
        tally.waits[extra.path].append(wait)
        extra.authorized_wait = wait
        self._ship_back(rec, r, extra, now)

    def _ship_back(self, rec: ReturnRecord, r: Draws, extra: ReturnExtra, now: int) -> None:
        """The buyer ships (or not), the carrier carries; the seller receives and closes."""
        label, rma = rec.label, rec.rma
        assert label is not None and rma is not None, "an authorized return has both"
        ships = r.ship_u < self.ship_share[label.type]
        handed = now + r.ship_delay_s
        arrive = handed + r.transit_s
        close_at = max(now, rec.close_eligible_at - self.t0 + r.close_lag_s)
        if ships and handed < self.horizon:
            c = r.category
            extra.shipped = True
            low = self.label_low[c]
            extra.label_cost = round(low + r.label_cost_u * (self.label_high[c] - low), 2)
            if not extra.carrier:
                extra.carrier = r.carrier
                extra.tracking = r.tracking
        if ships and arrive <= close_at:
            self.env.later(arrive - now, self._receive, rec, rma.number, r, arrive)
        else:
            self.env.later(close_at - now, self._close_unreturned, rec, ships, arrive, close_at)

    def _receive(self, rec: ReturnRecord, rma: str, r: Draws, arrive: int, _fired: object) -> None:
        """The package arrives (at ``arrive``) before the close: receive it, close after
        inspection."""
        tally = self.tally
        if self.gw.receive(rec.seller_id, rma, self.t0 + arrive, rec.return_id) is None:
            return
        tally.daily_receipts[arrive // DAY] += 1
        tally.receipt_waits.append(arrive - r.requested)
        self.env.later(r.inspection_s, self._close_inspected, rec, arrive + r.inspection_s)

    def _close_inspected(self, rec: ReturnRecord, done: int, _fired: object) -> None:
        if self.gw.close(rec.return_id, rec.seller_id, self.t0 + done) is not None:
            self.tally.daily_closures[done // DAY] += 1

    def _close_unreturned(
        self, rec: ReturnRecord, ships: bool, arrive: int, close_at: int, _fired: object
    ) -> None:
        """Nothing came back in time: close once eligible (at ``close_at``); a package still on
        its way is refused when it arrives."""
        if self.gw.close(rec.return_id, rec.seller_id, self.t0 + close_at) is not None:
            self.tally.daily_closures[close_at // DAY] += 1
        if ships:
            self.env.later(arrive - close_at, self._receive_late, rec, arrive)

    def _receive_late(self, rec: ReturnRecord, arrive: int, _fired: object) -> None:
        assert rec.rma is not None
        if self.gw.receive(rec.seller_id, rec.rma.number, self.t0 + arrive, rec.return_id) is None:
            self.tally.late_packages += 1
