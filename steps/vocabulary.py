"""What a step accepts: the error for words it does not understand, and the table it takes.

Kept apart from the phrases themselves so the phrase catalogue (``docs/phrases.md``) and the
runner's messages can read them without knowing how a phrase is parsed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar


class PhraseError(ValueError):
    """A phrase in a feature file that the steps do not understand (a bug in the feature).

    For an unknown table key, ``unknown`` is the key, ``known`` the keys that would be right and
    ``what`` what they are ("seller setting"), so the runner can suggest the nearest ones in
    the feature's language."""

    def __init__(
        self, message: str, *, unknown: str | None = None, known: Sequence[str] = (),
        what: str = "",
    ) -> None:
        super().__init__(message)
        self.unknown = unknown
        self.known = tuple(known)
        self.what = what


@dataclass(frozen=True, slots=True)
class TableSpec:
    """The table a step takes: its header, and the values its key column accepts (empty: any
    value). The phrase catalogue (``docs/phrases.md``) lists them for every step."""

    header: tuple[str, ...]
    keys: tuple[str, ...] = ()
    key_column: str = ""
    """The column whose values must be one of ``keys`` (default: the first)."""


F = TypeVar("F", bound=Callable[..., object])


def takes_table(spec: TableSpec) -> Callable[[F], F]:
    """Mark a step function with the table it takes (read by the phrase catalogue)."""

    def mark(func: F) -> F:
        func.table_spec = spec  # type: ignore[attr-defined]
        return func

    return mark
