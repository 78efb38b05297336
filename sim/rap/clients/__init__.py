"""Engine ports from a spec: the reference engine in-process, or another implementation
speaking rap/1 over stdio or HTTP. Every port is a :class:`~sim.rap.port.WirePort`."""

from __future__ import annotations

import shlex

from sim.rap.clients.http import HttpClient
from sim.rap.clients.stdio import StdioClient
from sim.rap.clients.wire import WireClient
from sim.rap.inprocess import reference
from sim.rap.port import WirePort

__all__ = ["HttpClient", "StdioClient", "WireClient", "connect"]


def connect(spec: str, timeout: float = 5.0) -> WirePort:
    """An engine port from a spec: ``reference`` (in-process), ``cmd:<command line>`` (a
    subprocess speaking stdio, split like a shell would but run without one) or
    ``http://HOST:PORT`` (a server)."""
    if spec == "reference":
        return reference()
    try:
        if spec.startswith("cmd:"):
            argv = shlex.split(spec[len("cmd:"):])
            if not argv:
                raise ValueError("no command after cmd:")
            return StdioClient(argv, timeout)
        if spec.startswith("http://"):
            return HttpClient(spec, timeout)
    except ValueError as exc:  # shlex's "No closing quotation", a bad port, ...
        raise ValueError(f"bad engine spec {spec!r}: {exc}") from None
    raise ValueError(
        f"bad engine spec {spec!r}: expected 'reference', 'cmd:<command line>' or "
        "'http://HOST:PORT'"
    )
