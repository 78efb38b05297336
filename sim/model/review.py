"""Sellers answering pending requests: reviewers one request at a time (rule 5), or a batch
run at set hours (rule 6).

A desk's reviewers are served first come, first served: a request claims a reviewer, waits
for working hours, takes its review time, decides, and frees the reviewer for the next one.
That used to be a SimPy process holding a ``simpy.Resource``; it is a chain of steps on the
model's environment now, which schedules the same events at the same points (so every engine
call happens at the same instant, in the same order), less the ones that did nothing:

- the process started right after the event that created it (SimPy's ``Initialize`` is
  ``URGENT`` and nothing else urgent is queued then), so :meth:`ReviewDesks.manual` claims
  at once, inline;
- a claim granted is one event, as the resource's ``Request`` was (its callbacks resumed the
  process); so is a release, as the resource's ``Release`` was (its processing granted the
  head of the queue, the only one SimPy's resource looks at);
- the event a finished process schedules for itself, which nobody waited for, is gone.

Steps hold this object, not the gateway: :meth:`ReviewDesks.let_go` clears it at the end of
a run, so the reviews still under way at the horizon keep nothing of the engine alive.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

from sim.core.values import DAY, LabelChoice, LabelType, ReturnRecord
from sim.model.arrivals import Draws, Review
from sim.model.clock import CountingEnvironment
from sim.model.desks import Desk, WorkingHours
from sim.model.gateway import EngineGateway
from sim.model.output import ReturnExtra
from sim.model.population import Population
from sim.model.scenario_spec import DecisionSpec
from sim.model.tally import Tally

Answered = Callable[[ReturnRecord | None, Draws, ReturnExtra], None]
"""What the marketplace does with a seller's answer (the record, or None: refused)."""


class ReviewDesks:
    """The sellers' desks at work: manual reviews and batch runs, one run's worth."""

    def __init__(
        self,
        env: CountingEnvironment,
        hours: WorkingHours,
        gateway: EngineGateway,
        tally: Tally,
        population: Population,
        decisions: DecisionSpec,
        availability: float,
        *,
        t0: int,
        label_details: bool,
        answered: Answered,
    ) -> None:
        self.env = env
        self.hours = hours
        self.gw = gateway
        self.tally = tally
        self.pop = population
        self.dec = decisions
        self.availability = availability
        self.t0 = t0
        self.label_details = label_details
        self.answered = answered

    def let_go(self) -> None:
        """Drop every reference (the marketplace's ``_let_go`` says why)."""
        self.__dict__.clear()

    # ------------------------------------------------------------------ one by one

    def manual(self, desk: Desk, rec: ReturnRecord, r: Draws, extra: ReturnExtra) -> None:
        """A request goes pending at a reviewing desk: it joins the queue for a reviewer."""
        desk.waiting.append((rec, r, extra))
        self._grant(desk)

    def _grant(self, desk: Desk) -> None:
        """The head of the queue gets a reviewer if one is free (as SimPy's resource did)."""
        if desk.waiting and desk.busy < desk.reviewers:
            desk.busy += 1
            self.env.later(0, self._granted, desk, *desk.waiting.popleft())

    def _released(self, desk: Desk, _fired: object) -> None:
        self._grant(desk)

    def _granted(
        self, desk: Desk, rec: ReturnRecord, r: Draws, extra: ReturnExtra, _fired: object
    ) -> None:
        """A reviewer takes the request; they start in working hours."""
        now = self.env.now
        opens = self.hours.next_open(now)
        if opens > now:
            self.env.later(opens - now, self._start, desk, rec, r, extra)
        else:
            self._start(desk, rec, r, extra, None)

    def _start(
        self, desk: Desk, rec: ReturnRecord, r: Draws, extra: ReturnExtra, _fired: object
    ) -> None:
        """The review begins (in working hours), with the draws for it."""
        review = r.reviews.of(r.row)
        self.env.later(round(review.review_s / self.availability), self._decide, desk, rec, r,
                       extra, review)

    def _decide(
        self, desk: Desk, rec: ReturnRecord, r: Draws, extra: ReturnExtra, review: Review,
        _fired: object,
    ) -> None:
        """The review is done: answer, free the reviewer, hand the answer on."""
        answer = self._answer(desk, rec, r, extra, review)
        desk.busy -= 1
        self.env.later(0, self._released, desk)
        self.answered(answer, r, extra)

    def _answer(
        self, desk: Desk, rec: ReturnRecord, r: Draws, extra: ReturnExtra, review: Review
    ) -> ReturnRecord | None:
        """The reviewer's choices (rule 5): reply first, decline, or authorize with their own
        RMA, label or return address, each drawn from the return's own uniforms."""
        p = desk.profile
        rid = rec.return_id
        gw, tally, dec = self.gw, self.tally, self.dec
        tally.busy_s += review.review_s
        desk.reviewed += 1
        now = self.env.now
        at = self.t0 + now
        u_reply, u_decline, u_rma, u_label, u_addr, u_new = review.decide
        if u_reply < dec.reply_first:
            name = self.pop.buyers.first_name(review.buyer)
            gw.reply(rid, p.seller_id, at, f"Hi {name}, thanks for your message about "
                     f"order {rec.order_id}. We are looking into your return.")
        decline = dec.decline_in_policy if rec.in_policy else dec.decline_out_of_policy
        if u_decline < decline:
            closed = gw.close(rid, p.seller_id, at)
            tally.answered(r.requested, now, extra)
            if closed is not None:
                tally.daily_closures[now // DAY] += 1
            return closed
        rma = None
        if u_rma < dec.custom_rma:
            desk.custom_rmas += 1
            rma = f"RMA-{desk.custom_rmas:06d}"
        label = None
        if u_label < dec.seller_prepaid_label:
            extra.carrier = r.carrier
            extra.tracking = r.tracking
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
                new_address = self.pop.new_address(p, new_id, review.draw)
                desk.addresses.append(new_id)
            else:
                address_id = others[review.draw % len(others)]
        answer = gw.authorize(
            rid, p.seller_id, at, rma=rma, label=label,
            return_address_id=address_id, return_address=new_address,
        )
        tally.answered(r.requested, now, extra)
        return answer

    # ------------------------------------------------------------------ batches

    def batch(self, desk: Desk, rid: str, r: Draws, extra: ReturnExtra) -> None:
        """A request goes pending at a batch desk: it waits for the desk's next batch run."""
        desk.queue.append((rid, r, extra))
        if not desk.batcher_started:
            desk.batcher_started = True
            self.env.process(self._batcher(desk))
        elif desk.wake is not None and not desk.wake.triggered:
            desk.wake.succeed()

    def _batcher(self, desk: Desk) -> Generator[simpy.Event, Any, None]:
        """A seller who authorizes the whole pending queue at set hours (rule 6). Each
        answer is handed on in an event of its own, as the event each request waited for
        was when SimPy's loop ran it."""
        env = self.env
        while True:
            if not desk.queue:
                desk.wake = env.event()
                yield desk.wake
            now = env.now
            slot = self.hours.next_batch(now)
            if slot > now:
                yield env.timeout(slot - now)
                now = slot
            items, desk.queue = desk.queue, []
            done = self.gw.authorize_batch(
                [rid for rid, _, _ in items], desk.profile.seller_id, self.t0 + now
            )
            for rid, r, extra in items:
                self.tally.answered(r.requested, now, extra)
                env.later(0, self._batch_answered, done.get(rid), r, extra)

    def _batch_answered(
        self, answer: ReturnRecord | None, r: Draws, extra: ReturnExtra,
        _fired: object,
    ) -> None:
        self.answered(answer, r, extra)
