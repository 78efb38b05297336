"""Which feature folders a conformance run reads, and which of their cases it selects.

A QA engineer writes scenarios in a folder of their own and runs them with the packaged steps
(``conform --features DIR``), beside the packaged suite or alone (``--no-builtin``). Every
folder obeys the same case-id rules, and a case id must be unique across all of them: another
team's expected-failures file names cases by id, so an id that means two scenarios would hide
one of them. Reports name a feature file ``<folder name>/<path inside the folder>``
(``features/zh-CN/core_flows.feature``, ``qa/apparel.feature``), never a path into
site-packages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from _pytest.mark.expression import Expression
from pytest_bdd.exceptions import GherkinParseError

from sim.conformance import FEATURES_DIR
from sim.conformance.cases import Case, CaseError, all_cases

MAX_FEATURE_FILES = 1000
"""Feature files one folder may hold (a mistyped ``--features /`` stops here, not in an hour)."""
MAX_FEATURE_BYTES = 1_000_000
"""Size of one feature file."""


class FolderError(ValueError):
    """A feature folder cannot be used; the message names the folder or the file."""


@dataclass(frozen=True, slots=True)
class FeatureFolder:
    path: Path
    """The folder, resolved."""
    prefix: str
    """How reports name it: the folder's own name, unless two folders share it."""

    def uri(self, filename: str | Path) -> str:
        return f"{self.prefix}/{Path(filename).resolve().relative_to(self.path).as_posix()}"


PACKAGED = FeatureFolder(FEATURES_DIR.resolve(), "features")


def folders_of(extra: Sequence[Path | str], builtin: bool = True) -> tuple[FeatureFolder, ...]:
    """The packaged folder (unless ``builtin`` is false) and each of ``extra``, checked."""
    found = [PACKAGED] if builtin else []
    for given in extra:
        path = Path(given)
        if not path.is_dir():
            raise FolderError(f"--features {given}: not a folder")
        resolved = path.resolve()
        if any(f.path == resolved for f in found):
            continue
        files = list(resolved.rglob("*.feature"))
        if not files:
            raise FolderError(f"--features {given}: no .feature file in this folder")
        if len(files) > MAX_FEATURE_FILES:
            raise FolderError(
                f"--features {given}: {len(files)} feature files, more than the limit of "
                f"{MAX_FEATURE_FILES}"
            )
        for file in files:
            if file.stat().st_size > MAX_FEATURE_BYTES:
                raise FolderError(
                    f"{file}: {file.stat().st_size} bytes, more than the limit of "
                    f"{MAX_FEATURE_BYTES} for one feature file"
                )
        prefix = resolved.name
        if any(f.prefix == prefix for f in found):
            prefix = path.as_posix().strip("/") or resolved.as_posix()
        found.append(FeatureFolder(resolved, prefix))
    if not found:
        raise FolderError("--no-builtin needs at least one --features DIR")
    return tuple(found)


def uri_of(filename: str | Path, folders: Iterable[FeatureFolder]) -> str:
    """A feature file's name in reports; a file outside every folder keeps its own path."""
    resolved = Path(filename).resolve()
    for folder in folders:
        if resolved.is_relative_to(folder.path):
            return folder.uri(resolved)
    return resolved.as_posix()


def collect(folders: Iterable[FeatureFolder]) -> list[Case]:
    """Every case of every folder, in order; a case id used twice is an error naming both."""
    seen: dict[str, Case] = {}
    found: list[Case] = []
    for folder in folders:
        try:
            cases = list(all_cases(folder.path, folder.prefix))
        except GherkinParseError as exc:
            raise FolderError(f"{folder.prefix}: a feature file is not Gherkin: {exc}") from None
        for case in cases:
            first = seen.get(case.case_id)
            if first is not None:
                raise CaseError(
                    f"case id {case.case_id!r} is used twice: {first.feature}:{first.line} "
                    f"and {case.feature}:{case.line} (case ids must be unique across folders)"
                )
            seen[case.case_id] = case
            found.append(case)
    return found


_AT = re.compile(r"(?<![\w-])@(?=\w)")


def normalize_tags(expression: str) -> str:
    """``@C03 and not @holiday`` -> ``C03 and not holiday``: Gherkin spells tags with ``@``,
    pytest's marker expressions without."""
    return _AT.sub("", expression)


def tag_matcher(expression: str) -> Expression:
    """The compiled ``--tags`` expression; a ValueError names what is wrong with it."""
    try:
        return Expression.compile(normalize_tags(expression))
    except SyntaxError as exc:
        raise ValueError(f"--tags {expression!r}: not a tag expression ({exc})") from None


def select(cases: Iterable[Case], tags: str | None, ids: Sequence[str]) -> list[Case]:
    """The cases a run with ``--tags`` and ``--case`` would run (the same rule the plugin
    applies to pytest items: a case's markers are its tags and its id)."""
    matcher = tag_matcher(tags) if tags else None
    chosen = []
    for case in cases:
        if matcher is not None and not matcher.evaluate(_has(case.tags | {case.case_id})):
            continue
        if ids and case.case_id not in ids and case.group not in ids:
            continue
        chosen.append(case)
    return chosen


def _has(names: frozenset[str]) -> Callable[..., bool]:
    def matches(name: str, /, **_: object) -> bool:
        return name in names

    return matches
