"""matplotlib figures without pyplot: every plot of the project starts and ends here.

matplotlib is imported on first use: about a second that a run without plots (and
``returns-sim serve``/``conform``, which import the package) need not spend. Figures live on
the Agg canvas (no global pyplot state, no display), and PNGs carry no software tag, so the
same data gives the same bytes whatever the matplotlib build.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def new_figure(width: float = 9.0, height: float = 5.0) -> Figure:
    """A figure of ``width`` x ``height`` inches at 100 dpi, laid out by matplotlib."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save_png(fig: Figure, path: Path | BinaryIO) -> None:
    """Write ``fig`` (a :func:`new_figure`) as a PNG: the same bytes as ``fig.savefig``, which
    draws a figure with a layout engine twice (once, not rendered, to lay it out), in one
    draw that lays the figure out first. zlib's fastest level: the same pixels, files ~15%
    larger, ~14 ms less per plot than the default level 6."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).print_png(path, metadata={"Software": None},
                                   pil_kwargs={"compress_level": 1})
