"""Small experiments shared by the experiment tests: a few thousand orders, a few replications."""

from __future__ import annotations

from pathlib import Path

from sim.experiments.design import ScenarioCase, case_of, scenario_tree

ORDERS = 1500
SEED = 11


def window_copy(tmp: Path, days: int = 45) -> Path:
    """A what-if file: the baseline with a longer default window."""
    path = tmp / f"window{days}.toml"
    path.write_text(f"[policy]\ndefault_window_days = {days}\n", encoding="utf-8")
    return path


def case(spec: str, name: str | None = None) -> ScenarioCase:
    tree, loaded_name, source = scenario_tree(spec)
    return case_of(tree, name or loaded_name, source)


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every file of a results folder but the manifest, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}
