"""Reading scenarios: TOML on top of the bundled baseline, checked against the schema.

Every scenario file is read over ``baseline.toml`` (tables merge key by key, other values
replace), so a what-if file states only what it changes, and a copy of the baseline is complete
by itself. The reader walks the dataclasses of :mod:`sim.model.scenario_spec`; every refusal is a
:class:`ScenarioError` naming the key path and the value, which the CLI turns into exit code 2.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
import tomllib
import types
import typing
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from sim.core.values import Holiday, Policy
from sim.model.scenario_spec import (
    COUNT,
    DURATION,
    EARLIEST,
    LATEST,
    MAX_CATEGORIES,
    MAX_NAME,
    MAX_SKUS,
    NONNEGATIVE,
    POSITIVE,
    SHARE,
    SHARES,
    Lognormal,
    Scenario,
    Uniform,
)

BASELINE = "baseline"
_SUM_TOLERANCE = 1e-6
T = TypeVar("T")


class ScenarioError(ValueError):
    """A scenario that cannot be run; ``key`` is the dotted path of the offending knob."""

    def __init__(self, key: str, value: Any, problem: str) -> None:
        shown = value.isoformat() if isinstance(value, date) else repr(value)
        super().__init__(f"{key}: {problem}, got {shown}")
        self.key = key
        self.value = value
        self.problem = problem


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario with where it came from: the manifest records the bytes that were run."""

    scenario: Scenario
    name: str
    source: str
    sha256: str
    baseline_sha256: str
    data: bytes
    """The scenario file's bytes as read and run (kept beside the results as scenario.toml)."""


def bundled_names() -> list[str]:
    """Scenario names shipped inside the package (``returns-sim run holiday`` works anywhere)."""
    folder = resources.files("sim") / "scenarios"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _bundled_bytes(name: str) -> bytes:
    return (resources.files("sim") / "scenarios" / f"{name}.toml").read_bytes()


def load(spec: str | None = None) -> LoadedScenario:
    """Load a scenario by file path or bundled name (``None``: the baseline)."""
    base_bytes = _bundled_bytes(BASELINE)
    if spec is None or (spec in bundled_names() and not Path(spec).exists()):
        name = spec or BASELINE
        data, source = _bundled_bytes(name), f"<bundled>/{name}.toml"
    else:
        path = Path(spec)
        if not path.is_file():
            raise ScenarioError(
                "scenario", spec, f"no such file (bundled scenarios: {', '.join(bundled_names())})"
            )
        data, source, name = path.read_bytes(), str(path), path.stem
    scenario = parse(data, base_bytes, source)
    return LoadedScenario(
        scenario,
        name,
        source,
        hashlib.sha256(data).hexdigest(),
        hashlib.sha256(base_bytes).hexdigest(),
        data,
    )


def parse(data: bytes, base: bytes | None, source: str = "<scenario>") -> Scenario:
    """TOML bytes (over ``base`` TOML bytes, if given) -> a checked :class:`Scenario`."""
    tree = _toml(data, source)
    if base is not None:
        tree = merge(_toml(base, "baseline.toml"), tree, Scenario)
    scenario = build(Scenario, tree, "")
    check_scenario(scenario)
    return scenario


