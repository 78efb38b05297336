"""Builders for the engine tests: a seller, an order and a return in one line each.

The tests are written from the rap/1 contract and the interpretations, not from the engine's
code, so these helpers talk to the engine only through the typed port. ``World.refuses`` is the
one place a refusal is checked: it also proves rap/1's "a refusal never changes state" by
comparing every observable return and seller before and after the refused call.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

import pytest

from sim.core.engine import ReferenceEngine
from sim.core.errors import EngineError, ErrorCode
from sim.core.values import (
    DAY,
    Address,
    Authorization,
    Order,
    OrderItem,
    Outcome,
    Plan,
    Policy,
    ReturnRecord,
    ReturnRequest,
    Seller,
    SettingsPatch,
)

AMAZON_RMA = r"^D[A-Za-z0-9]{7}RRMA$"


def ts(text: str) -> int:
    """``2026-03-01T10:00:00Z`` -> epoch seconds (the tests read better with real dates)."""
    return calendar.timegm(datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").timetuple())


def rfc3339(t: int) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


T0 = ts("2026-03-01T10:00:00Z")
"""When the default order is placed."""
DELIVERED = T0 + 2 * DAY
"""When the default order is delivered."""
REQUESTED = DELIVERED + DAY
"""When the default return is requested: well inside the default 30-day window."""


def addr(address_id: str = "A1", name: str = "Warehouse") -> Address:
    return Address(
        address_id=address_id,
        name=name,
        line1=f"{address_id} Dock Road",
        city="Reno",
        region="NV",
        postal_code="89501",
        country="US",
    )


def item(
    sku: str = "SKU1", category: str = "toys", quantity: int = 1, unit_price: float = 10.0
) -> OrderItem:
    return OrderItem(sku=sku, category=category, quantity=quantity, unit_price=unit_price)


@dataclass(frozen=True)
class Refused:
    """A refusal as the contract sees it: the code and the details (the message is free text)."""

    code: ErrorCode
    details: dict[str, Any]


class World:
    """One reference engine plus the ids a test has touched, so its state can be snapshotted."""

    def __init__(self, policy: Policy | None = None) -> None:
        self.engine = ReferenceEngine()
        self.seller_ids: list[str] = []
        self.return_ids: list[str] = []
        if policy is not None:
            self.engine.set_policy(policy)

    # ------------------------------------------------------------------ builders

    def seller(
        self,
        seller_id: str = "S1",
        plan: Plan = Plan.PROFESSIONAL,
        addresses: tuple[Address, ...] | None = None,
        **settings: Any,
    ) -> Seller:
        """Register a seller with one address "A1" unless told otherwise."""
        self._track_seller(seller_id)
        patch = SettingsPatch(
            return_addresses=(addr("A1"),) if addresses is None else addresses, **settings
        )
        return self.engine.register_seller(seller_id, plan, patch)

    def individual(self, seller_id: str = "S1", **settings: Any) -> Seller:
        return self.seller(seller_id, Plan.INDIVIDUAL, **settings)

    def order(
        self,
        order_id: str = "O1",
        seller_id: str = "S1",
        *,
        buyer_id: str = "B1",
        ordered_at: int = T0,
        delivered_at: int | None = None,
        items: Iterable[OrderItem] | None = None,
        **one_item: Any,
    ) -> Order:
        """Place an order; ``one_item`` (sku, category, quantity, unit_price) shapes its item."""
        order = Order(
            order_id=order_id,
            seller_id=seller_id,
            buyer_id=buyer_id,
            ordered_at=ordered_at,
            delivered_at=ordered_at + 2 * DAY if delivered_at is None else delivered_at,
            items=tuple(items) if items is not None else (item(**one_item),),
        )
        return self.engine.place_order(order)

    def request(
        self,
        return_id: str = "R1",
        order_id: str = "O1",
        *,
        sku: str = "SKU1",
        quantity: int = 1,
        reason: str = "CR-UNWANTED_ITEM",
        requested_at: int = REQUESTED,
        comment: str | None = None,
    ) -> Outcome:
        self._track_return(return_id)
        return self.engine.request_return(
            ReturnRequest(
                return_id=return_id,
                order_id=order_id,
                sku=sku,
                quantity=quantity,
                reason=reason,
                requested_at=requested_at,
                comment=comment,
            )
        )

    def pending(self, return_id: str = "R1", order_id: str = "O1", **kw: Any) -> ReturnRecord:
        """A return waiting for the seller: an individual seller on manual authorization."""
        self.individual("S1")
        self.order(order_id)
        record = self.request(return_id, order_id, **kw).return_
        assert record.status == "pending_authorization"
        return record

    def authorized(self, return_id: str = "R1", **kw: Any) -> ReturnRecord:
        """A return authorized at once (professional seller, in policy, not exempt)."""
        self.seller("S1")
        self.order("O1")
        record = self.request(return_id, "O1", **kw).return_
        assert record.status == "authorized"
        return record

    # ------------------------------------------------------------------ observing state

    def _track_seller(self, seller_id: str) -> None:
        if seller_id not in self.seller_ids:
            self.seller_ids.append(seller_id)

    def _track_return(self, return_id: str) -> None:
        if return_id not in self.return_ids:
            self.return_ids.append(return_id)

    def seller_state(self, seller_id: str) -> Seller:
        """The port has no get_seller: an update that gives no setting changes nothing and
        answers with the seller as it stands."""
        return self.engine.update_seller(seller_id, SettingsPatch())

    def snapshot(self) -> dict[str, object]:
        """Everything a client can observe about the ids this test has used."""
        state: dict[str, object] = {}
        for rid in self.return_ids:
            state["return:" + rid] = _observe(partial(self.engine.get_return, rid))
        for sid in self.seller_ids:
            state["seller:" + sid] = _observe(partial(self.seller_state, sid))
        return state

    def authorize(self, return_id: str, at: int, **options: Any) -> Outcome:
        """The engine's ``authorize`` with the seller's choices as keywords."""
        return self.engine.authorize(Authorization(return_id, at, **options))

    def refuses(self, code: ErrorCode, call: Callable[[], object]) -> Refused:
        """Assert ``call`` is refused with ``code`` and that nothing observable changed."""
        before = self.snapshot()
        with pytest.raises(EngineError) as caught:
            call()
        after = self.snapshot()
        assert caught.value.code == code, f"expected {code}, got {caught.value}"
        # Ids first named by the refused call itself must still be unknown afterwards.
        for key in after.keys() - before.keys():
            seen = after[key]
            assert isinstance(seen, Refused), f"refused call created {key}: {seen}"
            assert seen.code in (
                ErrorCode.UNKNOWN_RETURN,
                ErrorCode.UNKNOWN_SELLER,
                ErrorCode.INVALID_ARGS,
            )
            before[key] = seen
        assert after == before, "a refusal changed state"
        return Refused(caught.value.code, caught.value.details)


def _observe(call: Callable[[], object]) -> object:
    try:
        return call()
    except EngineError as err:
        return Refused(err.code, err.details)
