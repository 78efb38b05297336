"""How a conformance case ended, in the classes a report keeps apart.

A wrong answer (the implementation answered, and the answer breaks the policy) is not a crash,
a timeout, or an answer that is not rap/1 at all; a scenario the implementation declines
because it does not offer an optional feature is neither passed nor failed.
"""

from __future__ import annotations

from enum import StrEnum

from sim.core.errors import EngineError
from sim.core.port import ImplementationCrashed, ImplementationTimeout, ProtocolViolation

REFUSED_PREFIX = "refused:"
"""Skip reasons that start with this are refusals: the implementation does not offer an optional
feature the scenario needs (its hello does not list it, or it answered ``unknown_op``)."""

NOT_APPLICABLE_PREFIX = "not applicable:"
"""Skip reasons for checks the chosen transport cannot carry (a non-JSON line in-process)."""


class Outcome(StrEnum):
    PASSED = "passed"
    WRONG_ANSWER = "wrong answer"
    CRASH = "crash"
    TIMEOUT = "timeout"
    PROTOCOL_VIOLATION = "protocol violation"
    REFUSED = "refused"
    NOT_APPLICABLE = "not applicable"
    SKIPPED = "skipped"
    EXPECTED_FAILURE = "expected failure"
    UNEXPECTED_PASS = "unexpected pass"
    ERRORED = "errored"


FAILED = frozenset({
    Outcome.WRONG_ANSWER, Outcome.CRASH, Outcome.TIMEOUT, Outcome.PROTOCOL_VIOLATION,
    Outcome.UNEXPECTED_PASS,
})
"""The classes that count as a failed case (``errored`` is counted apart: the harness or the
features broke, not necessarily the implementation)."""


def of_exception(exc: BaseException) -> Outcome:
    """The class of a case that raised ``exc`` while its steps ran."""
    if isinstance(exc, ImplementationTimeout):
        return Outcome.TIMEOUT
    if isinstance(exc, ImplementationCrashed):
        return Outcome.CRASH
    if isinstance(exc, ProtocolViolation):
        return Outcome.PROTOCOL_VIOLATION
    if isinstance(exc, AssertionError):
        return Outcome.WRONG_ANSWER
    if isinstance(exc, EngineError):  # a refusal where the policy expects an answer
        return Outcome.WRONG_ANSWER
    return Outcome.ERRORED


def of_skip(reason: str) -> Outcome:
    if reason.startswith(REFUSED_PREFIX):
        return Outcome.REFUSED
    if reason.startswith(NOT_APPLICABLE_PREFIX):
        return Outcome.NOT_APPLICABLE
    return Outcome.SKIPPED
