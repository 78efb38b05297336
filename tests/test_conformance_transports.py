"""The suite passes against the reference over every transport: in-process (the whole suite, in
``test_conformance_reference.py``), over stdio (the whole suite, a real subprocess), and over
HTTP (a real server on an ephemeral port; a representative subset, see docs/conformance.md)."""

from __future__ import annotations

from mutants.conform_run import conform, outcomes, reference_stdio_impl
from serve_helpers import http_server

HTTP_SUBSET = "zh-CN or protocol or batch or receiving or C12"
"""Every area through the wire that HTTP adds (envelopes, raw bodies, batches), the core flows
(the zh-CN set covers C03, C05, C06, C13, C15, C16) and the notifications."""


def test_the_whole_suite_passes_over_stdio() -> None:
    run = conform("--impl", reference_stdio_impl())
    found = outcomes(run.stdout)
    assert run.returncode == 0, run.stdout[-3000:]
    # Over a wire even the non-JSON line can be sent: nothing is skipped.
    assert found["passed"] >= 200 and set(found) - {"passed"} <= {
        "wrong answer", "crash", "timeout", "protocol violation", "refused"}, found
    assert sum(found.values()) == found["passed"]


def test_the_representative_subset_passes_over_http() -> None:
    with http_server() as (url, _proc):
        run = conform("--impl", url, "--tags", HTTP_SUBSET)
    found = outcomes(run.stdout)
    assert run.returncode == 0, run.stdout[-3000:]
    assert found["passed"] >= 60 and sum(found.values()) == found["passed"], found
