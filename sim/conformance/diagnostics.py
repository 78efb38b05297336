"""Messages a QA engineer can act on when a feature file uses a phrase or a key that does not
exist: where (file and line), what, and the nearest known phrases or keys, in the language of
the feature (a Chinese feature gets a Chinese message). No Python traceback: the mistake is in
the feature, not in the code.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from functools import cache
from typing import Any

from sim.conformance.phrases_catalogue import KEYWORDS, catalogue, known_lines
from sim.conformance.steps.vocabulary import PhraseError

NEAREST = 3
"""How many suggestions a message gives."""

_WHAT_ZH = {
    "seller setting": "卖家设置",
    "marketplace setting": "平台设置",
    "authorization choice": "授权选项",
    "notification": "通知",
}


def is_chinese(language: str | None) -> bool:
    return (language or "").lower().startswith("zh")


def nearest_phrases(text: str, step_type: str | None, language: str | None) -> list[str]:
    """The known phrases closest to ``text``, as lines with their keyword, in the feature's
    language (one line per phrase): real lines of the packaged features, then wordings."""
    lang = "zh-CN" if is_chinese(language) else "en"
    candidates = _candidates(lang, step_type)
    close = difflib.get_close_matches(text, list(candidates), n=NEAREST * 6, cutoff=0.5)
    found: dict[str, str] = {}
    for match in close:
        shown, phrase = candidates[match]
        found.setdefault(phrase, shown)
    return list(found.values())[:NEAREST]


@cache
def _candidates(lang: str, step_type: str | None) -> dict[str, tuple[str, str]]:
    """{text: (line to show, the phrase it belongs to)}."""
    phrases = [p for p in catalogue() if p.language == lang]
    candidates: dict[str, tuple[str, str]] = {}
    for line_lang, kind, body in known_lines():
        owner = next((p for p in phrases if p.matches(body)), None)
        if line_lang == lang and owner is not None:
            candidates.setdefault(
                body, (f"{KEYWORDS[lang].get(kind, '*')} {body}", owner.location + owner.pattern)
            )
    for phrase in phrases:
        kinds = [k for k in phrase.keywords if k == step_type] or list(phrase.keywords)
        candidates.setdefault(phrase.wording, (f"{KEYWORDS[lang][kinds[0]]} {phrase.wording}",
                                               phrase.location + phrase.pattern))
    return candidates


def undefined_step(where: str, step: Any, language: str | None) -> str:
    """``features/x.feature:12: unknown phrase: Given ...`` and the nearest known ones."""
    near = nearest_phrases(step.name, step.type, language)
    said = f"{step.keyword.strip()} {step.name}"
    if is_chinese(language):
        lines = [f"{where}：未知的步骤用语：{said}"]
        lines += (["最接近的已知用语："] + [f"    {n}" for n in near]) if near else []
        lines.append("全部用语见 `returns-sim conform --phrases`。")
    else:
        lines = [f"{where}: unknown phrase: {said}"]
        lines += (["nearest known phrases:"] + [f"    {n}" for n in near]) if near else []
        lines.append("every phrase: `returns-sim conform --phrases`")
    return "\n".join(lines)


def bad_phrase(where: str, step: Any, error: PhraseError, language: str | None) -> str:
    """A value or a table key the phrase does not understand, with the nearest known keys."""
    said = f"{step.keyword.strip()} {step.name}"
    if error.unknown is None:
        if is_chinese(language):
            return f"{where}：{said}\n无法理解：{error}"
        return f"{where}: {said}\n{error}"
    where = _row_line(where, step, error.unknown)
    near = difflib.get_close_matches(error.unknown, error.known, n=NEAREST, cutoff=0.4)
    if is_chinese(language):
        what = _WHAT_ZH.get(error.what, error.what)
        lines = [f"{where}：未知的{what} {error.unknown!r}（步骤：{said}）"]
        if near:
            lines.append("最接近的：" + "，".join(repr(k) for k in near))
        lines.append("可用的：" + "，".join(repr(k) for k in error.known))
    else:
        lines = [f"{where}: unknown {error.what} {error.unknown!r} (in: {said})"]
        if near:
            lines.append("nearest: " + ", ".join(repr(k) for k in near))
        lines.append("known: " + ", ".join(repr(k) for k in error.known))
    return "\n".join(lines)


def _row_line(where: str, step: Any, key: str) -> str:
    """``file:line`` of the table row holding ``key`` (the step's own line if none does)."""
    table = getattr(step, "datatable", None)
    if table is None or ":" not in where:
        return where
    path = where.rsplit(":", 1)[0]
    for row in table.rows:
        if any(cell.value.strip() == key for cell in row.cells):
            return f"{path}:{row.location.line}"
    return where


def no_traceback(verbose: int, message: str, traceback: str | None) -> str:
    """The message alone, or with the traceback under it when the run is verbose."""
    if verbose > 0 and traceback:
        return f"{message}\n\n{traceback}"
    return message


def suggestion_lines(values: Sequence[str], known: Sequence[str]) -> list[str]:
    """For option values (``--case win-99``): the nearest known ids."""
    found: list[str] = []
    for value in values:
        found += difflib.get_close_matches(value, known, n=NEAREST, cutoff=0.6)
    return found
