"""Deliberately broken implementations: the reference engine with exactly one rule broken.

Each mutant proves the conformance suite has teeth: ``returns-sim conform`` run against it must
fail. A mutant is made by patching one function of ``sim.core.policy`` (the engine looks them up at
call time) or by overriding one method of ``ReferenceEngine``; the engine itself is never
copied. ``tags`` is the part of the suite that aims at the broken rule, so the kill test stays
fast; ``tests/mutants/kill_rate.py`` runs every mutant against the full suite.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sim.core.rma
from sim.core import policy
from sim.core.engine import ReferenceEngine
from sim.core.errors import EngineError
from sim.core.values import (
    HOUR,
    Authorization,
    BatchItem,
    BatchOutcome,
    CloseReason,
    Hello,
    Instant,
    LabelType,
    Notification,
    Outcome,
    Payer,
    Plan,
    ReturnRequest,
    Status,
    Violation,
)


@dataclass(frozen=True, slots=True)
class Mutant:
    name: str
    broken: str
    """The one rule it breaks, in words."""
    tags: str
    """A pytest ``-m`` expression selecting the scenarios aimed at that rule."""
    build: Callable[[], ReferenceEngine]


MUTANTS: dict[str, Mutant] = {}


Build = Callable[[], ReferenceEngine]


def mutant(name: str, broken: str, tags: str) -> Callable[[Build], Build]:
    def register(build: Build) -> Build:
        MUTANTS[name] = Mutant(name, broken, tags, build)
        return build

    return register


# ------------------------------------------------------------------ sim.core.policy patches


@mutant("window_one_day_long", "the return window is one day longer than the policy says", "C15")
def _window_one_day_long() -> ReferenceEngine:
    original = policy.window_days
    policy.window_days = lambda p, s, c: original(p, s, c) + 1  # type: ignore[assignment]
    return ReferenceEngine()


@mutant("holiday_ignored", "the holiday rule never extends a window", "holiday")
def _holiday_ignored() -> ReferenceEngine:
    original = policy.window_closes_at

    def closes(p: Any, s: Any, c: str, ordered: Instant, delivered: Instant) -> Instant:
        return original(replace(p, holiday=None), s, c, ordered, delivered)

    policy.window_closes_at = closes  # type: ignore[assignment]
    return ReferenceEngine()


@mutant("window_closing_second_expired", "a request at the exact closing second counts as late",
        "C15")
def _closing_second() -> ReferenceEngine:
    original = policy.violations

    def violations(p: Any, category: str, requested: Instant, closes: Instant) -> Any:
        return original(p, category, requested + 1, closes)

    policy.violations = violations  # type: ignore[assignment]
    return ReferenceEngine()


@mutant("seller_window_ignored", "a seller's longer window is not used", "C15 or C04")
def _seller_window_ignored() -> ReferenceEngine:
    policy.window_days = lambda p, s, c: policy.marketplace_window_days(p, c)  # type: ignore[assignment]
    return ReferenceEngine()


@mutant("non_returnable_ignored", "non-returnable categories are in policy", "R02 or C02")
def _non_returnable_ignored() -> ReferenceEngine:
    original = policy.violations

    def violations(p: Any, category: str, requested: Instant, closes: Instant) -> Any:
        return tuple(v for v in original(p, category, requested, closes)
                     if v is not Violation.NON_RETURNABLE)

    policy.violations = violations  # type: ignore[assignment]
    return ReferenceEngine()


@mutant("pro_out_of_policy_always_auto",
        "out-of-policy requests of professional sellers are authorized whatever the setting",
        "C05")
def _pro_out_of_policy_auto() -> ReferenceEngine:
    original = policy.decide

    def decide(p: Any, plan: Plan, s: Any, sku: str, c: str, in_policy: bool) -> Any:
        if plan is Plan.PROFESSIONAL and not in_policy:
            return LabelType.AMAZON_UNPAID
        return original(p, plan, s, sku, c, in_policy)

    policy.decide = decide  # type: ignore[assignment]
    return ReferenceEngine()


@mutant("unpaid_label_in_policy_pro",
        "in-policy returns of professional sellers get Amazon's unpaid label", "C03")
def _unpaid_in_policy() -> ReferenceEngine:
    original = policy.decide

    def decide(p: Any, plan: Plan, s: Any, sku: str, c: str, in_policy: bool) -> Any:
        label = original(p, plan, s, sku, c, in_policy)
        return LabelType.AMAZON_UNPAID if label is LabelType.AMAZON_PREPAID else label

    policy.decide = decide  # type: ignore[assignment]
    return ReferenceEngine()


@mutant("exempt_ignored", "SKUs exempt from prepaid labels are treated like any other", "C14")
def _exempt_ignored() -> ReferenceEngine:
    policy.is_exempt = lambda p, s, sku, c: False  # type: ignore[assignment]
    return ReferenceEngine()


@mutant("label_payer_wrong", "the customer pays prepaid labels even for seller-fault reasons",
        "R04")
def _label_payer_wrong() -> ReferenceEngine:
    original = policy.label_payer

    def payer(p: Any, label_type: LabelType, reason: str) -> Payer:
        if label_type is LabelType.AMAZON_PREPAID:
            return Payer.CUSTOMER
        return original(p, label_type, reason)

    policy.label_payer = payer  # type: ignore[assignment]
    return ReferenceEngine()


@mutant("close_before_transit", "an authorized return may close as soon as the window closes",
        "C16")
def _close_before_transit() -> ReferenceEngine:
    policy.close_eligible_at = lambda p, closes: closes  # type: ignore[assignment]
    return ReferenceEngine()


@mutant("less_generous_accepted", "a seller window shorter than the marketplace's is accepted",
        "C04")
def _less_generous_accepted() -> ReferenceEngine:
    policy.less_generous_windows = lambda p, own: None  # type: ignore[assignment]
    return ReferenceEngine()


@mutant("email_links_missing", "seller emails never carry links", "C12")
def _email_links_missing() -> ReferenceEngine:
    policy.request_links = lambda s, pending: ()  # type: ignore[assignment]
    return ReferenceEngine()


@mutant("response_hours_ignored", "sellers always get 24 hours to respond, whatever the policy",
        "C05")
def _response_hours_ignored() -> ReferenceEngine:
    policy.respond_by = lambda p, requested: requested + 24 * HOUR  # type: ignore[assignment]
    return ReferenceEngine()


# --------------------------------------------------------------------------- engine overrides


class _BatchStops(ReferenceEngine):
    def authorize_batch(self, return_ids: Sequence[str], at: Instant) -> BatchOutcome:
        results: list[BatchItem] = []
        notes: list[Notification] = []
        for return_id in return_ids:
            try:
                outcome = self.authorize(Authorization(return_id, at))
            except EngineError as error:
                results.append(BatchItem(return_id, False, error=error))
                break
            results.append(BatchItem(return_id, True, return_=outcome.return_))
            notes.extend(outcome.notifications)
        return BatchOutcome(tuple(results), tuple(notes))


@mutant("batch_stops_at_first_failure", "a batch stops at its first failure", "C11")
def _batch_stops() -> ReferenceEngine:
    return _BatchStops()


class _DuplicateRma(ReferenceEngine):
    def authorize(self, authorization: Authorization) -> Outcome:
        record = self._returns.get(authorization.return_id)
        rma = authorization.rma
        if record is not None and rma is not None:
            self._rmas._by_seller[record.seller_id].pop(rma, None)
        return super().authorize(authorization)


@mutant("duplicate_custom_rma_accepted", "a seller may reuse their own RMA", "C06")
def _duplicate_rma() -> ReferenceEngine:
    return _DuplicateRma()


class _NoQuantityCheck(ReferenceEngine):
    def request_return(self, request: ReturnRequest) -> Outcome:
        self._claimed.clear()
        return super().request_return(request)


@mutant("quantity_check_skipped", "returns may add up to more than was ordered", "R10")
def _no_quantity_check() -> ReferenceEngine:
    return _NoQuantityCheck()


class _DeclineKeepsQuantity(ReferenceEngine):
    def close(self, return_id: str, at: Instant) -> Outcome:
        outcome = super().close(return_id, at)
        record = outcome.return_
        if record.close_reason is CloseReason.DECLINED:
            key = (record.order_id, record.sku)
            self._claimed[key] = self._claimed.get(key, 0) + record.quantity
        return outcome


@mutant("declined_still_counts", "a declined request keeps its quantity", "R10")
def _decline_keeps_quantity() -> ReferenceEngine:
    return _DeclineKeepsQuantity()


class _ReceiveAnySeller(ReferenceEngine):
    def receive(self, seller_id: str, rma: str, at: Instant) -> Any:
        for owner, numbers in self._rmas._by_seller.items():
            if rma in numbers and seller_id in self._sellers:
                return super().receive(owner, rma, at)
        return super().receive(seller_id, rma, at)


@mutant("receive_other_sellers_rma", "a seller can receive another seller's return by its RMA",
        "C08")
def _receive_any_seller() -> ReferenceEngine:
    return _ReceiveAnySeller()


class _BuyerFirst(ReferenceEngine):
    def request_return(self, request: ReturnRequest) -> Outcome:
        outcome = super().request_return(request)
        return replace(outcome, notifications=tuple(reversed(outcome.notifications)))


@mutant("notifications_out_of_order", "the buyer is notified before the seller", "R11")
def _buyer_first() -> ReferenceEngine:
    return _BuyerFirst()


class _ReopenClosed(ReferenceEngine):
    def close(self, return_id: str, at: Instant) -> Outcome:
        record = self._returns.get(return_id)
        if record is not None and record.status is Status.CLOSED:
            return Outcome(record, ())
        return super().close(return_id, at)


@mutant("close_twice_accepted", "a closed return can be closed again", "R08")
def _reopen_closed() -> ReferenceEngine:
    return _ReopenClosed()


@mutant("amazon_rma_wrong_shape", "Amazon RMAs do not end in RRMA", "R07")
def _rma_shape() -> ReferenceEngine:
    original = sim.core.rma.amazon_rma
    sim.core.rma.amazon_rma = lambda s, r, used: original(s, r, used)[:-4] + "XRMA"  # type: ignore[assignment]
    return ReferenceEngine()

# ------------------------------------------------ found by `returns-sim fuzz`, missed by the suite
# Each broke a rule of the contract that no written scenario checked until the fuzzer showed it
# (its kept case is in sim/conformance/kept/; the scenario named in ``tags`` was added after).


class _DuplicateRmaNamesNewReturn(ReferenceEngine):
    def authorize(self, authorization: Authorization) -> Outcome:
        try:
            return super().authorize(authorization)
        except EngineError as error:
            if error.code.value == "duplicate_rma":
                error.details["return_id"] = authorization.return_id
            raise


@mutant("duplicate_rma_names_new_return",
        "duplicate_rma's details name the return being authorized, not the one using the RMA",
        "manual-duplicate-rma-details")
def _duplicate_rma_names_new_return() -> ReferenceEngine:
    return _DuplicateRmaNamesNewReturn()


class _QuantityCountsNewTwice(ReferenceEngine):
    def request_return(self, request: ReturnRequest) -> Outcome:
        try:
            return super().request_return(request)
        except EngineError as error:
            if error.code.value == "quantity_exceeds_order":
                error.details["already_requested"] += request.quantity
            raise


@mutant("quantity_details_count_the_new_request",
        "quantity_exceeds_order's already_requested counts the new request too", "qty-details")
def _quantity_counts_new_twice() -> ReferenceEngine:
    return _QuantityCountsNewTwice()


class _ReplyNotAnEvent(ReferenceEngine):
    def reply(self, return_id: str, at: Instant, message: str) -> Outcome:
        before = self._last_event.get(return_id)
        outcome = super().reply(return_id, at, message)
        if before is not None:
            self._last_event[return_id] = before
        return outcome


@mutant("reply_not_an_event", "a reply does not count as an event of the return (invalid_time)",
        "notify-reply-is-an-event")
def _reply_not_an_event() -> ReferenceEngine:
    return _ReplyNotAnEvent()


# --------------------------------------------------------------------------- faulty, not wrong
# Not mutants of a rule: implementations that fail in the other ways a report keeps apart.


class _Crashes(ReferenceEngine):
    def close(self, return_id: str, at: Instant) -> Outcome:
        os._exit(3)  # the process dies mid-request


class _Hangs(ReferenceEngine):
    def close(self, return_id: str, at: Instant) -> Outcome:
        time.sleep(3600)
        return super().close(return_id, at)


class _Babbles(ReferenceEngine):
    def close(self, return_id: str, at: Instant) -> Outcome:
        sys.stdout.buffer.write(b"closing, one moment\n")  # not rap/1: not JSON
        sys.stdout.buffer.flush()
        return super().close(return_id, at)


class AnswersTwice(ReferenceEngine):
    """Answers every ``close`` twice (``run_mutant.py`` doubles the line): an extra answer
    puts a stdio stream out of step."""

    twice = False

    def close(self, return_id: str, at: Instant) -> Outcome:
        self.twice = True
        return super().close(return_id, at)


class _NoOptional(ReferenceEngine):
    def hello(self) -> Hello:
        return replace(super().hello(), optional=())


def _other_amazon_rmas() -> ReferenceEngine:
    """Correct, but its Amazon RMAs are other numbers of the right shape (as any independent
    implementation's would be): a differential test must map them, not flag them."""
    original = sim.core.rma.amazon_rma
    sim.core.rma.amazon_rma = lambda s, r, used: original(f"other-{s}", r, used)  # type: ignore[assignment]
    return ReferenceEngine()


FAULTS: dict[str, Callable[[], ReferenceEngine]] = {
    "other_amazon_rmas": _other_amazon_rmas,
    "crashes_on_close": _Crashes,
    "hangs_on_close": _Hangs,
    "babbles_on_close": _Babbles,
    "answers_close_twice": AnswersTwice,
    "no_optional_features": _NoOptional,
}
