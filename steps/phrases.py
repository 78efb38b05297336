"""The business phrases of the features, turned into domain values.

Feature files speak like a QA engineer ("30 days and 1 second after delivery", "Amazon
prepaid, paid by the seller", a table of seller settings); the engine port speaks in domain
values. Every translation lives here, so a phrase means the same thing in every feature and
in both languages, and a phrase the suite does not know fails loudly instead of being guessed.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sim.conformance.steps.vocabulary import PhraseError, TableSpec, takes_table
from sim.core.values import (
    DAY,
    HOUR,
    Address,
    CloseReason,
    Holiday,
    Instant,
    LabelType,
    Mode,
    Payer,
    Policy,
    SettingsPatch,
    Status,
    Violation,
)

__all__ = ["PhraseError", "TableSpec", "takes_table"]


# --------------------------------------------------------------------------- times

_UNITS = {
    "day": DAY, "days": DAY, "hour": HOUR, "hours": HOUR, "minute": 60, "minutes": 60,
    "second": 1, "seconds": 1, "天": DAY, "小时": HOUR, "分钟": 60, "秒": 1,
}
_TERM = re.compile(r"\s*(-?\d+)\s*(days?|hours?|minutes?|seconds?|天|小时|分钟|秒)\s*")
_JOINERS = re.compile(r"( and | plus | minus |零|加|减)")
_ABSOLUTE = re.compile(
    r"(?:on |于 ?)?(\d{4}-\d{2}-\d{2})(?: at | )(\d{2}):(\d{2}):(\d{2})"
)
_RELATIVE_EN = re.compile(
    r"(?P<amount>.+?) (?P<direction>after|before) "
    r"(?P<anchor>delivery|the request|the window closes)"
)
_RELATIVE_ZH = re.compile(r"(?P<anchor>送达|申请|退货期结束)(?P<direction>后|前) ?(?P<amount>.+)")
TIME = (
    r"(?:(?:on )?\d{4}-\d{2}-\d{2} at \d{2}:\d{2}:\d{2}"
    r"|-?\d+ [a-z]+(?: (?:and|plus|minus) \d+ [a-z]+)* (?:after|before) "
    r"(?:delivery|the request|the window closes))"
)
"""The regex of an English time phrase, for step patterns (so a step never swallows more)."""
TIME_ZH = (
    r"(?:于 ?\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"
    r"|(?:送达|申请|退货期结束)[后前] ?\d+ ?(?:天|小时|分钟|秒)"
    r"(?:[零加减] ?\d+ ?(?:天|小时|分钟|秒))*)"
)
"""The regex of a Chinese time phrase."""
_ANCHORS = {
    "delivery": "delivery", "送达": "delivery",
    "the request": "request", "申请": "request",
    "the window closes": "window", "退货期结束": "window",
}


def duration(text: str) -> int:
    """``30 days and 1 second`` / ``45 days minus 1 second`` / ``30 天零 1 秒`` -> seconds."""
    parts = _JOINERS.split(text.strip())
    total, sign = 0, 1
    for i, part in enumerate(parts):
        if i % 2 == 1:
            sign = -1 if part.strip() in ("minus", "减") else 1
            continue
        m = _TERM.fullmatch(part)
        if m is None:
            raise PhraseError(f"not an amount of time: {text!r} (at {part!r})")
        total += sign * int(m.group(1)) * _UNITS[m.group(2)]
    return total


@dataclass(frozen=True, slots=True)
class Anchors:
    """What a relative time can be counted from, for the order or return a step is about."""

    delivery: Instant | None = None
    request: Instant | None = None
    window: Instant | None = None


def instant(text: str, anchors: Anchors) -> Instant:
    """A time phrase -> seconds since the epoch (UTC)."""
    text = text.strip()
    m = _ABSOLUTE.fullmatch(text)
    if m is not None:
        return at_datetime(m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4)))
    m = _RELATIVE_EN.fullmatch(text) or _RELATIVE_ZH.fullmatch(text)
    if m is None:
        raise PhraseError(
            f"not a time: {text!r} (say e.g. '30 days after delivery', "
            "'1 hour after the request', 'on 2026-03-05 at 10:00:00')"
        )
    anchor = _ANCHORS[m.group("anchor")]
    base = getattr(anchors, anchor)
    if base is None:
        raise PhraseError(f"{text!r}: no {anchor} time is known at this step")
    offset = duration(m.group("amount"))
    return base - offset if m.group("direction") in ("before", "前") else base + offset


def at_datetime(day: str, hour: int, minute: int, second: int) -> Instant:
    d = calendar_date(day)
    return calendar.timegm((d.year, d.month, d.day, hour, minute, second, 0, 0, 0))


def calendar_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PhraseError(f"not a date like 2026-12-31: {text!r}") from None


def days(text: str) -> int:
    """``45 days`` -> 45."""
    return _whole(text, ("days", "day", "天"))


def hours(text: str) -> int:
    """``24 hours`` -> 24."""
    return _whole(text, ("hours", "hour", "小时"))


def _whole(text: str, units: Sequence[str]) -> int:
    m = re.fullmatch(r"\s*(-?\d+)\s*(\S+)\s*", text)
    if m is None or m.group(2) not in units:
        raise PhraseError(f"expected a number of {units[0]}, got {text!r}")
    return int(m.group(1))


# --------------------------------------------------------------------------- lists, modes


def names(text: str) -> tuple[str, ...]:
    """``WH1, WH2`` / ``"R1", "R2" and "R3"`` / ``none`` -> a tuple of names."""
    text = text.strip()
    if text in ("none", "无", ""):
        return ()
    parts = re.split(r",\s*|\s+and\s+|、|和", text)
    return tuple(p.strip().strip('"') for p in parts if p.strip())


_MODES = {"manual": Mode.MANUAL, "automatic": Mode.AUTO, "手动": Mode.MANUAL, "自动": Mode.AUTO}


def mode(text: str) -> Mode:
    try:
        return _MODES[text.strip()]
    except KeyError:
        raise PhraseError(f"expected 'manual' or 'automatic', got {text!r}") from None


def on_off(text: str) -> bool:
    value = text.strip()
    if value not in ("on", "off"):
        raise PhraseError(f"expected 'on' or 'off', got {text!r}")
    return value == "on"


# --------------------------------------------------------------------------- addresses


def address(address_id: str) -> Address:
    """The made-up but complete address the features mean by an id like ``WH2``."""
    number = sum(ord(c) for c in address_id) % 900 + 100
    return Address(
        address_id=address_id,
        name=f"Returns desk {address_id}",
        line1=f"{number} Harbor Way",
        city="Seattle",
        region="WA",
        postal_code="98109",
        country="US",
    )


# --------------------------------------------------------------------------- tables


def table_rows(datatable: Sequence[Sequence[object]], header: Sequence[str]) -> list[list[str]]:
    """The rows of a step's table under its header row, checked against the expected header."""
    if not datatable:
        raise PhraseError("the step needs a table")
    got = [str(c).strip() for c in datatable[0]]
    if got != list(header):
        raise PhraseError(f"table header should be {' | '.join(header)}, got {' | '.join(got)}")
    return [[str(c).strip() for c in row] for row in datatable[1:]]


