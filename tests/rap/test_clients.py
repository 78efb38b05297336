"""The stdio and HTTP clients are engine ports: driven through the typed methods they give what
the in-process engine gives; and a hanging, dying or babbling implementation is reported as a
timeout, a crash or a protocol violation, after which the run goes on."""

from __future__ import annotations

import json
import re
import shlex
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from serve_helpers import STDIO_ARGV, http_server

from sim.core import policy
from sim.core.engine import ReferenceEngine
from sim.core.errors import EngineError, ErrorCode
from sim.core.port import (
    EnginePort,
    ImplementationCrashed,
    ImplementationTimeout,
    ProtocolViolation,
)
from sim.core.values import (
    DAY,
    Address,
    Authorization,
    BatchOutcome,
    LabelChoice,
    LabelType,
    Mode,
    Notification,
    NotificationKind,
    Order,
    OrderItem,
    Outcome,
    Plan,
    Policy,
    ReturnRecord,
    ReturnRequest,
    Rma,
    RmaSource,
    SettingsPatch,
)
from sim.rap.clients import HttpClient, StdioClient, connect
from sim.rap.inprocess import InProcessPort
from sim.rap.port import WirePort

AMAZON_RMA = policy.AMAZON_RMA
T = 1772359200  # 2026-03-01T10:00:00Z
A1 = Address("A1", "Returns desk", "1 Dock Rd", "Reno", "NV", "89501", "US")
A9 = Address("A9", "Overflow", "9 Dock Rd", "Reno", "NV", "89501", "US", line2="Door 2")


def drive(port: EnginePort) -> list[Any]:
    """A typed tour of every op, refusals included; returns what each call gave."""
    out: list[Any] = []

    def attempt(call: Any, *args: Any, **kwargs: Any) -> None:
        try:
            out.append(call(*args, **kwargs))
        except EngineError as error:
            out.append((error.code, error.details))

    port.reset()
    attempt(port.set_policy, Policy(category_window_days={"baby": 90}, transit_days=10))
    attempt(port.register_seller, "S1", Plan.PROFESSIONAL,
            SettingsPatch(return_addresses=(A1,), email_links=True, exempt_skus=("K2",)))
    attempt(port.register_seller, "S2", Plan.INDIVIDUAL, SettingsPatch(return_addresses=(A1,)))
    attempt(port.register_seller, "S2", Plan.INDIVIDUAL, SettingsPatch(return_addresses=(A1,)))
    attempt(port.update_seller, "S2", SettingsPatch(return_window_days={"baby": 120}))
    o1_items = (OrderItem("K1", "toys", 2, 9.5), OrderItem("K2", "baby", 1, 3))
    attempt(port.place_order, Order("O1", "S1", "B1", T, T + DAY, o1_items))
    attempt(port.place_order, Order("O2", "S2", "B2", T, T + DAY, (OrderItem("K3", "baby", 3, 7),)))
    attempt(port.request_return, ReturnRequest("R1", "O1", "K1", 1, "CR-DEFECTIVE", T + 2 * DAY))
    attempt(port.request_return, ReturnRequest("R2", "O1", "K2", 1, "CR-UNWANTED_ITEM",
                                               T + 2 * DAY, comment="too big"))
    attempt(port.request_return,
            ReturnRequest("R3", "O2", "K3", 2, "CR-UNWANTED_ITEM", T + 3 * DAY))
    attempt(port.request_return,
            ReturnRequest("R4", "O2", "K3", 1, "CR-UNWANTED_ITEM", T + 3 * DAY))
    attempt(port.request_return,
            ReturnRequest("R5", "O2", "K3", 1, "CR-UNWANTED_ITEM", T + 3 * DAY))
    attempt(port.authorize, Authorization(
        "R3", T + 4 * DAY, rma="SELF-1", label=LabelChoice(LabelType.SELLER_PREPAID, "UPS", "1Z"),
        return_address=A9,
    ))
    attempt(port.authorize, Authorization("R3", T + 4 * DAY))
    attempt(port.authorize_batch, ["R2", "R4", "R1", "R9"], T + 4 * DAY)
    attempt(port.reply, "R1", T + 5 * DAY, "Label sent")
    attempt(port.receive, "S2", "SELF-1", T + 6 * DAY)
    attempt(port.receive, "S2", "NOPE", T + 6 * DAY)
    attempt(port.close, "R3", T + 7 * DAY)
    attempt(port.close, "R1", T + 7 * DAY)
    attempt(port.close, "R1", T + 200 * DAY)
    attempt(port.get_return, "R2")
    attempt(port.get_return, "R404")
    return [normalized(x) for x in out]


