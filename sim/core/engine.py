"""The reference engine: the rap/1 state machine, in-process, behind the engine port.

It keeps sellers, orders and returns and applies the rules of ``sim.core.policy``. It knows no clock
(every time arrives in a command), no randomness and no I/O, so the same commands always give
the same answers. Every op checks everything before it changes anything: a refusal
(:class:`EngineError`) leaves the state exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from sim import PROTOCOL, __version__
from sim.core import policy as rules
from sim.core.errors import EngineError, ErrorCode, invalid_args, show_value
from sim.core.rma import amazon_rma
from sim.core.timefmt import format_timestamp as format_instant
from sim.core.values import (
    INDIVIDUAL_ONLY,
    PROFESSIONAL_ONLY,
    Address,
    BatchItem,
    BatchOutcome,
    CloseReason,
    Hello,
    Instant,
    Label,
    LabelChoice,
    LabelType,
    Mode,
    Notification,
    NotificationKind,
    Order,
    Outcome,
    Plan,
    Policy,
    Recipient,
    ReturnRecord,
    ReturnRequest,
    Rma,
    RmaSource,
    Seller,
    SellerSettings,
    SettingsPatch,
    Status,
)

IMPLEMENTATION = "returns-sandbox-reference"
OPTIONAL_FEATURES = ("label_details",)
"""``label_details``: a seller's own prepaid label keeps the carrier and tracking id given."""