_WINDOW_KEY = re.compile(r'(?:return window|window) for "(?P<category>[^"]+)"')
WINDOW_KEY_FORM = 'return window for "<category>"'


def _seller_addresses(text: str) -> tuple[Address, ...]:
    return tuple(address(a) for a in names(text))


_SELLER_SETTINGS: dict[str, tuple[str, Callable[[str], object]]] = {
    "return addresses": ("return_addresses", _seller_addresses),
    "default return address": ("default_return_address_id", str.strip),
    "email links": ("email_links", on_off),
    "authorization": ("authorization", mode),
    "out-of-policy requests": ("out_of_policy", mode),
    "exempt requests": ("exempt_mode", mode),
    "exempt SKUs": ("exempt_skus", names),
}
"""Seller settings as a feature's table names them: key -> (SettingsPatch field, parser)."""

_SELLER_EXPECTATIONS = {
    **_SELLER_SETTINGS,
    "return addresses": ("return_addresses", names),  # compared by id
    "return windows": ("return_window_days", lambda text: category_windows(text)),
}

_POLICY_SETTINGS: dict[str, tuple[str, Callable[[str], object]]] = {
    "default window": ("default_window_days", days),
    "transit": ("transit_days", days),
    "response time": ("manual_response_hours", hours),
    "not returnable": ("non_returnable_categories", names),
    "exempt from prepaid labels": ("prepaid_exempt_categories", names),
    "seller-fault reasons": ("seller_fault_reasons", names),
    "holiday": ("holiday", lambda text: holiday(text)),
    "category windows": ("category_window_days", lambda text: category_windows(text)),
}
"""Marketplace settings as a feature's table names them: key -> (Policy field, parser)."""


