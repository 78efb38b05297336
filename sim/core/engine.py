"""The reference engine: the rap/1 state machine, in-process, behind the engine port.

It keeps sellers, orders and returns and applies the rules of ``sim.core.policy``. It knows no clock
(every time arrives in a command), no randomness and no I/O, so the same commands always give
the same answers. Every op checks everything before it changes anything: a refusal
(:class:`EngineError`) leaves the state exactly as it was.

``ReferenceEngine(notifications=False)`` is for a caller in the same process that never reads
an :class:`Outcome`'s notifications (the simulator's replications: its gateway keeps the
records alone). Its ops decide, refuse, number RMAs and keep records exactly as by default,
but every ``notifications`` they return is empty: building the notes was about 3 % of a
replication, and their objects were allocated and freed for nothing. The wire servers, the
conformance suite and everything else that answers over rap/1 keep the default
(tests/core/test_engine_quiet.py compares both on a mixed stream of ops).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from sim import PROTOCOL, __version__
from sim.core import policy as rules
from sim.core import refusals
from sim.core.checks import (
    check_authorization,
    check_order,
    check_patch,
    check_plan_fields,
    check_request,
    computed_instant,
    need_id,
    need_instant,
    need_length,
    need_text,
)
from sim.core.errors import EngineError, invalid_args
from sim.core.limits import FIRST_INSTANT, LAST_INSTANT, MAX_BATCH_IDS, MAX_ID_LENGTH
from sim.core.records import (
    authorized,
    batch_item,
    copy_record,
    new_record,
    outcome,
    plain_authorization,
    plain_label,
    return_authorized,
    return_closed,
    return_requested,
    seller_reply,
)
from sim.core.rma import RmaBook
from sim.core.sellers import defaults, merge_settings
from sim.core.timefmt import format_timestamp as format_instant
from sim.core.values import (
    Address,
    Authorization,
    BatchItem,
    BatchOutcome,
    CloseReason,
    Hello,
    Instant,
    Label,
    Mode,
    Notification,
    Order,
    Outcome,
    Plan,
    Policy,
    ReturnRecord,
    ReturnRequest,
    Rma,
    Seller,
    SettingsPatch,
    Status,
)

# Read once: on Python 3.11 ``Status.CLOSED`` goes through ``EnumType.__getattr__`` (about
# 80 ns a read), and each op reads several.
_PENDING = Status.PENDING_AUTHORIZATION
_AUTHORIZED = Status.AUTHORIZED
_RECEIVED = Status.RECEIVED
_CLOSED = Status.CLOSED
_AUTO, _MANUAL = Mode.AUTO, Mode.MANUAL
_DECLINED, _NOT_RETURNED = CloseReason.DECLINED, CloseReason.NOT_RETURNED
_COMPLETED = CloseReason.COMPLETED

IMPLEMENTATION = "returns-sandbox-reference"
OPTIONAL_FEATURES = ("label_details",)
"""``label_details``: a seller's own prepaid label keeps the carrier and tracking id given."""


