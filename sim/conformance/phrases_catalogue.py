"""The phrase catalogue: every step phrase the features may use, read from the step definitions.

A QA engineer writing a scenario needs the exact wording of every phrase, what its parameters
are, one real line that uses it, and the keys its table accepts. All of that is read here from
the step definitions themselves (their patterns, their ``takes_table`` marks) and from the
packaged features (the first line that uses each phrase), so ``docs/phrases.md`` and
``conform --phrases`` cannot drift from the steps: a test regenerates the file and compares.
The same list gives the nearest phrases when a feature uses one that does not exist.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pytest_bdd.feature import get_features
from pytest_bdd.parser import Step
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

from sim.conformance import FEATURES_DIR
from sim.conformance.steps import STEP_MODULES
from sim.conformance.steps.vocabulary import TableSpec

KEYWORDS = {
    "en": {"given": "Given", "when": "When", "then": "Then"},
    "zh-CN": {"given": "假如", "when": "当", "then": "那么"},
}
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_NAMED = re.compile(r"\(\?P<(?P<name>\w+)>")


@dataclass(frozen=True, slots=True)
class Phrase:
    """One step definition as a QA engineer reads it."""

    language: str
    keywords: tuple[str, ...]
    """``given``, ``when``, ``then`` (a function may answer to several)."""
    pattern: str
    """The regular expression pytest-bdd matches (or the literal text)."""
    wording: str
    """The pattern with each parameter shown as ``<name>``."""
    parameters: tuple[tuple[str, str], ...]
    """(name, what it accepts) per parameter, in order."""
    example: str | None
    """A line of the packaged features that uses the phrase (keyword and text)."""
    table: TableSpec | None
    location: str
    """``sim/conformance/steps/marketplace.py:75``."""

    def matches(self, text: str) -> bool:
        return re.fullmatch(self.pattern, text) is not None

    def keyword_line(self) -> str:
        names = KEYWORDS[self.language]
        return " / ".join(names[k] for k in self.keywords) + " " + self.wording


def _contexts() -> Iterator[tuple[StepFunctionContext, Callable[..., object]]]:
    for name in STEP_MODULES:
        importlib.import_module(name)
    for context in list(step_function_context_registry.values()):
        func = context.step_func
        if getattr(func, "__module__", "") in STEP_MODULES:
            yield context, func


@cache
def catalogue() -> tuple[Phrase, ...]:
    """Every phrase, in the order of the step modules and their source lines."""
    from sim.conformance.recording import definition_location

    grouped: dict[tuple[str, str], tuple[list[str], Callable[..., object]]] = {}
    for context, func in _contexts():
        pattern = _pattern_of(context)
        key = (definition_location(func), pattern)
        kinds, _ = grouped.setdefault(key, ([], func))
        if context.type not in kinds and context.type is not None:
            kinds.append(context.type)
    examples = _examples()
    phrases = []
    for (location, pattern), (kinds, func) in grouped.items():
        language = "zh-CN" if _CJK.search(pattern) else "en"
        ordered = tuple(k for k in ("given", "when", "then") if k in kinds)
        example = next(
            (f"{KEYWORDS[language][step.type]} {step.name}" for step in examples
             if step.type in ordered and re.fullmatch(pattern, step.name)), None
        )
        phrases.append(Phrase(
            language, ordered, pattern, wording(pattern), parameters(pattern), example,
            getattr(func, "table_spec", None), location,
        ))
    phrases.sort(key=lambda p: (STEP_MODULES.index(_module_of(p.location)), _line(p.location)))
    return tuple(phrases)


@cache
def known_lines() -> tuple[tuple[str, str, str], ...]:
    """(language, keyword type, text) of every distinct step line of the packaged features:
    real sentences, the best material for "did you mean"."""
    seen: dict[tuple[str, str, str], None] = {}
    for step in _examples():
        language = "zh-CN" if _CJK.search(step.name) else "en"
        seen.setdefault((language, step.type, step.name), None)
    return tuple(seen)


def _pattern_of(context: StepFunctionContext) -> str:
    regex = getattr(context.parser, "regex", None)
    if regex is not None:
        return str(regex.pattern)
    return re.escape(str(context.parser.name))


def _module_of(location: str) -> str:
    return location.rsplit(":", 1)[0].removesuffix(".py").replace("/", ".")


def _line(location: str) -> int:
    return int(location.rsplit(":", 1)[1])


def _examples() -> list[Step]:
    """Every step of the packaged features (outlines rendered with their first row)."""
    found: list[Step] = []
    for feature in get_features([str(FEATURES_DIR)]):
        for template in feature.scenarios.values():
            rows = [row for ex in template.examples for row in ex.as_contexts()]
            scenario = template.render(rows[0] if rows else {})
            found.extend(scenario.steps)
    return found


# --------------------------------------------------------------------------- wording


def _groups(pattern: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, name, inner) of each top-level named group of ``pattern``."""
    for m in _NAMED.finditer(pattern):
        depth, i = 1, m.end()
        while i < len(pattern) and depth:
            if pattern[i] == "\\":
                i += 2
                continue
            depth += {"(": 1, ")": -1}.get(pattern[i], 0)
            i += 1
        yield m.start(), i, m.group("name"), pattern[m.end():i - 1]


