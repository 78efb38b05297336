"""Building return records fast: the engine's hottest path (see bench/engine_ops.py).

:class:`ReturnRecord` is frozen and not slotted, so a new record is a copy of another's
``__dict__`` with some fields changed, several times faster than ``dataclasses.replace``.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sim.core.values import ReturnRecord


def evolve(record: ReturnRecord, **changes: Any) -> ReturnRecord:
    """A copy of a (frozen) record with some fields changed."""
    new = object.__new__(ReturnRecord)
    state = new.__dict__
    state.update(record.__dict__)
    state.update(changes)
    return new


BLANK = object.__new__(ReturnRecord)
BLANK.__dict__.update(dict.fromkeys(f.name for f in fields(ReturnRecord)))
"""Every field present (``None``), so a record built from it by :func:`evolve` can miss none
it does not set: the engine sets every field that is not ``None`` for a new request."""
