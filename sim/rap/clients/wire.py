"""The typed engine port on top of one rap/1 request/response exchange.

Each typed method encodes its arguments with :mod:`sim.rap.codec`, sends one request, and decodes
the answer strictly, so the simulator, the Gherkin steps and the conformance harness drive a
foreign engine exactly as they drive the reference one. What goes wrong is kept apart: a
refusal is :class:`EngineError`; no answer in time is :class:`ImplementationTimeout`; a dead
process, a refused connection or a non-rap/1 HTTP status is :class:`ImplementationCrashed`; an
answer that breaks the contract is :class:`ProtocolViolation`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

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
from sim.rap import codec


class WireClient:
    """The typed EnginePort methods on top of one request/response exchange.

    Subclass it and give ``_exchange`` (one request object in, the parsed response out) and
    ``close_port``: the stdio and HTTP clients do, and so does the simulator's tracing port,
    which wraps any other port to record every rap/1 exchange."""

    def __init__(self) -> None:
        self._seq = 0
        self._lock = threading.Lock()

    def _exchange(self, request: Mapping[str, Any]) -> Any:
        """Send one request, return the parsed answer (transport failures raised)."""
        raise NotImplementedError

    def close_port(self) -> None:
        raise NotImplementedError

    def resync(self) -> None:
        """Put the exchange back in step after an extra, missing or mis-sequenced answer:
        restart the implementation (stdio) or reconnect (HTTP). Nothing to do by default."""

    def check_in_step(self) -> None:
        """Prove the exchange is in step: a ``hello`` must get the very next answer. An extra
        answer to an earlier request arrives first (a server answers in order), so the request
        that got it is the one to blame, not a later one. Out of step: resync and raise
        :class:`ProtocolViolation`."""
        self._call("hello", {})

    def __enter__(self) -> WireClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close_port()

    def execute(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """Send a raw request as given; the raw envelope comes back. When the request has an
        int ``seq`` the answer must echo it."""
        with self._lock:
            response = self._exchange(request)
        if type(response) is not dict:
            raise codec.result_fail("response", response, "must be a JSON object")
        seq = request.get("seq")
        if type(seq) is int and (type(response.get("seq")) is not int or response["seq"] != seq):
            self.resync()
            raise codec.result_fail("seq", response.get("seq"), f"must echo the request's {seq}")
        return response

    def _call(self, op: str, args: Mapping[str, Any]) -> Any:
        with self._lock:
            self._seq += 1
            seq = self._seq
            response = self._exchange({"seq": seq, "op": op, "args": args})
            got = response.get("seq") if type(response) is dict else None
            if not (type(got) is int and got == seq):
                self.resync()  # extra, missing or mis-sequenced: start again in step
        return codec.read_envelope(response, seq)

    # ------------------------------------------------------------------ EnginePort

    def hello(self) -> Hello:
        return codec.decode_hello_result(self._call("hello", {}))

    def reset(self) -> None:
        codec.decode_empty_result(self._call("reset", {}))

    def set_policy(self, policy: Policy) -> Policy:
        return codec.decode_policy_result(self._call("set_policy", codec.set_policy_args(policy)))

    def register_seller(self, seller_id: str, plan: Plan, settings: SettingsPatch) -> Seller:
        args = codec.register_seller_args(seller_id, plan, settings)
        return codec.decode_seller_result(self._call("register_seller", args))

    def update_seller(self, seller_id: str, settings: SettingsPatch) -> Seller:
        args = codec.update_seller_args(seller_id, settings)
        return codec.decode_seller_result(self._call("update_seller", args))

    def place_order(self, order: Order) -> Order:
        return codec.decode_order_result(self._call("place_order", codec.place_order_args(order)))

    def request_return(self, request: ReturnRequest) -> Outcome:
        args = codec.request_return_args(request)
        return codec.decode_outcome_result(self._call("request_return", args))

    def authorize(self, authorization: Authorization) -> Outcome:
        args = codec.authorize_args(authorization)
        return codec.decode_outcome_result(self._call("authorize", args))

    def authorize_batch(self, return_ids: Sequence[str], at: Instant) -> BatchOutcome:
        args = codec.authorize_batch_args(return_ids, at)
        return codec.decode_batch_result(self._call("authorize_batch", args))

    def close(self, return_id: str, at: Instant) -> Outcome:
        args = codec.close_args(return_id, at)
        return codec.decode_outcome_result(self._call("close", args))

    def reply(self, return_id: str, at: Instant, message: str) -> Outcome:
        args = codec.reply_args(return_id, at, message)
        return codec.decode_outcome_result(self._call("reply", args))

    def receive(self, seller_id: str, rma: str, at: Instant) -> ReturnRecord:
        args = codec.receive_args(seller_id, rma, at)
        return codec.decode_return_result(self._call("receive", args))

    def get_return(self, return_id: str) -> ReturnRecord:
        args = codec.get_return_args(return_id)
        return codec.decode_return_result(self._call("get_return", args))


