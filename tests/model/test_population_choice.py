"""The population's draws among a few shares (a scenario's locales) are those of a binary
search of the cumulated shares, whatever the shares (one, zeros, unnormalised)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.population import _choice


@pytest.mark.parametrize("shares", [
    {"en_US": 0.6, "zh_CN": 0.4}, {"a": 0.86, "b": 0.1, "c": 0.04}, {"a": 1.0},
    {"a": 0.0, "b": 1.0, "c": 0.0}, {"a": 3.0, "b": 0.0, "c": 1.0, "d": 0.0},
])
@pytest.mark.parametrize("n", [0, 1, 5000])
def test_choice_is_a_search_of_the_cumulated_shares(shares: dict[str, float], n: int) -> None:
    """The population's draws among a few shares (locales) count the cumulated shares at or
    below each draw, one share at a time: what ``np.searchsorted(side="right")`` gives."""
    p = np.array(list(shares.values()), dtype=float)
    u = np.random.default_rng(n).random(n)
    want = np.searchsorted(np.cumsum(p / p.sum()), u, side="right").clip(0, len(p) - 1)
    got = _choice(np.random.default_rng(n), shares, n)
    assert got.dtype == want.dtype and got.tolist() == want.tolist()
