"""Orders, one simulated day at a time, decided with numpy in one batch per day.

A day's order count is Poisson around a rate shaped by weekday, month and the holiday peak.
Each order gets a category and a return decision; only the orders that will be returned are
drawn further (time, SKU, buyer, request delay, reviewer and shipping draws), and only they
become events. Every activity draws from its own named stream.
"""

from __future__ import annotations

from functools import partial
from itertools import repeat
from typing import NamedTuple

import numpy as np

from sim.core.values import DAY
from sim.model.plan import RunPlan
from sim.model.population import Population, digit_codes
from sim.model.streams import Streams


class Review(NamedTuple):
    """What is drawn for a reviewer's work on one return (see :class:`ReviewDraws`)."""

    buyer: int  # the buyer's index, for their name
    review_s: int
    decide: list[float]  # reply, decline, rma, label, address, new address
    draw: int  # an integer for picking ids and addresses


class ReviewDraws:
    """A day's draws for reviews, left as numpy arrays, one row per return.

    Only requests that go to a reviewer read them, about a quarter: turned into Python
    objects for every return up front, they were a third of a day's objects (and of its
    time spent making them)."""

    __slots__ = ("buyer", "decide", "draw", "review_s")

    def __init__(
        self, buyer: np.ndarray, review_s: np.ndarray, decide: np.ndarray, draw: np.ndarray
    ) -> None:
        self.buyer, self.review_s, self.decide, self.draw = buyer, review_s, decide, draw

    def of(self, row: int) -> Review:
        """The draws of the day's ``row``-th return, as Python numbers."""
        return Review(self.buyer.item(row), self.review_s.item(row), self.decide[row].tolist(),
                      self.draw.item(row))


class Draws(NamedTuple):
    """Everything drawn for one order that will be returned, as the return's steps read it.
    Times are seconds since the scenario's start.

    One tuple per return, not a day's parallel lists: a return's steps run weeks after its
    day was drawn, when a day's lists are long out of the CPU's caches, and reading a field
    from each of twenty lists cost a cache miss or two per field; a tuple keeps a return's
    fields side by side (about three times faster to read, measured)."""

    order_no: int
    order_id: str
    sku: int
    seller: int
    category: int
    buyer_id: str
    ordered: int
    delivered: int
    requested: int
    order_qty: int
    return_qty: int
    unit_price: float
    prime: bool
    reason: str
    comment: bool
    reviews: ReviewDraws  # the day's; this return's are at ``row``
    row: int
    ship_u: float
    ship_delay_s: int
    transit_s: int
    carrier: str
    tracking: str
    label_cost_u: float
    close_lag_s: int
    inspection_s: int


_new_draws = partial(tuple.__new__, Draws)
"""``Draws._make`` as one C call: a Draws from an iterable of its fields, in order."""

_UPS, _USPS, _OTHER = 0, 1, 2  # the shapes of tracking numbers


def tracking_ids(kinds: np.ndarray, high: np.ndarray, low: np.ndarray) -> list[str]:
    """Tracking numbers in each carrier's usual shape (``kinds``: 0 UPS, 1 USPS, 2 other):
    UPS ``1Z`` + 16 letters or digits, USPS 22 digits starting 9400, others 12 digits.

    Vectorised (a day's returns at once): each shape is written, as rows of ASCII codes,
    for the returns of its carriers only (a third of the digits a row of every shape for
    every return took), and the rows are read back as strings (numpy drops the zero bytes
    that pad the shorter shapes)."""
    m = kinds.shape[0]
    rows = np.zeros((m, 22), dtype=np.uint8)
    ups, usps, other = ((kinds == k).nonzero()[0] for k in (_UPS, _USPS, _OTHER))
    rows[ups, :2] = np.frombuffer(b"1Z", dtype=np.uint8)
    rows[ups, 2:12] = digit_codes(high[ups], 36, 10)
    rows[ups, 12:18] = digit_codes(low[ups], 36, 6)
    rows[usps, :4] = np.frombuffer(b"9400", dtype=np.uint8)
    rows[usps, 4:13] = digit_codes(high[usps] % 10**9, 10, 9)
    rows[usps, 13:22] = digit_codes(low[usps] % 10**9, 10, 9)
    rows[other, :6] = digit_codes(high[other] % 10**6, 10, 6)
    rows[other, 6:12] = digit_codes(low[other] % 10**6, 10, 6)
    return rows.view("S22").ravel().astype("U22").tolist()


_ORDER_ID_WIDTH = 7
"""Digits of an order number and of its suffix in an order id (a suffix is below 10**7)."""
_DASH = ord("-")


