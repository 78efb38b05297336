"""Fixtures of the experiment tests: small experiments, and a real 2-worker Dask cluster."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes several seconds (still runs in CI)")


@pytest.fixture(scope="module")
def dask_address() -> Iterator[str]:
    """A dask.distributed LocalCluster of 2 worker processes on 127.0.0.1, closed after."""
    from dask.distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None, host="127.0.0.1")
    try:
        yield str(cluster.scheduler_address)
    finally:
        cluster.close()
