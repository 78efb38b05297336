"""JSON <-> what the engine answers about returns: records, notifications, errors, outcomes.

The return record's field list is the dataclass's (:class:`sim.core.values.ReturnRecord`): the
encoder and decoder derive it with :func:`dataclasses.fields` and map each field's declared type
to its wire form, so a field added to the record cannot be forgotten on the wire.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from enum import StrEnum
from typing import Any

from sim.core.errors import EngineError, ErrorCode
from sim.core.timefmt import (
    format_timestamp,
)
from sim.core.values import (
    BatchOutcome,
    CloseReason,
    Hello,
    Label,
    LabelType,
    Link,
    Mode,
    Notification,
    NotificationKind,
    Outcome,
    Payer,
    Recipient,
    ReturnRecord,
    RmaSource,
    Status,
    Violation,
)
from sim.core.values import Rma as RmaValue
from sim.rap.codec.readers import (
    Fail,
    Json,
    enum_value,
    plain,
    read_bool,
    read_enum,
    read_enums,
    read_id,
    read_list,
    read_object,
    read_positive,
    read_text,
    read_ts,
)
from sim.rap.codec.values import decode_address, encode_address

# --------------------------------------------------------------------------- return records


def _rma(value: Any, path: str, fail: Fail) -> RmaValue:
    obj = read_object(value, path, fail, ("number", "source"))
    return RmaValue(
        read_id(obj["number"], f"{path}.number", fail),
        read_enum(obj["source"], RmaSource, f"{path}.source", fail),
    )


def _encode_rma(rma: RmaValue) -> Json:
    return {"number": rma.number, "source": plain(rma.source)}


def _label(value: Any, path: str, fail: Fail) -> Label:
    """A record's label; ``carrier``/``tracking_id`` belong to the optional ``label_details``
    feature, so an implementation without it may leave them out."""
    obj = read_object(value, path, fail, ("type", "paid_by"), ("carrier", "tracking_id"))
    carrier = obj.get("carrier")
    tracking = obj.get("tracking_id")
    return Label(
        read_enum(obj["type"], LabelType, f"{path}.type", fail),
        read_enum(obj["paid_by"], Payer, f"{path}.paid_by", fail),
        None if carrier is None else read_id(carrier, f"{path}.carrier", fail),
        None if tracking is None else read_id(tracking, f"{path}.tracking_id", fail),
    )


def _encode_label(label: Label) -> Json:
    return {"type": plain(label.type), "paid_by": plain(label.paid_by), "carrier": label.carrier,
            "tracking_id": label.tracking_id}


def _same(value: Any) -> Any:
    return value


def _enum_reader(cls: type[StrEnum]) -> Reader:
    def read(value: Any, path: str, fail: Fail) -> Any:
        return read_enum(value, cls, path, fail)
    return read


def _enums_reader(cls: type[StrEnum]) -> Reader:
    def read(value: Any, path: str, fail: Fail) -> Any:
        return read_enums(value, cls, path, fail)
    return read


def _encode_enums(members: tuple[StrEnum, ...]) -> list[str]:
    return [plain(m) for m in members]


Reader = Callable[[Any, str, Fail], Any]
_WIRE_FORMS: dict[str, tuple[Callable[[Any], Any], Reader]] = {
    "str": (_same, read_id),
    "int": (_same, read_positive),
    "bool": (_same, read_bool),
    "Instant": (format_timestamp, read_ts),
    "Status": (plain, _enum_reader(Status)),
    "Mode": (plain, _enum_reader(Mode)),
    "CloseReason": (plain, _enum_reader(CloseReason)),
    "tuple[Violation, ...]": (_encode_enums, _enums_reader(Violation)),
    "Rma": (_encode_rma, _rma),
    "Label": (_encode_label, _label),
    "Address": (encode_address, decode_address),
}
"""How each type a record's field is declared with travels: (encode, read). The declared
type is the annotation's text, so ``Instant`` (a timestamp) and ``int`` (a count) differ."""


def _field_plan() -> tuple[tuple[str, bool, Callable[[Any], Any], Reader], ...]:
    """(name, nullable, encode, read) for every field of :class:`ReturnRecord`, in order."""
    plan = []
    for f in fields(ReturnRecord):
        kind = str(f.type)
        nullable = kind.endswith(" | None")
        encode, read = _WIRE_FORMS[kind.removesuffix(" | None")]
        plan.append((f.name, nullable, encode, read))
    return tuple(plan)


_RETURN_PLAN = _field_plan()
RETURN_FIELDS = tuple(name for name, *_ in _RETURN_PLAN)
"""The contract's return record, field by field, in the order it is written."""
_ENCODE_RETURN = tuple(
    (name, None if encode is _same else encode) for name, _n, encode, _r in _RETURN_PLAN
)


def encode_return(r: ReturnRecord) -> Json:
    """Every field, ``null`` when absent (the contract's return record)."""
    state = r.__dict__  # records are not slotted (see ReturnRecord): the fastest read
    out: Json = {}
    for name, encode in _ENCODE_RETURN:
        value = state[name]
        out[name] = value if encode is None or value is None else encode(value)
    return out


