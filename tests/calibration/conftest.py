"""One small simulated run with known answers, calibrated once per session."""

from __future__ import annotations

import pytest
from calibration_runs import RoundTrip, make_round_trip


@pytest.fixture(scope="session")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    return make_round_trip(tmp_path_factory.mktemp("roundtrip"))