def normalized(value: Any) -> Any:
    """Amazon RMA numbers are compared by pattern only (the contract's one exception)."""
    if isinstance(value, Outcome):
        return Outcome(normalized(value.return_), tuple(map(normalized, value.notifications)))
    if isinstance(value, ReturnRecord) and value.rma and value.rma.source is RmaSource.AMAZON:
        assert AMAZON_RMA.fullmatch(value.rma.number)
        return replace(value, rma=Rma("<amazon>", RmaSource.AMAZON))
    if (isinstance(value, Notification) and value.kind is NotificationKind.RETURN_AUTHORIZED
            and value.rma and AMAZON_RMA.fullmatch(value.rma)):
        return replace(value, rma="<amazon>")
    if isinstance(value, BatchOutcome):  # EngineError has no ==: compare code and details
        items = [(i.return_id, i.ok, normalized(i.return_),
                  i.error and (i.error.code, i.error.details)) for i in value.results]
        return items, tuple(map(normalized, value.notifications))
    return value


@pytest.fixture(scope="module")
def reference_results() -> list[Any]:
    return drive(ReferenceEngine())


@pytest.fixture(scope="module")
def http_url() -> Iterator[str]:
    with http_server() as (url, _):
        yield url


def test_stdio_client_gives_what_the_engine_gives(reference_results: list[Any]) -> None:
    client = connect("cmd:" + shlex.join(STDIO_ARGV))
    assert isinstance(client, StdioClient)
    try:
        assert drive(client) == reference_results
        assert client.hello() == ReferenceEngine().hello()
        pid = client.pid
        assert pid is not None
    finally:
        client.close_port()
    assert client.pid is None


def test_http_client_gives_what_the_engine_gives(
    reference_results: list[Any], http_url: str
) -> None:
    client = connect(http_url)
    assert isinstance(client, HttpClient)
    try:
        assert drive(client) == reference_results
        assert client.post_body(b"{oops")[0] == 400
        status, hello = client.get("/v1/hello")
        assert status == 200 and hello["result"]["protocol"] == "rap/1"
    finally:
        client.close_port()


def test_refusals_raise_engine_error_with_code_and_details(http_url: str) -> None:
    for spec in ("cmd:" + shlex.join(STDIO_ARGV), http_url):
        port = connect(spec)
        try:
            port.reset()
            with pytest.raises(EngineError) as caught:
                port.get_return("R404")
            assert caught.value.code is ErrorCode.UNKNOWN_RETURN
            assert caught.value.details == {"return_id": "R404"}
            with pytest.raises(EngineError) as caught:
                port.set_policy(Policy(default_window_days=0))
            assert caught.value.code is ErrorCode.INVALID_POLICY
        finally:
            port.close_port()


def test_execute_sends_raw_requests(http_url: str) -> None:
    for spec in ("cmd:" + shlex.join(STDIO_ARGV), http_url, "reference"):
        port = connect(spec)
        try:
            assert port.execute({"seq": 5, "op": "teleport"})["error"]["code"] == "unknown_op"
            answer = port.execute({"seq": 6, "op": "get_return", "args": {"return_id": True}})
            assert answer["error"]["details"] == {"field": "return_id", "value": True}
            assert port.execute({"op": "hello"})["seq"] is None
        finally:
            port.close_port()


