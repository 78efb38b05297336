"""``returns-sim serve --stdio`` as a real subprocess: one line in, one line out, flushed; any
input line is survived; EOF is exit 0."""

from __future__ import annotations

import json
import subprocess

from serve_helpers import REPO, STDIO_ARGV, read_line_within
from wire_session import LINES

from sim.core.engine import ReferenceEngine
from sim.rap.envelope import handle_line


def run_stdio(data: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(STDIO_ARGV, input=data, capture_output=True, cwd=REPO, timeout=60,
                          check=False)


def test_session_over_stdio_matches_in_process_byte_for_byte() -> None:
    done = run_stdio("".join(line + "\n" for line in LINES).encode())
    engine = ReferenceEngine()
    expected = "".join(handle_line(engine, line) + "\n" for line in LINES).encode()
    assert done.stdout == expected
    assert done.returncode == 0
    assert done.stderr == b""


def test_survives_any_input_line_and_keeps_serving() -> None:
    hello = b'{"seq":1,"op":"hello"}\n'
    bad_lines = [
        b"this is not json\n",
        b"[1,2,3]\n",
        b"42\n",
        b"\x00\x01\x02\xff\xfe binary \x80\n",
        b"x" * (10 * 1024 * 1024) + b"\n",  # a 10 MB line
        b'{"seq":2,"op":"hello","args":{"junk":"' + b"y" * (10 * 1024 * 1024) + b'"}}\n',
        b"\n",
        b"[" * 100_000 + b"\n",
    ]
    done = run_stdio(b"".join(line + hello for line in bad_lines))
    answers = done.stdout.split(b"\n")
    assert answers[-1] == b"" and len(answers) - 1 == 2 * len(bad_lines)
    responses = [json.loads(a) for a in answers[:-1]]
    refusals, hellos = responses[0::2], responses[1::2]
    # The 10 MB request object is over the 1 MiB line limit: refused unread (invalid_json).
    assert [r["error"]["code"] for r in refusals] == [
        "invalid_json", "invalid_args", "invalid_args", "invalid_json", "invalid_json",
        "invalid_json", "invalid_json", "invalid_json"]
    assert refusals[4]["error"]["details"] == {"limit_bytes": 1 << 20}
    assert refusals[5]["error"]["details"] == {"limit_bytes": 1 << 20}
    assert all(len(a) < 1000 for a in answers)  # a huge input is not echoed back whole
    assert all(h == {"seq": 1, "ok": True, "result": h["result"]} for h in hellos)
    assert done.returncode == 0


def test_answers_each_line_at_once_and_exits_0_on_eof() -> None:
    """Lock-step use: the answer arrives before the next request is written (flushed)."""
    proc = subprocess.Popen(STDIO_ARGV, cwd=REPO, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for seq in range(1, 4):
            proc.stdin.write(b'{"seq":%d,"op":"hello"}\n' % seq)
            proc.stdin.flush()
            assert json.loads(read_line_within(proc.stdout, 20))["seq"] == seq
        proc.stdin.write(b"oops\n")
        proc.stdin.flush()
        assert json.loads(read_line_within(proc.stdout, 20))["error"]["code"] == "invalid_json"
        proc.stdin.close()
        assert proc.wait(timeout=20) == 0
        assert proc.stdout.read() == b""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        if proc.stderr is not None:
            proc.stderr.close()


def test_a_last_line_without_newline_is_still_answered() -> None:
    done = run_stdio(b'{"seq":9,"op":"hello"}')
    assert json.loads(done.stdout)["seq"] == 9 and done.returncode == 0


def test_serve_needs_exactly_one_transport() -> None:
    for args in ([], ["--stdio", "--http", "0"], ["--http", "nope"], ["--http", "1:99999"]):
        done = subprocess.run([*STDIO_ARGV[:-1], *args], capture_output=True, cwd=REPO,
                              timeout=60, check=False)
        assert done.returncode == 2, args
        assert b"--http" in done.stderr or b"--stdio" in done.stderr


def test_a_line_of_exactly_1_mib_is_read_and_one_byte_more_is_refused() -> None:
    request = b'{"seq":1,"op":"hello"}'
    fits = request + b" " * ((1 << 20) - len(request)) + b"\n"
    over = request + b" " * ((1 << 20) - len(request) + 1) + b"\n"
    done = run_stdio(fits + over + b'{"seq":3,"op":"hello"}\n')
    answers = [json.loads(a) for a in done.stdout.splitlines()]
    assert [a["ok"] for a in answers] == [True, False, True]
    assert answers[1]["error"]["code"] == "invalid_json"
    assert answers[1]["error"]["details"] == {"limit_bytes": 1 << 20}
    assert done.returncode == 0
