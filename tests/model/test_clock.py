"""The model's environment: steps fire as the timeouts they replace would, are counted, and a
finished run leaves nothing for the cyclic garbage collector."""

from __future__ import annotations

import gc
import re
from collections.abc import Generator
from typing import Any

import pytest
import simpy

from sim.core.engine import ReferenceEngine
from sim.core.values import DAY
from sim.model.clock import CountingEnvironment, Step
from sim.model.plan import plan_run
from sim.model.run import single_run
from sim.model.scenario import load


def test_steps_fire_in_the_order_of_the_timeouts_they_stand_for() -> None:
    """Same-instant events fire in the order they were scheduled, steps and SimPy's own
    events alike, each at its instant, with its arguments and the fired step last."""
    env = CountingEnvironment()
    fired: list[tuple[int, str]] = []

    def note(name: str, event: object) -> None:
        fired.append((env.now, name))

    def process() -> Generator[simpy.Event, Any, None]:
        yield env.timeout(5)
        fired.append((env.now, "process"))

    env.later(5, note, "a")
    env.timeout(5).callbacks.append(lambda e: note("timeout", e))
    env.process(process())  # starts at 0, so its timeout comes after the two above
    env.later(5, note, "b")
    env.later(2, note, "early")
    env.run(until=10)
    assert fired == [(2, "early"), (5, "a"), (5, "timeout"), (5, "b"), (5, "process")]
    # 3 steps, 2 timeouts, the process's start and end, the event that stops the run at 10
    # (which SimPy schedules again as it stops), and two hourly moves of far steps (one at 0,
    # which schedules the next)
    assert env.scheduled == 11

    seen: list[object] = []
    env = CountingEnvironment()
    env.later(1, lambda x, event: seen.extend((x, event)), "x")
    env.run(until=2)
    assert seen[0] == "x" and isinstance(seen[1], Step)


def _ticks(env: CountingEnvironment, as_steps: bool) -> list[tuple[int, str]]:
    """A ticker every 3 s and events at the same instants, the ticker a process or steps."""
    fired: list[tuple[int, str]] = []

    def ticker() -> Generator[simpy.Event, Any, None]:
        while True:
            fired.append((env.now, "tick"))
            yield env.timeout(3)

    def tick(_fired: object) -> None:
        fired.append((env.now, "tick"))
        env.later(3, tick)

    def note(name: str, _fired: object) -> None:
        fired.append((env.now, name))

    env.later(0, note, "first")
    env.later(3, note, "before")
    if as_steps:
        env.soon(tick)
    else:
        env.process(ticker())
    env.later(0, note, "after")
    env.later(3, note, "later")
    env.later(6, note, "six")
    env.run(until=8)
    return fired


def test_a_chain_of_steps_started_soon_fires_where_a_process_would() -> None:
    """``soon`` starts a chain of steps where SimPy starts a process (before the instant's
    normal events, whenever they were scheduled), and each step scheduled by the one before
    fires where the process's timeout would: the same events in the same order, and as many
    (a process's start and end counted by its events, the steps by themselves)."""
    process_env, steps_env = CountingEnvironment(), CountingEnvironment()
    by_process = _ticks(process_env, as_steps=False)
    assert by_process[0] == (0, "tick") and (3, "before") in by_process
    assert _ticks(steps_env, as_steps=True) == by_process
    assert steps_env.scheduled == process_env.scheduled


def test_steps_days_ahead_fire_in_order_with_the_near_ones() -> None:
    """Steps due after tomorrow wait off the heap until the day before theirs: the order of
    same-instant events is still the order they were scheduled in, near or far."""
    env = CountingEnvironment()
    fired: list[tuple[int, int]] = []
    far = 3 * DAY + 7

    def note(k: int, _event: object) -> None:
        fired.append((env.now, k))

    def schedule_more(_event: object) -> None:  # at 2 days + 7 s: the far instant is near
        for k in (10, 11):
            env.later(far - env.now, note, k)
        env.timeout(far - env.now).callbacks.append(lambda e: note(12, e))

    env.later(far, note, 0)  # days ahead of time 0: waits off the heap
    env.later(2 * DAY + 7, schedule_more)
    env.later(far, note, 1)
    env.later(far - 1, note, -1)
    env.later(DAY, note, -2)
    env.run(until=5 * DAY)
    assert fired == [(DAY, -2), (far - 1, -1), (far, 0), (far, 1), (far, 10), (far, 11),
                     (far, 12)]


