"""The wheel carries the whole kit: every feature file, every step module, the suite's pytest.ini,
so ``returns-sim conform`` works without a checkout. (Checked against the package-data globs of
pyproject.toml and the links that put features/ and steps/ inside the package; building and
installing a real wheel is done by hand, see docs/conformance.md.)"""

from __future__ import annotations

import tomllib
from pathlib import Path

from sim.conformance import FEATURES_DIR, SUITE_INI, SUITE_MODULE

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "sim"


def _package_data() -> set[Path]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["sim"]
    return {p.resolve() for pattern in patterns for p in PACKAGE.glob(pattern)}


def test_every_feature_file_and_the_suite_ini_are_package_data() -> None:
    shipped = _package_data()
    features = {p.resolve() for p in (REPO / "features").rglob("*.feature")}
    assert len(features) >= 13
    assert features <= shipped, sorted(str(p) for p in features - shipped)
    assert SUITE_INI.resolve() in shipped


def test_features_and_steps_inside_the_package_are_the_repository_folders() -> None:
    assert FEATURES_DIR.resolve() == (REPO / "features").resolve()
    assert (PACKAGE / "conformance" / "steps").resolve() == (REPO / "steps").resolve()
    # A package: packages.find discovers sim.conformance.steps through the link.
    assert (PACKAGE / "conformance" / "steps" / "__init__.py").is_file()
    assert SUITE_MODULE.is_file() and (SUITE_MODULE.parent / "__init__.py").is_file()
