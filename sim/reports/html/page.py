"""What every report page shares: the Jinja2 environment, figures as inline images, and
writing the file.

Plots are SVG (crisp at any zoom, small for weekly aggregates) put in ``<img>`` as data URIs:
each image keeps its own ids, so two plots cannot clash, and the page needs no other file.
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import markupsafe

from sim.reports.figures import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PALETTE = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b2", "#937860", "#da8bc3",
           "#8c8c8c", "#ccb974", "#64b5cd")


@dataclass(frozen=True)
class Plot:
    """One plot of a page: the question it answers, and the image."""

    question: str
    src: str  # data:image/svg+xml;base64,...
    alt: str


def figure(width: float = 9.0, height: float = 4.5) -> Figure:
    """A matplotlib figure on the Agg canvas (no pyplot state, no display needed)."""
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "returns-sandbox"  # same data, same bytes
    matplotlib.rcParams["svg.fonttype"] = "none"  # text as text: smaller, selectable
    return new_figure(width, height)


def plot(fig: Figure, question: str, alt: str) -> Plot:
    """The figure as an inline SVG: printed by the SVG canvas itself, in one draw that lays
    the figure out first, rather than by ``fig.savefig``, which draws it twice (once, not
    rendered, to lay it out) for the same bytes."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buffer = io.BytesIO()
    FigureCanvasSVG(fig).print_svg(buffer, metadata={"Date": None, "Creator": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Plot(question, f"data:image/svg+xml;base64,{data}", alt)


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("sim.reports.html", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _number(value: Any, places: int = 3) -> str:
    """Numbers as people read them: thousands separated, shares as %, None as a dash."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 1000:
            return f"{int(value):,}"
        return f"{value:,.{places}g}" if abs(value) >= 1000 else f"{value:.{places}g}"
    return str(value)


def _breakable(name: str) -> markupsafe.Markup:
    """A dotted KPI name that may wrap after its dots and underscores, nowhere else."""
    escaped = markupsafe.escape(name)
    return markupsafe.Markup(str(escaped).replace(".", ".<wbr>").replace("_", "_<wbr>"))


_ENV.filters["num"] = _number
_ENV.filters["breakable"] = _breakable
_ENV.filters["pretty_json"] = lambda value: json.dumps(value, indent=2, ensure_ascii=False)


VOLATILE = ("timings", "backend")
"""Manifest keys that say how fast and where a folder was made: left out of the pages, so a
page is byte-identical whatever the machine, workers or backend, like every file but the
manifest itself."""


def _stable(manifest: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in manifest.items() if k not in VOLATILE}


_ENV.filters["stable"] = _stable


def template(name: str) -> jinja2.Template:
    """The template ``name``, compiled on first use (a run's writer does it while the run
    goes on)."""
    return _ENV.get_template(name)


def render(name: str, **context: Any) -> str:
    return template(name).render(**context)


def write_page(path: Path, html: str) -> Path:
    """Write beside and rename, so a page that exists is a whole one."""
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(html, encoding="utf-8")
    temp.replace(path)
    return path


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