def wording(pattern: str) -> str:
    """``an? (?P<plan>professional|individual) seller "(?P<seller_id>[^"]+)"`` ->
    ``a/an <plan> seller "<seller_id>"``."""
    out, last = [], 0
    for start, end, name, _ in _groups(pattern):
        if start < last:
            continue
        out.append(pattern[last:start])
        out.append(f"<{name}>")
        last = end
    out.append(pattern[last:])
    text = "".join(out)
    text = re.sub(r"\ban\?", "a/an", text)
    text = re.sub(r"\(\?:([^()]*)\)\?", r"[\1]", text)
    text = re.sub(r"\(\?:([^()]*)\)", r"(\1)", text)
    text = re.sub(r"s\?\b", "(s)", text)
    return text.replace("\\", "")


def parameters(pattern: str) -> tuple[tuple[str, str], ...]:
    found = []
    seen: set[str] = set()
    for _, _, name, inner in _groups(pattern):
        if name in seen:
            continue
        seen.add(name)
        found.append((name, _accepts(inner)))
    return tuple(found)


def _accepts(inner: str) -> str:
    if re.fullmatch(r"[\w ,'-]+(\|[\w ,'-]+)+", inner):
        return "one of: " + ", ".join(f"`{v}`" for v in inner.split("|"))
    if inner in (r"\d+", r"-?\d+"):
        return "a whole number"
    if inner in (r'[^"]+', r'[^"]*'):
        return "any text without a double quote"
    if "after|before" in inner or "delivery|the request" in inner:
        return "a time: `30 days after delivery`, `2 hours after the request`, " \
               "`on 2026-03-05 at 10:00:00`"
    if "送达|申请" in inner:
        return "a time: `送达后 30 天零 1 秒`, `申请后 2 小时`, `于 2026-03-05 10:00:00`"
    if inner.startswith(r"\d{4}"):
        return "a date and time: `2026-03-05 at 10:00:00`"
    if inner == r"\S+":
        return "one word (a date like `2026-11-01`)"
    if inner in ("[a-z_]+",):
        return "an error code of rap/1 (`too_early`, `unknown_return`, ...)"
    return "text"


# --------------------------------------------------------------------------- rendering


def render(phrases: Iterable[Phrase] | None = None) -> str:
    """The catalogue as Markdown (``docs/phrases.md``)."""
    phrases = tuple(catalogue() if phrases is None else phrases)
    lines = [
        "# Step phrases (generated)",
        "",
        "Every phrase the packaged steps understand, generated from the step definitions by",
        "`returns-sim conform --phrases` (do not edit by hand; a test regenerates this file and",
        "fails when it differs). `<name>` is a parameter; `[x]` is optional; `a/an`, `(s)` and",
        "`(a|b)` are the spellings the phrase accepts. *And* and *But* continue the keyword",
        "before them. The example is a real line of the packaged features.",
        "",
    ]
    for language, title in (("en", "English"), ("zh-CN", "中文 (`# language: zh-CN`)")):
        chosen = [p for p in phrases if p.language == language]
        lines += [f"## {title}: {len(chosen)} phrases", ""]
        module = ""
        for phrase in chosen:
            here = _module_of(phrase.location).rsplit(".", 1)[1]
            if here != module:
                module = here
                lines += [f"### `{here}`", ""]
            lines += _entry(phrase)
    return "\n".join(lines).rstrip() + "\n"


def _entry(phrase: Phrase) -> list[str]:
    lines = [f"- `{phrase.keyword_line()}`"]
    for name, accepts in phrase.parameters:
        lines.append(f"  - `<{name}>`: {accepts}")
    if phrase.table is not None:
        lines.append(f"  - table: `| {' | '.join(phrase.table.header)} |`")
        if phrase.table.keys:
            column = phrase.table.key_column or phrase.table.header[0]
            keys = ", ".join(f"`{k}`" for k in phrase.table.keys)
            lines.append(f"  - `{column}` is one of: {keys}")
    if phrase.example is not None:
        lines.append(f"  - example: `{phrase.example}`")
    lines.append(f"  - defined in `{phrase.location}`")
    return lines


def docs_path(repo: Path) -> Path:
    return repo / "docs" / "phrases.md"
