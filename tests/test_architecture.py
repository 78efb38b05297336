"""The folders of ``sim/`` are layers, and imports point one way.

``core`` (values, errors, policy, engine, port) imports nothing else of the project; ``rap``
(the wire) builds on ``core`` alone; the ``model`` reaches an engine only through the port;
``reports`` read a run's output, never the model's insides; ``conformance`` drives an engine
over the wire; ``commands`` sit on top. Every import counts, also one inside a function, so a
lazy import cannot hide a dependency that points the wrong way.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[1] / "sim"
LAYERS = ("core", "rap", "model", "reports", "experiments", "conformance", "calibration",
          "difftest", "commands")

# layer -> the modules (prefixes) of the project it may import, besides itself and ``sim``
ALLOWED: dict[str, tuple[str, ...]] = {
    "core": (),
    "rap": ("sim.core",),
    "model": ("sim.core.values", "sim.core.errors", "sim.core.port", "sim.core.policy",
              "sim.core.timefmt"),
    "reports": ("sim.core.values", "sim.core.errors", "sim.core.policy", "sim.core.timefmt",
                "sim.model.output", "sim.model.scenario", "sim.model.scenario_spec"),
    "experiments": ("sim.core", "sim.model", "sim.reports"),
    "conformance": ("sim.core", "sim.rap"),
    "calibration": ("sim.core", "sim.model.scenario", "sim.model.scenario_spec",
                    "sim.reports.returns_report", "sim.reports.figures",
                    # check-report replays rows as rap/1 exchanges, so each one is a case
                    "sim.rap.envelope"),
    "difftest": ("sim.core", "sim.rap", "sim.conformance"),
    "commands": ("sim",),
}


def _layer(path: Path) -> str | None:
    parts = path.relative_to(SIM).parts
    return parts[0] if len(parts) > 1 else None


def _module(path: Path) -> str:
    rel = path.relative_to(SIM).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(["sim", *parts])


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    package = _module(path) if path.name == "__init__.py" else _module(path).rsplit(".", 1)[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            found.append((node.lineno, name))
            # `from sim import codec` imports the module sim.codec
            found += [(node.lineno, f"{name}.{a.name}") for a in node.names if name == "sim"]
    return [(line, name) for line, name in found if name == "sim" or name.startswith("sim.")]


def _sources() -> list[Path]:
    """Every module, the steps linked into ``sim/conformance`` included."""
    found: list[Path] = []
    for folder, _dirs, names in os.walk(SIM, followlinks=True):
        found += [Path(folder) / n for n in names if n.endswith(".py")]
    return sorted(found)


def _allowed(layer: str, target: str) -> bool:
    if target == "sim" or target in ("sim.__version__", "sim.PROTOCOL"):
        return True
    own = f"sim.{layer}"
    prefixes = (own, *ALLOWED[layer])
    return any(target == p or target.startswith(p + ".") for p in prefixes)


def test_every_subpackage_is_a_known_layer() -> None:
    folders = {p.name for p in SIM.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders <= set(LAYERS), folders - set(LAYERS)
    assert {"core", "rap", "model", "reports", "commands", "conformance"} <= folders


def test_no_module_lives_at_the_top_of_the_package() -> None:
    top = sorted(p.name for p in SIM.glob("*.py"))
    assert top == ["__init__.py", "__main__.py"], top


@pytest.mark.parametrize("layer", [layer for layer in LAYERS if (SIM / layer).is_dir()])
def test_imports_point_one_way(layer: str) -> None:
    wrong = []
    for path in _sources():
        if _layer(path) != layer:
            continue
        for line, target in _imports(path):
            if not _allowed(layer, target):
                wrong.append(f"{path.relative_to(SIM.parent)}:{line} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_the_import_check_sees_a_wrong_import(tmp_path: Path) -> None:
    """The checker itself: a lazy import of the engine inside a model function is caught."""
    assert not _allowed("model", "sim.core.engine")
    assert not _allowed("core", "sim.rap.envelope")
    assert not _allowed("reports", "sim.model.population")
    assert _allowed("rap", "sim.core.values")


MAX_LINES = 420


def test_no_module_is_over_about_400_lines() -> None:
    long = {str(p.relative_to(SIM.parent)): n for p in _sources()
            if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES}
    assert not long, long