def decode_return(value: Any, path: str, fail: Fail) -> ReturnRecord:
    o = read_object(value, path, fail, RETURN_FIELDS)
    given: dict[str, Any] = {}
    for name, nullable, _encode, read in _RETURN_PLAN:
        raw = o[name]
        if raw is None and nullable:
            given[name] = None
        else:
            given[name] = read(raw, f"{path}.{name}", fail)
    return ReturnRecord(**given)


# --------------------------------------------------------------------------- notifications

_KIND_FIELDS: dict[NotificationKind, tuple[str, ...]] = {
    NotificationKind.RETURN_REQUESTED: ("reason", "out_of_policy", "links"),
    NotificationKind.RETURN_AUTHORIZED: ("rma", "label_type", "return_address_id"),
    NotificationKind.RETURN_CLOSED: ("close_reason",),
    NotificationKind.SELLER_REPLY: ("message",),
}


def encode_notification(n: Notification) -> Json:
    """``to, kind, return_id, at`` plus only the fields of its kind (rule 11)."""
    out: Json = {"to": plain(n.to), "kind": plain(n.kind), "return_id": n.return_id,
                 "at": format_timestamp(n.at)}
    kind = n.kind
    if kind is NotificationKind.RETURN_REQUESTED:
        out["reason"] = n.reason
        out["out_of_policy"] = n.out_of_policy
        out["links"] = [] if n.links is None else [plain(link) for link in n.links]
    elif kind is NotificationKind.RETURN_AUTHORIZED:
        out["rma"] = n.rma
        out["label_type"] = enum_value(n.label_type)
        out["return_address_id"] = n.return_address_id
    elif kind is NotificationKind.RETURN_CLOSED:
        out["close_reason"] = enum_value(n.close_reason)
    else:
        out["message"] = n.message
    return out


def decode_notification(value: Any, path: str, fail: Fail) -> Notification:
    if type(value) is not dict:
        raise fail(path, value, "must be a JSON object")
    kind = read_enum(value.get("kind"), NotificationKind, f"{path}.kind", fail)
    o = read_object(value, path, fail, ("to", "kind", "return_id", "at", *_KIND_FIELDS[kind]))
    base: dict[str, Any] = {
        "to": read_enum(o["to"], Recipient, f"{path}.to", fail),
        "kind": kind,
        "return_id": read_id(o["return_id"], f"{path}.return_id", fail),
        "at": read_ts(o["at"], f"{path}.at", fail),
    }
    if kind is NotificationKind.RETURN_REQUESTED:
        base["reason"] = read_id(o["reason"], f"{path}.reason", fail)
        base["out_of_policy"] = read_bool(o["out_of_policy"], f"{path}.out_of_policy", fail)
        base["links"] = read_enums(o["links"], Link, f"{path}.links", fail)
    elif kind is NotificationKind.RETURN_AUTHORIZED:
        base["rma"] = read_id(o["rma"], f"{path}.rma", fail)
        base["label_type"] = read_enum(o["label_type"], LabelType, f"{path}.label_type", fail)
        base["return_address_id"] = read_id(
            o["return_address_id"], f"{path}.return_address_id", fail
        )
    elif kind is NotificationKind.RETURN_CLOSED:
        base["close_reason"] = read_enum(
            o["close_reason"], CloseReason, f"{path}.close_reason", fail
        )
    else:
        base["message"] = read_id(o["message"], f"{path}.message", fail)
    return Notification(**base)


def read_notifications(value: Any, path: str, fail: Fail) -> tuple[Notification, ...]:
    items = read_list(value, path, fail)
    return tuple(decode_notification(v, f"{path}[{i}]", fail) for i, v in enumerate(items))


# --------------------------------------------------------------------------- errors, outcomes


def encode_error(error: EngineError) -> Json:
    return {"code": error.code.value, "message": error.message, "details": error.details}


def decode_error(value: Any, path: str, fail: Fail) -> EngineError:
    o = read_object(value, path, fail, ("code", "message", "details"))
    code = read_enum(o["code"], ErrorCode, f"{path}.code", fail)
    message = read_text(o["message"], f"{path}.message", fail)
    if type(o["details"]) is not dict:
        raise fail(f"{path}.details", o["details"], "must be a JSON object")
    return EngineError(code, message, o["details"])


def encode_outcome(outcome: Outcome) -> Json:
    return {
        "return": encode_return(outcome.return_),
        "notifications": [encode_notification(n) for n in outcome.notifications],
    }


def encode_batch(batch: BatchOutcome) -> Json:
    results: list[Json] = []
    for item in batch.results:
        if item.ok:
            assert item.return_ is not None, "a successful batch item carries its return"
            results.append({"return_id": item.return_id, "ok": True,
                            "return": encode_return(item.return_)})
        else:
            assert item.error is not None, "a failed batch item carries its error"
            results.append({"return_id": item.return_id, "ok": False,
                            "error": encode_error(item.error)})
    return {"results": results,
            "notifications": [encode_notification(n) for n in batch.notifications]}


def encode_hello(hello: Hello) -> Json:
    return {"protocol": hello.protocol, "implementation": hello.implementation,
            "version": hello.version, "optional": list(hello.optional)}


