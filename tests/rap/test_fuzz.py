"""Bounded fuzzing of both servers, fast enough for every CI run.

Lines and HTTP requests are mutated from the session that touches every op and error code
(``wire_session``), with a fixed seed so a failure replays. What must hold: every input gets
exactly one answer (stdio) or an HTTP answer or a closed connection (HTTP); every answer is a
rap/1 envelope with a code of the contract (never ``internal_error``); the server keeps
serving; nothing is written to stderr. docs/reliability.md says what is tried and how much.
"""

from __future__ import annotations

import contextlib
import json
import random
import signal
import socket
import subprocess
from typing import Any
from urllib.parse import urlsplit

from serve_helpers import REPO, STDIO_ARGV, start_http
from wire_session import LINES

from sim.core.errors import ErrorCode

CODES = {c.value for c in ErrorCode}
STDIO_LINES = 3000
HTTP_REQUESTS = 400
_ODD: list[Any] = [
    None, True, False, 0, -1, 2**63, 10**30, 1e308, -0.0, "", "x" * 300, [], {}, [[[]]],
    "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "\u0000", "\ud800", {"seq": 1},
]


def _mutate_value(rng: random.Random, value: Any, depth: int = 0) -> Any:
    """A copy of a JSON value with one part changed, dropped or added."""
    if isinstance(value, dict) and value and depth < 6 and rng.random() < 0.8:
        key = rng.choice(list(value))
        out = dict(value)
        roll = rng.random()
        if roll < 0.2:
            del out[key]
        elif roll < 0.3:
            out[rng.choice(["x", "seq", "op", "args", key + "_"])] = rng.choice(_ODD)
        else:
            out[key] = _mutate_value(rng, value[key], depth + 1)
        return out
    if isinstance(value, list) and value and depth < 6 and rng.random() < 0.8:
        out_list = list(value)
        i = rng.randrange(len(out_list))
        if rng.random() < 0.2:
            out_list.append(out_list[i])
        else:
            out_list[i] = _mutate_value(rng, out_list[i], depth + 1)
        return out_list
    return rng.choice(_ODD)


