"""Case ids and tag families of the features: what a scenario (or one row of an outline) is.

A scenario is tagged ``@case-<id>``; a Scenario Outline's tag names the group, and each row of
its Examples table carries its own id in a ``case`` column that starts with the group's id
(``@case-win`` -> ``win-01``). So a team can run, skip or expect-to-fail one row, or a whole
outline by its group id. Other tags name what a scenario checks: clauses ``@C01``-``@C16`` of
the policy, rules ``@R01``-``@R11`` and error codes ``@error-<code>`` of rap/1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from pytest_bdd.feature import get_features
from pytest_bdd.parser import ScenarioTemplate, render_string

from sim.core.errors import ErrorCode

CASE_TAG = "case-"
CLAUSES = tuple(f"C{i:02d}" for i in range(1, 17))
RULES = tuple(f"R{i:02d}" for i in range(1, 12))
ERROR_TAGS = tuple(f"error-{code.value}" for code in ErrorCode)

_CLAUSE_LIKE = re.compile(r"[CRcr]\d+")
# Every other tag is a free label: an area (`@windows`, `@apparel`), `@optional-<feature>`,
# `@transport-raw`, a language (`@zh-CN`). QA teams add areas freely; only what looks like a
# clause, rule or error code must name a real one.
_FREE_TAG = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@dataclass(frozen=True, slots=True)
class Case:
    """One runnable case: a scenario, or one Examples row of an outline."""

    case_id: str
    group: str
    feature: str
    """Where the scenario is, as reports name it: ``features/zh-CN/x.feature`` (see folders)."""
    scenario: str
    tags: frozenset[str]
    line: int = 0
    """The line of the scenario (or of its Examples row) in the feature file."""

    @property
    def clauses(self) -> tuple[str, ...]:
        """The clause and rule ids it checks (``C03``, ``R05``), in order."""
        return tuple(sorted(t for t in self.tags if t in CLAUSES or t in RULES))


class CaseError(ValueError):
    """The features break the case-id conventions (a suite bug, reported before any run)."""


def group_id(tags: Iterable[str]) -> str | None:
    found = [t[len(CASE_TAG):] for t in tags if t.startswith(CASE_TAG)]
    if len(found) > 1:
        raise CaseError(f"more than one case tag: {sorted(found)}")
    return found[0] if found else None


def case_of(
    template: ScenarioTemplate, example: Mapping[str, str] | None, uri: str | None = None
) -> Case:
    """The case an item runs: its scenario's tags plus, for an outline row, the row's id.
    ``uri`` is how reports name the feature file (default: pytest-bdd's relative name)."""
    tags = frozenset(template.tags) | frozenset(template.feature.tags)
    group = group_id(tags)
    uri = uri or template.feature.rel_filename
    where = f"{uri}:{template.line_number}: {template.name!r}"
    if group is None:
        raise CaseError(f"{where} has no @case- tag")
    case_id = group
    if template.examples:
        row_id = (example or {}).get("case")
        if not row_id:
            raise CaseError(f"{where}: each Examples row needs its id in a 'case' column")
        if not row_id.startswith(group + "-"):
            raise CaseError(f"{where}: row id {row_id!r} must start with '{group}-'")
        case_id = row_id
    name = render_string(template.name, example) if example else template.name
    return Case(case_id, group, uri, name, tags, template.line_number)


def all_cases(features_dir: Path, prefix: str | None = None) -> Iterator[Case]:
    """Every case of every feature under ``features_dir``, in file order. Their ``feature`` is
    ``<prefix>/<path in the folder>`` (``prefix`` defaults to the folder's name)."""
    root = Path(features_dir).resolve()
    prefix = root.name if prefix is None else prefix
    for feature in sorted(get_features([str(root)]), key=lambda f: f.filename):
        uri = f"{prefix}/{Path(feature.filename).resolve().relative_to(root).as_posix()}"
        for template in feature.scenarios.values():
            if template.examples:
                for examples in template.examples:
                    for row in examples.as_contexts():
                        yield case_of(template, row, uri)
            else:
                yield case_of(template, None, uri)


def unknown_tags(tags: Iterable[str]) -> list[str]:
    """Tags that look like a clause, rule or error code but name none (``@C17``, ``@R1``,
    ``@error-made_up``), or are not a plain label. A new area (``@apparel``) is fine."""
    bad = []
    for tag in tags:
        if tag.startswith(CASE_TAG) or tag in CLAUSES or tag in RULES or tag in ERROR_TAGS:
            continue
        if (_CLAUSE_LIKE.fullmatch(tag) or tag.startswith("error-")
                or not _FREE_TAG.fullmatch(tag)):
            bad.append(tag)
    return sorted(bad)