def _table_fields(
    rows: Sequence[Sequence[str]], known: Mapping[str, tuple[str, Callable[[str], object]]],
    what: str, windows_field: str,
) -> dict[str, object]:
    """``setting | value`` rows -> {field: value}; ``window for "cat"`` rows gather into
    ``windows_field``."""
    fields: dict[str, object] = {}
    windows: dict[str, int] = {}
    for key, value in rows:
        m = _WINDOW_KEY.fullmatch(key)
        if m is not None:
            windows[m.group("category")] = days(value)
            continue
        if key not in known:
            raise PhraseError(f"unknown {what} {key!r}", unknown=key,
                              known=(*known, WINDOW_KEY_FORM), what=what)
        name, parse = known[key]
        fields[name] = parse(value)
    if windows:
        given = fields.get(windows_field)
        fields[windows_field] = {**(given if isinstance(given, dict) else {}), **windows}
    return fields


def settings_patch(rows: Sequence[Sequence[str]], default_address: bool) -> SettingsPatch:
    """A table of seller settings (``setting | value``) -> a patch. With ``default_address``
    a registration that names no addresses gets the one address ``WH1`` (every seller needs
    one; scenarios about addresses say so)."""
    fields = _table_fields(rows, _SELLER_SETTINGS, "seller setting", "return_window_days")
    if default_address and "return_addresses" not in fields:
        fields["return_addresses"] = (address("WH1"),)
    return SettingsPatch(**fields)  # type: ignore[arg-type]


def policy_from_table(rows: Sequence[Sequence[str]], base: Policy | None = None) -> Policy:
    """A table of marketplace settings -> a full policy (what is not named is the default,
    or ``base``'s value)."""
    fields = _table_fields(rows, _POLICY_SETTINGS, "marketplace setting", "category_window_days")
    return replace(base or Policy(), **fields)  # type: ignore[arg-type]


_HOLIDAY = re.compile(r"(\S+) to (\S+), until (\S+)")


def holiday(text: str) -> Holiday | None:
    """``2026-11-01 to 2026-12-31, until 2027-01-31`` (or ``none``) -> a holiday rule."""
    if text.strip() == "none":
        return None
    m = _HOLIDAY.fullmatch(text.strip())
    if m is None:
        raise PhraseError(
            f"a holiday reads '2026-11-01 to 2026-12-31, until 2027-01-31', not {text!r}"
        )
    return Holiday(*(calendar_date(g) for g in m.groups()))


def category_windows(text: str) -> dict[str, int]:
    """``baby 90 days, electronics 15 days`` (or ``none``) -> {category: days}."""
    found: dict[str, int] = {}
    for part in names(text):
        m = re.fullmatch(r"(.+) (\d+ days?)", part)
        if m is None:
            raise PhraseError(f"a category window reads 'baby 90 days', not {part!r}")
        found[m.group(1).strip('"')] = days(m.group(2))
    return found


SELLER_SETTINGS_TABLE = TableSpec(("setting", "value"), (*_SELLER_SETTINGS, WINDOW_KEY_FORM))
SELLER_EXPECTATIONS_TABLE = TableSpec(
    ("setting", "value"), (*_SELLER_EXPECTATIONS, WINDOW_KEY_FORM)
)
POLICY_TABLE = TableSpec(("setting", "value"), (*_POLICY_SETTINGS, WINDOW_KEY_FORM))
ITEMS_TABLE = TableSpec(("sku", "category", "quantity", "unit price"))
REFUSAL_DETAILS_TABLE = TableSpec(("field", "value"))  # any field of details, values as JSON


# --------------------------------------------------------------------------- outcomes


@dataclass(frozen=True, slots=True)
class ExpectedState:
    status: Status
    authorization: Mode | None = None
    close_reason: CloseReason | None = None