class ReferenceEngine:
    """The reference implementation of rap/1 (see docs/policy.md for the clause map)."""

    def __init__(self) -> None:
        self.reset()

    # ------------------------------------------------------------------ marketplace

    def hello(self) -> Hello:
        return Hello(PROTOCOL, IMPLEMENTATION, __version__, OPTIONAL_FEATURES)

    def reset(self) -> None:
        self._policy = Policy()
        self._sellers: dict[str, Seller] = {}
        self._orders: dict[str, Order] = {}
        self._returns: dict[str, ReturnRecord] = {}
        self._last_event: dict[str, Instant] = {}
        self._seller_rmas: dict[str, dict[str, str]] = {}  # seller -> rma number -> return
        self._used_rmas: set[str] = set()
        self._claimed: dict[tuple[str, str], int] = {}  # (order, sku) -> quantity not declined

    def set_policy(self, policy: Policy) -> Policy:
        rules.check_policy(policy)
        self._policy = policy
        return policy

    # ------------------------------------------------------------------ sellers

    def register_seller(self, seller_id: str, plan: Plan, settings: SettingsPatch) -> Seller:
        _need_id("seller_id", seller_id)
        _check_patch(settings)
        _check_plan_fields(plan, settings)
        if seller_id in self._sellers:
            raise EngineError(
                ErrorCode.DUPLICATE_SELLER,
                f"seller {show_value(seller_id)} is already registered",
                {"seller_id": seller_id},
            )
        professional = plan is Plan.PROFESSIONAL
        base = SellerSettings(
            return_addresses=(),
            default_return_address_id="",
            authorization=None if professional else Mode.MANUAL,
            out_of_policy=Mode.MANUAL if professional else None,
            exempt_skus=() if professional else None,
            exempt_mode=Mode.MANUAL if professional else None,
        )
        seller = Seller(seller_id, plan, self._merge_settings(base, settings))
        self._sellers[seller_id] = seller
        self._seller_rmas[seller_id] = {}
        return seller

    def update_seller(self, seller_id: str, settings: SettingsPatch) -> Seller:
        _check_patch(settings)
        seller = self._seller(seller_id)
        _check_plan_fields(seller.plan, settings)
        updated = replace(seller, settings=self._merge_settings(seller.settings, settings))
        self._sellers[seller_id] = updated
        return updated

    def _merge_settings(self, old: SellerSettings, patch: SettingsPatch) -> SellerSettings:
        """Apply a patch (validated whole before anything is kept)."""
        addresses = old.return_addresses
        if patch.return_addresses is not None:
            addresses = patch.return_addresses
        if not addresses:
            raise EngineError(
                ErrorCode.MISSING_RETURN_ADDRESS,
                "settings.return_addresses: a seller needs at least one return address",
                {"field": "settings.return_addresses"},
            )
        ids = [a.address_id for a in addresses]
        default = old.default_return_address_id
        if patch.default_return_address_id is not None:
            default = patch.default_return_address_id
            if default not in ids:
                raise EngineError(
                    ErrorCode.UNKNOWN_ADDRESS,
                    f"settings.default_return_address_id: no return address {show_value(default)}",
                    {"field": "settings.default_return_address_id", "address_id": default},
                )
        elif default not in ids:
            default = ids[0]
        windows = old.return_window_days
        if patch.return_window_days is not None:
            windows = dict(patch.return_window_days)
            problem = rules.less_generous_windows(self._policy, windows)
            if problem is not None:
                raise problem
        exempt_skus = old.exempt_skus
        if patch.exempt_skus is not None:
            exempt_skus = tuple(patch.exempt_skus)
        return SellerSettings(
            return_addresses=tuple(addresses),
            default_return_address_id=default,
            email_links=old.email_links if patch.email_links is None else patch.email_links,
            return_window_days=windows,
            authorization=patch.authorization or old.authorization,
            out_of_policy=patch.out_of_policy or old.out_of_policy,
            exempt_skus=exempt_skus,
            exempt_mode=patch.exempt_mode or old.exempt_mode,
        )

    # ------------------------------------------------------------------ orders

    def place_order(self, order: Order) -> Order:
        _need_id("order_id", order.order_id)
        _need_id("seller_id", order.seller_id)
        _need_id("buyer_id", order.buyer_id)
        if not order.items:
            raise invalid_args("items", [], "an order needs at least one item")
        skus: set[str] = set()
        for i, item in enumerate(order.items):
            _need_id(f"items[{i}].sku", item.sku)
            _need_id(f"items[{i}].category", item.category)
            if item.quantity < 1:
                raise invalid_args(f"items[{i}].quantity", item.quantity, "must be at least 1")
            if not item.unit_price >= 0:
                raise invalid_args(f"items[{i}].unit_price", item.unit_price, "must be >= 0")
            if item.sku in skus:
                raise invalid_args(f"items[{i}].sku", item.sku, "appears twice in the order")
            skus.add(item.sku)
        if order.order_id in self._orders:
            raise EngineError(
                ErrorCode.DUPLICATE_ORDER,
                f"order {show_value(order.order_id)} already exists",
                {"order_id": order.order_id},
            )
        self._seller(order.seller_id)
        if order.delivered_at < order.ordered_at:
            raise EngineError(
                ErrorCode.INVALID_TIME,
                f"delivered_at {format_instant(order.delivered_at)} is before ordered_at "
                f"{format_instant(order.ordered_at)}",
                {"field": "delivered_at", "value": format_instant(order.delivered_at)},
            )
        self._orders[order.order_id] = order
        return order

    # ------------------------------------------------------------------ returns

    def request_return(self, request: ReturnRequest) -> Outcome:
        """A buyer asks to return an item (C01, C02, C03, C05, C13-C16)."""
        _need_id("return_id", request.return_id)
        _need_id("order_id", request.order_id)
        _need_id("sku", request.sku)
        _need_id("reason", request.reason)
        if request.quantity < 1:
            raise invalid_args("quantity", request.quantity, "must be at least 1")
        if request.return_id in self._returns:
            raise EngineError(
                ErrorCode.DUPLICATE_RETURN,
                f"return {show_value(request.return_id)} already exists",
                {"return_id": request.return_id},
            )
        order = self._orders.get(request.order_id)
        if order is None:
            raise EngineError(
                ErrorCode.UNKNOWN_ORDER,
                f"no order {show_value(request.order_id)}",
                {"order_id": request.order_id},
            )
        item = order.item(request.sku)
        if item is None:
            raise EngineError(
                ErrorCode.UNKNOWN_SKU,
                f"order {show_value(order.order_id)} has no sku {show_value(request.sku)}",
                {"order_id": order.order_id, "sku": request.sku},
            )
        if request.requested_at < order.delivered_at:
            raise EngineError(
                ErrorCode.NOT_DELIVERED,
                f"requested_at {format_instant(request.requested_at)} is before delivery at "
                f"{format_instant(order.delivered_at)}",
                {"delivered_at": format_instant(order.delivered_at)},
            )
        key = (order.order_id, request.sku)
        claimed = self._claimed.get(key, 0)
        if claimed + request.quantity > item.quantity:  # rule 10
            raise EngineError(
                ErrorCode.QUANTITY_EXCEEDS_ORDER,
                f"quantity {request.quantity} plus {claimed} already requested exceeds the "
                f"{item.quantity} ordered of {show_value(request.sku)}",
                {"ordered": item.quantity, "already_requested": claimed,
                 "requested": request.quantity},
            )

        policy = self._policy
        seller = self._sellers[order.seller_id]
        settings = seller.settings
        closes = rules.window_closes_at(
            policy, settings, item.category, order.ordered_at, order.delivered_at
        )
        violations = rules.violations(policy, item.category, request.requested_at, closes)
        in_policy = not violations
        label_type = rules.decide(
            policy, seller.plan, settings, request.sku, item.category, in_policy
        )
        pending = label_type is None
        return_id = request.return_id
        at = request.requested_at
        notes = [
            Notification(
                Recipient.SELLER, NotificationKind.RETURN_REQUESTED, return_id, at,
                reason=request.reason, out_of_policy=not in_policy,
                links=rules.request_links(settings, pending),
            )
        ]
        if label_type is None:
            how = rma = label = address = authorized_at = None
            due: Instant | None = rules.respond_by(policy, at)
            status = Status.PENDING_AUTHORIZATION
        else:
            how, authorized_at, due, status = Mode.AUTO, at, None, Status.AUTHORIZED
            rma = Rma(self._new_amazon_rma(seller.seller_id, return_id), RmaSource.AMAZON)
            label = Label(label_type, rules.label_payer(policy, label_type, request.reason))
            address = settings.default_address
            notes.append(self._issue_rma(seller.seller_id, return_id, at, rma, label, address))
        # Built once, in its final state, without the frozen-dataclass __init__: this is the
        # engine's hottest line (see bench/engine_ops.py).
        record = _evolve(
            _BLANK, return_id=return_id, order_id=order.order_id, seller_id=seller.seller_id,
            buyer_id=order.buyer_id, sku=request.sku, category=item.category,
            quantity=request.quantity, reason=request.reason, requested_at=at, status=status,
            in_policy=in_policy, policy_violations=violations, authorization=how,
            authorized_at=authorized_at, rma=rma, label=label, return_address=address,
            window_closes_at=closes, close_eligible_at=rules.close_eligible_at(policy, closes),
            respond_by=due,
        )
        self._claimed[key] = claimed + request.quantity
        self._last_event[return_id] = at
        self._returns[return_id] = record
        return Outcome(record, tuple(notes))

    def authorize(
        self,
        return_id: str,
        at: Instant,
        *,
        rma: str | None = None,
        label: LabelChoice | None = None,
        return_address_id: str | None = None,
        return_address: Address | None = None,
    ) -> Outcome:
        """Manual authorization of one request (C06-C10)."""
        if return_address_id is not None and return_address is not None:
            raise invalid_args(
                "return_address", "given with return_address_id",
                "give return_address_id or return_address, not both",
            )
        # What does not fit the schema is refused before anything is looked up, as over rap/1.
        choice = label or LabelChoice()
        if choice.type is LabelType.AMAZON_PREPAID:
            raise invalid_args(
                "label.type", choice.type.value,
                "a seller authorizing by hand chooses amazon_unpaid or seller_prepaid",
            )
        if choice.type is LabelType.AMAZON_UNPAID and (choice.carrier or choice.tracking_id):
            raise invalid_args(
                "label.carrier", choice.carrier or choice.tracking_id,
                "carrier and tracking_id go with a seller_prepaid label only",
            )
        if return_address is not None:
            _check_address("return_address", return_address)
        record = self._touch(return_id, at, Status.PENDING_AUTHORIZATION, "authorize")
        seller = self._sellers[record.seller_id]
        used = self._seller_rmas[seller.seller_id]
        if rma is None:
            number = Rma(self._new_amazon_rma(seller.seller_id, return_id), RmaSource.AMAZON)
        else:
            if not rules.CUSTOM_RMA.fullmatch(rma):
                raise EngineError(
                    ErrorCode.INVALID_RMA,
                    f"rma: {show_value(rma)} must be 1-32 letters, digits, '_' or '-'",
                    {"rma": rma},
                )
            if rma in used:
                raise EngineError(
                    ErrorCode.DUPLICATE_RMA,
                    f"rma: {show_value(rma)} is already used by seller "
                    f"{show_value(seller.seller_id)} (return {show_value(used[rma])})",
                    {"rma": rma, "return_id": used[rma]},
                )
            number = Rma(rma, RmaSource.SELLER)
        settings = seller.settings
        new_settings = settings
        if return_address is not None:
            if settings.address(return_address.address_id) is not None:
                raise invalid_args(
                    "return_address.address_id", return_address.address_id,
                    "is already a saved address; use return_address_id",
                )
            address = return_address
            new_settings = replace(
                settings, return_addresses=(*settings.return_addresses, return_address)
            )
        elif return_address_id is not None:
            found = settings.address(return_address_id)
            if found is None:
                raise EngineError(
                    ErrorCode.UNKNOWN_ADDRESS,
                    f"return_address_id: seller {show_value(seller.seller_id)} has no address "
                    f"{show_value(return_address_id)}",
                    {"return_address_id": return_address_id},
                )
            address = found
        else:
            address = settings.default_address
        payer = rules.label_payer(self._policy, choice.type, record.reason)
        given = Label(choice.type, payer, choice.carrier, choice.tracking_id)
        note = self._issue_rma(seller.seller_id, return_id, at, number, given, address)
        updated = _evolve(
            record, status=Status.AUTHORIZED, authorization=Mode.MANUAL, authorized_at=at,
            rma=number, label=given, return_address=address, respond_by=None,
        )
        if new_settings is not settings:
            self._sellers[seller.seller_id] = replace(seller, settings=new_settings)
        self._returns[return_id] = updated
        self._last_event[return_id] = at
        return Outcome(updated, (note,))

    def authorize_batch(self, return_ids: Sequence[str], at: Instant) -> BatchOutcome:
        """C11: several requests at once; one failure never stops the others."""
        if not return_ids:
            raise invalid_args("return_ids", [], "must name at least one return")
        for i, rid in enumerate(return_ids):
            _need_id(f"return_ids[{i}]", rid)
        results: list[BatchItem] = []
        notes: list[Notification] = []
        for rid in return_ids:
            try:
                outcome = self.authorize(rid, at)
            except EngineError as error:
                results.append(BatchItem(rid, False, error=error))
            else:
                results.append(BatchItem(rid, True, return_=outcome.return_))
                notes.extend(outcome.notifications)
        return BatchOutcome(tuple(results), tuple(notes))

    def close(self, return_id: str, at: Instant) -> Outcome:
        """C16 and rule 8: decline a pending request, close an unreturned one after transit,
        or complete a received one."""
        record = self._touch(return_id, at, None, "close")
        if record.status is Status.PENDING_AUTHORIZATION:
            reason = CloseReason.DECLINED
            key = (record.order_id, record.sku)
            self._claimed[key] -= record.quantity  # rule 10: declined returns free quantity
        elif record.status is Status.AUTHORIZED:
            if at < record.close_eligible_at:
                eligible = format_instant(record.close_eligible_at)
                raise EngineError(
                    ErrorCode.TOO_EARLY,
                    f"return {show_value(return_id)} stays open until {eligible} "
                    "(window plus transit)",
                    {"close_eligible_at": eligible},
                )
            reason = CloseReason.NOT_RETURNED
        else:
            reason = CloseReason.COMPLETED
        updated = _evolve(
            record, status=Status.CLOSED, closed_at=at, close_reason=reason, respond_by=None
        )
        self._returns[return_id] = updated
        self._last_event[return_id] = at
        note = Notification(
            Recipient.BUYER, NotificationKind.RETURN_CLOSED, return_id, at, close_reason=reason
        )
        return Outcome(updated, (note,))

    def reply(self, return_id: str, at: Instant, message: str) -> Outcome:
        """C12: the seller answers the buyer (for example before deciding)."""
        if not isinstance(message, str) or not message:
            raise invalid_args("message", message, "must be a non-empty string")
        record = self._touch(return_id, at, None, "reply")
        self._last_event[return_id] = at
        note = Notification(
            Recipient.BUYER, NotificationKind.SELLER_REPLY, return_id, at, message=message
        )
        return Outcome(record, (note,))

    def receive(self, seller_id: str, rma: str, at: Instant) -> ReturnRecord:
        """C08: the RMA on the packing slip identifies the return when it arrives."""
        _need_id("rma", rma)
        self._seller(seller_id)
        return_id = self._seller_rmas[seller_id].get(rma)
        if return_id is None:
            raise EngineError(
                ErrorCode.UNKNOWN_RMA,
                f"seller {show_value(seller_id)} has no return with rma {show_value(rma)}",
                {"seller_id": seller_id, "rma": rma},
            )
        record = self._touch(return_id, at, Status.AUTHORIZED, "receive")
        updated = _evolve(record, status=Status.RECEIVED, received_at=at)
        self._returns[return_id] = updated
        self._last_event[return_id] = at
        return updated

    def get_return(self, return_id: str) -> ReturnRecord:
        _need_id("return_id", return_id)
        record = self._returns.get(return_id)
        if record is None:
            raise EngineError(
                ErrorCode.UNKNOWN_RETURN, f"no return {show_value(return_id)}",
                {"return_id": return_id},
            )
        return record

    def returns(self) -> Iterable[ReturnRecord]:
        """Every return, in the order requested (for tests and reports; not an op)."""
        return self._returns.values()

    def execute(self, request: Mapping[str, Any]) -> dict[str, Any]:
        from sim.rap.envelope import handle

        return handle(self, request)

    def close_port(self) -> None:
        """Nothing to release in-process."""

    # ------------------------------------------------------------------ helpers

    def _seller(self, seller_id: str) -> Seller:
        _need_id("seller_id", seller_id)
        seller = self._sellers.get(seller_id)
        if seller is None:
            raise EngineError(
                ErrorCode.UNKNOWN_SELLER, f"no seller {show_value(seller_id)}",
                {"seller_id": seller_id},
            )
        return seller

    def _touch(self, return_id: str, at: Instant, need: Status | None, op: str) -> ReturnRecord:
        """The common preconditions of an op on one return: it exists, time does not run
        backwards, and (``need``) it is in the right state; ``None`` means "not closed"."""
        record = self.get_return(return_id)
        last = self._last_event[return_id]
        if at < last:
            raise EngineError(
                ErrorCode.INVALID_TIME,
                f"at {format_instant(at)} is before the return's last event at "
                f"{format_instant(last)}",
                {"at": format_instant(at), "last_event_at": format_instant(last)},
            )
        if (need is None and record.status is Status.CLOSED) or (
            need is not None and record.status is not need
        ):
            raise EngineError(
                ErrorCode.INVALID_STATE,
                f"cannot {op} return {show_value(return_id)}: it is {record.status.value}",
                {"return_id": return_id, "status": record.status.value},
            )
        return record

    def _new_amazon_rma(self, seller_id: str, return_id: str) -> str:
        # Every RMA ever issued (Amazon's or a seller's own) is in _used_rmas.
        return amazon_rma(seller_id, return_id, self._used_rmas)

    def _issue_rma(
        self, seller_id: str, return_id: str, at: Instant, rma: Rma, label: Label,
        address: Address,
    ) -> Notification:
        """C07: authorization gives the buyer a label and the return address, and the RMA,
        which is now taken for good in the marketplace and for this seller."""
        self._used_rmas.add(rma.number)
        self._seller_rmas[seller_id][rma.number] = return_id
        return Notification(
            Recipient.BUYER, NotificationKind.RETURN_AUTHORIZED, return_id, at,
            rma=rma.number, label_type=label.type, return_address_id=address.address_id,
        )