def test_stdio_client_can_send_lines_that_are_not_json() -> None:
    client = StdioClient(STDIO_ARGV)
    try:
        assert client.execute_line(b"\xff\xfe")["error"]["code"] == "invalid_json"
        assert client.hello().protocol == "rap/1"
    finally:
        client.close_port()


# --------------------------------------------------------------------------- failing stdio

FAKE = textwrap.dedent(
    """
    import json, sys, time
    HELLO = {"protocol": "rap/1", "implementation": "fake", "version": "0", "optional": []}
    for line in sys.stdin:
        req = json.loads(line)
        op, seq = req["op"], req["seq"]
        if op == "hello":
            out = {"seq": seq, "ok": True, "result": HELLO}
        elif op == "reset":
            time.sleep(60)
        elif op == "get_return":
            sys.stderr.write("fake: giving up\\n")
            sys.exit(3)
        elif op == "set_policy":
            sys.stdout.write("Traceback (most recent call last):\\n")
            sys.stdout.flush()
            continue
        elif op == "close":
            out = {"seq": seq + 1, "ok": True, "result": {}}
        elif op == "reply":
            out = {"seq": seq, "ok": True, "result": {"return": None}}
        elif op == "receive":  # answered twice
            out = {"seq": seq, "ok": False, "error": {"code": "unknown_rma", "message": "no",
                   "details": {}}}
            print(json.dumps(out), flush=True)
        elif op == "authorize_batch":  # an endless line
            while True:
                sys.stdout.write("x" * 65536)
        elif op == "update_seller":
            sys.stderr.write("x" * 2_000_000)
            sys.stderr.flush()
            out = {"seq": seq, "ok": False, "error": {"code": "unknown_seller",
                   "message": "no", "details": {"seller_id": "S9"}}}
        else:
            out = {"seq": seq, "ok": False, "error": {"code": "unknown_op", "message": op,
                   "details": {}}}
        print(json.dumps(out), flush=True)
    """
)


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[StdioClient]:
    script = tmp_path / "fake_impl.py"
    script.write_text(FAKE)
    client = StdioClient(f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}", timeout=1.0)
    yield client
    client.close_port()


def test_a_hanging_implementation_times_out_and_is_restarted(fake: StdioClient) -> None:
    assert fake.hello().implementation == "fake"
    first = fake.pid
    started = time.monotonic()
    with pytest.raises(ImplementationTimeout, match="no answer within 1 s"):
        fake.reset()
    assert time.monotonic() - started < 5
    assert fake.pid is None
    assert fake.hello().implementation == "fake"
    assert fake.pid is not None and fake.pid != first


def test_a_dying_implementation_is_a_crash_with_its_stderr(fake: StdioClient) -> None:
    with pytest.raises(ImplementationCrashed, match=r"exit status 3.*fake: giving up"):
        fake.get_return("R1")
    assert fake.hello().implementation == "fake"  # the next call starts it again


def test_malformed_answers_are_protocol_violations(fake: StdioClient) -> None:
    with pytest.raises(ProtocolViolation, match="not JSON"):
        fake.set_policy(Policy())
    assert fake.pid is None  # out of step: restarted on the next call
    with pytest.raises(ProtocolViolation, match=r"^seq: must echo"):
        fake.close("R1", T)
    assert fake.pid is None  # a mis-sequenced answer: restarted on the next call
    with pytest.raises(ProtocolViolation, match=r"^result\.notifications: missing"):
        fake.reply("R1", T, "hi")


def test_an_extra_answer_is_caught_and_the_implementation_restarted(fake: StdioClient) -> None:
    with pytest.raises(EngineError):
        fake.receive("S1", "X", T)
    first = fake.pid
    with pytest.raises(ProtocolViolation, match=r"no request asked for|must echo"):
        fake.check_in_step()
    assert fake.pid is None
    assert fake.hello().implementation == "fake"  # in step again, with a fresh process
    assert fake.pid != first


