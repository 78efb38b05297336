"""``trace.ndjson``: every rap/1 request of a run and the response it got, one pair per line.

The tracing port turns each typed call into its rap/1 request, sends it through the wrapped
port's ``execute`` (so the in-process engine, a subprocess and a server are traced alike) and
reads the typed answer back with the same codec the clients use. A trace can therefore be
replayed against any implementation by sending its ``request`` objects in order and comparing
the responses (rap/1's comparison rules: Amazon RMA numbers by shape and uniqueness only).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.core.port import EnginePort
from sim.rap.clients import WireClient
from sim.rap.envelope import dumps
from sim.rap.inprocess import as_wire_port


class TracingPort(WireClient):
    """An :class:`EnginePort` that records each exchange with the port it wraps."""

    def __init__(self, inner: EnginePort, path: Path) -> None:
        super().__init__()
        self.inner = as_wire_port(inner)
        self._file = path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20)

    def _exchange(self, request: Mapping[str, Any]) -> Any:
        response = self.inner.execute(request)
        self._file.write(dumps({"request": dict(request), "response": response}))
        self._file.write("\n")
        return response

    def close_port(self) -> None:
        self._file.close()
        self.inner.close_port()
