"""Reach an implementation before a run: connect and ask ``hello``, once.

An implementation that cannot be started or reached, or dies or refuses at ``hello``, stops a
run at once with one clear message (exit 2), instead of failing every case or example one by
one after a timeout each.
"""

from __future__ import annotations

from sim.core.errors import EngineError
from sim.core.port import EnginePort, ImplementationFailure
from sim.core.values import Hello
from sim.rap.clients import connect


class Unreachable(Exception):
    """The implementation cannot be used at all (the message says why)."""


def reach(spec: str, timeout: float) -> tuple[EnginePort, Hello]:
    """A connected port and its ``hello``; :class:`Unreachable` or ``ValueError`` (a bad
    spec) otherwise."""
    port = connect(spec, timeout=timeout)
    try:
        hello = port.hello()
    except (ImplementationFailure, EngineError) as exc:
        port.close_port()
        raise Unreachable(f"the implementation {spec} does not answer hello: {exc}") from None
    except BaseException:
        port.close_port()
        raise
    return port, hello
