"""Reach an implementation before a run: connect and ask ``hello``, once.

An implementation that cannot be started or reached, or dies or refuses at ``hello``, stops a
run at once with one clear message (exit 2), instead of failing every case or example one by
one after a timeout each.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sim.core.errors import EngineError
from sim.core.port import ImplementationFailure
from sim.core.values import Hello
from sim.rap.clients import connect
from sim.rap.port import WirePort

STARTUP_S = 30.0
"""How long a (re)started implementation may take to give its first answer: starting a
process can take longer than answering a request."""


@contextmanager
def startup_allowance(port: WirePort) -> Iterator[None]:
    """Within this block, requests to ``port`` may take up to :data:`STARTUP_S` (for the
    clients that have a ``timeout``; others are left as they are)."""
    old = getattr(port, "timeout", None)
    if not isinstance(old, int | float):
        yield
        return
    port.timeout = max(old, STARTUP_S)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        port.timeout = old  # type: ignore[attr-defined]


class Unreachable(Exception):
    """The implementation cannot be used at all (the message says why)."""


def reach(spec: str, timeout: float) -> tuple[WirePort, Hello]:
    """A connected port and its ``hello``; :class:`Unreachable` or ``ValueError`` (a bad
    spec) otherwise."""
    port = connect(spec, timeout=timeout)
    try:
        with startup_allowance(port):
            hello = port.hello()
    except (ImplementationFailure, EngineError) as exc:
        port.close_port()
        raise Unreachable(f"the implementation {spec} does not answer hello: {exc}") from None
    except BaseException:
        port.close_port()
        raise
    return port, hello


def reach_or_problem(spec: str, timeout: float) -> tuple[WirePort, Hello] | str:
    """:func:`reach` for commands: the port and its hello, or the message to print."""
    try:
        return reach(spec, timeout)
    except ValueError as exc:
        return f"--impl: {exc}"
    except Unreachable as exc:
        return str(exc)
