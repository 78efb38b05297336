"""rap/1 time on the wire: one spelling per instant, everything else refused."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.core.timefmt import (
    TimeFormatError,
    format_date,
    format_timestamp,
    parse_date,
    parse_timestamp,
)


def test_parses_the_contract_example() -> None:
    assert parse_timestamp("2026-03-01T10:00:00Z") == calendar.timegm((2026, 3, 1, 10, 0, 0))
    assert parse_timestamp("1970-01-01T00:00:00Z") == 0


def test_leap_day_and_last_second_of_a_day() -> None:
    assert format_timestamp(parse_timestamp("2024-02-29T23:59:59Z")) == "2024-02-29T23:59:59Z"


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-01T10:00:00+00:00",  # offset, even a zero one
        "2026-03-01T10:00:00+01:00",
        "2026-03-01T10:00:00.5Z",  # fraction
        "2026-03-01T10:00:00.000Z",
        "2026-03-01T10:00:00z",  # lowercase z
        "2026-03-01t10:00:00Z",
        "2026-03-01 10:00:00Z",
        "2026-03-01T10:00:00",  # no zone
        "2026-03-01T10:00Z",
        "2026-3-1T10:00:00Z",
        "2026-02-29T10:00:00Z",  # not a leap year
        "2026-04-31T10:00:00Z",
        "2026-13-01T10:00:00Z",
        "2026-00-01T10:00:00Z",
        "0000-01-01T00:00:00Z",
        "2026-03-01T24:00:00Z",
        "2026-03-01T10:60:00Z",
        "2026-03-01T10:00:60Z",  # no leap seconds
        " 2026-03-01T10:00:00Z",
        "2026-03-01T10:00:00Z\n",
        "٢٠٢٦-03-01T10:00:00Z",  # non-ASCII digits
        "",
    ],
)
def test_rejects_everything_but_whole_second_utc_z(text: str) -> None:
    with pytest.raises(TimeFormatError):
        parse_timestamp(text)


@given(st.integers(min_value=-62135596800, max_value=253402300799))
def test_timestamps_round_trip_and_agree_with_datetime(t: int) -> None:
    text = format_timestamp(t)
    assert parse_timestamp(text) == t
    assert text == datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ").rjust(20, "0")


def test_format_refuses_years_outside_four_digits() -> None:
    with pytest.raises(TimeFormatError):
        format_timestamp(253402300800)  # 10000-01-01


def test_dates() -> None:
    assert parse_date("2025-11-01") == date(2025, 11, 1)
    assert format_date(date(5, 1, 2)) == "0005-01-02"
    for bad in ["2025-11-1", "2025-02-29", "2025-11-01T00:00:00Z", "20251101", "2025-11-31", ""]:
        with pytest.raises(TimeFormatError):
            parse_date(bad)


@given(st.dates())
def test_dates_round_trip(d: date) -> None:
    assert parse_date(format_date(d)) == d