_CLOSE_REASONS = {
    "declined": CloseReason.DECLINED, "not returned": CloseReason.NOT_RETURNED,
    "completed": CloseReason.COMPLETED,
    "已拒绝": CloseReason.DECLINED, "未退回": CloseReason.NOT_RETURNED,
    "已完成": CloseReason.COMPLETED,
}
_STATES = {
    "pending authorization": ExpectedState(Status.PENDING_AUTHORIZATION),
    "待卖家授权": ExpectedState(Status.PENDING_AUTHORIZATION),
    "authorized automatically": ExpectedState(Status.AUTHORIZED, Mode.AUTO),
    "已自动授权": ExpectedState(Status.AUTHORIZED, Mode.AUTO),
    "authorized by the seller": ExpectedState(Status.AUTHORIZED, Mode.MANUAL),
    "已由卖家授权": ExpectedState(Status.AUTHORIZED, Mode.MANUAL),
    "received": ExpectedState(Status.RECEIVED),
}


def expected_state(text: str) -> ExpectedState:
    """``authorized automatically`` / ``closed as not returned`` / ``已关闭，原因为未退回``."""
    text = text.strip()
    if text in _STATES:
        return _STATES[text]
    m = re.fullmatch(r"closed as (.+)|已关闭，原因为(.+)", text)
    if m is not None:
        reason = _CLOSE_REASONS.get((m.group(1) or m.group(2)).strip())
        if reason is not None:
            return ExpectedState(Status.CLOSED, close_reason=reason)
    raise PhraseError(f"not a state of a return: {text!r}")


def close_reason(text: str) -> CloseReason:
    try:
        return _CLOSE_REASONS[text.strip()]
    except KeyError:
        raise PhraseError(f"not a close reason: {text!r}") from None


_VIOLATIONS = {
    "window expired": Violation.WINDOW_EXPIRED, "退货期已过": Violation.WINDOW_EXPIRED,
    "not returnable": Violation.NON_RETURNABLE, "不可退货": Violation.NON_RETURNABLE,
}


def policy_standing(text: str) -> tuple[Violation, ...]:
    """``in policy`` -> (); ``out of policy: window expired, not returnable`` -> violations."""
    text = text.strip()
    if text in ("in policy", "请求在政策内"):
        return ()
    m = re.fullmatch(r"out of policy: (.+)|请求不在政策内：(.+)", text)
    if m is None:
        raise PhraseError(f"say 'in policy' or 'out of policy: <violations>', not {text!r}")
    try:
        return tuple(_VIOLATIONS[v] for v in names(m.group(1) or m.group(2)))
    except KeyError as exc:
        raise PhraseError(f"not a policy violation: {exc.args[0]!r}") from None


_LABEL_TYPES = {
    "Amazon prepaid": LabelType.AMAZON_PREPAID, "亚马逊预付标签": LabelType.AMAZON_PREPAID,
    "Amazon unpaid": LabelType.AMAZON_UNPAID, "亚马逊未付费标签": LabelType.AMAZON_UNPAID,
    "seller prepaid": LabelType.SELLER_PREPAID, "卖家预付标签": LabelType.SELLER_PREPAID,
}
_PAYERS = {
    "the seller": Payer.SELLER, "the customer": Payer.CUSTOMER,
    "卖家": Payer.SELLER, "买家": Payer.CUSTOMER,
}


def label_type(text: str) -> LabelType:
    """``an Amazon unpaid`` / ``a seller prepaid`` / ``Amazon prepaid`` -> the label type."""
    text = re.sub(r"^(an?|the) ", "", text.strip())
    try:
        return _LABEL_TYPES[text]
    except KeyError:
        raise PhraseError(f"not a label type: {text!r}") from None


def label(text: str) -> tuple[LabelType, Payer] | None:
    """``Amazon prepaid, paid by the seller`` / ``亚马逊未付费标签，由买家支付`` / ``none``."""
    text = text.strip()
    if text in ("none", "无"):
        return None
    m = re.fullmatch(r"(.+), paid by (the seller|the customer)|(.+)，由(卖家|买家)支付", text)
    if m is None:
        raise PhraseError(f"a label reads 'Amazon prepaid, paid by the seller', not {text!r}")
    kind = m.group(1) or m.group(3)
    payer = m.group(2) or m.group(4)
    return label_type(kind), _PAYERS[payer]


def seller_settings_expectations(rows: Sequence[Sequence[str]]) -> Mapping[str, object]:
    """A table of expected settings -> {SellerSettings field: expected value}."""
    return _table_fields(rows, _SELLER_EXPECTATIONS, "seller setting", "return_window_days")
