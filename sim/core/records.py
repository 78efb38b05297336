"""Building the engine's answers fast: its hottest path (see bench/engine_ops.py).

:class:`ReturnRecord` and :class:`Notification` are frozen and not slotted, so a new one is a
copy of another's (or a blank's) ``__dict__`` with some fields set: several times cheaper than
their dataclass ``__init__`` (a frozen one sets each field through ``object.__setattr__``,
about 100 ns a field) or ``dataclasses.replace``. What comes out equals, prints and pickles
exactly as if built by the dataclass: every field is present, in the declared order.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

from sim.core.errors import EngineError
from sim.core.values import (
    Address,
    Authorization,
    BatchItem,
    CloseReason,
    Instant,
    Label,
    LabelType,
    Link,
    Mode,
    Notification,
    NotificationKind,
    Order,
    Outcome,
    Payer,
    Recipient,
    ReturnRecord,
    ReturnRequest,
    Rma,
    RmaSource,
    Status,
    Violation,
    twin,
)

_new = object.__new__
# A frozen dataclass refuses its own __setattr__, so a new instance's ``__dict__`` is set
# through the class's own ``__dict__`` descriptor: the same as ``object.__setattr__(new,
# "__dict__", state)``, without that call's generic attribute look-up (about 0.2 us less for
# each of the three or four records a return makes).
_set_record_dict = vars(ReturnRecord)["__dict__"].__set__
_set_note_dict = vars(Notification)["__dict__"].__set__
T = TypeVar("T")


def evolve(record: ReturnRecord, **changes: Any) -> ReturnRecord:
    """A copy of a (frozen) record with some fields changed."""
    new, state = copy_record(record)
    state.update(changes)
    return new


def copy_record(record: ReturnRecord) -> tuple[ReturnRecord, dict[str, Any]]:
    """A copy of a record, and its fields to set before anyone else sees it.

    The engine's own way to evolve a record on a hot path: setting items of the state is
    cheaper than :func:`evolve`'s keyword arguments (a dict built per call)."""
    state = record.__dict__.copy()
    new = _new(ReturnRecord)
    _set_record_dict(new, state)
    return new, state


def _blank(cls: type[T]) -> T:
    """An instance with every field ``None``, built by the dataclass's own ``__init__``.

    So its ``__dict__`` shares its keys with the class (CPython's key-sharing "split" dict),
    and so do the copies made from it: each keeps only its values, about 250 bytes for a
    record instead of 830 (a combined dict, allocated outside Python's small-object
    allocator). Copying it and the records made from it is cheaper too."""
    nothing: dict[str, Any] = dict.fromkeys(f.name for f in fields(cls))  # type: ignore[arg-type]
    return cls(**nothing)


BLANK = _blank(ReturnRecord)
"""Every field present (``None``), so a record built from it can miss none it does not set."""
_STATUS_AUTHORIZED = Status.AUTHORIZED


def new_record(
    request: ReturnRequest, order: Order, seller_id: str, category: str, in_policy: bool,
    violations: tuple[Violation, ...], closes: Instant, eligible: Instant,
) -> tuple[ReturnRecord, dict[str, Any]]:
    """The record of a new request, but for its decision: the caller sets ``status`` and
    what goes with it (``respond_by``, or :func:`authorized`); the rest stays ``None``.

    Built once, in its final state: this is the engine's hottest line."""
    record, state = copy_record(BLANK)
    state["return_id"] = request.return_id
    state["order_id"] = order.order_id
    state["seller_id"] = seller_id
    state["buyer_id"] = order.buyer_id
    state["sku"] = request.sku
    state["category"] = category
    state["quantity"] = request.quantity
    state["reason"] = request.reason
    state["requested_at"] = request.requested_at
    state["in_policy"] = in_policy
    state["policy_violations"] = violations
    state["window_closes_at"] = closes
    state["close_eligible_at"] = eligible
    return record, state


def authorized(
    state: dict[str, Any], how: Mode, at: Instant, rma: Rma, label: Label, address: Address
) -> None:
    """Set a (new) record's fields of an authorization: automatic or by hand."""
    state["status"] = _STATUS_AUTHORIZED
    state["authorization"] = how
    state["authorized_at"] = at
    state["rma"] = rma
    state["label"] = label
    state["return_address"] = address
    state["respond_by"] = None


# ------------------------------------------------------------------ notifications (rule 11)
# One builder per kind, each setting exactly the fields of its kind (the others stay None).


def _blank_note(to: Recipient, kind: NotificationKind) -> dict[str, Any]:
    """The fields of a notification of ``kind`` to ``to``, the others ``None``."""
    state = _blank(Notification).__dict__
    state["to"] = to
    state["kind"] = kind
    return state


