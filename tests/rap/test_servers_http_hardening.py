"""The HTTP server under hostile and broken clients: framing, error envelopes, limits,
disconnects and a graceful stop. Raw sockets, because a well-behaved client library will not
send what these tests send."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from serve_helpers import REPO, SERVE, http_server, start_http

from sim.rap.servers.http import is_loopback


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with http_server(signal.SIGTERM, "--max-connections", "8", "--idle-timeout", "2") as found:
        yield found


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    return sock


def _read_answer(sock: socket.socket) -> tuple[int, dict[str, str], Any]:
    """One HTTP answer: (status, headers in lower case, parsed JSON body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before an answer: {data!r}"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    assert "transfer-encoding" not in headers  # one framing: Content-Length alone
    length = int(headers["content-length"])
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk
        body += chunk
    assert headers["content-type"] == "application/json; charset=utf-8"
    return status, headers, json.loads(body[:length])


def _exchange(url: str, raw: bytes) -> tuple[int, dict[str, str], Any]:
    with _connect(url) as sock:
        sock.sendall(raw)
        return _read_answer(sock)


def _closed(sock: socket.socket) -> bool:
    sock.settimeout(5)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def _post(body: bytes, extra: bytes = b"") -> bytes:
    return (b"POST /v1/rpc HTTP/1.1\r\nHost: x\r\nContent-Length: " + str(len(body)).encode()
            + b"\r\n" + extra + b"\r\n" + body)


def _rpc(url: str, request: dict[str, Any]) -> Any:
    return _exchange(url, _post(json.dumps(request).encode()))[2]


@pytest.mark.parametrize(
    "length", [b"+22", b"2_2", b"22, 23", b"-1", b"0x16", b"22\r\nContent-Length: 23"]
)
def test_a_malformed_or_conflicting_content_length_is_400_json(
    server: tuple[str, Any], length: bytes
) -> None:
    raw = b"POST /v1/rpc HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + b"\r\n\r\n" \
        + b'{"seq":1,"op":"hello"}'
    status, headers, answer = _exchange(server[0], raw)
    assert status == 400
    assert answer["ok"] is False and answer["seq"] is None
    assert answer["error"]["code"] == "invalid_args"
    assert headers.get("connection") == "close"


def test_a_body_cut_short_is_never_executed(server: tuple[str, Any]) -> None:
    url = server[0]
    assert _rpc(url, {"seq": 1, "op": "reset"})["ok"]
    body = json.dumps({"seq": 2, "op": "register_seller", "args": {
        "seller_id": "CUT", "plan": "individual", "settings": {"return_addresses": [{
            "address_id": "A1", "name": "n", "line1": "l", "city": "c", "region": "r",
            "postal_code": "p", "country": "US"}]}}}).encode()
    with _connect(url) as sock:
        sock.sendall(b"POST /v1/rpc HTTP/1.1\r\nHost: x\r\nContent-Length: "
                     + str(len(body) + 10).encode() + b"\r\n\r\n" + body)
        sock.shutdown(socket.SHUT_WR)  # the client goes away 10 bytes short
        sock.settimeout(10)
        sock.recv(65536)  # whatever comes (nothing, or a 4xx), the request must not run
    time.sleep(0.2)
    again = json.loads(json.dumps(json.loads(body)))
    answer = _rpc(url, again)
    assert answer["ok"], answer  # not duplicate_seller: the cut request changed nothing


def test_a_post_without_content_length_gets_one_answer(server: tuple[str, Any]) -> None:
    with _connect(server[0]) as sock:
        sock.sendall(b"POST /v1/rpc HTTP/1.1\r\nHost: x\r\n\r\n")
        status, _, answer = _read_answer(sock)
        assert status == 411 and answer["error"]["details"]["field"] == "Content-Length"
        assert _closed(sock)
    with _connect(server[0]) as sock:  # the body follows: it is not taken as a second request
        sock.sendall(b'POST /v1/rpc HTTP/1.1\r\nHost: x\r\n\r\n{"seq":1,"op":"hello"}')
        status, _, answer = _read_answer(sock)
        assert status in (400, 411) and answer["ok"] is False
        assert _closed(sock)  # one answer, then the connection is closed


@pytest.mark.parametrize(("raw", "status"), [
    (b"TRACE /v1/rpc HTTP/1.1\r\nHost: x\r\n\r\n", 405),
    (b"FOO /v1/rpc HTTP/1.1\r\nHost: x\r\n\r\n", 400),  # a method the parser does not know
    (b"TRACE / HTTP/1.1\r\nHost: x\r\n\r\n", 404),
    (b"GET /" + b"a" * 3000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    (b"GET /v1/hello HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 20000 + b"\r\n\r\n", 431),
    (b"GET /v1/hello HTTP/9.9\r\nHost: x\r\n\r\n", 400),
    (b"GET /v1/hello HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400),
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40, 400),  # TLS hello
    (b"GET /v1/hello HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", 400),
])
def test_every_http_error_is_a_json_envelope(
    server: tuple[str, Any], raw: bytes, status: int
) -> None:
    got, _, answer = _exchange(server[0], raw)
    assert got in (status, 505) if status == 400 else got == status, (got, answer)
    assert answer["ok"] is False and answer["seq"] is None
    assert answer["error"]["code"] in ("invalid_args", "unknown_op")


def test_an_http_batch_over_1000_requests_is_413(server: tuple[str, Any]) -> None:
    batch = [{"seq": i, "op": "hello"} for i in range(1001)]
    status, _, answer = _exchange(server[0], _post(json.dumps(batch).encode()))
    assert status == 413 and answer["error"]["details"]["field"] == "request"


def test_connections_over_the_cap_get_503_and_idle_ones_are_closed(
    server: tuple[str, Any]
) -> None:
    url = server[0]
    time.sleep(2.5)  # the other tests' connections are closed by now (idle timeout 2 s)
    held = [_connect(url) for _ in range(8)]
    try:
        time.sleep(0.2)
        with _connect(url) as extra:
            status, _, answer = _read_answer(extra)
            assert status == 503 and answer["ok"] is False
        # Held connections that never sent a byte are closed after the idle timeout...
        assert all(_closed(s) for s in held)
    finally:
        for s in held:
            s.close()
    # ...and then the server serves again.
    assert _rpc(url, {"seq": 1, "op": "hello"})["ok"]


def test_disconnects_write_nothing_to_stderr() -> None:
    proc, url = start_http()
    for _ in range(20):
        with _connect(url) as sock:
            sock.sendall(_post(b'{"seq":1,"op":"hello"}' * 50)[:-100])
        with _connect(url) as sock:
            sock.sendall(_post(b'{"seq":1,"op":"hello"}'))
    assert _rpc(url, {"seq": 1, "op": "hello"})["ok"]
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert err == b"", err[:2000]


def test_sigterm_finishes_the_request_in_flight_then_exits_0() -> None:
    proc, url = start_http()
    raw = _post(b'{"seq":7,"op":"hello"}')
    with _connect(url) as sock:
        sock.sendall(raw[:-5])  # the request is in flight: its body is not all there yet
        time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        sock.sendall(raw[-5:])
        status, headers, answer = _read_answer(sock)
        assert status == 200 and answer["seq"] == 7
        assert headers.get("connection") == "close"
    assert proc.wait(timeout=20) == 0
    assert proc.stderr is not None
    proc.stderr.close()


def test_binding_beyond_loopback_needs_allow_remote() -> None:
    done = subprocess.run([*SERVE, "--http", "0.0.0.0:0"], cwd=REPO, capture_output=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert b"--allow-remote" in done.stderr and b"Traceback" not in done.stderr
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert is_loopback("127.8.9.10")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2")
    assert not is_loopback("example.org")
