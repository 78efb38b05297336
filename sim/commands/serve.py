"""``returns-sim serve``: the reference engine as a rap/1 server, over stdio or HTTP."""

from __future__ import annotations

import argparse

DEFAULT_HOST = "127.0.0.1"


def http_address(text: str) -> tuple[str, int]:
    """``PORT`` or ``HOST:PORT`` -> (host, port); the host defaults to 127.0.0.1 and port 0
    asks the system for a free one."""
    host, sep, port_text = text.rpartition(":")
    if not sep:
        host = DEFAULT_HOST
    if not host:
        host = DEFAULT_HOST
    if not port_text.isdigit() or not port_text.isascii():
        raise argparse.ArgumentTypeError(
            f"expected [HOST:]PORT with PORT a number 0-65535, got {text!r}"
        )
    port = int(port_text)
    if port > 65535:
        raise argparse.ArgumentTypeError(f"port must be 0-65535, got {port} in {text!r}")
    if any(c.isspace() for c in host) or "/" in host:
        raise argparse.ArgumentTypeError(f"not a host name or address: {host!r}")
    return host, port


def _positive(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 1_000_000:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 1000000, got {text!r}")
    return int(text)


def configure(parser: argparse.ArgumentParser) -> None:
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--stdio", action="store_true",
        help="read one JSON request per line on stdin, answer one line each on stdout",
    )
    mode.add_argument(
        "--http", type=http_address, metavar="[HOST:]PORT",
        help=f"serve POST /v1/rpc and GET /v1/hello (host defaults to {DEFAULT_HOST}; "
        "port 0 picks a free port, announced on stderr as 'listening on http://HOST:PORT')",
    )
    parser.add_argument(
        "--max-connections", type=_positive, default=256, metavar="N",
        help="with --http, the most open connections; the next is answered 503 (default 256)",
    )
    parser.add_argument(
        "--idle-timeout", type=_positive, default=30, metavar="SECONDS",
        help="with --http, close a connection idle this long, also before its first request "
        "(default 30)",
    )
    parser.add_argument(
        "--allow-remote", action="store_true",
        help="with --http, allow a HOST beyond loopback (the API has no authentication and "
        "`reset` wipes the engine: without this flag such a HOST is refused, exit 2)",
    )


def main(args: argparse.Namespace) -> int:
    from sim.core.engine import ReferenceEngine

    engine = ReferenceEngine()
    if args.stdio:
        from sim.rap.servers import stdio

        return stdio.main(engine)
    from sim.rap.servers import http

    host, port = args.http
    return http.serve(engine, host, port, allow_remote=args.allow_remote,
                      max_connections=args.max_connections, idle_timeout=args.idle_timeout)
