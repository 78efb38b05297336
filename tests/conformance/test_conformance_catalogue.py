"""The phrase catalogue (docs/phrases.md, ``conform --phrases``) is generated from the step
definitions and cannot drift from them; and conform installs without the simulator's
packages."""

from __future__ import annotations

import inspect
import subprocess
import sys

from mutants.conform_run import REPO, conform

from sim.conformance.phrases_catalogue import _contexts, catalogue, docs_path, render


def test_docs_phrases_is_what_the_steps_generate() -> None:
    written = docs_path(REPO).read_text(encoding="utf-8")
    assert written == render(), (
        "docs/phrases.md differs from the step definitions; regenerate it with "
        "`returns-sim conform --phrases > docs/phrases.md`"
    )


def test_conform_phrases_prints_the_catalogue() -> None:
    run = conform("--phrases")
    assert run.returncode == 0
    assert run.stdout == render()


def test_every_phrase_is_listed_in_both_languages_with_its_parameters() -> None:
    phrases = catalogue()
    assert len(phrases) >= 90
    assert {p.language for p in phrases} == {"en", "zh-CN"}
    seller = next(p for p in phrases if p.wording == 'a/an <plan> seller "<seller_id>"')
    assert seller.parameters[0] == ("plan", "one of: `professional`, `individual`")
    assert seller.example == 'Given a professional seller "S1"'
    assert sum(p.example is not None for p in phrases) >= len(phrases) - 3


def test_every_step_that_takes_a_table_says_which() -> None:
    for _context, func in _contexts():
        takes_table = "datatable" in inspect.signature(func).parameters
        assert takes_table == hasattr(func, "table_spec"), (
            f"{func.__module__}.{func.__name__}: mark it with @phrases.takes_table(...)")


def test_conform_imports_none_of_the_simulator_packages() -> None:
    # `pip install returns-sandbox` (without the `sim` extra) has none of these.
    code = (
        "import sys, sim.commands.cli, sim.commands.conform, sim.conformance.plugin, "
        "sim.conformance.phrases_catalogue, sim.conformance.report_files\n"
        "from sim.conformance.steps import STEP_MODULES\n"
        "import importlib\n"
        "[importlib.import_module(m) for m in STEP_MODULES]\n"
        "print(sorted(m for m in ('numpy', 'simpy', 'faker', 'matplotlib', 'scipy') "
        "if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, timeout=60, check=True)
    assert run.stdout.strip() == "[]"
