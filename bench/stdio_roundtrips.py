"""Round trips per second through ``returns-sim serve --stdio`` on a realistic mixed stream.

Pipelined: a writer thread sends the whole stream while the main thread reads the answers (the
server still answers and flushes line by line); the server's own CPU time is reported too, as
round trips per CPU second. Lock-step: one request, wait for its answer, then the next (what a
naive harness does). The stream is what a marketplace day looks like:
sellers register, orders are placed, returns are requested; individual sellers' returns are
authorized by hand (custom RMA), received and closed as completed; professional sellers'
returns are authorized at once and closed as not returned after the transit time.

Usage: .venv/bin/python bench/stdio_roundtrips.py [--units N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SERVER = [sys.executable, "-m", "sim", "serve", "--stdio"]
SELLERS = 50
DAY = 86_400
T0 = 1_772_359_200  # 2026-03-01T10:00:00Z


def ts(t: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def stream(units: int) -> list[bytes]:
    """The request lines: sellers first, then per unit an order and its return's life."""
    out: list[dict[str, object]] = []

    def add(op: str, **args: object) -> None:
        out.append({"seq": len(out) + 1, "op": op, "args": args})

    for s in range(SELLERS):
        plan = "individual" if s % 2 else "professional"
        settings: dict[str, object] = {"return_addresses": [{
            "address_id": "A1", "name": f"Seller {s}", "line1": "1 Dock Rd", "city": "Reno",
            "region": "NV", "postal_code": "89501", "country": "US"}]}
        if plan == "individual":
            settings["authorization"] = "manual"
        add("register_seller", seller_id=f"S{s}", plan=plan, settings=settings)
    for i in range(units):
        s = i % SELLERS
        t = T0 + (i % 1000) * 60
        add("place_order", order_id=f"O{i}", seller_id=f"S{s}", buyer_id=f"B{i % 997}",
            ordered_at=ts(t), delivered_at=ts(t + 2 * DAY),
            items=[{"sku": f"K{i % 31}", "category": "toys", "quantity": 1 + i % 3,
                    "unit_price": 19.99}])
        add("request_return", return_id=f"R{i}", order_id=f"O{i}", sku=f"K{i % 31}", quantity=1,
            reason="CR-DEFECTIVE" if i % 4 == 0 else "CR-UNWANTED_ITEM",
            requested_at=ts(t + 3 * DAY))
        if s % 2:  # individual seller: authorize by hand, receive, complete
            add("authorize", return_id=f"R{i}", at=ts(t + 4 * DAY), rma=f"RMA-{i}")
            add("receive", seller_id=f"S{s}", rma=f"RMA-{i}", at=ts(t + 9 * DAY))
            add("close", return_id=f"R{i}", at=ts(t + 10 * DAY))
        else:  # professional: authorized at once; never shipped back
            add("close", return_id=f"R{i}", at=ts(t + 50 * DAY))
    return [json.dumps(r, separators=(",", ":")).encode() + b"\n" for r in out]


def start() -> subprocess.Popen[bytes]:
    return subprocess.Popen(SERVER, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def children_cpu() -> float:
    """CPU seconds used so far by this process's finished children (the servers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def startup_cpu() -> float:
    """CPU seconds of a server that starts, answers one hello and exits (to subtract)."""
    before = children_cpu()
    pipelined([])
    return children_cpu() - before


def pipelined(lines: list[bytes]) -> tuple[float, int]:
    """(seconds, refusals) for the whole stream, writing and reading concurrently."""
    proc = start()
    assert proc.stdin is not None and proc.stdout is not None
    stdin, stdout = proc.stdin, proc.stdout
    stdin.write(b'{"seq":0,"op":"hello"}\n')
    stdin.flush()
    stdout.readline()  # the server is up and its imports are done

    def write() -> None:
        for line in lines:
            stdin.write(line)
        stdin.close()

    began = time.perf_counter()
    writer = threading.Thread(target=write)
    writer.start()
    refusals = 0
    for _ in lines:
        if b'"ok":false' in stdout.readline():
            refusals += 1
    elapsed = time.perf_counter() - began
    writer.join()
    proc.wait()
    return elapsed, refusals


def lockstep(lines: list[bytes]) -> float:
    proc = start()
    assert proc.stdin is not None and proc.stdout is not None
    stdin, stdout = proc.stdin, proc.stdout
    stdin.write(b'{"seq":0,"op":"hello"}\n')
    stdin.flush()
    stdout.readline()
    began = time.perf_counter()
    for line in lines:
        stdin.write(line)
        stdin.flush()
        stdout.readline()
    elapsed = time.perf_counter() - began
    stdin.close()
    proc.wait()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=10_000, help="orders in the stream")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    args = parser.parse_args()
    lines = stream(args.units)
    best = best_cpu = float("inf")
    baseline = min(startup_cpu() for _ in range(3))
    for _ in range(args.repeat):
        cpu_before = children_cpu()
        elapsed, refusals = pipelined(lines)
        best_cpu = min(best_cpu, children_cpu() - cpu_before - baseline)
        if refusals:
            print(f"error: {refusals} requests were refused; the stream is wrong",
                  file=sys.stderr)
            return 1
        best = min(best, elapsed)
    step = lockstep(lines[: min(len(lines), 20_000)])
    print(f"stdio round trips, {len(lines)} requests (register, place_order, request_return, "
          "authorize, receive, close):")
    print(f"  pipelined: {len(lines) / best:,.0f} round trips/s (best of {args.repeat})")
    print(f"  server CPU: {len(lines) / best_cpu:,.0f} round trips per CPU second "
          "(the server alone, start-up subtracted)")
    print(f"  lock-step: {min(len(lines), 20_000) / step:,.0f} round trips/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
