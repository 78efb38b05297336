"""A scenario's settings as a flat list of knobs, and what differs from the bundled baseline.

A scenario file states only what it changes, read over ``baseline.toml``; a copy of the
baseline with one knob changed states everything. Either way the page shows the knobs whose
merged value differs from the bundled baseline's, so a reader sees the what-if at a glance.
"""

from __future__ import annotations

import dataclasses
import hashlib
import tomllib
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from sim.model.scenario import BASELINE, merge
from sim.model.scenario_spec import Lognormal, Scenario, Uniform

_MISSING = "(not set)"


@dataclass(frozen=True)
class Difference:
    key: str
    baseline: str
    values: tuple[str, ...]  # one per scenario compared


def baseline_bytes() -> bytes:
    return (resources.files("sim") / "scenarios" / f"{BASELINE}.toml").read_bytes()


def baseline_sha256() -> str:
    return hashlib.sha256(baseline_bytes()).hexdigest()


def merged(data: bytes) -> dict[str, Any]:
    """The scenario's TOML read over the bundled baseline, as the loader reads it.
    Raises ValueError (a TOML or UTF-8 error) for bytes that are not a scenario file."""
    base = tomllib.loads(baseline_bytes().decode("utf-8"))
    return merge(base, tomllib.loads(data.decode("utf-8")), Scenario)


_LEAF_TABLES = (Uniform, Lognormal)  # a band or a distribution reads as one knob


def _section(tp: Any) -> Any:
    """The dataclass whose fields are knobs of their own (``X`` or ``X | None``), else None."""
    union = typing.get_origin(tp) in (types.UnionType, typing.Union)
    for candidate in (tp, *(typing.get_args(tp) if union else ())):
        if dataclasses.is_dataclass(candidate) and candidate not in _LEAF_TABLES:
            return candidate
    return None


def flatten(tree: Mapping[str, Any], tp: Any = Scenario, prefix: str = "") -> dict[str, Any]:
    """Dotted keys to knob values, split the way the schema splits sections (a category's
    table, [sellers.review]...); a mix, a band or a distribution stays one knob."""
    hints = typing.get_type_hints(tp) if tp is not None else {}
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        sub = hints.get(key)
        section = _section(sub)
        entry = typing.get_args(sub)[1] if typing.get_origin(sub) in (Mapping, dict) else None
        if isinstance(value, Mapping) and section is not None:
            flat.update(flatten(value, section, path))
        elif isinstance(value, Mapping) and _section(entry) is not None:
            for name, table in value.items():
                if isinstance(table, Mapping):
                    flat.update(flatten(table, entry, f"{path}.{name}"))
                else:
                    flat[f"{path}.{name}"] = table
        else:
            flat[path] = value
    return flat


def show(value: Any) -> str:
    """A knob's value the way the TOML file writes it."""
    if value is _MISSING:
        return _MISSING
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {show(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


def differences(scenarios: Sequence[Mapping[str, Any]]) -> list[Difference]:
    """The knobs where any of ``scenarios`` (merged trees) differs from the bundled baseline,
    in the baseline file's order (knobs the baseline lacks last)."""
    base = flatten(merged(b""))
    flats = [flatten(s) for s in scenarios]
    keys = list(base) + sorted({k for f in flats for k in f} - set(base))
    found = []
    for key in keys:
        before = base.get(key, _MISSING)
        values = [f.get(key, _MISSING) for f in flats]
        if any(v != before for v in values):
            found.append(Difference(key, show(before), tuple(show(v) for v in values)))
    return found