class ReferenceEngine:
    """The reference implementation of rap/1 (see docs/policy.md for the clause map)."""

    def __init__(self, *, notifications: bool = True) -> None:
        self._notify = notifications  # False: every Outcome's notifications empty (see above)
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
        self._rmas = RmaBook()
        self._claimed: dict[tuple[str, str], int] = {}  # (order, sku) -> quantity not declined

    def set_policy(self, policy: Policy) -> Policy:
        rules.check_policy(policy)
        self._policy = policy
        return policy

    # ------------------------------------------------------------------ sellers

    def register_seller(self, seller_id: str, plan: Plan, settings: SettingsPatch) -> Seller:
        need_id("seller_id", seller_id)
        check_patch(settings)
        check_plan_fields(plan, settings)
        if seller_id in self._sellers:
            raise refusals.duplicate_seller(seller_id)
        seller = Seller(seller_id, plan, merge_settings(self._policy, defaults(plan), settings))
        self._sellers[seller_id] = seller
        self._rmas.open(seller_id)
        return seller

    def update_seller(self, seller_id: str, settings: SettingsPatch) -> Seller:
        check_patch(settings)
        seller = self._seller(seller_id)
        check_plan_fields(seller.plan, settings)
        updated = replace(seller, settings=merge_settings(self._policy, seller.settings, settings))
        self._sellers[seller_id] = updated
        return updated

    # ------------------------------------------------------------------ orders

    def place_order(self, order: Order) -> Order:
        check_order(order)
        if order.order_id in self._orders:
            raise refusals.duplicate_order(order)
        if order.seller_id not in self._sellers:  # check_order checked the id as _seller does
            raise refusals.unknown_seller(order.seller_id)
        if order.delivered_at < order.ordered_at:
            raise refusals.delivered_before_ordered(order)
        self._orders[order.order_id] = order
        return order

    # ------------------------------------------------------------------ returns

    def request_return(self, request: ReturnRequest) -> Outcome:
        """A buyer asks to return an item (C01, C02, C03, C05, C13-C16)."""
        check_request(request)
        return_id = request.return_id
        if return_id in self._returns:
            raise refusals.duplicate_return(request)
        order = self._orders.get(request.order_id)
        if order is None:
            raise refusals.unknown_order(request)
        sku = request.sku
        item = order.item(sku)
        if item is None:
            raise refusals.unknown_sku(order, request)
        at = request.requested_at
        if at < order.delivered_at:
            raise refusals.not_delivered(order, request)
        key = (order.order_id, sku)
        claimed = self._claimed.get(key, 0)
        quantity = request.quantity
        if claimed + quantity > item.quantity:  # rule 10
            raise refusals.quantity_exceeds(item, request, claimed)

        policy = self._policy
        seller = self._sellers[order.seller_id]
        seller_id = seller.seller_id
        settings = seller.settings
        category = item.category
        closes = rules.window_closes_at(
            policy, settings, category, order.ordered_at, order.delivered_at
        )
        eligible = rules.close_eligible_at(policy, closes)
        if closes > LAST_INSTANT or eligible > LAST_INSTANT:  # then refused, in this order
            computed_instant("window_closes_at", closes)
            computed_instant("close_eligible_at", eligible)
        violations = rules.violations(policy, category, at, closes)
        in_policy = not violations
        label_type = rules.decide(policy, seller.plan, settings, sku, category, in_policy)
        pending = label_type is None
        if pending:
            due = rules.respond_by(policy, at)
            computed_instant("respond_by", due)
        notify = self._notify
        if notify:
            requested = return_requested(
                return_id, at, request.reason, not in_policy,
                rules.request_links(settings, pending),
            )
        record, state = new_record(
            request, order, seller_id, category, in_policy, violations, closes, eligible
        )
        if label_type is None:
            state["status"] = _PENDING
            state["respond_by"] = due
            notes: tuple[Notification, ...] = (requested,) if notify else ()
        else:
            rma = self._rmas.amazon(seller_id, return_id)
            label = plain_label(label_type, rules.label_payer(policy, label_type, request.reason))
            address = settings.default_address
            note = self._issue_rma(seller_id, return_id, at, rma, label, address)
            notes = (requested, note) if note is not None else ()
            authorized(state, _AUTO, at, rma, label, address)
        self._claimed[key] = claimed + quantity
        self._last_event[return_id] = at
        self._returns[return_id] = record
        return outcome(record, notes)

    def authorize(self, authorization: Authorization) -> Outcome:
        """Manual authorization of one request (C06-C10)."""
        # What does not fit the schema is refused before anything is looked up, as over rap/1.
        choice = check_authorization(authorization)
        return_id, at, rma = authorization.return_id, authorization.at, authorization.rma
        return_address_id = authorization.return_address_id
        return_address = authorization.return_address
        record = self._touch(return_id, at, _PENDING, "authorize")
        seller = self._sellers[record.seller_id]
        if rma is None:
            number = self._rmas.amazon(seller.seller_id, return_id)
        else:
            number = self._rmas.custom(seller.seller_id, rma)
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
                raise refusals.unknown_address(seller, return_address_id)
            address = found
        else:
            address = settings.default_address
        payer = rules.label_payer(self._policy, choice.type, record.reason)
        if choice.carrier is None and choice.tracking_id is None:
            given = plain_label(choice.type, payer)
        else:
            given = Label(choice.type, payer, choice.carrier, choice.tracking_id)
        note = self._issue_rma(seller.seller_id, return_id, at, number, given, address)
        updated, state = copy_record(record)
        authorized(state, _MANUAL, at, number, given, address)
        if new_settings is not settings:
            self._sellers[seller.seller_id] = replace(seller, settings=new_settings)
        self._returns[return_id] = updated
        self._last_event[return_id] = at
        return outcome(updated, (note,) if note is not None else ())

    def authorize_batch(self, return_ids: Sequence[str], at: Instant) -> BatchOutcome:
        """C11: several requests at once; one failure never stops the others."""
        if not return_ids:
            raise invalid_args("return_ids", [], "must name at least one return")
        need_length("return_ids", return_ids, MAX_BATCH_IDS)
        need_instant("at", at)
        for i, rid in enumerate(return_ids):
            if not (type(rid) is str and 0 < len(rid) <= MAX_ID_LENGTH):  # as in need_id
                need_id(f"return_ids[{i}]", rid)
        results: list[BatchItem] = []
        notes: list[Notification] = []
        for rid in return_ids:
            try:
                done = self.authorize(plain_authorization(rid, at))
            except EngineError as error:
                results.append(batch_item(rid, False, None, error))
            else:
                results.append(batch_item(rid, True, done.return_, None))
                notes.extend(done.notifications)
        return BatchOutcome(tuple(results), tuple(notes))

    def close(self, return_id: str, at: Instant) -> Outcome:
        """C16 and rule 8: decline a pending request, close an unreturned one after transit,
        or complete a received one."""
        record = self._touch(return_id, at, None, "close")
        status = record.status
        if status is _PENDING:
            reason = _DECLINED
            key = (record.order_id, record.sku)
            self._claimed[key] -= record.quantity  # rule 10: declined returns free quantity
        elif status is _AUTHORIZED:
            if at < record.close_eligible_at:
                eligible = format_instant(record.close_eligible_at)
                raise refusals.too_early(return_id, eligible)
            reason = _NOT_RETURNED
        else:
            reason = _COMPLETED
        updated, state = copy_record(record)
        state["status"] = _CLOSED
        state["closed_at"] = at
        state["close_reason"] = reason
        state["respond_by"] = None
        self._returns[return_id] = updated
        self._last_event[return_id] = at
        if self._notify:
            return outcome(updated, (return_closed(return_id, at, reason),))
        return outcome(updated, ())

    def reply(self, return_id: str, at: Instant, message: str) -> Outcome:
        """C12: the seller answers the buyer (for example before deciding)."""
        need_text("message", message, empty=False)
        record = self._touch(return_id, at, None, "reply")
        self._last_event[return_id] = at
        if self._notify:
            return outcome(record, (seller_reply(return_id, at, message),))
        return outcome(record, ())

    def receive(self, seller_id: str, rma: str, at: Instant) -> ReturnRecord:
        """C08: the RMA on the packing slip identifies the return when it arrives."""
        if not (  # the plainly valid RMA and time, as in sim.core.checks ("Fast paths")
            type(rma) is str and 0 < len(rma) <= MAX_ID_LENGTH
            and type(at) is int and FIRST_INSTANT <= at <= LAST_INSTANT
        ):
            need_id("rma", rma)
            need_instant("at", at)
        if type(seller_id) is not str or seller_id not in self._sellers:
            self._seller(seller_id)  # a known id passed need_id: only the others ask again
        return_id = self._rmas.find(seller_id, rma)
        if return_id is None:
            raise refusals.unknown_rma(seller_id, rma)
        record = self._touch(return_id, at, _AUTHORIZED, "receive")
        updated, state = copy_record(record)
        state["status"] = _RECEIVED
        state["received_at"] = at
        self._returns[return_id] = updated
        self._last_event[return_id] = at
        return updated

    def get_return(self, return_id: str) -> ReturnRecord:
        need_id("return_id", return_id)
        record = self._returns.get(return_id)
        if record is None:
            raise refusals.unknown_return(return_id)
        return record

    def returns(self) -> Iterable[ReturnRecord]:
        """Every return, in the order requested (for tests and reports; not an op)."""
        return self._returns.values()

    def close_port(self) -> None:
        """Nothing to release in-process."""

    # ------------------------------------------------------------------ helpers

    def _seller(self, seller_id: str) -> Seller:
        need_id("seller_id", seller_id)
        seller = self._sellers.get(seller_id)
        if seller is None:
            raise refusals.unknown_seller(seller_id)
        return seller

    def _touch(self, return_id: str, at: Instant, need: Status | None, op: str) -> ReturnRecord:
        """The common preconditions of an op on one return: it exists, time does not run
        backwards, and (``need``) it is in the right state; ``None`` means "not closed"."""
        record = None
        if (  # the plainly valid time and id, as in sim.core.checks ("Fast paths")
            type(at) is int and FIRST_INSTANT <= at <= LAST_INSTANT
            and type(return_id) is str and 0 < len(return_id) <= MAX_ID_LENGTH
        ):
            record = self._returns.get(return_id)
        if record is None:  # the full checks decide the refusal
            need_instant("at", at)
            record = self.get_return(return_id)
        last = self._last_event[return_id]
        if at < last:
            raise refusals.before_last_event(at, last)
        status = record.status
        if (need is None and status is _CLOSED) or (need is not None and status is not need):
            raise refusals.invalid_state(return_id, record, op)
        return record

    def _issue_rma(
        self, seller_id: str, return_id: str, at: Instant, rma: Rma, label: Label,
        address: Address,
    ) -> Notification | None:
        """C07: authorization gives the buyer a label and the return address, and the RMA,
        which is now taken for good in the marketplace and for this seller (the buyer's note:
        None when the engine builds none)."""
        self._rmas.take(seller_id, rma.number, return_id)
        if not self._notify:
            return None
        return return_authorized(return_id, at, rma.number, label.type, address.address_id)
