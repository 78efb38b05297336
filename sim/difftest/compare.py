"""Whether two rap/1 answers to the same request agree, by the contract's comparison rules.

Every field compares exactly (a boolean is not an integer, ``5`` is not ``5.0``), except what
``docs/protocol.md`` ("Comparing two implementations") leaves free: ``message`` texts, the
``implementation``/``version``/``optional`` of ``hello``, ``invalid_json`` details (parser
positions), an Amazon-generated RMA number (checked for its pattern and uniqueness, then
mapped, so a later request sends each side its own number), and the ``carrier``/``tracking_id``
of a label when the implementation does not list ``label_details``. Three levels:

- ``decisions``: where both sides succeed, the decisions in every return record (status,
  authorization, in policy, label, RMA source, windows and dates);
- ``codes``: also which requests are refused, and with what code;
- ``full`` (the default): the whole answer, error details and notifications included.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sim.rap.envelope import dumps

LEVELS = ("decisions", "codes", "full")
AMAZON_RMA = re.compile(r"D[A-Za-z0-9]{7}RRMA")
LABEL_DETAILS = "label_details"

DECISION_FIELDS = (
    "return_id", "status", "in_policy", "policy_violations", "authorization", "authorized_at",
    "window_closes_at", "close_eligible_at", "respond_by", "received_at", "closed_at",
    "close_reason",
)


@dataclass(frozen=True, slots=True)
class Difference:
    """The first field where the two answers disagree (``path`` like
    ``result.return.window_closes_at``), or a broken RMA rule (``note`` says which)."""

    path: str
    reference: Any
    implementation: Any
    note: str = ""

    def describe(self) -> str:
        what = f"{self.path}: reference {_show(self.reference)}, implementation " + _show(
            self.implementation)
        return f"{what} ({self.note})" if self.note else what

    def to_json(self) -> dict[str, Any]:
        note = self.note
        for side, value in (("reference", self.reference),
                            ("implementation", self.implementation)):
            if value is _MISSING:
                note = "; ".join(n for n in (note, f"absent in the {side}'s answer") if n)
        return {"path": self.path, "reference": plain(self.reference),
                "implementation": plain(self.implementation), "note": note}


_MISSING = object()


def _show(value: Any) -> str:
    if value is _MISSING:
        return "(absent)"
    text = dumps(value)
    return text if len(text) <= 300 else text[:297] + "..."


@dataclass
class RmaMap:
    """Amazon RMA numbers, reference's <-> implementation's, learnt as answers come in."""

    to_impl: dict[str, str] = field(default_factory=dict)
    to_ref: dict[str, str] = field(default_factory=dict)

    def learn(self, reference: Any, implementation: Any) -> Difference | None:
        """Pair the Amazon RMAs found at the same place in both answers; a number that breaks
        the pattern or is not unique is a difference."""
        for path, ref_number, impl_number in _amazon_pairs(reference, implementation, "result"):
            if type(impl_number) is not str or not AMAZON_RMA.fullmatch(impl_number):
                return Difference(path, ref_number, impl_number,
                                  "an Amazon RMA must match ^D[A-Za-z0-9]{7}RRMA$")
            known = self.to_impl.get(ref_number)
            if known is not None and known != impl_number:
                return Difference(path, known, impl_number,
                                  "the same return's Amazon RMA changed")
            owner = self.to_ref.get(impl_number)
            if owner is not None and owner != ref_number:
                return Difference(path, ref_number, impl_number,
                                  "this Amazon RMA is already another return's: not unique")
            self.to_impl[ref_number] = impl_number
            self.to_ref[impl_number] = ref_number
        return None

    def request_for_impl(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """The request as the implementation must get it: a reference Amazon RMA in
        ``args.rma`` becomes the implementation's own number."""
        args = request.get("args")
        if isinstance(args, Mapping) and isinstance(args.get("rma"), str):
            mapped = self.to_impl.get(args["rma"])
            if mapped is not None:
                return {**request, "args": {**args, "rma": mapped}}
        return dict(request)

    def in_reference_terms(self, value: Any) -> Any:
        """The implementation's answer with its Amazon RMA numbers written as the reference's."""
        if not self.to_ref:
            return value
        if isinstance(value, str):
            return self.to_ref.get(value, value)
        if isinstance(value, dict):
            return {k: self.in_reference_terms(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.in_reference_terms(v) for v in value]
        return value


def _amazon_pairs(ref: Any, impl: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    if isinstance(ref, dict) and isinstance(impl, dict):
        if ref.get("source") == "amazon" and impl.get("source") == "amazon" and "number" in ref:
            yield f"{path}.number", ref["number"], impl.get("number")
            return
        for key, value in ref.items():
            if key in impl:
                yield from _amazon_pairs(value, impl[key], f"{path}.{key}")
    elif isinstance(ref, list) and isinstance(impl, list):
        for i, (a, b) in enumerate(zip(ref, impl, strict=False)):
            yield from _amazon_pairs(a, b, f"{path}[{i}]")


def compare(
    op: Any, reference: Mapping[str, Any], implementation: Mapping[str, Any], *, level: str,
    features: frozenset[str], rmas: RmaMap,
) -> Difference | None:
    """The first difference between two answers to one request, at ``level``, or None.
    Learns the Amazon RMAs the answers pair up (so call it once per answer, in order)."""
    return next(iter(compare_all(op, reference, implementation, level=level,
                                 features=features, rmas=rmas)), None)


def compare_all(
    op: Any, reference: Mapping[str, Any], implementation: Mapping[str, Any], *, level: str,
    features: frozenset[str], rmas: RmaMap,
) -> list[Difference]:
    """Every differing field of two answers to one request, at ``level``, in answer order."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    found = []
    if reference.get("ok") is True and implementation.get("ok") is True:
        problem = rmas.learn(reference.get("result"), implementation.get("result"))
        if problem is not None:
            found.append(problem)
    impl = rmas.in_reference_terms(dict(implementation))
    ref_view = view(op, reference, level, features)
    impl_view = view(op, impl, level, features)
    if level == "decisions" and (ref_view is None or impl_view is None):
        return found
    return found + list(differences(ref_view, impl_view, ""))


def view(op: Any, envelope: Mapping[str, Any], level: str, features: frozenset[str]) -> Any:
    """What of an answer is compared at ``level`` (``None`` at ``decisions`` for a refusal)."""
    ok = envelope.get("ok")
    if ok is not True:
        if level == "decisions":
            return None
        error = envelope.get("error")
        if not isinstance(error, Mapping):
            return {"seq": envelope.get("seq"), "ok": ok, "error": error}
        shown: dict[str, Any] = {"code": error.get("code")}
        if level == "full" and error.get("code") != "invalid_json":
            shown["details"] = error.get("details", _MISSING)
        return {"seq": envelope.get("seq"), "ok": ok, "error": shown}
    result = envelope.get("result")
    if op == "hello" and isinstance(result, Mapping):
        result = {"protocol": result.get("protocol", _MISSING)}
    elif level == "full":
        result = _full_result(result, LABEL_DETAILS in features)
    else:
        result = _decisions(result, level)
    if level == "decisions":
        return result
    return {"seq": envelope.get("seq"), "ok": ok, "result": result}


def _full_result(value: Any, label_details: bool) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "error" and isinstance(item, Mapping) and "code" in item:
                out[key] = {k: v for k, v in item.items() if k != "message"}
            elif key == "label" and isinstance(item, Mapping) and not label_details:
                out[key] = {k: v for k, v in item.items() if k not in ("carrier", "tracking_id")}
            else:
                out[key] = _full_result(item, label_details)
        return out
    if isinstance(value, list):
        return [_full_result(v, label_details) for v in value]
    return value


def _decisions(result: Any, level: str) -> Any:
    """The decision fields of the records in a result (and, at ``codes``, each batch item's
    outcome and code)."""
    if not isinstance(result, Mapping):
        return result
    shown: dict[str, Any] = {}
    if "return" in result:
        shown["return"] = _record_decisions(result["return"])
    items = result.get("results")
    if isinstance(items, list):
        shown["results"] = [_item_decisions(item, level) for item in items]
    return shown


def _item_decisions(item: Any, level: str) -> Any:
    if not isinstance(item, Mapping):
        return item
    if item.get("ok") is True:
        return {"ok": True, "return": _record_decisions(item.get("return"))}
    error = item.get("error")
    code = error.get("code") if isinstance(error, Mapping) else error
    return {"ok": item.get("ok"), "code": code} if level == "codes" else {"ok": item.get("ok")}


def _record_decisions(record: Any) -> Any:
    if not isinstance(record, Mapping):
        return record
    shown = {k: record.get(k, _MISSING) for k in DECISION_FIELDS}
    rma = record.get("rma")
    shown["rma.source"] = rma.get("source", _MISSING) if isinstance(rma, Mapping) else rma
    label = record.get("label")
    if isinstance(label, Mapping):
        shown["label"] = {"type": label.get("type", _MISSING),
                          "paid_by": label.get("paid_by", _MISSING)}
    else:
        shown["label"] = label
    return shown


def differences(ref: Any, impl: Any, path: str) -> Iterator[Difference]:
    """Where two JSON values differ, field by field; types count (``1`` is not ``true`` nor
    ``1.0``); key order does not."""
    if isinstance(ref, dict) and isinstance(impl, dict):
        for key in [*ref, *(k for k in impl if k not in ref)]:
            yield from differences(ref.get(key, _MISSING), impl.get(key, _MISSING),
                                   f"{path}.{key}" if path else key)
    elif isinstance(ref, list) and isinstance(impl, list):
        for i, (a, b) in enumerate(zip(ref, impl, strict=False)):
            yield from differences(a, b, f"{path}[{i}]")
        if len(ref) != len(impl):
            n = min(len(ref), len(impl))
            yield Difference(f"{path}[{n}]", ref[n] if n < len(ref) else _MISSING,
                             impl[n] if n < len(impl) else _MISSING,
                             f"{len(ref)} items, implementation {len(impl)}")
    elif not (type(ref) is type(impl) and ref == impl):
        yield Difference(path or "answer", ref, impl)


def plain(value: Any) -> Any:
    """A difference's value as JSON can hold it (an absent field is ``null`` plus a note)."""
    return None if value is _MISSING else value