def test_an_endless_answer_line_is_a_protocol_violation_in_bounded_memory(
    fake: StdioClient
) -> None:
    fake.timeout = 30.0
    with pytest.raises(ProtocolViolation, match="longer than 16777216 bytes"):
        fake.authorize_batch(["R1"], T)
    assert fake.pid is None
    assert fake.hello().implementation == "fake"


def test_a_chatty_stderr_never_blocks_the_child(fake: StdioClient) -> None:
    for _ in range(3):
        with pytest.raises(EngineError) as caught:
            fake.update_seller("S9", SettingsPatch(email_links=True))
        assert caught.value.code is ErrorCode.UNKNOWN_SELLER


def test_a_command_that_cannot_start_is_a_crash(tmp_path: Path) -> None:
    client = StdioClient([str(tmp_path / "no-such-engine")])
    with pytest.raises(ImplementationCrashed, match="cannot start"):
        client.hello()
    client.close_port()


# --------------------------------------------------------------------------- failing HTTP


class _BadHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length))
        if self.path.startswith("/hang/"):
            time.sleep(3)
        status, body = 200, json.dumps({"seq": request["seq"], "ok": True,
                                        "result": {"protocol": "rap/1", "implementation": "bad",
                                                   "version": "0", "optional": []}})
        if self.path.startswith("/fail/"):
            status, body = 500, "Internal Server Error"
        elif self.path.startswith("/html/"):
            body = "<html>hello</html>"
        elif self.path.startswith("/badseq/"):
            body = json.dumps({"seq": None, "ok": True, "result": {}})
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def bad_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BadHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_http_failures_are_told_apart(bad_server: str) -> None:
    assert HttpClient(bad_server + "/ok").hello().implementation == "bad"
    with pytest.raises(ImplementationTimeout):
        HttpClient(bad_server + "/hang", timeout=0.5).hello()
    with pytest.raises(ImplementationCrashed, match="HTTP 500"):
        HttpClient(bad_server + "/fail").hello()
    with pytest.raises(ProtocolViolation, match="not JSON"):
        HttpClient(bad_server + "/html").hello()
    with pytest.raises(ProtocolViolation, match=r"^seq"):
        HttpClient(bad_server + "/badseq").hello()


def test_connection_refused_is_a_crash() -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), _BadHandler) as server:
        port = server.server_address[1]  # bound, then closed: nobody listens there
    with pytest.raises(ImplementationCrashed):
        HttpClient(f"http://127.0.0.1:{port}").hello()


# --------------------------------------------------------------------------- connect


def test_connect_specs() -> None:
    reference = connect("reference")
    assert isinstance(reference, InProcessPort) and isinstance(reference.engine, ReferenceEngine)
    assert isinstance(reference, WirePort)
    for port in (StdioClient(STDIO_ARGV), HttpClient("http://127.0.0.1:1")):
        assert isinstance(port, EnginePort)  # nothing is started or connected yet
        port.close_port()
    for bad in ["", "ref", "cmd:", "cmd:   ", "cmd:'unclosed", "https://x:1", "http://", "tcp://x",
                "http://127.0.0.1:notaport"]:
        with pytest.raises(ValueError, match=re.escape(repr(bad))):
            connect(bad)


def test_the_settings_of_a_plan_round_trip_through_a_client(http_url: str) -> None:
    client = HttpClient(http_url)
    try:
        client.reset()
        seller = client.register_seller("S1", Plan.INDIVIDUAL, SettingsPatch(
            return_addresses=(A1, A9), default_return_address_id="A9",
            authorization=Mode.AUTO))
        assert seller.settings.default_address == A9
        assert seller.settings.exempt_skus is None
    finally:
        client.close_port()
