"""The engine port: the one interface the simulator, the Gherkin steps and the harness talk to.

The reference engine satisfies it in-process; ``sim.rap.clients`` satisfies it over stdio and HTTP
by speaking rap/1. Typed methods raise :class:`sim.core.errors.EngineError` for a refusal. What
the typed methods cannot express (a wrong type, an unknown field, a made-up op) is the wire's
business: ``sim.rap.port.WirePort`` adds a raw ``execute`` to this port, so the core never
needs to know the wire format.

Failures of the implementation itself (not refusals) are :class:`ImplementationFailure`s, kept
apart so a conformance report can tell a wrong answer from a crash or a timeout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence, ValuesView
from typing import Protocol, cast, runtime_checkable

from sim.core.engine import ReferenceEngine
from sim.core.values import (
    Authorization,
    BatchOutcome,
    Hello,
    Instant,
    Order,
    Outcome,
    Plan,
    Policy,
    ReturnRecord,
    ReturnRequest,
    Seller,
    SettingsPatch,
)


class ImplementationFailure(Exception):
    """The implementation behind the port did not give a rap/1 answer."""


class ImplementationTimeout(ImplementationFailure):
    """No answer within the per-request timeout."""


class ImplementationCrashed(ImplementationFailure):
    """The process exited, the connection broke, or the server answered with a non-rap/1 status."""


class ProtocolViolation(ImplementationFailure):
    """An answer arrived but is not a valid rap/1 response (bad JSON, wrong seq, wrong shape)."""


@runtime_checkable
class EnginePort(Protocol):
    def hello(self) -> Hello: ...

    def reset(self) -> None: ...

    def set_policy(self, policy: Policy) -> Policy: ...

    def register_seller(self, seller_id: str, plan: Plan, settings: SettingsPatch) -> Seller: ...

    def update_seller(self, seller_id: str, settings: SettingsPatch) -> Seller: ...

    def place_order(self, order: Order) -> Order: ...

    def request_return(self, request: ReturnRequest) -> Outcome: ...

    def authorize(self, authorization: Authorization) -> Outcome: ...

    def authorize_batch(self, return_ids: Sequence[str], at: Instant) -> BatchOutcome: ...

    def close(self, return_id: str, at: Instant) -> Outcome: ...

    def reply(self, return_id: str, at: Instant, message: str) -> Outcome: ...

    def receive(self, seller_id: str, rma: str, at: Instant) -> ReturnRecord: ...

    def get_return(self, return_id: str) -> ReturnRecord: ...

    def close_port(self) -> None:
        """Release the process or connection behind the port (a no-op in-process)."""
        ...


def kept_records(port: EnginePort) -> Callable[[], dict[str, ReturnRecord]] | None:
    """How to read every return's latest record from the port itself, if it keeps them as
    it answered them (None: it does not, or may not, and a caller keeps its own): a new dict
    by return id, in the order the requests were accepted, the caller's to change.

    Only the plain in-process reference does: each accepted op's answer is the very record it
    stores, in the order the requests were accepted. Exactly that class, not a subclass: one
    that overrides an op (a test's mutant) may answer one record and store another. A wire
    client knows only the answers, so its caller keeps them (``sim.model.gateway``)."""
    if type(port) is not ReferenceEngine:
        return None
    returns = port.returns
    return lambda: _store_copy(returns())


def _store_copy(values: Iterable[ReturnRecord]) -> dict[str, ReturnRecord]:
    """A copy of the dict whose values view ``values`` is (``ReferenceEngine.returns``): a
    dict's copy clones its table without reading a record (~4 ms for a year's ~95k, where
    ``dict(zip(ids, records))`` reads each record's id, scattered in memory: ~60 ms)."""
    return cast(ValuesView[ReturnRecord], values).mapping.copy()  # type: ignore[attr-defined]
