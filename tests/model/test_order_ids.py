"""Order ids, written for a day's returns at once, are those the model formatted one by one:
``f"{111 + no % 3}-{no:07d}-{suffix:07d}"``, including the edges of each field (zero, the
largest suffix, an order number past seven digits, which widens its field)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.arrivals import order_ids


def _formatted(order_no: np.ndarray, suffix: np.ndarray) -> list[str]:
    return [f"{111 + no % 3}-{no:07d}-{s:07d}"
            for no, s in zip(order_no.tolist(), suffix.tolist(), strict=True)]


@pytest.mark.parametrize("order_no", [
    [], [0], [1, 2, 3], [9_999_999], [10_000_000], [5, 10**8 + 7, 12],
    np.random.default_rng(3).integers(0, 10**7, 500).tolist(),
])
def test_order_ids_are_those_formatted_one_by_one(order_no: list[int]) -> None:
    no = np.asarray(order_no, dtype=np.int64)
    drawn = np.random.default_rng(len(order_no)).integers(0, 10_000_000, size=no.shape[0])
    suffix = np.asarray(drawn, dtype=np.int64)
    suffix[:2] = [0, 9_999_999][:suffix.shape[0]]
    got = order_ids(no, suffix)
    assert got == _formatted(no, suffix)
    assert all(type(s) is str for s in got)
