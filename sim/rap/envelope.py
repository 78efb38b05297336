"""rap/1 envelopes: one parsed request in, one response envelope out, for any engine port.

Both servers and the in-process port (:mod:`sim.rap.inprocess`) go through :func:`handle`, so
every transport answers the same request with the same bytes. Serialization is fixed (compact
separators, ``ensure_ascii=False``, keys in dataclass field order): same commands in,
byte-identical responses out.
"""

from __future__ import annotations

import json
import math
import sys
import traceback
from collections.abc import Callable
from typing import Any

from sim.core.errors import EngineError, ErrorCode, invalid_args, show_value
from sim.core.port import EnginePort
from sim.rap import codec

Envelope = dict[str, Any]

INTERNAL_ERROR = "internal_error"
"""Not a rap/1 code: what a server answers (and logs to stderr) when the engine itself breaks,
so one bad request never takes the server down. A client reads it as a protocol violation."""


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number {text[:40]} is out of range")
    return value


_DECODER = json.JSONDecoder(parse_constant=_no_constants, parse_float=_finite_float)
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
_ENCODE_ASCII = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode


def parse(text: str | bytes) -> Any:
    """JSON text (UTF-8 when bytes) -> value. ``NaN``/``Infinity`` and numbers too large for a
    double (``1e999``) are refused, so every answer can be written back as JSON. Raises
    ``ValueError`` (or ``RecursionError`` for absurd nesting)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return _DECODER.decode(text)


def dumps(value: Any) -> str:
    """The one serialization of rap/1 messages."""
    return _ENCODE(value)


def to_bytes(value: Any) -> bytes:
    """UTF-8 bytes of :func:`dumps`; a string holding a lone surrogate (legal in JSON escapes,
    not in UTF-8) falls back to ASCII escapes, which is still the same JSON value."""
    try:
        return _ENCODE(value).encode("utf-8")
    except UnicodeEncodeError:
        return _ENCODE_ASCII(value).encode("ascii")


# --------------------------------------------------------------------------- envelopes


def success(seq: int | None, result: Any) -> Envelope:
    return {"seq": seq, "ok": True, "result": result}


def refusal(seq: int | None, error: EngineError) -> Envelope:
    return {"seq": seq, "ok": False, "error": codec.encode_error(error)}


def invalid_json(problem: str, details: dict[str, Any] | None = None) -> Envelope:
    """The answer to text that is not a JSON value (seq is unknowable, hence null)."""
    error = EngineError(ErrorCode.INVALID_JSON, f"not JSON: {problem}", details or {})
    return refusal(None, error)


def internal_error(seq: int | None, exc: BaseException) -> Envelope:
    return {"seq": seq, "ok": False, "error": {
        "code": INTERNAL_ERROR,
        "message": f"the implementation failed: {type(exc).__name__}: {exc}"[:500],
        "details": {},
    }}


# --------------------------------------------------------------------------- ops

Op = Callable[[EnginePort, Any], Any]


def _hello(port: EnginePort, args: Any) -> Any:
    codec.decode_hello_args(args)
    return codec.encode_hello(port.hello())


def _reset(port: EnginePort, args: Any) -> Any:
    codec.decode_hello_args(args)
    port.reset()
    return {}


def _set_policy(port: EnginePort, args: Any) -> Any:
    return {"policy": codec.encode_policy(port.set_policy(codec.decode_set_policy_args(args)))}


def _register_seller(port: EnginePort, args: Any) -> Any:
    seller_id, plan, settings = codec.decode_register_seller_args(args)
    return {"seller": codec.encode_seller(port.register_seller(seller_id, plan, settings))}


def _update_seller(port: EnginePort, args: Any) -> Any:
    seller_id, settings = codec.decode_update_seller_args(args)
    return {"seller": codec.encode_seller(port.update_seller(seller_id, settings))}


def _place_order(port: EnginePort, args: Any) -> Any:
    return {"order": codec.encode_order(port.place_order(codec.decode_place_order_args(args)))}


def _request_return(port: EnginePort, args: Any) -> Any:
    return codec.encode_outcome(port.request_return(codec.decode_request_return_args(args)))


def _authorize(port: EnginePort, args: Any) -> Any:
    return codec.encode_outcome(port.authorize(codec.decode_authorize_args(args)))


def _authorize_batch(port: EnginePort, args: Any) -> Any:
    return_ids, at = codec.decode_authorize_batch_args(args)
    return codec.encode_batch(port.authorize_batch(return_ids, at))


def _close(port: EnginePort, args: Any) -> Any:
    return_id, at = codec.decode_close_args(args)
    return codec.encode_outcome(port.close(return_id, at))


def _reply(port: EnginePort, args: Any) -> Any:
    return_id, at, message = codec.decode_reply_args(args)
    return codec.encode_outcome(port.reply(return_id, at, message))


def _receive(port: EnginePort, args: Any) -> Any:
    seller_id, rma, at = codec.decode_receive_args(args)
    return {"return": codec.encode_return(port.receive(seller_id, rma, at))}


def _get_return(port: EnginePort, args: Any) -> Any:
    return {"return": codec.encode_return(port.get_return(codec.decode_get_return_args(args)))}


OPS: dict[str, Op] = {
    "hello": _hello,
    "reset": _reset,
    "set_policy": _set_policy,
    "register_seller": _register_seller,
    "update_seller": _update_seller,
    "place_order": _place_order,
    "request_return": _request_return,
    "authorize": _authorize,
    "authorize_batch": _authorize_batch,
    "close": _close,
    "reply": _reply,
    "receive": _receive,
    "get_return": _get_return,
}
"""Every rap/1 op, in the contract's order."""

