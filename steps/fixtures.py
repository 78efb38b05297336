"""The scenario's world: a fresh, reset engine behind the port for every scenario."""

from __future__ import annotations

import pytest

from sim.conformance.steps.world import REFUSED_PREFIX, World
from sim.core.values import Hello
from sim.rap.port import WirePort

OPTIONAL_TAG = "optional-"
"""``@optional-label_details``: the scenario needs an optional feature listed in ``hello``."""


@pytest.fixture
def world(request: pytest.FixtureRequest, rap_port: WirePort, rap_hello: Hello) -> World:
    """Every scenario starts from ``reset``; a scenario needing an optional feature the
    implementation does not offer is skipped as a refusal, not failed."""
    optional = tuple(
        m.name[len(OPTIONAL_TAG):] for m in request.node.iter_markers()
        if m.name.startswith(OPTIONAL_TAG)
    )
    missing = [f for f in optional if f not in rap_hello.optional]
    if missing:
        pytest.skip(
            f"{REFUSED_PREFIX} the implementation's hello does not offer the optional "
            f"feature(s) {', '.join(missing)}"
        )
    rap_port.reset()
    return World(rap_port, rap_hello, optional)
