"""Steps that send requests the typed port cannot express, through ``WirePort.execute``.

A wrong type, an unknown field or a malformed time cannot be built from the domain values, so
these steps start from a valid request of each kind, break exactly one thing in it (named in
business words in the feature), and send it raw. The request bodies are built here, never
written in feature text.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from pytest_bdd import parsers, then, when

from sim.conformance.steps.world import NOT_APPLICABLE_PREFIX, World, check, wrong
from sim.core.errors import EngineError, ErrorCode
from sim.core.timefmt import parse_timestamp
from sim.core.values import ReturnRequest, SettingsPatch

# The protocol's return record, field by field (rap/1, "The return record").
RECORD_FIELDS = (
    "return_id", "order_id", "seller_id", "buyer_id", "sku", "category", "quantity", "reason",
    "requested_at", "status", "in_policy", "policy_violations", "authorization",
    "authorized_at", "rma", "label", "return_address", "window_closes_at",
    "close_eligible_at", "respond_by", "received_at", "closed_at", "close_reason",
)

_ADDRESS = {
    "address_id": "WH1", "name": "Returns desk WH1", "line1": "1 Harbor Way",
    "city": "Seattle", "region": "WA", "postal_code": "98109", "country": "US",
}

# One valid request per action; each scenario breaks one thing in a copy.
_VALID: dict[str, dict[str, Any]] = {
    "place an order": {"op": "place_order", "args": {
        "order_id": "O2", "seller_id": "S1", "buyer_id": "B1",
        "ordered_at": "2026-03-01T09:00:00Z", "delivered_at": "2026-03-05T10:00:00Z",
        "items": [{"sku": "PEN-1", "category": "office", "quantity": 1, "unit_price": 2.5}],
    }},
    "request a return": {"op": "request_return", "args": {
        "return_id": "R2", "order_id": "O1", "sku": "TOY-1", "quantity": 1,
        "reason": "CR-DEFECTIVE", "requested_at": "2026-03-06T10:00:00Z",
    }},
    "register a seller": {"op": "register_seller", "args": {
        "seller_id": "S9", "plan": "professional",
        "settings": {"return_addresses": [_ADDRESS], "exempt_mode": "auto"},
    }},
    "set the policy": {"op": "set_policy", "args": {"policy": {
        "default_window_days": 45,
        "holiday": {"ordered_from": "2026-11-01", "ordered_to": "2026-12-31",
                    "return_by": "2027-01-31"},
    }}},
}

# Business names of the fields the defects talk about -> paths inside "args".
_FIELDS = {
    "item quantity": "items[0].quantity", "unit price": "items[0].unit_price",
    "delivery time": "delivered_at", "items": "items", "reason": "reason",
    "request time": "requested_at", "quantity": "quantity", "return id": "return_id",
    "plan": "plan", "email links setting": "settings.email_links",
    "exempt mode setting": "settings.exempt_mode",
    "default window": "policy.default_window_days",
    "holiday return date": "policy.holiday.return_by",
}

_DEFECTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r'the (?P<field>.+?) (?:is|are) the text "(?P<value>.*)"'), "text"),
    (re.compile(r"the (?P<field>.+?) (?:is|are) (?P<value>true|false)"), "bool"),
    (re.compile(r"the (?P<field>.+?) (?:is|are) (?P<value>-?\d+(?:\.\d+)?)"), "number"),
    (re.compile(r'the (?P<field>.+?) (?:is|are) "(?P<value>.*)"'), "text"),
    (re.compile(r"the (?P<field>.+?) (?:is|are) missing"), "missing"),
    (re.compile(r"the (?P<field>.+?) (?:is|are) an empty list"), "empty list"),
    (re.compile(r'it has an extra field "(?P<path>[^"]+)"'), "extra"),
)

_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _split(path: str) -> list[str | int]:
    return [int(i) if i else name for name, i in _PATH_PART.findall(path)]


def break_request(action: str, defect: str) -> dict[str, Any]:
    """A copy of the valid request for ``action`` with ``defect`` applied."""
    if action not in _VALID:
        raise ValueError(f"unknown action {action!r}; known: {sorted(_VALID)}")
    request = copy.deepcopy(_VALID[action])
    for pattern, kind in _DEFECTS:
        m = pattern.fullmatch(defect)
        if m is None:
            continue
        if kind == "extra":
            path = m.group("path")
            value: Any = "x"
        else:
            if m.group("field") not in _FIELDS:
                raise ValueError(f"unknown field {m.group('field')!r}; known: {sorted(_FIELDS)}")
            path = _FIELDS[m.group("field")]
            raw = m.groupdict().get("value") or ""
            if kind == "text":
                value = raw
            elif kind == "bool":
                value = raw == "true"
            elif kind == "number":
                value = float(raw) if "." in raw else int(raw)
            else:
                value = []  # "empty list"; "missing" deletes the field below
        *parents, last = _split(path)
        target: Any = request["args"]
        for key in parents:
            target = target[key]
        if kind == "missing":
            del target[last]
        else:
            target[last] = value
        return request
    raise ValueError(f"unknown defect {defect!r}")


def _send(world: World, request: dict[str, Any]) -> None:
    world.begin()
    world.raw_answer = world.port.execute(request)
    answer = world.raw_answer
    if answer.get("ok") is False:
        error = answer.get("error") or {}
        try:
            code = ErrorCode(str(error.get("code")))
        except ValueError:
            wrong(f"the refusal's code is not a rap/1 error code: {error.get('code')!r}")
        world.error = EngineError(code, str(error.get("message")), error.get("details") or {})


@when(parsers.re(r"a client sends a request to (?P<action>[a-z ]+?) where (?P<defect>.+)"))
def send_broken(world: World, action: str, defect: str) -> None:
    request = break_request(action, defect)
    request["seq"] = world.next_seq()
    world.raw_action = action
    _send(world, request)


@then("nothing changed")
def nothing_changed(world: World) -> None:
    """Each action's refused request would have left a visible trace: look for it."""
    action = world.raw_action
    port = world.port
    if action == "place an order":
        at = parse_timestamp("2026-03-06T10:00:00Z")
        world.attempt(lambda: port.request_return(
            ReturnRequest("R-probe", "O2", "PEN-1", 1, "CR-DEFECTIVE", at)))
        check("a return on the refused order O2", _code(world), "unknown_order")
    elif action == "request a return":
        world.attempt(lambda: port.get_return("R2"))
        check("the refused return R2", _code(world), "unknown_return")
    elif action == "register a seller":
        world.attempt(lambda: port.update_seller("S9", SettingsPatch()))
        check("the refused seller S9", _code(world), "unknown_seller")
    elif action == "set the policy":
        order = world.orders["O1"]
        outcome = world.require("a probe return on order O1", lambda: port.request_return(
            ReturnRequest("R-probe", "O1", order.items[0].sku, 1, "CR-DEFECTIVE",
                          order.delivered_at + 60)))
        check("the window after the refused policy (still the default 30 days)",
              outcome.return_.window_closes_at - order.delivered_at, 30 * 86_400)
    else:
        raise ValueError(f"no probe for action {action!r}")