def _mutate_bytes(rng: random.Random, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        i = rng.randrange(len(data) + 1)
        if roll < 0.4 and data:
            data[min(i, len(data) - 1)] = rng.randrange(256)
        elif roll < 0.7:
            del data[i:i + rng.randint(1, 20)]
        else:
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(data)


def _requests() -> list[Any]:
    """The session's lines that are JSON (some are deliberately not)."""
    out = []
    for line in LINES:
        with contextlib.suppress(ValueError):
            out.append(json.loads(line))
    return out


def fuzz_lines(seed: int, count: int) -> list[bytes]:
    rng = random.Random(seed)
    requests = _requests()
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.6:
            value = _mutate_value(rng, rng.choice(requests))
            line = json.dumps(value).encode()
        elif roll < 0.9:
            line = _mutate_bytes(rng, rng.choice(LINES).encode())
        else:
            line = rng.choice([b"[" * 50_000, b'{"seq":' + b"9" * 5000 + b"}", b"\xff" * 100,
                               b"", b" " * 1000, b"{" * 3 + b"}" * 3, b'"\\ud800"'])
        out.append(line.replace(b"\n", b" ").replace(b"\r", b" ") + b"\n")
    return out


def _check_envelope(answer: Any) -> None:
    assert isinstance(answer, dict) and set(answer) in ({"seq", "ok", "result"},
                                                       {"seq", "ok", "error"}), answer
    if not answer["ok"]:
        assert answer["error"]["code"] in CODES, answer


def test_stdio_fuzz_every_line_gets_one_envelope_and_the_server_survives() -> None:
    lines = fuzz_lines(seed=11, count=STDIO_LINES)
    done = subprocess.run(STDIO_ARGV, cwd=REPO, input=b"".join(lines), capture_output=True,
                          timeout=240)
    answers = done.stdout.split(b"\n")
    assert answers[-1] == b"" and len(answers) - 1 == len(lines)
    for answer in answers[:-1]:
        _check_envelope(json.loads(answer))
    assert done.returncode == 0
    assert done.stderr == b"", done.stderr[:2000]


def fuzz_http(seed: int, count: int) -> list[bytes]:
    rng = random.Random(seed)
    bodies = [json.dumps(_mutate_value(rng, request)).encode()
              for request in rng.sample(_requests(), 40)]
    out = []
    for _ in range(count):
        body = rng.choice(bodies)
        if rng.random() < 0.4:  # well framed: the body's mutations reach the engine
            if rng.random() < 0.3:
                body = b"[" + b",".join(rng.sample(bodies, rng.randint(1, 5))) + b"]"
            out.append(b"POST /v1/rpc HTTP/1.1\r\nHost: x\r\nContent-Length: "
                       + str(len(body)).encode() + b"\r\n\r\n" + body)
            continue
        method = rng.choice([b"POST", b"POST", b"POST", b"GET", b"PUT", b"TRACE", b"OPTIONS",
                             b"HEAD", b"DELETE", b"PATCH"])
        path = rng.choice([b"/v1/rpc", b"/v1/rpc", b"/v1/hello", b"/", b"/v1/rpc?x=1",
                           b"/%00", b"/" + b"p" * 3000])
        length = rng.choice([str(len(body)).encode()] * 5 + [
            str(len(body) + 5).encode(), str(max(len(body) - 5, 0)).encode(), b"+1", b"1_0",
            b"-3", b"", b"99999999999999999999"])
        headers = [b"Host: x", b"Content-Length: " + length]
        if rng.random() < 0.1:
            headers.append(b"Content-Length: 7")
        if rng.random() < 0.1:
            headers.append(b"Transfer-Encoding: chunked")
        if rng.random() < 0.05:
            headers.append(b"X-Big: " + b"b" * 20000)
        version = rng.choice([b"HTTP/1.1"] * 8 + [b"HTTP/1.0", b"HTTP/2.0", b"HTTX/1.1"])
        raw = method + b" " + path + b" " + version + b"\r\n" + b"\r\n".join(headers) \
            + b"\r\n\r\n" + body
        if rng.random() < 0.2:
            raw = _mutate_bytes(rng, raw)
        out.append(raw)
    return out


def _answer(sock: socket.socket) -> tuple[int, bytes] | None:
    """The first HTTP answer on the socket, or ``None`` when it is closed without one."""
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            return None
        if not chunk:
            return None
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    status = int(head.split(b" ", 2)[1])
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")[1:]
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, body[:length]


def test_http_fuzz_every_answer_is_a_json_envelope_and_the_server_survives() -> None:
    proc, base = start_http("--idle-timeout", "2")
    url = urlsplit(base)
    address = (url.hostname or "", url.port or 0)
    try:
        statuses: dict[int, int] = {}
        for raw in fuzz_http(seed=5, count=HTTP_REQUESTS):
            with socket.create_connection(address, timeout=5) as sock:
                sock.sendall(raw)
                if not raw.startswith(b"POST /v1/rpc HTTP/1.1\r\nHost: x\r\nContent-Length"):
                    # A broken request may wait for bytes that never come: say there are none.
                    sock.shutdown(socket.SHUT_WR)
                got = _answer(sock)
            if got is None:
                continue
            status, body = got
            statuses[status] = statuses.get(status, 0) + 1
            if raw.startswith(b"HEAD "):
                continue
            answer = json.loads(body)
            items = answer if isinstance(answer, list) else [answer]
            for item in items:
                _check_envelope(item)
        assert statuses.get(200, 0) > 20 and len(statuses) >= 5, statuses
        with socket.create_connection(address, timeout=5) as sock:
            sock.sendall(b'POST /v1/rpc HTTP/1.1\r\nHost: x\r\nContent-Length: 22\r\n\r\n'
                         b'{"seq":1,"op":"hello"}')
            got = _answer(sock)
            assert got is not None and got[0] == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert err == b"", err[:2000]