_BLANK = ReturnRecord(
    return_id="", order_id="", seller_id="", buyer_id="", sku="", category="", quantity=0,
    reason="", requested_at=0, status=Status.PENDING_AUTHORIZATION, in_policy=True,
    policy_violations=(), authorization=None, authorized_at=None, rma=None, label=None,
    return_address=None, window_closes_at=0, close_eligible_at=0, respond_by=None,
    received_at=None, closed_at=None, close_reason=None,
)
"""Every field present, so a record built from it by :func:`_evolve` can miss none."""


def _evolve(record: ReturnRecord, **changes: Any) -> ReturnRecord:
    """A copy of a (frozen) record with some fields changed; the hot path of every op."""
    new = object.__new__(ReturnRecord)
    state = new.__dict__
    state.update(record.__dict__)
    state.update(changes)
    return new


def _need_id(field_path: str, value: str) -> None:
    if not isinstance(value, str) or not value:
        raise invalid_args(field_path, value, "must be a non-empty string")


def _check_patch(settings: SettingsPatch) -> None:
    """Settings that do not fit the schema: refused before any look-up, as over rap/1."""
    seen: set[str] = set()
    for i, address in enumerate(settings.return_addresses or ()):
        _check_address(f"settings.return_addresses[{i}]", address)
        if address.address_id in seen:
            raise invalid_args(
                f"settings.return_addresses[{i}].address_id", address.address_id,
                "address ids must be unique",
            )
        seen.add(address.address_id)
    for category in settings.return_window_days or {}:
        _need_id("settings.return_window_days (category)", category)
    for i, sku in enumerate(settings.exempt_skus or ()):
        _need_id(f"settings.exempt_skus[{i}]", sku)


def _check_plan_fields(plan: Plan, settings: SettingsPatch) -> None:
    """A setting of the other plan is an error, not something to ignore silently."""
    foreign = PROFESSIONAL_ONLY if plan is Plan.INDIVIDUAL else INDIVIDUAL_ONLY
    for name in foreign:
        value = getattr(settings, name)
        if value is not None:
            shown = [str(v) for v in value] if isinstance(value, tuple) else str(value)
            raise invalid_args(
                f"settings.{name}", shown, f"is not a setting of {plan.value} sellers"
            )


def _check_address(field_path: str, address: Address) -> None:
    for name in ("address_id", "name", "line1", "city", "region", "postal_code", "country"):
        _need_id(f"{field_path}.{name}", getattr(address, name))
