"""docs/protocol.md shows real traffic: its examples and its hand-driven stdio session are
replayed against the reference engine and must match byte for byte."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from sim.core.engine import ReferenceEngine
from sim.rap.envelope import handle_line

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs" / "protocol.md").read_text("utf-8")
_VERSION = re.compile(r'"version":"[^"]*"')


def unversioned(line: str) -> str:
    """The package version is the one thing allowed to change under the docs."""
    return _VERSION.sub('"version":"X"', line)


def blocks(language: str) -> list[str]:
    return re.findall(r"^```" + language + r"\n(.*?)^```$", DOC, flags=re.S | re.M)


def test_every_example_is_what_the_engine_answers() -> None:
    engine = ReferenceEngine()
    pairs = 0
    for block in blocks("rap"):
        lines = block.splitlines()
        assert len(lines) % 2 == 0, block
        for ask, answer in zip(lines[0::2], lines[1::2], strict=True):
            assert ask.startswith("> ") and answer.startswith("< "), (ask, answer)
            assert unversioned(handle_line(engine, ask[2:])) == unversioned(answer[2:]), ask
            pairs += 1
    assert pairs >= 20


def test_the_hand_driven_stdio_session_really_works() -> None:
    script = next(b for b in blocks("sh") if "serve --stdio <<'EOF'" in b)
    command = script.replace(".venv/bin/returns-sim", f"{shlex.quote(sys.executable)} -m sim")
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=REPO,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    printed = DOC.split(script, 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    assert unversioned(done.stdout) == unversioned(printed)