def test_a_finished_run_leaves_no_reference_cycles() -> None:
    """Pending steps, waiting processes and the environment are freed by reference counting
    once the output is dropped (the cyclic collector would have to walk the whole run)."""
    plan = plan_run(load().scenario, name="baseline", seed=4, days=20, orders=2000)
    was_enabled = gc.isenabled()
    gc.disable()
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        output = single_run(plan, ReferenceEngine())
        assert output.tally.extras  # something happened
        del output
        gc.collect()
        left = sorted({type(o).__module__ for o in gc.garbage
                       if type(o).__module__.startswith(("sim.", "simpy"))})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
    assert left == []


# ------------------------------------------------------------------ run(): SimPy's own ends


def _ends(env: simpy.Environment, until: Any) -> tuple[object, list[tuple[Any, str]]]:
    """How ``env.run(until)`` ends (its value, or the type, text and cause of what it raised)
    and what fired meanwhile, on a small schedule with a process, timeouts and a failure that
    one process defuses."""
    fired: list[tuple[Any, str]] = []

    def worker(name: str, delay: int) -> Generator[simpy.Event, Any, str]:
        yield env.timeout(delay)
        fired.append((env.now, name))
        return name

    def defuser() -> Generator[simpy.Event, Any, None]:
        try:
            yield env.timeout(2, value="late")
            failing = env.event()
            failing.fail(KeyError("defused"))
            yield failing
        except KeyError:
            fired.append((env.now, "caught"))

    env.process(worker("a", 3))
    env.process(defuser())
    env.timeout(5).callbacks.append(lambda e: fired.append((env.now, "t5")))
    env.process(worker("b", 5))
    try:
        value: object = env.run(until=until(env) if callable(until) else until)
    except Exception as exc:  # the way a run ends is what is compared
        cause = exc.__cause__
        text = re.sub(r" at 0x[0-9a-f]+", "", str(exc))  # an event's repr names its address
        value = (type(exc), text, type(cause), str(cause) if cause else None)
    return value, fired


def _failing_at(delay: int) -> Any:
    def until(env: simpy.Environment) -> None:
        failing = env.timeout(delay)
        failing.callbacks.append(lambda e: None)
        failing._ok = False  # a failed event nobody defused (SimPy's own check reads _ok)
        failing._value = ValueError("boom")
        return None
    return until


@pytest.mark.parametrize("until", [
    None, 4, 5, 6, 5.5,
    lambda env: env.timeout(3, value="three"),  # an event as `until`: its value
    lambda env: env.event(),  # never triggered: SimPy's RuntimeError when the schedule runs out
    _failing_at(4),  # a failure crashes the run, with the event's exception as the cause
])
def test_run_ends_as_simpys_own(until: Any) -> None:
    """The inlined loop ends every way SimPy's ``run`` does: at ``until`` (an instant, before
    the events due then, or an event, with its value), when the schedule runs out, or with a
    failed event's exception, after the same events in the same order."""
    ours, theirs = _ends(_bare(), until), _ends(simpy.Environment(), until)
    assert ours == theirs


def _bare() -> CountingEnvironment:
    """An environment without its hourly move of far steps (which reschedules itself
    forever), so that its schedule can run out as a plain SimPy one's does."""
    env = CountingEnvironment()
    env._queue.clear()
    return env


def test_run_refuses_what_simpy_refuses() -> None:
    for env in (_bare(), simpy.Environment()):
        env.run(until=3)
        with pytest.raises(ValueError, match="must be greater than the current"):
            env.run(until=3)
        done = env.timeout(1, value="v")
        env.run(until=done)
        assert env.run(until=done) == "v"  # an event already processed: its value at once


def test_an_error_in_a_callback_is_not_taken_for_the_end_of_the_schedule() -> None:
    """An IndexError raised by a step propagates: only the queue's own pop ends a run."""
    env = CountingEnvironment()
    env.later(1, lambda _fired: [][0])
    with pytest.raises(IndexError):
        env.run(until=10)