_ENVELOPE_FIELDS = ("seq", "op", "args")


def handle(port: EnginePort, request: object) -> Envelope:
    """One parsed request -> its response envelope. Refusals (including a malformed request)
    come back as ``ok: false`` envelopes; only a broken engine raises."""
    if type(request) is not dict:
        return refusal(None, codec.args_fail("request", request, "must be a JSON object"))
    seq = request.get("seq")
    if type(seq) is not int:
        problem = "missing required field" if "seq" not in request else "must be an integer"
        return refusal(None, codec.args_fail("seq", seq, problem))
    for key in request:
        if key not in _ENVELOPE_FIELDS:
            return refusal(seq, codec.args_fail(key, request[key], "unknown field"))
    op = request.get("op")
    if type(op) is not str:
        problem = "missing required field" if "op" not in request else "must be a string"
        return refusal(seq, codec.args_fail("op", op, problem))
    action = OPS.get(op)
    if action is None:
        error = EngineError(ErrorCode.UNKNOWN_OP, f"op: unknown op {show_value(op)}", {"op": op})
        return refusal(seq, error)
    try:
        return {"seq": seq, "ok": True, "result": action(port, request.get("args", {}))}
    except EngineError as error:
        return refusal(seq, error)


def _parse_line(line: bytes | str) -> tuple[Any, Envelope | None]:
    # Without its terminator, so error positions do not depend on the line ending.
    if isinstance(line, bytes):
        line = line.removesuffix(b"\n").removesuffix(b"\r")
    else:
        line = line.removesuffix("\n").removesuffix("\r")
    try:
        return parse(line), None
    except UnicodeDecodeError as exc:
        return None, invalid_json(f"not UTF-8 at byte {exc.start}", {"byte": exc.start})
    except json.JSONDecodeError as exc:
        where = {"line": exc.lineno, "column": exc.colno}
        return None, invalid_json(f"{exc.msg} at line {exc.lineno} column {exc.colno}", where)
    except (ValueError, RecursionError) as exc:  # NaN, 5000-digit numbers, deep nesting
        return None, invalid_json(str(exc)[:200] or type(exc).__name__)


def handle_line(port: EnginePort, line: bytes | str) -> str:
    """One NDJSON line (without or with its newline) -> one response line (without newline)."""
    request, refused = _parse_line(line)
    return dumps(refused if refused is not None else handle(port, request))


def respond_line(port: EnginePort, line: bytes | str) -> bytes:
    """What the stdio server writes for one input line: the response, UTF-8, newline ended.
    An engine that breaks gets an ``internal_error`` answer and a traceback on stderr."""
    request, refused = _parse_line(line)
    if refused is None:
        refused = safe_handle(port, request)
    return to_bytes(refused) + b"\n"


def safe_handle(port: EnginePort, request: object) -> Envelope:
    """:func:`handle` for servers: a bug in the engine is answered, logged and survived."""
    try:
        return handle(port, request)
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        seq = request.get("seq") if type(request) is dict else None
        return internal_error(seq if type(seq) is int else None, exc)


def request_error(problem: str) -> EngineError:
    """An ``invalid_args`` about the request as a whole (e.g. an empty HTTP batch)."""
    return invalid_args("request", None, problem)
