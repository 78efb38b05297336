"""Bytes in, text out: the limits, gzip and the strict encoding detection every input shares.

Sellers' files come from Seller Central, from SP-API connectors and from spreadsheets; the
common faults are files that claim UTF-8 but are Windows-1252, Japanese reports in cp932, and a
``.gz`` left compressed. Decoding is strict (a byte that does not decode rejects that candidate)
so a report is never silently read as mojibake in the first candidate that "works".
"""

from __future__ import annotations

import argparse
import csv
import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 512 * 1024 * 1024
"""Largest input file, after decompression (a year of a large seller's report is ~100 MB)."""

MAX_ROWS = 2_000_000
"""Most data rows read over all files of one kind (reports, orders, SKU map)."""

CANDIDATES = ("utf-8", "cp1252", "cp932")
"""Tried in this order when no ``--encoding`` is given (UTF-8 with or without a BOM first)."""

_GZIP_MAGIC = b"\x1f\x8b"


class InputError(ValueError):
    """An input that cannot be used; the message names the file, the field and the value.
    Commands print it and exit with 2."""


@dataclass(frozen=True)
class Text:
    """A decoded input file and how it was decoded (recorded in the calibration report)."""

    path: str
    text: str
    encoding: str
    compressed: bool


def read_bytes(path: Path, what: str) -> tuple[bytes, bool]:
    """The file's bytes, gunzipped when they start with gzip's magic number; at most
    :data:`MAX_FILE_BYTES` either way."""
    if not path.is_file():
        raise InputError(f"{what} {path}: no such file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"{what} {path}: {path.stat().st_size} bytes is more than the limit "
                         f"of {MAX_FILE_BYTES} bytes; split it")
    with path.open("rb") as f:
        head = f.read(2)
    if head != _GZIP_MAGIC:
        return path.read_bytes(), False
    try:
        with gzip.open(path, "rb") as g:
            data = g.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{what} {path}: looks gzip-compressed but does not decompress "
                         f"({exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{what} {path}: more than {MAX_FILE_BYTES} bytes once decompressed; "
                         "split it")
    return data, True


def decode(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """``(text, encoding used)``. With ``encoding`` only that one is tried; otherwise UTF-8
    (a BOM is dropped and recorded as ``utf-8-sig``), then Windows-1252, then cp932."""
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise InputError(f"--encoding: unknown encoding {encoding!r} (e.g. utf-8, cp1252, "
                             "cp932)") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not valid {encoding}: byte {_byte(data, exc.start)} at "
                             f"offset {exc.start}") from None
    failures = []
    for candidate in CANDIDATES:
        if candidate == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
            candidate = "utf-8-sig"
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError as exc:
            failures.append(f"{candidate} (byte {_byte(data, exc.start)} at offset {exc.start})")
    raise InputError(f"{path}: the encoding is none of {', '.join(CANDIDATES)}: "
                     f"{'; '.join(failures)}; name it with --encoding")


def _byte(data: bytes, offset: int) -> str:
    return f"0x{data[offset]:02x}" if offset < len(data) else "end of file"


def read_text(path: Path, what: str, encoding: str | None = None) -> Text:
    data, compressed = read_bytes(path, what)
    text, used = decode(data, str(path), encoding)
    return Text(str(path), text, used, compressed)


@dataclass(frozen=True)
class Table:
    """A small comma- or tab-separated input (orders, SKU map): its header keys (see
    :func:`header_key`), the first line as written, and a reader positioned after it."""

    header: list[str]
    first_line: str
    reader: Any
    encoding: str


def read_table(path: Path, what: str, encoding: str | None = None) -> Table:
    """Decode ``path`` and start reading it as CSV, the delimiter being whichever of tab and
    comma the header line holds more of."""
    text = read_text(path, what, encoding)
    lines = text.text.splitlines()
    if not lines:
        raise InputError(f"{what} {path}: empty file")
    delimiter = "\t" if lines[0].count("\t") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    return Table([header_key(h) for h in next(reader)], lines[0][:120], reader, text.encoding)


def header_key(name: str) -> str:
    """Header names compared loosely: case, spaces, dashes and underscores do not matter
    (``Order ID``, ``order-id`` and ``order_id`` are one column)."""
    return "".join(ch for ch in name.strip().lower() if ch.isalnum())


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every command reading returns reports shares (REPORT..., --categories,
    --encoding, --strict, and the limits in the help's epilog)."""
    parser.add_argument("reports", nargs="+", type=Path, metavar="REPORT",
                        help="Amazon returns reports (GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE, "
                        "tab-separated, plain or .gz); several 60-day files are stitched")
    parser.add_argument("--categories", type=Path, default=None, metavar="FILE",
                        help="SKU -> category map: a CSV with columns 'sku' and 'category' "
                        "(without it, every row is in one pool and takes the default window)")
    parser.add_argument("--encoding", default=None, metavar="ENC",
                        help="the files' encoding (default: detected strictly: UTF-8 with or "
                        "without BOM, then Windows-1252, then cp932)")
    parser.add_argument("--strict", action="store_true",
                        help="stop at the first row that does not parse (default: skip it, "
                        "count it and list it)")
    parser.epilog = (f"Limits: {MAX_FILE_BYTES // 2**20} MiB per file (after gunzip), "
                     f"{MAX_ROWS} rows per kind of input. See docs/calibration.md.")
