"""Sweeps: ``--vary KEY=V1,V2,...`` options turned into the full grid of scenarios.

Any key path of the scenario can be varied (``policy.default_window_days``,
``sellers.review.reviewers_professional``...). A key that does not exist is refused with the
nearest existing keys; each value is read as a TOML value (``45``, ``0.5``, ``true``,
``[0, 1, 2]``, ``"text"``; a bare word is a string) and every grid point is checked as a
scenario before anything runs, so a value of the wrong type is refused up front.
"""

from __future__ import annotations

import copy
import difflib
import itertools
import tomllib
from collections.abc import Mapping, Sequence
from typing import Any

from sim.experiments.design import MAX_SCENARIOS, ExperimentError, ScenarioCase, case_of
from sim.experiments.toml_text import scalar
from sim.model.scenario import ScenarioError


def key_paths(tree: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Every dotted key path of a tree, tables and leaves."""
    paths: list[str] = []
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        paths.append(path)
        if isinstance(value, Mapping):
            paths += key_paths(value, path)
    return paths


def _split(text: str) -> list[str]:
    """Split on commas outside brackets, braces and quotes (``[0,1],[2,3]`` is two values)."""
    parts, depth, quote, current = [], 0, "", ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += ch
    parts.append(current.strip())
    return parts


def parse_value(text: str) -> Any:
    """A value as TOML reads it; a bare word that is not TOML is a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def parse_vary(option: str, tree: Mapping[str, Any]) -> tuple[str, tuple[Any, ...]]:
    """``KEY=V1,V2,...`` -> (key, values), the key checked against the scenario's keys."""
    key, sep, values_text = option.partition("=")
    key = key.strip()
    if not sep or not key or not values_text.strip():
        raise ExperimentError(
            f"--vary {option!r}: expected KEY=V1,V2,... (e.g. policy.default_window_days=30,45,60)"
        )
    paths = key_paths(tree)
    if key not in paths:
        near = difflib.get_close_matches(key, paths, n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(near)}?" if near else (
            "scenario keys are dotted paths like policy.default_window_days "
            "(docs/scenarios.md lists them)")
        raise ExperimentError(f"--vary {key}: no such scenario key; {hint}")
    values = [parse_value(v) for v in _split(values_text)]
    if any(v == "" for v in values):
        raise ExperimentError(f"--vary {key}: an empty value in {values_text!r}")
    if len({scalar(v) for v in values}) != len(values):
        raise ExperimentError(f"--vary {key}: a value is given twice in {values_text!r}")
    return key, tuple(values)


def _set(tree: dict[str, Any], key: str, value: Any) -> None:
    node = tree
    *parents, leaf = key.split(".")
    for part in parents:
        node = node[part]
    node[leaf] = value


def _label(key: str, vary: Sequence[tuple[str, Any]]) -> str:
    leaf = key.rsplit(".", 1)[-1]
    clash = sum(1 for k, _ in vary if k.rsplit(".", 1)[-1] == leaf) > 1
    return key if clash else leaf


def _show(value: Any) -> str:
    return value if isinstance(value, str) else scalar(value)


def grid_cases(tree: Mapping[str, Any], name: str, source: str,
               vary: Sequence[tuple[str, tuple[Any, ...]]]) -> tuple[ScenarioCase, ...]:
    """Every combination of the values (the first key varies slowest), each a checked
    scenario named ``<name>[leaf=value,...]``; the first point is the grid's base."""
    keys = [k for k, _ in vary]
    if len(set(keys)) != len(keys):
        raise ExperimentError(f"--vary: a key is given twice ({', '.join(keys)})")
    size = 1
    for _, values in vary:
        size *= len(values)
    if size > MAX_SCENARIOS:
        raise ExperimentError(f"--vary: the grid has {size} points; at most {MAX_SCENARIOS}")
    cases = []
    for combo in itertools.product(*[values for _, values in vary]):
        point = dict(zip(keys, combo, strict=True))
        point_tree = copy.deepcopy(dict(tree))
        for key, value in point.items():
            _set(point_tree, key, value)
        label = ",".join(f"{_label(k, list(point.items()))}={_show(v)}" for k, v in point.items())
        try:
            cases.append(case_of(point_tree, f"{name}[{label}]", source, point))
        except ScenarioError as exc:
            raise ExperimentError(f"--vary {label}: {exc}") from None
        except ValueError as exc:  # the TOML writer refused a value
            raise ExperimentError(f"--vary {label}: {exc}") from None
    return tuple(cases)