def order_ids(order_no: np.ndarray, suffix: np.ndarray) -> list[str]:
    """Amazon-shaped order ids, ``f"{111 + no % 3}-{no:07d}-{suffix:07d}"`` of each order.

    Vectorised (a day's returns at once), as rows of ASCII codes read back as strings: three
    formatted numbers a return were a Python string format each. An order number of more than
    seven digits (past ten million orders) takes the format itself, which widens the field."""
    if order_no.shape[0] and int(order_no.max()) >= 10**_ORDER_ID_WIDTH:
        return [f"{111 + no % 3}-{no:07d}-{s:07d}"
                for no, s in zip(order_no.tolist(), suffix.tolist(), strict=True)]
    w = _ORDER_ID_WIDTH
    rows = np.empty((order_no.shape[0], 5 + 2 * w), dtype=np.uint8)
    rows[:, :3] = digit_codes(111 + order_no % 3, 10, 3)
    rows[:, 3] = rows[:, 4 + w] = _DASH
    rows[:, 4:4 + w] = digit_codes(order_no, 10, w)
    rows[:, 5 + w:] = digit_codes(suffix, 10, w)
    n = 5 + 2 * w
    return rows.view(f"S{n}").ravel().astype(f"U{n}").tolist()


class OrderSource:
    """Makes each day's orders; counts all of them, keeps only the returned ones."""

    def __init__(self, plan: RunPlan, population: Population, streams: Streams) -> None:
        scenario = plan.scenario
        self.s = scenario
        self.pop = population
        self.rates = plan.rates
        self.cats = population.categories
        specs = [scenario.categories[c] for c in self.cats]
        self.cum_share = np.cumsum([c.share for c in specs])
        self.cum_share[-1] = 1.0
        self.return_rate = np.array([c.return_rate for c in specs])
        self.price_median = np.array([c.price.median for c in specs])
        self.price_sigma = np.array([c.price.sigma for c in specs])
        self.deliv_low = np.array([c.delivery_days.low for c in specs])
        self.deliv_high = np.array([c.delivery_days.high for c in specs])
        # the catalog's SKUs and the reasons of every category, flat (a category's start,
        # size): a day's draws pick from them all at once
        pools = population.catalog.by_category
        self.pool = np.concatenate(pools)
        self.pool_size = np.array([len(p) for p in pools], dtype=np.int64)
        self.pool_start = np.cumsum(self.pool_size) - self.pool_size
        reasons = [list(c.reasons.values()) for c in specs]
        self.reason_codes = np.array([r for c in specs for r in c.reasons], dtype=object)
        self.reason_size = np.array([len(r) for r in reasons], dtype=np.int64)
        self.reason_start = np.cumsum(self.reason_size) - self.reason_size
        # cumulated shares, one row per category, padded with infinity (never drawn)
        self.reason_cum = np.full((len(specs), int(self.reason_size.max())), np.inf)
        for ci, shares in enumerate(reasons):
            self.reason_cum[ci, :len(shares)] = np.cumsum(shares)
        self.carriers = list(scenario.shipping.carriers)
        self.carrier_kind = np.array(
            [_UPS if c == "UPS" else _USPS if c == "USPS" else _OTHER for c in self.carriers])
        self.carrier_cum = np.cumsum(list(scenario.shipping.carriers.values()))
        self.qty_cum = np.cumsum(scenario.demand.quantity_shares)
        self.rng_orders = streams.rng("orders")
        self.rng_details = streams.rng("orders.details")
        self.rng_requests = streams.rng("requests")
        self.rng_review = streams.rng("review")
        self.rng_shipping = streams.rng("shipping")
        self.rng_closing = streams.rng("closing")
        self.orders = 0  # every order, the warm-up's too (they number the orders)
        self.warmup_days = plan.warmup_days
        self.measured_orders = 0  # orders of the measured days
        self.orders_by_category = np.zeros(len(self.cats), dtype=np.int64)  # measured days

    def day(self, d: int) -> list[Draws]:
        """Draw day ``d``'s orders; return the ones that will be returned, in order."""
        n = int(self.rng_orders.poisson(self.rates[d]))
        u = self.rng_orders.random((2, n))
        cat = np.minimum(self.cum_share.searchsorted(u[0], side="right"), len(self.cats) - 1)
        returned = u[1] < self.return_rate[cat]
        first_order = self.orders
        self.orders += n
        if d >= self.warmup_days:
            self.measured_orders += n
            self.orders_by_category += np.bincount(cat, minlength=len(self.cats))
        idx = returned.nonzero()[0]
        m = int(idx.shape[0])
        cat = cat[idx]
        pop = self.pop

        det = self.rng_details
        ordered = d * DAY + det.integers(0, DAY, m)
        du = det.random((4, m))
        lag_days = self.deliv_low[cat] + du[0] * (self.deliv_high[cat] - self.deliv_low[cat])
        delivered = ordered + (lag_days * DAY).astype(np.int64)
        # (a draw is >= 0, so an index needs no lower bound: np.minimum, cheaper than clip)
        size = self.pool_size[cat]
        sku = self.pool[self.pool_start[cat] + np.minimum((du[1] * size).astype(np.int64),
                                                          size - 1)]
        order_qty = np.minimum(self.qty_cum.searchsorted(du[2], side="right"), 2) + 1
        prime = du[3] < self.s.demand.prime_share
        buyer = det.integers(0, pop.buyers.size, m)
        price = (  # ndarray.round is np.round without its Python wrapper (as searchsorted)
            self.price_median[cat] * np.exp(self.price_sigma[cat] * det.standard_normal(m))
        ).round(2)
        suffix = det.integers(0, 10_000_000, m)

        req = self.rng_requests
        rd = self.s.buyers.request_delay_days
        delay = rd.median * np.exp(rd.sigma * req.standard_normal(m))
        requested = delivered + (delay * DAY).astype(np.int64)
        ru = req.random((3, m))
        # per return, how many of its category's cumulated shares are <= its draw: what
        # np.searchsorted(side="right") gives, for every category at once
        k = (self.reason_cum[cat] <= ru[0][:, None]).sum(axis=1)
        reason_size = self.reason_size[cat]
        reasons = self.reason_codes[self.reason_start[cat] + np.minimum(k, reason_size - 1)]
        return_qty = 1 + np.minimum((ru[1] * order_qty).astype(np.int64), order_qty - 1)
        comment = ru[2] < self.s.buyers.comment_share

        rv = self.rng_review
        rm = self.s.sellers.review.review_minutes
        review_s = np.maximum(1, (rm.median * 60 * np.exp(rm.sigma * rv.standard_normal(m))))
        decide = rv.random((m, 6))
        draw = rv.integers(0, 1 << 30, m)

        sh = self.rng_shipping
        sd = self.s.buyers.ship_delay_days
        ship_u = sh.random(m)
        ship_delay = sd.median * np.exp(sd.sigma * sh.standard_normal(m))
        tr = self.s.shipping.transit_days
        transit = tr.low + sh.random(m) * (tr.high - tr.low)
        carrier_i = np.minimum(self.carrier_cum.searchsorted(sh.random(m), side="right"),
                               len(self.carriers) - 1)
        label_u = sh.random(m)
        carriers = [self.carriers[i] for i in carrier_i.tolist()]

        cl = self.rng_closing
        lag = self.s.sellers.decisions.close_lag_days
        insp = self.s.sellers.decisions.inspection_days
        close_lag = lag.low + cl.random(m) * (lag.high - lag.low)
        inspection = insp.low + cl.random(m) * (insp.high - insp.low)

        order_no = first_order + 1 + idx
        # the durations in whole seconds, four columns converted in one go (the same numbers)
        ship_delay_s, transit_s, close_lag_s, inspection_s = (
            np.array((ship_delay, transit, close_lag, inspection)) * DAY).astype(np.int64).tolist()
        columns = (
            order_no.tolist(),
            order_ids(order_no, suffix),
            sku.tolist(),
            pop.catalog.seller[sku].tolist(),
            cat.tolist(),
            pop.buyers.ids_of(buyer),
            ordered.tolist(),
            delivered.tolist(),
            requested.tolist(),
            order_qty.tolist(),
            return_qty.tolist(),
            price.tolist(),
            prime.tolist(),
            reasons.tolist(),
            comment.tolist(),
            repeat(ReviewDraws(buyer, review_s.astype(np.int64), decide, draw), m),
            range(m),
            ship_u.tolist(),
            ship_delay_s,
            transit_s,
            carriers,
            tracking_ids(self.carrier_kind[carrier_i], sh.integers(0, 36**10, m),
                         sh.integers(0, 36**6, m)),
            label_u.tolist(),
            close_lag_s,
            inspection_s,
        )
        # a tuple of ``zip`` made a Draws without ``_make``'s Python call and length check (the
        # strict zip makes every row as long as the columns are many, a Draws's fields)
        return list(map(_new_draws, zip(*columns, strict=True)))
