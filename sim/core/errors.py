"""Refusals: the rap/1 error codes and the one exception the engine raises for them.

A refusal means, by contract, that nothing changed. Messages spell values as JSON would,
because people read them while driving the protocol from any language.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    INVALID_JSON = "invalid_json"
    UNKNOWN_OP = "unknown_op"
    INVALID_ARGS = "invalid_args"
    INVALID_POLICY = "invalid_policy"
    INVALID_TIME = "invalid_time"
    UNKNOWN_SELLER = "unknown_seller"
    UNKNOWN_ORDER = "unknown_order"
    UNKNOWN_SKU = "unknown_sku"
    UNKNOWN_RETURN = "unknown_return"
    UNKNOWN_RMA = "unknown_rma"
    UNKNOWN_ADDRESS = "unknown_address"
    DUPLICATE_SELLER = "duplicate_seller"
    DUPLICATE_ORDER = "duplicate_order"
    DUPLICATE_RETURN = "duplicate_return"
    DUPLICATE_RMA = "duplicate_rma"
    INVALID_RMA = "invalid_rma"
    INVALID_STATE = "invalid_state"
    TOO_EARLY = "too_early"
    NOT_DELIVERED = "not_delivered"
    QUANTITY_EXCEEDS_ORDER = "quantity_exceeds_order"
    POLICY_LESS_GENEROUS = "policy_less_generous"
    MISSING_RETURN_ADDRESS = "missing_return_address"


class EngineError(Exception):
    """A refusal: the engine said no, and (by contract) nothing changed."""

    def __init__(self, code: ErrorCode, message: str, details: Mapping[str, Any] | None = None):
        super().__init__(f"{code.value}: {message}")
        self.code = code
        self.message = message
        self.details: dict[str, Any] = dict(details or {})


_LONGEST_ECHO = 200


def invalid_args(field_path: str, value: Any, problem: str) -> EngineError:
    """The one way to say an input is malformed, so every message names the field and value."""
    return EngineError(
        ErrorCode.INVALID_ARGS,
        f"{field_path}: {problem}, got {show_value(value)}",
        {"field": field_path, "value": echo_value(value)},
    )


def echo_value(value: Any) -> Any:
    """The value as ``details.value`` carries it: itself when a short scalar, else its
    shortened JSON spelling, so a 10 MB argument cannot make a 10 MB error."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str) and len(value) <= _LONGEST_ECHO:
        return value
    return show_value(value)


def show_value(value: Any, limit: int = _LONGEST_ECHO) -> str:
    """A value as JSON would spell it (``true``, ``"x"``), not as Python would: the messages
    are read by people driving the protocol from any language. Long values are cut."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:  # NaN, circular
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
