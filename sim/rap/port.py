"""The wire port: an engine port that also takes raw rap/1 requests.

The core's :class:`~sim.core.port.EnginePort` is typed and knows nothing of the wire. What
typed methods cannot express (a wrong type, an unknown field, a made-up op) goes through
:meth:`WirePort.execute`, which takes and returns raw rap/1 envelopes: the tracing port, the
conformance steps that send broken requests and ``conform`` need it. Every port
:func:`sim.rap.clients.connect` returns is a wire port, the in-process engine included.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from sim.core.port import EnginePort


@runtime_checkable
class WirePort(EnginePort, Protocol):
    def execute(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """Send one raw rap/1 request object; return the raw response envelope."""
        ...
