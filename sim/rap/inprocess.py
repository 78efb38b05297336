"""The reference engine (or any typed engine port) as a wire port, in-process.

Typed calls go straight to the engine; a raw request goes through :func:`sim.rap.envelope.handle`,
the same dispatch the servers use, so the in-process engine answers a raw request with the very
bytes a server would. This adapter is why the core needs no wire layer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sim.core.engine import ReferenceEngine
from sim.core.port import EnginePort
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
from sim.rap.envelope import handle
from sim.rap.port import WirePort


class InProcessPort:
    """A :class:`WirePort` around a typed engine port in this process."""

    def __init__(self, engine: EnginePort) -> None:
        self.engine = engine

    def execute(self, request: Mapping[str, Any]) -> dict[str, Any]:
        return handle(self.engine, request)

    def hello(self) -> Hello:
        return self.engine.hello()

    def reset(self) -> None:
        self.engine.reset()

    def set_policy(self, policy: Policy) -> Policy:
        return self.engine.set_policy(policy)

    def register_seller(self, seller_id: str, plan: Plan, settings: SettingsPatch) -> Seller:
        return self.engine.register_seller(seller_id, plan, settings)

    def update_seller(self, seller_id: str, settings: SettingsPatch) -> Seller:
        return self.engine.update_seller(seller_id, settings)

    def place_order(self, order: Order) -> Order:
        return self.engine.place_order(order)

    def request_return(self, request: ReturnRequest) -> Outcome:
        return self.engine.request_return(request)

    def authorize(self, authorization: Authorization) -> Outcome:
        return self.engine.authorize(authorization)

    def authorize_batch(self, return_ids: Sequence[str], at: Instant) -> BatchOutcome:
        return self.engine.authorize_batch(return_ids, at)

    def close(self, return_id: str, at: Instant) -> Outcome:
        return self.engine.close(return_id, at)

    def reply(self, return_id: str, at: Instant, message: str) -> Outcome:
        return self.engine.reply(return_id, at, message)

    def receive(self, seller_id: str, rma: str, at: Instant) -> ReturnRecord:
        return self.engine.receive(seller_id, rma, at)

    def get_return(self, return_id: str) -> ReturnRecord:
        return self.engine.get_return(return_id)

    def close_port(self) -> None:
        self.engine.close_port()


def reference() -> InProcessPort:
    """A fresh reference engine, in-process, as a wire port (``connect("reference")``)."""
    return InProcessPort(ReferenceEngine())


def as_wire_port(port: EnginePort) -> WirePort:
    """``port`` itself when it takes raw requests, else ``port`` wrapped in-process."""
    return port if isinstance(port, WirePort) else InProcessPort(port)