def _toml(data: bytes, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError("scenario", source, f"not valid TOML ({exc})") from None


def merge(base: Mapping[str, Any], over: Mapping[str, Any], tp: Any = None) -> dict[str, Any]:
    """Tables merge key by key; any other value in ``over`` replaces the base's. With the
    schema type ``tp``, a table of shares (a mix that must sum to 1) is replaced whole: merging
    ``{en_US = 0.5, zh_CN = 0.5}`` into a three-locale mix would silently keep the third."""
    hints = _hints(tp) if dataclasses.is_dataclass(tp) else {}
    checks = {f.name: f.metadata.get("check") for f in dataclasses.fields(tp)} if hints else {}
    out = dict(base)
    for key, value in over.items():
        old = out.get(key)
        tables = isinstance(old, Mapping) and isinstance(value, Mapping)
        if not tables or checks.get(key) == SHARES:
            out[key] = value
            continue
        assert isinstance(old, Mapping) and isinstance(value, Mapping)
        sub = hints.get(key)
        if typing.get_origin(sub) in (Mapping, dict):  # a table of tables: merge each entry
            entry = typing.get_args(sub)[1]
            merged = dict(old)
            for name, table in value.items():
                prior = merged.get(name)
                if isinstance(prior, Mapping) and isinstance(table, Mapping):
                    merged[name] = merge(prior, table, entry)
                else:
                    merged[name] = table
            out[key] = merged
        else:
            out[key] = merge(old, value, _dataclass_of(sub))
    return out


def _hints(tp: Any) -> dict[str, Any]:
    """A schema class's field types (resolved once: the loader asks for them on every table)."""
    return _cached_hints(tp)


@functools.cache
def _cached_hints(tp: Hashable) -> dict[str, Any]:
    return typing.get_type_hints(tp)


def _dataclass_of(tp: Any) -> Any:
    """The dataclass in ``tp`` (``X`` or ``X | None``), else None."""
    if dataclasses.is_dataclass(tp):
        return tp
    for arg in typing.get_args(tp):
        if dataclasses.is_dataclass(arg):
            return arg
    return None


# --------------------------------------------------------------------------- schema walk


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def build(cls: type[T], data: Any, path: str) -> T:
    """Turn a TOML table into ``cls``, refusing unknown keys, missing keys and wrong types."""
    where = path or "scenario"
    if not isinstance(data, Mapping):
        raise ScenarioError(where, data, "expected a table")
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in data:
        if key not in fields:
            raise ScenarioError(
                _join(path, key), data[key], f"unknown key (known: {', '.join(fields)})"
            )
    values: dict[str, Any] = {}
    for name, f in fields.items():
        key_path = _join(path, name)
        if name not in data:
            if f.default is dataclasses.MISSING:
                raise ScenarioError(key_path, None, "missing key")
            continue
        value = _convert(hints[name], data[name], key_path)
        _check(f.metadata, value, key_path)
        values[name] = value
    if cls is Uniform and values["low"] > values["high"]:
        raise ScenarioError(where, dict(data), "low exceeds high")
    return cls(**values)


def _convert(tp: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], value, path)
    if dataclasses.is_dataclass(tp):
        return build(tp, value, path)  # type: ignore[arg-type]
    if origin is tuple:
        if not isinstance(value, list):
            raise ScenarioError(path, value, "expected an array")
        return tuple(_convert(args[0], v, f"{path}[{i}]") for i, v in enumerate(value))
    if origin is Mapping or origin is dict:
        if not isinstance(value, Mapping):
            raise ScenarioError(path, value, "expected a table")
        for k in value:
            if not k or len(k) > MAX_NAME:
                raise ScenarioError(_join(path, str(k)), k,
                                    f"a name must have 1 to {MAX_NAME} characters")
        return {str(k): _convert(args[1], v, _join(path, str(k))) for k, v in value.items()}
    return _scalar(tp, value, path)


