"""The conformance kit: the Gherkin features and their steps, packaged with a pytest plugin and
a runner, so ``returns-sim conform`` can check any rap/1 implementation from an installed wheel.

``features`` and ``steps`` are the repository's top-level ``features/`` and ``steps/`` (linked
here so they ship inside the package, and read from one place in the repository).
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
FEATURES_DIR = HERE / "features"
SUITE_MODULE = HERE / "suite" / "test_features.py"
SUITE_INI = HERE / "suite" / "pytest.ini"
