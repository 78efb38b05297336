"""``ReferenceEngine(notifications=False)``, the simulator's in-process engine, answers every
op as the default engine does but for the notifications: the same records, refusals and RMA
numbers, op for op (its only purpose is to skip building notes nobody reads)."""

from __future__ import annotations

from hypothesis import given
from test_properties import ORDERS, PROFILE, RETURN_IDS, SEQUENCES, Cmd, Marketplace

from sim.core.engine import ReferenceEngine
from sim.core.values import Outcome
from sim.model.plan import plan_run
from sim.model.run import single_run
from sim.model.scenario import load


def _without_notes(result: object) -> object:
    """What the quiet engine must answer where the default answered ``result``."""
    if isinstance(result, Outcome):
        return Outcome(result.return_, ())
    if isinstance(result, tuple):  # a batch, as test_properties compares it: (items, notes)
        items, _notes = result
        return items, ()
    return result


@PROFILE
@given(SEQUENCES)
def test_a_quiet_engine_answers_every_op_as_the_default_but_for_notes(
    commands: list[Cmd],
) -> None:
    loud, quiet = Marketplace(), Marketplace(ReferenceEngine(notifications=False))
    for cmd in commands:
        answer = loud.apply(cmd)
        assert quiet.apply(cmd) == _without_notes(answer), cmd
        assert quiet.state() == loud.state()
        assert quiet.packing_slips() == loud.packing_slips()


def test_the_default_engine_still_notifies() -> None:
    """The default is what rap/1 answers (the servers and the conformance suite use it), and
    the comparison above sees the notes it drops."""
    request = Cmd("request", 0, (RETURN_IDS[0], ORDERS[0].order_id, "SKU-A", 1, "CR-DEFECTIVE"))
    loud = Marketplace().apply(request)
    quiet = Marketplace(ReferenceEngine(notifications=False)).apply(request)
    assert isinstance(loud, Outcome) and isinstance(quiet, Outcome)
    assert loud.notifications and not quiet.notifications
    assert quiet == _without_notes(loud) != loud


def test_a_simulation_keeps_the_same_records_with_a_quiet_engine() -> None:
    """The model never reads notifications: a run's records and call counts are the same."""
    plan = plan_run(load().scenario, name="baseline", seed=7, days=40, orders=6000)
    loud = single_run(plan, ReferenceEngine())
    quiet = single_run(plan, ReferenceEngine(notifications=False))
    assert len(loud.records) > 100
    assert quiet.records == loud.records
    assert quiet.event_counts == loud.event_counts
    assert quiet.tally == loud.tally
