"""``returns-sim serve --http 127.0.0.1:0`` as a real subprocess on an ephemeral port."""

from __future__ import annotations

import http.client
import json
import signal
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from serve_helpers import http_server
from wire_session import LINES, STEPS, address

from sim.core.engine import ReferenceEngine
from sim.rap.envelope import handle, handle_line


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with http_server() as (url, _):
        yield url


def call(url: str, method: str, path: str, body: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        conn.request(method, path, body, headers or {})
        resp = conn.getresponse()
        data = resp.read()
        assert resp.getheader("Content-Type") == "application/json; charset=utf-8"
        assert int(resp.getheader("Content-Length") or -1) == len(data)
        # Header names are case-insensitive (RFC 9110): compare them in lower case.
        headers = {k.lower(): v for k, v in resp.getheaders()}
        return resp.status, headers, json.loads(data) if data else None
    finally:
        conn.close()


def rpc(url: str, payload: Any) -> tuple[int, Any]:
    status, _, answer = call(url, "POST", "/v1/rpc", json.dumps(payload).encode(),
                             {"Content-Type": "application/json"})
    return status, answer


def test_session_as_one_batch_matches_in_process(base_url: str) -> None:
    rpc(base_url, {"seq": 0, "op": "reset"})
    requests = [json.loads(s.line) for s in STEPS if s.expect != "invalid_json"]
    status, answers = rpc(base_url, requests)
    engine = ReferenceEngine()
    assert status == 200
    assert answers == [handle(engine, r) for r in requests]


def test_single_requests_and_domain_errors_are_200(base_url: str) -> None:
    rpc(base_url, {"seq": 0, "op": "reset"})
    engine = ReferenceEngine()
    for line in LINES[:25]:
        if line.startswith("{") and line.endswith("}"):
            status, answer = rpc(base_url, json.loads(line))
            assert status == 200
            assert answer == json.loads(handle_line(engine, line))


def test_hello(base_url: str) -> None:
    status, _, answer = call(base_url, "GET", "/v1/hello")
    assert status == 200
    assert answer["seq"] is None and answer["ok"] is True
    assert answer["result"]["protocol"] == "rap/1"
    assert answer["result"]["optional"] == ["label_details"]
    status, _, answer = call(base_url, "GET", "/v1/hello?verbose=1")
    assert status == 200 and answer["ok"] is True


@pytest.mark.parametrize(
    ("body", "code"),
    [(b"{not json", "invalid_json"), (b"", "invalid_json"), (b"\xff\xfe", "invalid_json"),
     (b'{"seq":1,"op":"hello","args":{"x":NaN}}', "invalid_json"), (b"[]", "invalid_args")],
)
def test_bodies_that_are_not_requests_are_400(base_url: str, body: bytes, code: str) -> None:
    status, _, answer = call(base_url, "POST", "/v1/rpc", body)
    assert status == 400
    assert answer["seq"] is None and answer["ok"] is False
    assert answer["error"]["code"] == code


def test_a_body_over_1_mib_is_413(base_url: str) -> None:
    body = b'{"seq":1,"op":"hello","args":{"pad":"' + b"x" * (1 << 20) + b'"}}'
    status, _, answer = call(base_url, "POST", "/v1/rpc", body)
    assert status == 413
    assert answer["error"]["code"] == "invalid_args"
    assert answer["error"]["details"]["field"] == "body"
    just_under = b'{"seq":1,"op":"hello"}' + b" " * ((1 << 20) - 22)
    assert call(base_url, "POST", "/v1/rpc", just_under)[0] == 200


def test_unknown_path_is_404_and_wrong_method_is_405(base_url: str) -> None:
    for method, path in [("GET", "/"), ("POST", "/v1/rpcx"), ("GET", "/v2/hello")]:
        status, _, answer = call(base_url, method, path)
        assert status == 404, (method, path)
        assert answer["ok"] is False and answer["error"]["details"]["path"] == path
    for method, path, allowed in [("GET", "/v1/rpc", "POST"), ("PUT", "/v1/rpc", "POST"),
                                  ("POST", "/v1/hello", "GET"), ("DELETE", "/v1/hello", "GET")]:
        status, headers, answer = call(base_url, method, path, b"{}")
        assert status == 405, (method, path)
        assert headers["allow"] == allowed
        assert answer["ok"] is False and answer["error"]["details"]["allowed"] == [allowed]


def test_keep_alive_connection_serves_many_requests(base_url: str) -> None:
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        for seq in range(20):
            body = json.dumps({"seq": seq, "op": "hello"}).encode()
            conn.request("POST", "/v1/rpc", body)
            resp = conn.getresponse()
            assert json.loads(resp.read())["seq"] == seq
        conn.request("GET", "/nowhere")  # a refusal keeps the connection usable too
        assert conn.getresponse().read()
        conn.request("POST", "/v1/rpc", b'{"seq":99,"op":"hello"}')
        assert json.loads(conn.getresponse().read())["seq"] == 99
    finally:
        conn.close()


def test_concurrent_clients_are_served_safely(base_url: str) -> None:
    rpc(base_url, {"seq": 0, "op": "reset"})
    threads, per_thread = 6, 15
    failures: list[str] = []

    def client(n: int) -> None:
        seller = f"S{n}"
        steps: list[dict[str, Any]] = [{"op": "register_seller", "args": {
            "seller_id": seller, "plan": "professional",
            "settings": {"return_addresses": [address("A1")]}}}]
        for i in range(per_thread):
            steps.append({"op": "place_order", "args": {
                "order_id": f"O{n}-{i}", "seller_id": seller, "buyer_id": "B",
                "ordered_at": "2026-03-01T10:00:00Z", "delivered_at": "2026-03-02T10:00:00Z",
                "items": [{"sku": "K", "category": "toys", "quantity": 1, "unit_price": 1}]}})
            steps.append({"op": "request_return", "args": {
                "return_id": f"R{n}-{i}", "order_id": f"O{n}-{i}", "sku": "K", "quantity": 1,
                "reason": "CR-DEFECTIVE", "requested_at": "2026-03-03T10:00:00Z"}})
        for seq, step in enumerate(steps):
            status, answer = rpc(base_url, {"seq": seq, **step})
            if status != 200 or not answer["ok"] or answer["seq"] != seq:
                failures.append(f"{n}/{seq}: {status} {answer}")

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert failures == []
    batch = [{"seq": n * 100 + i, "op": "get_return", "args": {"return_id": f"R{n}-{i}"}}
             for n in range(threads) for i in range(per_thread)]
    status, answers = rpc(base_url, batch)
    assert status == 200 and all(a["ok"] for a in answers)
    rmas = {a["result"]["return"]["rma"]["number"] for a in answers}
    assert len(rmas) == threads * per_thread  # unique RMAs across all the threads


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_shuts_down_cleanly_on_sigterm_and_sigint(stop: int) -> None:
    with http_server(stop) as (url, proc):
        assert rpc(url, {"seq": 1, "op": "hello"})[0] == 200
    assert proc.returncode == 0
