"""Envelopes: every request gets exactly one answer, refusals are envelopes (never crashes),
and the same commands give byte-identical responses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from wire_session import LINES, STEPS

from sim.core.engine import ReferenceEngine
from sim.rap.envelope import OPS, handle, handle_line, respond_line, safe_handle


def run_session() -> list[str]:
    engine = ReferenceEngine()
    return [handle_line(engine, line) for line in LINES]


def test_session_answers_each_step_as_the_contract_says() -> None:
    for step, out in zip(STEPS, run_session(), strict=True):
        response = json.loads(out)
        code = None if response["ok"] else response["error"]["code"]
        assert code == step.expect, (step.line, out)
        request = _maybe_json(step.line)
        seq = request.get("seq") if isinstance(request, dict) else None
        assert response["seq"] == (seq if type(seq) is int else None)
        assert list(response) == ["seq", "ok", "result" if response["ok"] else "error"]
        if not response["ok"]:
            assert list(response["error"]) == ["code", "message", "details"]


def _maybe_json(line: str) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return None


def test_the_session_covers_every_op() -> None:
    used = {r.get("op") for r in map(_maybe_json, LINES) if isinstance(r, dict)}
    assert set(OPS) <= used


def test_same_commands_give_byte_identical_responses() -> None:
    assert run_session() == run_session()


def test_serialization_is_compact_and_keeps_unicode() -> None:
    engine = ReferenceEngine()
    out = handle_line(engine, '{"seq":1,"op":"get_return","args":{"return_id":"Ré"}}')
    assert out == ('{"seq":1,"ok":false,"error":{"code":"unknown_return",'
                   '"message":"no return \\"Ré\\"","details":{"return_id":"Ré"}}}')


def test_refusals_never_change_state() -> None:
    engine = ReferenceEngine()
    probes = [json.dumps({"seq": 0, "op": "get_return", "args": {"return_id": f"R{i}"}})
              for i in range(1, 6)]
    for step in STEPS:
        before = [handle_line(engine, p) for p in probes]
        handle_line(engine, step.line)
        if step.expect is not None:
            assert [handle_line(engine, p) for p in probes] == before, step.line


@pytest.mark.parametrize(
    ("request_", "seq", "field"),
    [
        ([], None, "request"),
        ("hello", None, "request"),
        (None, None, "request"),
        ({"op": "hello"}, None, "seq"),
        ({"seq": None, "op": "hello"}, None, "seq"),
        ({"seq": True, "op": "hello"}, None, "seq"),
        ({"seq": 1.0, "op": "hello"}, None, "seq"),
        ({"seq": "1", "op": "hello"}, None, "seq"),
        ({"seq": 7}, 7, "op"),
        ({"seq": 7, "op": 3}, 7, "op"),
        ({"seq": 7, "op": "hello", "id": 1}, 7, "id"),
        ({"seq": 7, "op": "hello", "args": None}, 7, "args"),
        ({"seq": 7, "op": "hello", "args": []}, 7, "args"),
        ({"seq": 7, "op": "get_return"}, 7, "return_id"),
    ],
)
def test_malformed_requests_are_invalid_args(request_: Any, seq: int | None, field: str) -> None:
    response = handle(ReferenceEngine(), request_)
    assert response["seq"] == seq and response["ok"] is False
    assert response["error"]["code"] == "invalid_args"
    assert response["error"]["details"]["field"] == field


def test_unknown_op_and_absent_args() -> None:
    engine = ReferenceEngine()
    assert handle(engine, {"seq": -4, "op": "Hello"})["error"] == {
        "code": "unknown_op", "message": 'op: unknown op "Hello"', "details": {"op": "Hello"}}
    assert handle(engine, {"seq": 2, "op": "hello"})["ok"] is True
    assert handle(engine, {"seq": 3, "op": "reset", "args": {}}) == {
        "seq": 3, "ok": True, "result": {}}


@pytest.mark.parametrize(
    "line",
    [
        b"",
        b"\n",
        b"not json\n",
        b'{"seq":1,"op":"hello"\n',
        b"\xff\xfe\x00\x01\n",
        b'{"seq":1,"op":"h\xe9llo"}\n',  # Latin-1, not UTF-8
        b'{"seq":1,"op":"hello","args":{"x":NaN}}\n',
        b'{"seq":1e999,"op":"hello"}\n',
        b'{"seq":1,"op":"get_return","args":{"return_id":-1e400}}\n',
        b"[" * 200_000 + b"\n",
        b'{"seq":' + b"9" * 100_000 + b"}\n",
        b'\xef\xbb\xbf{"seq":1,"op":"hello"}\n',  # a BOM is not JSON
        b'{"seq":1,"op":"hello"}{"seq":2,"op":"hello"}\n',
    ],
)
def test_lines_that_are_not_json_get_invalid_json(line: bytes) -> None:
    response = json.loads(handle_line(ReferenceEngine(), line))
    assert response["seq"] is None and response["ok"] is False
    assert response["error"]["code"] == "invalid_json"
    assert response["error"]["message"].startswith("not JSON: ")


def test_bytes_str_and_line_endings_answer_alike() -> None:
    text = '{"seq":1,"op":"hello"}'
    answers = {handle_line(ReferenceEngine(), line)
               for line in (text, text + "\n", text.encode(), text.encode() + b"\r\n")}
    assert len(answers) == 1


def test_lone_surrogates_still_give_valid_utf8() -> None:
    engine = ReferenceEngine()
    out = respond_line(engine, b'{"seq":1,"op":"get_return","args":{"return_id":"\\ud800"}}\n')
    assert out.endswith(b"\n") and out.count(b"\n") == 1
    response = json.loads(out.decode("utf-8"))
    assert response["error"]["details"] == {"return_id": "\ud800"}


class _BrokenPort(ReferenceEngine):
    def hello(self) -> Any:
        raise RuntimeError("boom")


def test_a_broken_engine_is_survived_by_servers_but_not_hidden_in_process(
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = _BrokenPort()
    with pytest.raises(RuntimeError):
        handle(port, {"seq": 1, "op": "hello"})
    response = safe_handle(port, {"seq": 5, "op": "hello"})
    assert response["seq"] == 5 and response["error"]["code"] == "internal_error"
    assert "boom" in response["error"]["message"]
    assert "RuntimeError" in capsys.readouterr().err
    assert json.loads(respond_line(port, b'{"seq":6,"op":"hello"}'))["seq"] == 6
