"""Tracking numbers, written shape by shape for the returns of each carrier kind, are those
of every shape written for every return and each return's picked (the way they were first
made), whatever the mix of kinds (none of one, all of one, a single return)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.arrivals import tracking_ids
from sim.model.population import digit_codes


def _every_shape_then_pick(kinds: np.ndarray, high: np.ndarray, low: np.ndarray) -> list[str]:
    m = kinds.shape[0]
    shapes = np.zeros((3, m, 22), dtype=np.uint8)
    shapes[0, :, :2] = np.frombuffer(b"1Z", dtype=np.uint8)
    shapes[0, :, 2:12] = digit_codes(high, 36, 10)
    shapes[0, :, 12:18] = digit_codes(low, 36, 6)
    shapes[1, :, :4] = np.frombuffer(b"9400", dtype=np.uint8)
    shapes[1, :, 4:13] = digit_codes(high % 10**9, 10, 9)
    shapes[1, :, 13:22] = digit_codes(low % 10**9, 10, 9)
    shapes[2, :, :6] = digit_codes(high % 10**6, 10, 6)
    shapes[2, :, 6:12] = digit_codes(low % 10**6, 10, 6)
    rows = shapes[kinds, np.arange(m)]
    return rows.view("S22").ravel().astype("U22").tolist()


@pytest.mark.parametrize("kinds", [
    [], [0], [1], [2], [0, 0, 0], [2, 2], [0, 1, 2], [2, 1, 0, 1, 2, 0, 0],
    np.random.default_rng(7).integers(0, 3, 500).tolist(),
])
def test_tracking_ids_are_as_when_every_shape_was_written(kinds: list[int]) -> None:
    rng = np.random.default_rng(len(kinds))
    k = np.asarray(kinds, dtype=np.int64)
    high = np.asarray(rng.integers(0, 36**10, size=k.shape[0]), dtype=np.int64)
    low = np.asarray(rng.integers(0, 36**6, size=k.shape[0]), dtype=np.int64)
    high[:1], low[:1] = 36**10 - 1, 0  # the largest and smallest draws
    got = tracking_ids(k, high, low)
    assert got == _every_shape_then_pick(k, high, low)
    assert all(type(t) is str for t in got)