_REQUESTED = _blank_note(Recipient.SELLER, NotificationKind.RETURN_REQUESTED)
_AUTHORIZED = _blank_note(Recipient.BUYER, NotificationKind.RETURN_AUTHORIZED)
_CLOSED = _blank_note(Recipient.BUYER, NotificationKind.RETURN_CLOSED)
_REPLY = _blank_note(Recipient.BUYER, NotificationKind.SELLER_REPLY)


def return_requested(
    return_id: str, at: Instant, reason: str, out_of_policy: bool, links: tuple[Link, ...]
) -> Notification:
    """To the seller: a buyer asked to return an item."""
    state = _REQUESTED.copy()
    state["return_id"] = return_id
    state["at"] = at
    state["reason"] = reason
    state["out_of_policy"] = out_of_policy
    state["links"] = links
    note = _new(Notification)
    _set_note_dict(note, state)
    return note


def return_authorized(
    return_id: str, at: Instant, rma: str, label_type: LabelType, return_address_id: str
) -> Notification:
    """To the buyer: the label, the return address and the RMA."""
    state = _AUTHORIZED.copy()
    state["return_id"] = return_id
    state["at"] = at
    state["rma"] = rma
    state["label_type"] = label_type
    state["return_address_id"] = return_address_id
    note = _new(Notification)
    _set_note_dict(note, state)
    return note


def return_closed(return_id: str, at: Instant, close_reason: CloseReason) -> Notification:
    """To the buyer: the return is closed, and why."""
    state = _CLOSED.copy()
    state["return_id"] = return_id
    state["at"] = at
    state["close_reason"] = close_reason
    note = _new(Notification)
    _set_note_dict(note, state)
    return note


def seller_reply(return_id: str, at: Instant, message: str) -> Notification:
    """To the buyer: the seller's message."""
    state = _REPLY.copy()
    state["return_id"] = return_id
    state["at"] = at
    state["message"] = message
    note = _new(Notification)
    _set_note_dict(note, state)
    return note


# ------------------------------------------------------------------ labels

_PLAIN_LABELS: dict[tuple[LabelType, Payer], Label] = {}


def plain_label(label_type: LabelType, paid_by: Payer) -> Label:
    """A label without carrier or tracking id (every automatic one, and most by hand).

    Labels are frozen values, and there are only a few such: each is built once and shared,
    instead of running the dataclass ``__init__`` for every authorization."""
    key = (label_type, paid_by)
    label = _PLAIN_LABELS.get(key)
    if label is None:
        label = _PLAIN_LABELS[key] = Label(label_type, paid_by)
    return label


# ------------------------------------------------------------------ small slotted values
# These stay slotted. Each is built as an instance of a mutable twin (the same slots in the
# same order, so the same layout) by plain attribute stores, then made an instance of its
# own class by assigning ``__class__``, which CPython allows between classes of one layout.
# Their frozen __init__ sets each field through object.__setattr__, and setting a slot
# through its descriptor's __set__ is a method-wrapper call (an argument tuple built and
# unpacked) for each field: the twin takes less than half of that, for every op's Outcome.


_Outcome, _Rma, _Authorization, _BatchItem = (
    twin(Outcome), twin(Rma), twin(Authorization), twin(BatchItem))


def outcome(record: ReturnRecord, notifications: tuple[Notification, ...]) -> Outcome:
    """``Outcome(record, notifications)``, built for every op on a return."""
    new = _new(_Outcome)
    new.return_ = record
    new.notifications = notifications
    new.__class__ = Outcome
    built: Outcome = new
    return built


def rma(number: str, source: RmaSource) -> Rma:
    """``Rma(number, source)``, built for every authorization."""
    new = _new(_Rma)
    new.number = number
    new.source = source
    new.__class__ = Rma
    built: Rma = new
    return built


def plain_authorization(return_id: str, at: Instant) -> Authorization:
    """``Authorization(return_id, at)``: every choice left to Amazon (each id of a batch)."""
    new = _new(_Authorization)
    new.return_id = return_id
    new.at = at
    new.rma = None
    new.label = None
    new.return_address_id = None
    new.return_address = None
    new.__class__ = Authorization
    built: Authorization = new
    return built


def batch_item(
    return_id: str, ok: bool, record: ReturnRecord | None, error: EngineError | None
) -> BatchItem:
    """``BatchItem(return_id, ok, record, error)``: one per id of a batch."""
    new = _new(_BatchItem)
    new.return_id = return_id
    new.ok = ok
    new.return_ = record
    new.error = error
    new.__class__ = BatchItem
    built: BatchItem = new
    return built
