"""The files do not depend on what ran the replications: serial, a process pool, or a real
2-worker dask.distributed LocalCluster give byte-identical folders (but the manifest's
backend and timings)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from experiment_runs import ORDERS, SEED, folder_files, window_copy

from sim.commands.cli import main


def _run(tmp: Path, name: str, backend: list[str]) -> Path:
    tmp.mkdir(exist_ok=True)
    out = tmp / name
    what_if = window_copy(tmp.parent)  # one path for every backend: the manifest names it
    code = main(["compare", "baseline", str(what_if), "understaffed",
                 "--replications", "3", "--orders", str(ORDERS), "--seed", str(SEED),
                 "--quiet", "--out", str(out), *backend])
    assert code == 0
    return out


def _manifest_but_how(folder: Path) -> dict[str, object]:
    doc = json.loads((folder / "manifest.json").read_text("utf-8"))
    return {k: v for k, v in doc.items() if k not in ("backend", "timings")}


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("backends")


@pytest.fixture(scope="module")
def serial(shared: Path) -> Path:
    return _run(shared / "serial", "out", ["--workers", "1"])


def test_process_pool_writes_the_same_bytes_as_serial(serial: Path, shared: Path) -> None:
    pool = _run(shared / "pool", "out", ["--workers", "2"])
    assert folder_files(pool) == folder_files(serial)
    assert _manifest_but_how(pool) == _manifest_but_how(serial)
    assert json.loads((pool / "manifest.json").read_text())["backend"]["workers"] == 2


@pytest.mark.slow
def test_a_dask_cluster_writes_the_same_bytes_as_serial(
        serial: Path, shared: Path, dask_address: str) -> None:
    dask = _run(shared / "dask", "out", ["--dask", dask_address])
    assert folder_files(dask) == folder_files(serial)
    assert _manifest_but_how(dask) == _manifest_but_how(serial)
    backend = json.loads((dask / "manifest.json").read_text())["backend"]
    assert backend == {"name": "dask", "workers": None, "address": dask_address}
