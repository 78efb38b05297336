"""Scenario trees to TOML text and back, so the folder keeps each scenario exactly as run.

Python's standard library reads TOML but does not write it; a scenario holds only tables,
arrays of scalars, strings, numbers, booleans and dates, which this small writer covers (it
refuses anything else rather than write something ``tomllib`` would read differently).
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sim.model.scenario import ScenarioError

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def loads_toml(text: str, source: str = "<scenario>") -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError("scenario", source, f"not valid TOML ({exc})") from None


def _key(key: str) -> str:
    return key if _BARE.match(key) else json.dumps(key, ensure_ascii=False)


def scalar(value: Any) -> str:
    """One TOML value on one line (tables inline)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"TOML writer: a scenario value must be finite, got {value!r}")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        raise ValueError(f"TOML writer: date-times are not scenario values, got {value!r}")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {scalar(v)}" for k, v in value.items()) + " }"
    raise ValueError(f"TOML writer: unsupported value {value!r}")


def _is_section(value: Any) -> bool:
    """A table written as a [section]: one that holds another table (flat tables are inline,
    as the bundled scenarios write them)."""
    return isinstance(value, Mapping) and any(isinstance(v, Mapping) for v in value.values())


def dumps_toml(tree: Mapping[str, Any]) -> str:
    """A tree as TOML text; ``tomllib.loads(dumps_toml(t)) == t`` for every scenario tree."""
    lines: list[str] = []

    def table(node: Mapping[str, Any], path: list[str]) -> None:
        plain = [(k, v) for k, v in node.items() if not _is_section(v)
                 and not (path == [] and isinstance(v, Mapping))]
        if path:
            lines.append(f"[{'.'.join(_key(p) for p in path)}]")
        lines.extend(f"{_key(k)} = {scalar(v)}" for k, v in plain)
        if path or plain:
            lines.append("")
        for k, v in node.items():
            if _is_section(v) or (path == [] and isinstance(v, Mapping)):
                table(v, [*path, k])

    table(tree, [])
    return "\n".join(lines).rstrip("\n") + "\n"
