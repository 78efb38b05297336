"""The published JSON Schemas describe what the reference engine really says, and they, the
docs and the code cover every op and error code of the rap/1 contract (docs/protocol.md)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from wire_session import STEPS

from sim.core.engine import ReferenceEngine
from sim.core.errors import ErrorCode
from sim.rap import schemas
from sim.rap.envelope import OPS, handle_line

REPO = Path(__file__).resolve().parents[2]
CONTRACT = REPO / "docs" / "protocol.md"


def contract_text() -> str:
    return CONTRACT.read_text("utf-8")


def _section(title: str) -> str:
    return contract_text().split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def contract_ops() -> list[str]:
    """The ops the published contract defines: one ``### `op` `` heading each under ``## Ops``."""
    return re.findall(r"^### `([a-z_]+)`", _section("Ops"), flags=re.MULTILINE)


def contract_error_codes() -> list[str]:
    """The codes of the published contract's table under ``## Error codes``."""
    return re.findall(r"^\| `([a-z_]+)` \|", _section("Error codes"), flags=re.MULTILINE)


@cache
def registry() -> Registry:
    resources = [(s["$id"], Resource.from_contents(s))
                 for s in (schemas.load(n) for n in schemas.names())]
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schemas.load(name), registry=registry())


def errors(name: str, instance: Any) -> list[str]:
    return [e.message for e in validator(name).iter_errors(instance)]


def session() -> list[tuple[Any, str | None, dict[str, Any]]]:
    """(request or None when not JSON, expected code, response) for every step."""
    engine = ReferenceEngine()
    out = []
    for step in STEPS:
        try:
            request = json.loads(step.line)
        except ValueError:
            request = None
        out.append((request, step.expect, json.loads(handle_line(engine, step.line))))
    return out


# --------------------------------------------------------------------------- the schemas


def test_contract_parsed() -> None:
    assert len(contract_ops()) == 13 and contract_ops()[0] == "hello"
    assert len(contract_error_codes()) == 22 and "invalid_json" in contract_error_codes()


def test_every_schema_is_valid_draft_2020_12_with_its_id() -> None:
    for name in schemas.names():
        schema = schemas.load(name)
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == schemas.BASE_URI + name
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_a_request_and_a_result_schema_per_op_and_nothing_else() -> None:
    expected = {f"{op}.{kind}.json" for op in contract_ops() for kind in ("request", "result")}
    assert set(schemas.names()) == expected | {"defs.json", "envelope.json"}
    assert sorted(OPS) == sorted(contract_ops())


def test_schemas_and_code_know_every_error_code() -> None:
    enum = schemas.load("defs.json")["$defs"]["error_code"]["enum"]
    assert enum == contract_error_codes()
    assert [c.value for c in ErrorCode] == contract_error_codes()


def test_the_session_meets_every_error_code() -> None:
    assert {expect for _, expect, _ in session()} - {None} == set(contract_error_codes())


def test_docs_mention_every_op_and_error_code() -> None:
    doc = (REPO / "docs" / "protocol.md").read_text("utf-8")
    for name in [*contract_ops(), *contract_error_codes()]:
        assert f"`{name}`" in doc, name


# --------------------------------------------------------------------------- real traffic


def test_every_response_fits_the_envelope_and_its_result_schema() -> None:
    for request, _, response in session():
        assert errors("envelope.json", response) == [], response
        if response["ok"]:
            name = f"{request['op']}.result.json"
            assert errors(name, response["result"]) == [], (name, response)


def test_requests_fit_their_schema_exactly_when_not_invalid_args() -> None:
    """A request the engine refuses as invalid_args breaks its schema; every other request
    (accepted, or refused for a domain reason) fits it, except that the schema also states the
    policy's number ranges, which the engine refuses as invalid_policy."""
    checked = 0
    for request, expect, _ in session():
        if not isinstance(request, dict) or request.get("op") not in OPS \
                or not isinstance(request.get("seq"), int):
            continue
        found = errors(f"{request['op']}.request.json", request)
        if expect != "invalid_policy":
            assert (found != []) == (expect == "invalid_args"), (request, found)
        checked += 1
    assert checked > 50


def test_the_schemas_are_not_vacuous() -> None:
    by_op = {req["op"]: resp for req, _, resp in session()
             if isinstance(req, dict) and resp["ok"] and "op" in req}
    record = by_op["get_return"]["result"]
    for broken in (
        {k: v for k, v in record["return"].items() if k != "respond_by"},
        {**record["return"], "status": "lost"},
        {**record["return"], "quantity": True},
        {**record["return"], "requested_at": "2026-03-05T10:00:00+00:00"},
        {**record["return"], "extra": 1},
    ):
        assert errors("get_return.result.json", {"return": broken}) != []
    note = by_op["reply"]["result"]["notifications"][0]
    assert errors("reply.result.json", {**by_op["reply"]["result"],
                                        "notifications": [{**note, "rma": "X"}]}) != []
    assert errors("envelope.json", {"seq": 1, "ok": False, "error": {
        "code": "internal_error", "message": "", "details": {}}}) != []


@pytest.mark.parametrize("name", ["defs.json", "envelope.json", "close.result.json"])
def test_schemas_ship_as_package_data(name: str) -> None:
    assert (REPO / "sim" / "rap" / "schemas" / name).is_file()
    assert schemas.load(name)["$id"].endswith(name)


# --------------------------------------------------------------------------- schema vs code

_GOOD = [req for req, expect, _ in session() if expect is None and isinstance(req, dict)]
_ODD_VALUES = [None, True, 0, -1, 1.5, "", "x", [], [1], {}, {"k": "v"},
               "2026-03-01T10:00:00+01:00"]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@given(st.data())
@settings(max_examples=300, deadline=None)
def test_schema_and_engine_agree_on_mutated_requests(data: Any) -> None:
    """Mutate a valid request (drop a field, add one, retype a value): the request schema
    says no exactly when the engine refuses it as invalid_args."""
    request = json.loads(json.dumps(data.draw(st.sampled_from(_GOOD))))
    paths = _paths(request.get("args", {}))
    if paths:
        path = data.draw(st.sampled_from(paths))
        parent = request["args"]
        for key in path[:-1]:
            parent = parent[key]
        kind = data.draw(st.sampled_from(["drop", "add", "retype"]))
        if kind == "drop":
            del parent[path[-1]]
        elif kind == "add" and isinstance(parent, dict):
            parent["unexpected"] = 1
        else:
            parent[path[-1]] = data.draw(st.sampled_from(_ODD_VALUES))
    response = json.loads(handle_line(ReferenceEngine(), json.dumps(request)))
    code = None if response["ok"] else response["error"]["code"]
    found = bool(errors(f"{request['op']}.request.json", request))
    if code == "invalid_policy":  # a number out of the policy's range: the schema says so too
        return
    assert found == (code == "invalid_args"), request
