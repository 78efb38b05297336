"""hello and reset."""

from __future__ import annotations

from engine_fixtures import World

import sim
from sim.core.errors import ErrorCode
from sim.core.port import EnginePort
from sim.core.values import DAY, Hello, Policy


def test_hello_names_the_protocol_and_the_optional_features() -> None:
    assert World().engine.hello() == Hello(
        protocol="rap/1",
        implementation="returns-sandbox-reference",
        version=sim.__version__,
        optional=("label_details",),
    )


def test_the_engine_satisfies_the_port() -> None:
    assert isinstance(World().engine, EnginePort)


def test_reset_forgets_sellers_orders_and_returns() -> None:
    w = World()
    w.authorized("R1")
    w.engine.reset()
    w.refuses(ErrorCode.UNKNOWN_RETURN, lambda: w.engine.get_return("R1"))
    # Ids are free again.
    w.seller("S1")
    w.order("O1")
    assert w.request("R1").return_.return_id == "R1"


def test_reset_restores_the_default_policy() -> None:
    w = World(Policy(default_window_days=90, transit_days=1))
    w.engine.reset()
    w.seller()
    w.order()
    r = w.request().return_
    assert r.window_closes_at - r.requested_at < 31 * DAY
    assert r.close_eligible_at == r.window_closes_at + 15 * DAY


def test_reset_frees_custom_rmas() -> None:
    w = World()
    w.pending("R1")
    w.authorize("R1", w.engine.get_return("R1").requested_at, rma="ONCE")
    w.engine.reset()
    r = w.pending("R1")
    assert w.authorize("R1", r.requested_at, rma="ONCE").return_.rma is not None


def test_get_return_refusals() -> None:
    w = World()
    w.refuses(ErrorCode.UNKNOWN_RETURN, lambda: w.engine.get_return("R404"))
    w.refuses(ErrorCode.INVALID_ARGS, lambda: w.engine.get_return(""))


def test_close_port_is_harmless_in_process() -> None:
    w = World()
    w.authorized("R1")
    w.engine.close_port()
    assert w.engine.get_return("R1").return_id == "R1"
