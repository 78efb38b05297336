"""The strict primitive readers of rap/1 JSON, shared by both sides of the wire.

Each reader checks one JSON value against one shape of the contract (an id, a timestamp, an
enum member, an object with exactly these fields...) and raises what its ``fail`` builds: the
server side passes :func:`args_fail` (``invalid_args``), the client side :func:`result_fail`
(:class:`ProtocolViolation`), so one reader serves both directions and the conformance harness
can tell a malformed answer from a wrong one. Messages and details name the field path.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from sim.core.errors import EngineError, invalid_args, show_value
from sim.core.port import ProtocolViolation
from sim.core.timefmt import (
    TimeFormatError,
    parse_date,
    parse_timestamp,
)
from sim.core.values import (
    Instant,
)

E = TypeVar("E", bound=StrEnum)
Json = dict[str, Any]

Fail = Callable[[str, Any, str], Exception]
"""Builds the exception for a bad value: ``(field path, value, problem) -> exception``."""

def args_fail(path: str, value: Any, problem: str) -> EngineError:
    """``Fail`` for requests: ``invalid_args`` naming the field path and the value."""
    return invalid_args(path, value, problem)


def result_fail(path: str, value: Any, problem: str) -> ProtocolViolation:
    """``Fail`` for answers from an implementation: the answer breaks the contract."""
    return ProtocolViolation(f"{path}: {problem}, got {show_value(value)}")


plain: Callable[[StrEnum], str] = str.__str__
"""A StrEnum member's value as a plain ``str``: the same as ``.value`` (which encoders must
emit, so raw envelopes hold only JSON types), several times cheaper on the hot path."""


def enum_value(member: StrEnum | None) -> str | None:
    """A member's value, or ``None``: for optional enum fields."""
    return None if member is None else plain(member)


# --------------------------------------------------------------------------- readers


def child(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def read_object(
    value: Any, path: str, fail: Fail, required: Sequence[str], optional: Iterable[str] = ()
) -> dict[str, Any]:
    """An object with exactly the given fields: unknown fields first, then missing ones."""
    if type(value) is not dict:
        raise fail(path or "args", value, "must be a JSON object")
    allowed = (*required, *optional)
    for key in value:
        if key not in allowed:
            raise fail(child(path, key), value[key], "unknown field")
    for key in required:
        if key not in value:
            raise fail(child(path, key), None, "missing required field")
    return value


def read_id(value: Any, path: str, fail: Fail) -> str:
    if type(value) is not str:
        raise fail(path, value, "must be a string")
    if not value:
        raise fail(path, value, "must not be empty")
    return value


def read_text(value: Any, path: str, fail: Fail) -> str:
    if type(value) is not str:
        raise fail(path, value, "must be a string")
    return value


def read_opt_id(value: Any, path: str, fail: Fail) -> str | None:
    return None if value is None else read_id(value, path, fail)


def read_int(value: Any, path: str, fail: Fail) -> int:
    if type(value) is not int:  # bool is not an int here
        raise fail(path, value, "must be an integer")
    return value


def read_positive(value: Any, path: str, fail: Fail) -> int:
    if read_int(value, path, fail) < 1:
        raise fail(path, value, "must be a positive integer")
    return value


def read_bool(value: Any, path: str, fail: Fail) -> bool:
    if type(value) is not bool:
        raise fail(path, value, "must be true or false")
    return value


def read_price(value: Any, path: str, fail: Fail) -> float:
    if type(value) is not int and type(value) is not float:
        raise fail(path, value, "must be a number")
    if not math.isfinite(value) or value < 0:
        raise fail(path, value, "must be a finite number >= 0")
    return value


_MEMBERS: dict[type[StrEnum], dict[str, StrEnum]] = {}


def read_enum(value: Any, cls: type[E], path: str, fail: Fail) -> E:
    members = _MEMBERS.get(cls)
    if members is None:
        members = _MEMBERS[cls] = {m.value: m for m in cls}
    found = members.get(value) if type(value) is str else None
    if found is None:
        raise fail(path, value, "must be one of " + ", ".join(members))
    return found  # type: ignore[return-value]


def read_opt_enum(value: Any, cls: type[E], path: str, fail: Fail) -> E | None:
    return None if value is None else read_enum(value, cls, path, fail)


def read_ts(value: Any, path: str, fail: Fail) -> Instant:
    if type(value) is not str:
        raise fail(path, value, "must be an RFC 3339 UTC timestamp string")
    try:
        return parse_timestamp(value)
    except TimeFormatError as exc:
        raise fail(path, value, str(exc)) from None


def read_opt_ts(value: Any, path: str, fail: Fail) -> Instant | None:
    return None if value is None else read_ts(value, path, fail)


def read_date(value: Any, path: str, fail: Fail) -> date:
    if type(value) is not str:
        raise fail(path, value, "must be a YYYY-MM-DD date string")
    try:
        return parse_date(value)
    except TimeFormatError as exc:
        raise fail(path, value, str(exc)) from None


def read_list(value: Any, path: str, fail: Fail) -> list[Any]:
    if type(value) is not list:
        raise fail(path, value, "must be a JSON array")
    return value


def read_ids(value: Any, path: str, fail: Fail) -> tuple[str, ...]:
    items = read_list(value, path, fail)
    return tuple(read_id(v, f"{path}[{i}]", fail) for i, v in enumerate(items))


def read_enums(value: Any, cls: type[E], path: str, fail: Fail) -> tuple[E, ...]:
    items = read_list(value, path, fail)
    return tuple(read_enum(v, cls, f"{path}[{i}]", fail) for i, v in enumerate(items))


def read_days_map(value: Any, path: str, fail: Fail) -> dict[str, int]:
    """A category -> days map; the values' sense (>= 1, more generous) is the engine's call."""
    if type(value) is not dict:
        raise fail(path, value, "must be a JSON object")
    for key, days in value.items():
        if not key:
            raise fail(path, key, "category names must not be empty")
        read_int(days, f"{path}.{key}", fail)
    return dict(value)