def _code(world: World) -> str | None:
    return None if world.error is None else world.error.code.value


@when(parsers.re(r'a client sends request number (?P<seq>\d+) for the operation "(?P<op>[^"]+)"'))
def send_unknown_op(world: World, seq: str, op: str) -> None:
    _send(world, {"seq": int(seq), "op": op, "args": {}})


@when(parsers.re(r'a client sends request number (?P<seq>\d+) asking for return "(?P<rid>[^"]+)"'))
def send_get_return(world: World, seq: str, rid: str) -> None:
    _send(world, {"seq": int(seq), "op": "get_return", "args": {"return_id": rid}})


@then(parsers.re(
    r"the answer to request number (?P<seq>\d+) is "
    r'(?P<what>a success|a refusal "(?P<code>[a-z_]+)")'
))
def answer_to(world: World, seq: str, what: str, code: str | None) -> None:
    answer = world.raw_answer
    if answer is None:
        wrong("no raw answer was kept")
    check("the answer's seq", answer.get("seq"), int(seq))
    check("ok", answer.get("ok"), code is None)
    if code is not None:
        check("the refusal code", (answer.get("error") or {}).get("code"), code)


@then("the record in the answer has every field of the contract")
def record_fields(world: World) -> None:
    answer = world.raw_answer or {}
    record = (answer.get("result") or {}).get("return")
    if not isinstance(record, dict):
        wrong(f"expected a return record in the answer, got {answer!r}")
    missing = [f for f in RECORD_FIELDS if f not in record]
    extra = [f for f in record if f not in RECORD_FIELDS]
    if missing:
        wrong(f"the record leaves out {missing} (absent values must be null, never missing)")
    if extra:
        wrong(f"the record has fields the contract does not define: {extra}")


@then(parsers.re(r"in the record, these fields are empty: (?P<fields>.+)"))
def record_nulls(world: World, fields: str) -> None:
    record = ((world.raw_answer or {}).get("result") or {}).get("return") or {}
    for name in (f.strip() for f in fields.split(",")):
        if name not in record:
            wrong(f"the record leaves out {name!r} instead of giving it as null")
        check(f"the record's {name}", record[name], None)


@when("a client sends a line that is not JSON")
def send_not_json(world: World) -> None:
    world.begin()
    port: Any = world.port
    if hasattr(port, "execute_line"):  # stdio: one raw line
        world.raw_answer = port.execute_line(b'{"seq": 1, "op": "hello", "args": {')
    elif hasattr(port, "post_body"):  # HTTP: a raw body, answered with status 400
        status, world.raw_answer = port.post_body(b'{"seq": 1, "op": "hello", "args": {')
        check("the HTTP status of a body that is not JSON", status, 400)
    else:
        pytest.skip(
            f"{NOT_APPLICABLE_PREFIX} transport-only check: an in-process engine has no wire "
            "to send a non-JSON line on (run with --impl 'cmd:...' or --impl http://...)"
        )


@then(parsers.re(r'the answer is a refusal "(?P<code>[a-z_]+)" with no sequence number'))
def refusal_without_seq(world: World, code: str) -> None:
    answer = world.raw_answer or {}
    check("the answer's seq", answer.get("seq", "(missing)"), None)
    check("ok", answer.get("ok"), False)
    check("the refusal code", (answer.get("error") or {}).get("code"), code)


@when("a client asks the implementation who it is")
def ask_hello(world: World) -> None:
    world.hello = world.require("hello", world.port.hello)


@then(parsers.re(r'it speaks protocol "(?P<protocol>[^"]+)"'))
def speaks(world: World, protocol: str) -> None:
    check("the protocol", world.hello.protocol, protocol)


@then("it names itself and its version, and lists its optional features")
def names_itself(world: World) -> None:
    hello = world.hello
    if not (isinstance(hello.implementation, str) and hello.implementation):
        wrong(f"hello must name the implementation, got {hello.implementation!r}")
    if not (isinstance(hello.version, str) and hello.version):
        wrong(f"hello must give a version, got {hello.version!r}")
    if not all(isinstance(f, str) and f for f in hello.optional):
        wrong(f"hello's optional features must be names, got {hello.optional!r}")