def _scalar(tp: Any, value: Any, path: str) -> Any:
    if tp is bool:
        if not isinstance(value, bool):
            raise ScenarioError(path, value, "expected true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ScenarioError(path, value, "expected an integer")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ScenarioError(path, value, "expected a number")
        if not math.isfinite(value):
            raise ScenarioError(path, value, "expected a finite number")
        return float(value)
    if tp is str:
        if not isinstance(value, str) or not value:
            raise ScenarioError(path, value, "expected a non-empty string")
        if len(value) > MAX_NAME:
            raise ScenarioError(path, value, f"a name must have at most {MAX_NAME} characters")
        return value
    if tp is date:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise ScenarioError(path, value, "expected a date like 2025-01-01 (unquoted)")
        if not EARLIEST <= value <= LATEST:
            raise ScenarioError(path, value, f"a date must lie between {EARLIEST} and {LATEST}")
        return value
    raise TypeError(f"scenario schema uses an unsupported type {tp!r} at {path}")


def _check(meta: Mapping[str, Any], value: Any, path: str) -> None:
    check = meta.get("check")
    most = meta.get("most")
    length = meta.get("length")
    if length is not None and len(value) != length:
        raise ScenarioError(path, list(value), f"expected {length} values")
    most_items = meta.get("most_items")
    if most_items is not None and len(value) > most_items:
        raise ScenarioError(path, list(value), f"expected at most {most_items} values")
    if isinstance(value, Lognormal) and most is not None:
        _check_number(POSITIVE, value.median, f"{path}.median", most)
    if check is None:
        if isinstance(value, Uniform) and most is not None:
            _check_number(NONNEGATIVE, value.low, f"{path}.low", most)
            _check_number(NONNEGATIVE, value.high, f"{path}.high", most)
        return
    if check == SHARES:
        items = list(value.items()) if isinstance(value, Mapping) else list(enumerate(value))
        for k, v in items:
            sub = _join(path, str(k)) if isinstance(value, Mapping) else f"{path}[{k}]"
            _check_number(SHARE, v, sub)
        total = sum(v for _, v in items)
        if not items or abs(total - 1.0) > _SUM_TOLERANCE:
            raise ScenarioError(path, round(total, 9), "shares must sum to 1")
        return
    if isinstance(value, Mapping):
        for k, v in value.items():
            _check_number(check, v, _join(path, str(k)), most)
    elif isinstance(value, tuple):
        for i, v in enumerate(value):
            _check_number(check, v, f"{path}[{i}]", most)
    elif isinstance(value, Uniform):
        _check_number(check, value.low, f"{path}.low", most)
        _check_number(check, value.high, f"{path}.high", most)
    elif isinstance(value, int | float):
        _check_number(check, value, path, most)


def _check_number(check: str, value: float, path: str, most: float | None = None) -> None:
    if check == SHARE and not 0.0 <= value <= 1.0:
        raise ScenarioError(path, value, "a share must be between 0 and 1")
    if check == DURATION and value < 0:
        raise ScenarioError(path, value, "a duration cannot be negative")
    if check == NONNEGATIVE and value < 0:
        raise ScenarioError(path, value, "must not be negative")
    if check == POSITIVE and value <= 0:
        raise ScenarioError(path, value, "must be greater than 0")
    if check == COUNT and value < 1:
        raise ScenarioError(path, value, "must be at least 1")
    if most is not None and value > most:
        raise ScenarioError(path, value, f"must be at most {most:,}")


# --------------------------------------------------------------------------- cross checks


def check_scenario(s: Scenario) -> None:
    """Checks that span several knobs (the walk above checks each knob alone)."""
    cats = s.categories
    if not cats:
        raise ScenarioError("categories", {}, "at least one category is needed")
    if len(cats) > MAX_CATEGORIES:
        raise ScenarioError("categories", len(cats), f"at most {MAX_CATEGORIES} categories")
    skus = sum(c.skus for c in cats.values())
    if skus > MAX_SKUS:
        raise ScenarioError("categories.*.skus", skus, f"at most {MAX_SKUS:,} SKUs in all")
    total = sum(c.share for c in cats.values())
    if abs(total - 1.0) > _SUM_TOLERANCE:
        raise ScenarioError("categories.*.share", round(total, 9), "shares must sum to 1")
    if s.run.warmup_days > 366:
        raise ScenarioError("run.warmup_days", s.run.warmup_days, "at most 366 days of warm-up")
    p = s.policy
    for key, names in (
        ("policy.category_window_days", list(p.category_window_days)),
        ("policy.non_returnable_categories", list(p.non_returnable_categories)),
        ("policy.prepaid_exempt_categories", list(p.prepaid_exempt_categories)),
    ):
        for n in names:
            if n not in cats:
                raise ScenarioError(key, n, "names no category of [categories]")
    if p.holiday is not None:
        h = p.holiday
        if h.ordered_from > h.ordered_to:
            raise ScenarioError("policy.holiday.ordered_from", h.ordered_from, "after ordered_to")
        if h.return_by < h.ordered_to:
            raise ScenarioError("policy.holiday.return_by", h.return_by, "before ordered_to")
    d = s.demand
    if d.peak is not None and d.peak.start > d.peak.end:
        raise ScenarioError("demand.peak.start", d.peak.start, "after demand.peak.end")
    for key, profile in (("demand.weekday_profile", d.weekday_profile),
                         ("demand.monthly_profile", d.monthly_profile)):
        if not any(profile):
            raise ScenarioError(key, list(profile), "at least one value must be above 0")
    _check_locales(s)
    r = s.sellers.review
    if not r.work_start_hour < r.work_end_hour <= 24:
        raise ScenarioError(
            "sellers.review.work_end_hour", r.work_end_hour,
            "working hours need 0 <= work_start_hour < work_end_hour <= 24",
        )
    for i, day in enumerate(r.work_days):
        if day > 6:
            raise ScenarioError(f"sellers.review.work_days[{i}]", day, "weekdays are 0 (Mon)-6")
    if not r.work_days:
        raise ScenarioError("sellers.review.work_days", [], "at least one working day")
    for i, hour in enumerate(r.batch_hours):
        if hour > 23:
            raise ScenarioError(f"sellers.review.batch_hours[{i}]", hour, "hours are 0-23")
    if r.availability <= 0:
        raise ScenarioError("sellers.review.availability", r.availability,
                            "must be greater than 0 (a share of working hours, at most 1)")
    if not r.batch_hours:
        raise ScenarioError("sellers.review.batch_hours", [], "at least one batch hour")


def _check_locales(s: Scenario) -> None:
    """Locales must be Faker's (Faker is imported here, when a scenario is checked, rather
    than when this module is)."""
    from faker.config import AVAILABLE_LOCALES

    for key, mix in (("sellers.locales", s.sellers.locales), ("buyers.locales", s.buyers.locales)):
        for locale in mix:
            if locale not in AVAILABLE_LOCALES:
                raise ScenarioError(f"{key}.{locale}", locale,
                                    "not a Faker locale (for example en_US, de_DE, zh_CN)")


def to_policy(spec: Scenario) -> Policy:
    """The rap/1 policy the scenario sets in the engine."""
    p = spec.policy
    holiday = (
        None
        if p.holiday is None
        else Holiday(p.holiday.ordered_from, p.holiday.ordered_to, p.holiday.return_by)
    )
    return Policy(
        default_window_days=p.default_window_days,
        category_window_days=dict(p.category_window_days),
        non_returnable_categories=p.non_returnable_categories,
        transit_days=p.transit_days,
        holiday=holiday,
        prepaid_exempt_categories=p.prepaid_exempt_categories,
        manual_response_hours=p.manual_response_hours,
        seller_fault_reasons=p.seller_fault_reasons,
    )
