"""``measured_records`` keeps what its plain comprehension keeps, in the same order, whatever
the order of the request times (a warm-up's, the boundary itself, none at all)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from sim.model.run import measured_records


def _plain(records: list[Any], since: int) -> dict[str, Any]:
    return {r.return_id: r for r in records if r.requested_at >= since}


@pytest.mark.parametrize("times", [
    [], [5], [0, 1, 2, 3, 4, 5, 6], [9, 3, 5, 5, 1, 7, 5], [-3, 2**70, 5, 4, 6], [5, 5, 5],
])
@pytest.mark.parametrize("since", [5, 0, -(2**70), 2**70])
def test_measured_records_are_those_of_the_plain_comprehension(times: list[int],
                                                              since: int) -> None:
    records = [SimpleNamespace(return_id=f"R{i}", requested_at=t) for i, t in enumerate(times)]
    got = measured_records(records, since)  # type: ignore[arg-type]
    want = _plain(records, since)
    assert list(got.items()) == list(want.items())
    assert all(got[k] is want[k] for k in want)
