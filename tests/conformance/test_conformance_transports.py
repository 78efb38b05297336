"""The suite passes against the reference over every transport: in-process (the whole suite, in
``test_conformance_reference.py``), over stdio (the whole suite, a real subprocess), and over
HTTP (the whole suite, a real server on an ephemeral port)."""

from __future__ import annotations

from mutants.conform_run import conform, outcomes, reference_stdio_impl
from serve_helpers import http_server


def test_the_whole_suite_passes_over_stdio() -> None:
    run = conform("--impl", reference_stdio_impl())
    found = outcomes(run.stdout)
    assert run.returncode == 0, run.stdout[-3000:]
    # Over a wire even the non-JSON line can be sent: nothing is skipped.
    assert found["passed"] >= 200 and set(found) - {"passed"} <= {
        "wrong answer", "crash", "timeout", "protocol violation", "refused"}, found
    assert sum(found.values()) == found["passed"]


def test_the_whole_suite_passes_over_http() -> None:
    with http_server() as (url, _proc):
        run = conform("--impl", url)
    found = outcomes(run.stdout)
    assert run.returncode == 0, run.stdout[-3000:]
    # Over a wire even the non-JSON body can be sent: nothing is skipped.
    assert found["passed"] >= 200 and sum(found.values()) == found["passed"], found
