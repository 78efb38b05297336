"""rap/1 time on the wire: RFC 3339 UTC whole-second ``Z`` timestamps and ``YYYY-MM-DD`` dates.

The engine counts in int epoch seconds; only the protocol boundary sees text. Parsing is strict
(one accepted spelling per instant, so two implementations can be compared byte for byte) and
cheap (a compiled regex plus ``calendar.timegm``, and a bounded cache: a return's timestamps are
written again in every answer about it), because every op carries a timestamp and the simulator
converts millions of them.
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import date
from functools import lru_cache

from sim.core.values import Instant

# re.ASCII: \d must not match non-ASCII digits (int() would accept those too).
_TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z", re.ASCII)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


class TimeFormatError(ValueError):
    """Text that is not a rap/1 timestamp or date; the message says what is wrong."""


def _calendar_ok(year: int, month: int, day: int) -> bool:
    if year < 1 or not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(year, month)[1]


@lru_cache(maxsize=1 << 16)
def parse_timestamp(text: str) -> Instant:
    """``2026-03-01T10:00:00Z`` -> seconds since the epoch; anything else raises
    :class:`TimeFormatError` (offsets, fractions, lowercase ``z``, impossible dates)."""
    m = _TIMESTAMP.fullmatch(text)
    if m is None:
        raise TimeFormatError("not an RFC 3339 UTC timestamp like 2026-03-01T10:00:00Z")
    year, month, day, hour, minute, second = map(int, m.groups())
    if not _calendar_ok(year, month, day):
        raise TimeFormatError("not a calendar date")
    if hour > 23 or minute > 59 or second > 59:
        raise TimeFormatError("not a time of day (00:00:00 to 23:59:59)")
    return calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))


@lru_cache(maxsize=1 << 16)
def format_timestamp(instant: Instant) -> str:
    """Seconds since the epoch -> ``YYYY-MM-DDTHH:MM:SSZ`` (years 0001-9999)."""
    t = time.gmtime(instant)
    if not 1 <= t.tm_year <= 9999:
        raise TimeFormatError(f"{instant} is outside years 0001-9999")
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % t[:6]  # noqa: UP031 (fastest spelling)


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` -> :class:`datetime.date`; anything else raises :class:`TimeFormatError`."""
    m = _DATE.fullmatch(text)
    if m is None:
        raise TimeFormatError("not a calendar date like 2026-12-31")
    year, month, day = map(int, m.groups())
    if not _calendar_ok(year, month, day):
        raise TimeFormatError("not a calendar date")
    return date(year, month, day)


def format_date(value: date) -> str:
    """:class:`datetime.date` -> ``YYYY-MM-DD``."""
    return "%04d-%02d-%02d" % (value.year, value.month, value.day)  # noqa: UP031
