"""Rule 7: every authorization carries an RMA; Amazon's match the pattern, never repeat, and are
deterministic (the engine is pure: the same commands give the same numbers)."""

from __future__ import annotations

import re

from engine_fixtures import AMAZON_RMA, REQUESTED, World

from sim.core.values import HOUR, Mode, ReturnRecord, RmaSource


def _busy_world() -> tuple[World, list[str]]:
    """Three sellers, 150 returns authorized every way there is: at once, by hand, by batch."""
    w = World()
    w.seller("P1")
    w.individual("I1", authorization=Mode.AUTO)
    w.individual("I2")
    numbers: list[str] = []
    for n in range(50):
        for seller in ("P1", "I1", "I2"):
            oid, rid = f"O-{seller}-{n}", f"R-{seller}-{n}"
            w.order(oid, seller)
            r: ReturnRecord | None = w.request(rid, oid).return_
            if seller == "I2":
                r = (
                    w.authorize(rid, REQUESTED + HOUR).return_
                    if n % 2
                    else w.engine.authorize_batch([rid], REQUESTED + HOUR).results[0].return_
                )
            assert r is not None and r.rma is not None
            assert r.rma.source == RmaSource.AMAZON
            numbers.append(r.rma.number)
    return w, numbers


def test_amazon_rmas_match_the_pattern_and_never_repeat() -> None:
    _, numbers = _busy_world()
    assert all(re.fullmatch(AMAZON_RMA, n) for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_amazon_rmas_are_deterministic_across_fresh_engines() -> None:
    _, first = _busy_world()
    _, second = _busy_world()
    assert first == second


def test_reset_then_replay_gives_the_same_rmas() -> None:
    w, first = _busy_world()
    w.engine.reset()
    w.seller("P1")
    w.order("O-P1-0", "P1")
    again = w.request("R-P1-0", "O-P1-0").return_.rma
    assert again is not None and again.number == first[0]


def _amazon_number_for(seller_id: str, return_id: str) -> str:
    """What the engine gives (seller_id, return_id) in a marketplace with nothing else in it."""
    w = World()
    w.seller(seller_id)
    w.order("O1", seller_id)
    rma = w.request(return_id, "O1").return_.rma
    assert rma is not None
    return rma.number


def test_amazon_rma_avoids_a_custom_rma_of_another_seller() -> None:
    taken = _amazon_number_for("P1", "R-target")
    w = World()
    w.individual("I1")
    w.order("OI", "I1")
    w.request("R-first", "OI")
    w.authorize("R-first", REQUESTED, rma=taken)
    w.seller("P1")
    w.order("O1", "P1")
    got = w.request("R-target", "O1").return_.rma
    assert got is not None and got.source == RmaSource.AMAZON
    assert re.fullmatch(AMAZON_RMA, got.number)
    assert got.number != taken


def test_amazon_rma_avoids_a_custom_rma_of_the_same_seller() -> None:
    taken = _amazon_number_for("S1", "R-target")
    w = World()
    w.seller("S1", exempt_skus=("HAND",))
    w.order("O0", "S1", sku="HAND")
    w.request("R-first", "O0", sku="HAND")
    w.authorize("R-first", REQUESTED, rma=taken)
    w.order("O1", "S1")
    got = w.request("R-target", "O1").return_.rma
    assert got is not None and got.number != taken
    # The packing slip still identifies exactly one return of the seller.
    assert w.engine.receive("S1", taken, REQUESTED + HOUR).return_id == "R-first"
    assert w.engine.receive("S1", got.number, REQUESTED + HOUR).return_id == "R-target"


def test_manual_authorization_carries_an_rma_too() -> None:
    w = World()
    w.pending("R1")
    r = w.authorize("R1", REQUESTED).return_
    assert r.rma is not None and re.fullmatch(AMAZON_RMA, r.rma.number)
