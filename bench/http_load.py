"""HTTP load: N concurrent keep-alive clients on 127.0.0.1 against `serve --http`.

Each client registers its own seller, then repeats place_order, request_return, get_return
(three requests, one at a time, each waiting for its answer) until it has sent its share.
Reports requests per second over the whole run, latency percentiles of single requests, and
the server's CPU time per request (user + system, all threads, from /proc): on a machine shared
with other work, throughput says how much CPU the server was given, CPU per request what it
costs.

The clients are asyncio coroutines on raw sockets in one process (a few tens of µs of client
work per request), so the figure is the server's, not the load generator's.

    .venv/bin/python bench/http_load.py                  # this checkout's server
    .venv/bin/python bench/http_load.py --server "OTHER_CHECKOUT/.venv/bin/python -m sim serve"

``--server`` is the command without ``--http``; it is run in the current directory with
``--http 127.0.0.1:0`` added, and must announce ``listening on http://HOST:PORT`` on stderr.
Both runs of a comparison should be made one after the other on the same idle machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_SERVER = f"{shlex.quote(sys.executable)} -m sim serve"


def _address(n: int) -> dict[str, str]:
    return {"address_id": f"A{n}", "name": "Returns", "line1": "1 Dock St", "city": "Reno",
            "region": "NV", "postal_code": "89501", "country": "US"}


def _requests(client: int, count: int) -> list[bytes]:
    """The bodies one client sends, in order."""
    seller = f"S{client}"
    bodies = [{"seq": 0, "op": "register_seller", "args": {
        "seller_id": seller, "plan": "professional",
        "settings": {"return_addresses": [_address(1)]}}}]
    i = 0
    while len(bodies) < count:
        order, ret = f"O{client}-{i}", f"R{client}-{i}"
        bodies.append({"seq": len(bodies), "op": "place_order", "args": {
            "order_id": order, "seller_id": seller, "buyer_id": "B1",
            "ordered_at": "2026-03-01T10:00:00Z", "delivered_at": "2026-03-02T10:00:00Z",
            "items": [{"sku": "K1", "category": "toys", "quantity": 1, "unit_price": 9.5}]}})
        bodies.append({"seq": len(bodies), "op": "request_return", "args": {
            "return_id": ret, "order_id": order, "sku": "K1", "quantity": 1,
            "reason": "CR-DEFECTIVE", "requested_at": "2026-03-03T10:00:00Z"}})
        bodies.append({"seq": len(bodies), "op": "get_return", "args": {"return_id": ret}})
        i += 1
    out = []
    for body in bodies[:count]:
        data = json.dumps(body, separators=(",", ":")).encode()
        out.append(b"POST /v1/rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                   b"\r\nContent-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data)
    return out


async def _client(host: str, port: int, requests: list[bytes], latencies: list[float],
                  failures: list[str]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for raw in requests:
            start = time.perf_counter()
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            found = re.search(rb"(?i)content-length:\s*(\d+)", head)
            body = await reader.readexactly(int(found.group(1)) if found else 0)
            latencies.append(time.perf_counter() - start)
            if not head.startswith(b"HTTP/1.1 200") or b'"ok":true' not in body:
                failures.append(head.split(b"\r\n", 1)[0].decode() + " " + body[:120].decode())
    finally:
        writer.close()


async def _load(host: str, port: int, clients: int, per_client: int) -> dict[str, float]:
    work = [_requests(c, per_client) for c in range(clients)]
    latencies: list[float] = []
    failures: list[str] = []
    start = time.perf_counter()
    await asyncio.gather(*(_client(host, port, w, latencies, failures) for w in work))
    elapsed = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, e.g. {failures[0]}")
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "seconds": elapsed,
            "requests_per_s": len(latencies) / elapsed, "p50_ms": q[49] * 1000,
            "p99_ms": q[98] * 1000, "max_ms": max(latencies) * 1000}


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, all its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _start(server: str) -> tuple[subprocess.Popen[bytes], str, int]:
    proc = subprocess.Popen([*shlex.split(server), "--http", "127.0.0.1:0"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    assert proc.stderr is not None
    line = proc.stderr.readline().decode()
    found = re.match(r"listening on http://([\d.]+):(\d+)", line)
    if not found:
        proc.kill()
        raise SystemExit(f"the server did not announce its address: {line!r}")
    return proc, found.group(1), int(found.group(2))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=DEFAULT_SERVER,
                        help="the serve command, without --http (default: this checkout's)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=2000, help="requests per client")
    parser.add_argument("--rounds", type=int, default=3, help="runs; the best is reported")
    args = parser.parse_args()
    results = []
    for _ in range(args.rounds):
        proc, host, port = _start(args.server)
        try:
            cpu = _cpu_seconds(proc.pid)
            result = asyncio.run(_load(host, port, args.clients, args.requests))
            result["server_cpu_us"] = (_cpu_seconds(proc.pid) - cpu) / result["requests"] * 1e6
            results.append(result)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    best = max(results, key=lambda r: r["requests_per_s"])
    for r in results:
        print(f"{r['requests']} requests in {r['seconds']:.2f} s: {r['requests_per_s']:,.0f} "
              f"req/s, p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
              f"max {r['max_ms']:.1f} ms, server CPU {r['server_cpu_us']:.0f} µs/request")
    print(f"best of {len(results)} with {args.clients} clients: "
          f"{best['requests_per_s']:,.0f} req/s, p99 {best['p99_ms']:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
