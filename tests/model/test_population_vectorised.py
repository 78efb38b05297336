"""The population's vectorised parts give what their plain versions gave: draws among a few
shares (a scenario's locales) those of a binary search of the cumulated shares, whatever the
shares (one, zeros, unnormalised); SKU ids those of their format; sellers' ids and SKUs those
of one seller at a time."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.population import _choice, sku_ids


@pytest.mark.parametrize("shares", [
    {"en_US": 0.6, "zh_CN": 0.4}, {"a": 0.86, "b": 0.1, "c": 0.04}, {"a": 1.0},
    {"a": 0.0, "b": 1.0, "c": 0.0}, {"a": 3.0, "b": 0.0, "c": 1.0, "d": 0.0},
])
@pytest.mark.parametrize("n", [0, 1, 5000])
def test_choice_is_a_search_of_the_cumulated_shares(shares: dict[str, float], n: int) -> None:
    """The population's draws among a few shares (locales) count the cumulated shares at or
    below each draw, one share at a time: what ``np.searchsorted(side="right")`` gives."""
    p = np.array(list(shares.values()), dtype=float)
    u = np.random.default_rng(n).random(n)
    want = np.searchsorted(np.cumsum(p / p.sum()), u, side="right").clip(0, len(p) - 1)
    got = _choice(np.random.default_rng(n), shares, n)
    assert got.dtype == want.dtype and got.tolist() == want.tolist()


def test_sellers_are_numbered_and_drawn_as_python_numbers() -> None:
    """Seller ids are ``scrambled_id("A", 10_000_000 + index)`` (written for all at once),
    and the profile's drawn flags are plain bools (read from the draws as Python numbers)."""
    from sim.model.population import build_population, scrambled_id
    from sim.model.scenario import load, to_policy
    from sim.model.streams import Streams

    scenario = load().scenario
    pop = build_population(scenario, to_policy(scenario), Streams(11))
    assert [p.seller_id for p in pop.sellers] == [
        scrambled_id("A", 10_000_000 + i) for i in range(len(pop.sellers))]
    assert all(type(p.batch) is bool and type(p.settings.email_links) is bool
               for p in pop.sellers)
    assert {p.batch for p in pop.sellers} == {True, False}


@pytest.mark.parametrize(("prefix", "start", "count"), [
    ("APP", 0, 6000), ("TOY", 999_990, 10), ("TOY", 999_990, 11), ("ÉLE", 5, 10), ("X", 0, 0),
])
def test_sku_ids_are_those_of_their_format(prefix: str, start: int, count: int) -> None:
    got = sku_ids(prefix, start, count)
    assert got == [f"{prefix}-{j:06d}" for j in range(start, start + count)]
    assert all(type(s) is str for s in got)


def test_each_professional_sellers_exempt_skus_are_its_first_own() -> None:
    """A seller's exempt SKUs are the first of its own SKUs, in catalog order (each seller's
    SKUs found by a sort, not one append per SKU)."""
    from sim.model.population import MAX_EXEMPT_SKUS, build_population
    from sim.model.scenario import load, to_policy
    from sim.model.streams import Streams

    scenario = load().scenario
    pop = build_population(scenario, to_policy(scenario), Streams(11))
    seller_of = pop.catalog.seller.tolist()
    fraction = scenario.sellers.settings.exempt_sku_fraction
    exempting = [p for p in pop.sellers if p.settings.exempt_skus]
    assert exempting
    for p in exempting:
        own = [pop.catalog.skus[j] for j, s in enumerate(seller_of) if s == p.index]
        k = min(MAX_EXEMPT_SKUS, max(1, round(len(own) * fraction)))
        assert list(p.settings.exempt_skus or ()) == own[:k]
