"""The plots are real PNG files with something drawn in them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread
from sim_runs import SmallRun, shared_small_run

from sim.reports.plots import PLOTS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> SmallRun:
    return shared_small_run(str(tmp_path_factory.getbasetemp()))


@pytest.mark.parametrize("name", PLOTS)
def test_plot_is_a_png_with_content(run: SmallRun, name: str) -> None:
    path: Path = run.folder / name
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert len(data) > 10_000
    pixels = imread(path)
    height, width = pixels.shape[:2]
    assert width >= 600 and height >= 300
    # not a blank canvas: many distinct colours, and a good share of non-white pixels
    flat = pixels.reshape(-1, pixels.shape[-1])[:, :3]
    assert len(np.unique(flat, axis=0)) > 20
    assert (flat.min(axis=1) < 0.9).mean() > 0.02


def test_every_plot_is_listed_among_the_results(run: SmallRun) -> None:
    assert {p.name for p in run.written.files if p.suffix == ".png"} == set(PLOTS)
