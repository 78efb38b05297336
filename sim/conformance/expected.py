"""The strict expected-failures file of a conformance run.

A team whose implementation knowingly fails some cases lists them, each with a reason::

    [expected_failures]
    win-02 = "we round windows to whole days (ticket RET-123)"
    holiday = "no holiday rule yet"     # a group id covers every row of an outline

A listed case that passes fails the run (the list cannot go stale), and an id that names no
case is an error before anything runs, so a typo cannot silently hide a failure.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

TABLE = "expected_failures"


class ExpectedFailuresError(ValueError):
    """The file cannot be used; the message names the file and the key at fault."""


def load(path: Path) -> dict[str, str]:
    """{case or group id: reason} from the TOML file at ``path``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ExpectedFailuresError(f"{path}: cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ExpectedFailuresError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ExpectedFailuresError(f"{path}: not valid TOML ({exc})") from None
    extra = sorted(set(data) - {TABLE})
    if extra:
        raise ExpectedFailuresError(
            f"{path}: unknown key {extra[0]!r} (the file holds one table, [{TABLE}])"
        )
    table = data.get(TABLE)
    if not isinstance(table, dict):
        raise ExpectedFailuresError(f"{path}: missing table [{TABLE}] (case id = \"reason\")")
    found: dict[str, str] = {}
    for case_id, reason in table.items():
        if not isinstance(reason, str) or not reason.strip():
            raise ExpectedFailuresError(
                f"{path}: {TABLE}.{case_id} must be a non-empty reason string, got {reason!r}"
            )
        found[case_id] = reason
    return found


def check_known(listed: Mapping[str, str], known: Iterable[str], path: Path) -> None:
    """Every listed id must name a case or a group of the suite."""
    known_ids = set(known)
    unknown = sorted(c for c in listed if c not in known_ids)
    if unknown:
        raise ExpectedFailuresError(
            f"{path}: {TABLE}.{unknown[0]} names no case of the suite"
            + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else "")
        )
