"""What one scenario knows: the engine port it drives, and what the engine last answered.

Steps never keep state of their own; they read and write the scenario's :class:`World`. The
world remembers the last record of every return it saw, so "return R1 is unchanged" can be
checked after a refusal, and the times orders were delivered and returns requested, so
"2 days after delivery" means something.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, NoReturn, TypeVar, cast

import pytest

from sim.conformance.outcomes import NOT_APPLICABLE_PREFIX, REFUSED_PREFIX
from sim.conformance.steps import phrases
from sim.core.errors import EngineError, ErrorCode
from sim.core.values import (
    BatchOutcome,
    Hello,
    Instant,
    Notification,
    Order,
    Outcome,
    Policy,
    ReturnRecord,
    Seller,
)
from sim.rap.port import WirePort

T = TypeVar("T")

__all__ = ["NOT_APPLICABLE_PREFIX", "REFUSED_PREFIX", "World", "WrongAnswer", "check", "wrong"]


class WrongAnswer(AssertionError):
    """The implementation answered, but not what the policy says."""


def wrong(message: str) -> NoReturn:
    raise WrongAnswer(message)


def check(what: str, actual: object, expected: object) -> None:
    """Fail with a message a QA engineer can read when ``actual`` is not ``expected``."""
    if actual != expected:
        wrong(f"{what}: expected {plain(expected)!r}, got {plain(actual)!r}")


def plain(value: object) -> object:
    """Enum members as their wire values, so messages read ``'window_expired'``."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


@dataclass
class World:
    port: WirePort
    hello: Hello
    optional_features: tuple[str, ...] = ()
    """The ``@optional-X`` tags of the running scenario."""

    policy: Policy = field(default_factory=Policy)
    sellers: dict[str, Seller] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    returns: dict[str, ReturnRecord] = field(default_factory=dict)
    current_return: str | None = None
    current_order: str | None = None

    # What the last action answered (exactly one of these is set after an action).
    outcome: Outcome | None = None
    batch: BatchOutcome | None = None
    seller: Seller | None = None
    policy_answer: Policy | None = None
    error: EngineError | None = None
    raw_answer: dict[str, Any] | None = None
    raw_action: str | None = None
    seller_in_focus: str | None = None
    """The seller the last registration or settings change was about."""
    notifications: tuple[Notification, ...] = ()
    acted_at: Instant | None = None
    seq: int = 1000

    # ------------------------------------------------------------------ acting

    def begin(self) -> None:
        """Forget what the previous action answered: a new action is about to answer."""
        self.outcome = self.batch = self.seller = self.policy_answer = None
        self.error = self.raw_answer = None
        self.notifications = ()
        self.acted_at = None

    def attempt(self, action: Callable[[], T], at: Instant | None = None) -> T | None:
        """A *When* step: do it, and keep a refusal for the *Then* steps to judge."""
        self.begin()
        self.acted_at = at
        try:
            return action()
        except EngineError as error:
            self._refusal_of_optional(error)
            self.error = error
            return None

    def require(self, what: str, action: Callable[[], T], at: Instant | None = None) -> T:
        """A *Given* step: it must work, or the scenario cannot mean anything."""
        result = self.attempt(action, at)
        if self.error is not None:
            wrong(f"{what}: refused with {self.error.code.value} ({self.error.message})")
        return cast(T, result)

    def _refusal_of_optional(self, error: EngineError) -> None:
        if error.code is ErrorCode.UNKNOWN_OP and self.optional_features:
            pytest.skip(
                f"{REFUSED_PREFIX} unknown_op in a scenario needing optional feature(s) "
                f"{', '.join(self.optional_features)}: {error.message}"
            )

    def took(self, outcome: Outcome) -> Outcome:
        self.outcome = outcome
        self.notifications = outcome.notifications
        self.saw(outcome.return_)
        return outcome

    def saw(self, record: ReturnRecord) -> ReturnRecord:
        self.returns[record.return_id] = record
        self.current_return = record.return_id
        self.current_order = record.order_id
        return record

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def set_policy(self, policy: Policy, *, given: bool) -> None:
        if given:
            self.policy = self.require(
                "setting the marketplace policy", lambda: self.port.set_policy(policy)
            )
        else:
            answer = self.attempt(lambda: self.port.set_policy(policy))
            if answer is not None:
                self.policy = self.policy_answer = answer

    def change_policy(self, **changes: Any) -> None:
        """A *Given* about one marketplace setting: the rest of the policy stays as set."""
        self.set_policy(replace(self.policy, **changes), given=True)

    # ------------------------------------------------------------------ reading

    def refusal(self) -> EngineError:
        if self.error is None:
            wrong(f"expected a refusal, but the implementation accepted it: {self._last()}")
        return self.error

    def record(self) -> ReturnRecord:
        """The return the last action was about, as last answered."""
        if self.error is not None:
            wrong(
                f"expected an answer, but the implementation refused with "
                f"{self.error.code.value} ({self.error.message})"
            )
        if self.current_return is None:
            wrong("no return has been answered yet in this scenario")
        return self.returns[self.current_return]

    def fetch(self, return_id: str) -> ReturnRecord:
        """Ask the implementation for a return (``get_return``) and make it the current one.
        Reading does not forget what the last action answered (its notifications, say)."""
        try:
            record = self.port.get_return(return_id)
        except EngineError as error:
            wrong(f"get_return {return_id!r}: refused with {error.code.value} ({error.message})")
        return self.saw(record)

    def _last(self) -> str:
        for name in ("outcome", "batch", "seller", "policy_answer", "raw_answer"):
            value = getattr(self, name)
            if value is not None:
                return repr(value)[:400]
        return "(no answer kept)"

    # ------------------------------------------------------------------ time

    def anchors(self, return_id: str | None = None, order_id: str | None = None) -> phrases.Anchors:
        record = self.returns.get(return_id) if return_id is not None else None
        oid = order_id or (record.order_id if record is not None else self.current_order)
        order = self.orders.get(oid) if oid is not None else None
        return phrases.Anchors(
            delivery=order.delivered_at if order is not None else None,
            request=record.requested_at if record is not None else None,
            window=record.window_closes_at if record is not None else None,
        )

    def time(self, text: str, return_id: str | None = None, order_id: str | None = None) -> Instant:
        return phrases.instant(text, self.anchors(return_id, order_id))
