"""The plots are real PNG files with something drawn in them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread
from sim_runs import SmallRun, shared_small_run

from sim.reports import plots
from sim.reports.plots import PLOTS, plots_drawn_beside, write_plots

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


def test_plots_drawn_beside_other_work_are_the_plots_drawn_inline(
    run: SmallRun, tmp_path: Path
) -> None:
    """The forked writer gives the same bytes as drawing in this process."""
    summary = run.summary
    inline = tmp_path / "inline"
    inline.mkdir()
    write_plots(run.output, summary, inline)
    beside = tmp_path / "beside"
    beside.mkdir()
    with plots_drawn_beside(run.output, summary, beside) as drawn:
        (beside / "meanwhile.txt").write_text("written while the plots are drawn")
    assert sorted(p.name for p in drawn) == sorted(PLOTS)
    for name in PLOTS:
        assert (beside / name).read_bytes() == (inline / name).read_bytes(), name


def test_a_failing_plot_writer_is_raised_with_its_traceback(
    run: SmallRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> list[Path]:
        raise ValueError("no axes today")

    monkeypatch.setattr(plots, "write_plots", broken)
    with (pytest.raises(plots.PlotWriterFailed, match="ValueError: no axes today"),
          plots.plots_drawn_beside(run.output, run.summary, tmp_path)):
        pass


def test_no_plots_asked_draws_nothing(run: SmallRun, tmp_path: Path) -> None:
    with plots_drawn_beside(run.output, run.summary, tmp_path, plots=False) as drawn:
        pass
    assert drawn == [] and not any(tmp_path.iterdir())


def test_without_a_safe_fork_the_plots_are_drawn_after_the_block(
    run: SmallRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plots.sys, "platform", "darwin")
    with plots_drawn_beside(run.output, run.summary, tmp_path) as drawn:
        assert not any(tmp_path.iterdir())  # nothing drawn yet
    assert sorted(p.name for p in drawn) == sorted(PLOTS)
