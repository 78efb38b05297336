"""Hypothesis strategies for the values of rap/1 requests, at their edges.

Ids come from small pools (so streams collide: taken ids, other sellers' RMAs, repeated SKUs),
mixed with odd but valid strings (non-ASCII, quotes, spaces, 300 characters). Times are whole
seconds from a fixed day, so window edges (the closing second, holiday bounds, the end of
transit) are reachable. Invalid values are single defects applied to a valid request
(``malformed``): the contract fixes which error a request with one defect gets, not which of
several defects is reported first, so two correct implementations never differ on them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, TypeVar

from hypothesis import strategies as st

from sim.core.timefmt import format_timestamp
from sim.core.values import DAY, HOUR

T0 = 1_772_323_200  # 2026-03-01T00:00:00Z: every stream's times start here
DAY0 = date(2026, 3, 1)

ODD = ("é-ü", "🙂", "a b", '"q"', "x" * 300, "tab\tnew\nline", "Ω" * 201)
SELLERS = ("S1", "S2", "S3", ODD[0])
ORDERS = ("O1", "O2", "O3", "O4", ODD[1])
RETURNS = ("R1", "R2", "R3", "R4", "R5", "R6", ODD[3])
SKUS = ("K1", "K2", "K3")
CATEGORIES = ("toys", "baby", "books", "grocery")
ADDRESS_IDS = ("A1", "A2", "A3")
REASONS = ("CR-DEFECTIVE", "CR-UNWANTED_ITEM", "CR-DAMAGED_BY_CARRIER", "CR-SWITCHEROO",
           "AMZ-PG-BAD-DESC", "CR-ORDERED_WRONG_ITEM", ODD[4])
CUSTOM_RMAS = ("RMA-1", "RMA-2", "rma_3", "X" * 32, "Z")
BAD_RMAS = ("", "X" * 33, "has space", "é", "a/b")
UNKNOWN = "Q-unknown"
MODES = ("manual", "auto")
WINDOWS = (1, 7, 30, 45, 90, 365)

BAD_TIMESTAMPS = ("2026-03-01T10:00:00+00:00", "2026-03-01T10:00:00.000Z",
                  "2026-03-01T10:00:00z", "2026-02-30T10:00:00Z", "2026-03-01 10:00:00Z",
                  "2026-03-01T10:00Z", "")
TIME_FIELDS = ("ordered_at", "delivered_at", "requested_at", "at")


def ts(instant: int) -> str:
    return format_timestamp(instant)


def day(offset: int) -> str:
    return (DAY0 + timedelta(days=offset)).isoformat()


T = TypeVar("T")


def pick(data: st.DataObject, options: Sequence[T], label: str) -> T:
    """One of ``options`` by its index: ``st.integers`` strategies are cached by Hypothesis,
    a ``sampled_from`` of a fresh list is built and validated on every draw (slow)."""
    return options[data.draw(st.integers(0, len(options) - 1), label=label)]


_AMONG: dict[tuple[Any, ...], st.SearchStrategy[Any]] = {}


def among(options: tuple[T, ...]) -> st.SearchStrategy[T]:
    """``st.sampled_from(options)``, built once per tuple: Hypothesis validates a new strategy
    on its first draws, and that cost dominated the generator's profile."""
    found = _AMONG.get(options)
    if found is None:
        found = _AMONG[options] = st.sampled_from(options)
    return found


Draw = Callable[..., Any]
"""A ``draw``: Hypothesis' inside a composite strategy, ``data.draw`` inside a rule."""

texts = st.sampled_from(("Thanks", "On its way.", *ODD))
BOOLS = st.booleans()
SECOND_OF_DAY = st.sampled_from((0, 1, 12 * HOUR, DAY - 1))
MASK7 = st.integers(0, 127)
MODE = st.sampled_from(MODES)
WINDOW = st.sampled_from(WINDOWS)
TRANSIT = st.sampled_from((0, 1, 15, 30))
HOURS = st.sampled_from((1, 24, 48, 72))
EXTRA = st.integers(0, 7)
HOLIDAY = st.tuples(st.integers(-10, 5), st.sampled_from((0, 1, 7)),
                    st.sampled_from((0, 40, 90, 1)))
CATEGORY_SETS = st.lists(st.sampled_from(CATEGORIES), max_size=2, unique=True)
CATEGORY_WINDOWS = st.dictionaries(st.sampled_from(CATEGORIES), WINDOW, max_size=2)
SKU_SETS = st.lists(st.sampled_from(SKUS), max_size=2, unique=True)
REASON_SETS = st.lists(st.sampled_from(REASONS[:5]), max_size=3, unique=True)


ADDRESS_LOOKS = st.tuples(st.sampled_from(("Returns desk", ODD[0], ODD[5])),
                          st.sampled_from(("Reno", "Zürich")),
                          st.sampled_from((None, "absent", "Unit 4")))


def addresses(draw: Draw, address_id: str | None = None) -> dict[str, Any]:
    name, city, line2 = draw(ADDRESS_LOOKS)
    a: dict[str, Any] = {
        "address_id": address_id or draw(among(ADDRESS_IDS)), "name": name,
        "line1": "1 Dock Rd", "city": city, "region": "NV", "postal_code": "89501",
        "country": "US",
    }
    if line2 != "absent":
        a["line2"] = line2
    return a


ADDRESS_ID_SETS = st.lists(st.sampled_from(ADDRESS_IDS), min_size=1, max_size=3, unique=True)


def address_lists(draw: Draw) -> list[dict[str, Any]]:
    return [addresses(draw, i) for i in draw(ADDRESS_ID_SETS)]


def marketplace_window(policy: dict[str, Any], category: str) -> int:
    days: int = policy.get("category_window_days", {}).get(
        category, policy.get("default_window_days", 30))
    return days


def seller_windows(draw: Draw, policy: dict[str, Any]) -> dict[str, int]:
    """A seller's own windows: mostly as generous or more, now and then one day less."""
    cats = draw(CATEGORY_SETS)
    out = {}
    shorter_used = False
    for c in cats:
        base = marketplace_window(policy, c)
        delta = draw(among((0, 1, 30, -1)))
        if delta == -1 and (shorter_used or base <= 1):
            delta = 0
        shorter_used |= delta == -1
        out[c] = base + delta
    return out


def settings(draw: Draw, plan: str, policy: dict[str, Any], full: bool) -> dict[str, Any]:
    """Seller settings for a plan; ``full`` (registration) gives addresses. Which settings are
    given is one draw (a bit mask: it shrinks to none)."""
    given = draw(MASK7)
    s: dict[str, Any] = {}
    if full or given & 1:
        s["return_addresses"] = address_lists(draw)
        if given & 2:
            s["default_return_address_id"] = draw(among(
                tuple(a["address_id"] for a in s["return_addresses"])))
    if given & 4:
        s["email_links"] = draw(BOOLS)
    if given & 8:
        s["return_window_days"] = seller_windows(draw, policy)
    modes = ("authorization",) if plan == "individual" else ("out_of_policy", "exempt_mode")
    for bit, key in zip((16, 32), modes, strict=False):
        if given & bit:
            s[key] = draw(MODE)
    if plan == "professional" and given & 64:
        s["exempt_skus"] = draw(SKU_SETS)
    return s


@st.composite
def _policies(draw: st.DrawFn) -> dict[str, Any]:
    """A policy, fields left out now and then (they take their defaults: which are given is
    one bit-mask draw); at most one value that makes no sense (``invalid_policy``)."""
    given = draw(MASK7)
    p: dict[str, Any] = {}
    if given & 1:
        p["default_window_days"] = draw(WINDOW)
    if given & 2:
        p["category_window_days"] = draw(CATEGORY_WINDOWS)
    if given & 4:
        p["non_returnable_categories"] = draw(CATEGORY_SETS)
    if given & 8:
        p["transit_days"] = draw(TRANSIT)
    if given & 16:
        start, length, extra = draw(HOLIDAY)
        p["holiday"] = {"ordered_from": day(start), "ordered_to": day(start + length),
                        "return_by": day(start + length + extra)}
    if given & 32:
        p["prepaid_exempt_categories"] = draw(CATEGORY_SETS)
    if given & 64:
        p["manual_response_hours"] = draw(HOURS)
    extra_bits = draw(EXTRA)
    if extra_bits == 1:
        p["seller_fault_reasons"] = draw(REASON_SETS)
    elif extra_bits == 2:
        p.update(_NONSENSE[draw(st.integers(0, len(_NONSENSE) - 1))])
    return p


_NONSENSE: tuple[dict[str, Any], ...] = (
    {"default_window_days": 0}, {"category_window_days": {"toys": 0}}, {"transit_days": -1},
    {"manual_response_hours": 0},
    {"holiday": {"ordered_from": day(3), "ordered_to": day(2), "return_by": day(9)}},
    {"holiday": {"ordered_from": day(1), "ordered_to": day(3), "return_by": day(2)}},
)


ITEM_LOOKS = st.tuples(st.sampled_from(CATEGORIES), st.sampled_from((1, 2, 3, 1000)),
                       st.sampled_from((0, 5, 19.99, 0.5, 1e6)))


@st.composite
def _items(draw: st.DrawFn) -> list[dict[str, Any]]:
    skus = draw(st.lists(st.sampled_from(SKUS), min_size=1, max_size=3, unique=True))
    out = []
    for sku in skus:
        category, quantity, price = draw(ITEM_LOOKS)
        out.append({"sku": sku, "category": category, "quantity": quantity,
                    "unit_price": price})
    return out


@st.composite
def _labels(draw: st.DrawFn) -> dict[str, Any] | None:
    kind = draw(among(("none", "amazon_unpaid", "seller_prepaid", "seller_prepaid")))
    if kind == "none":
        return None
    label: dict[str, Any] = {"type": kind}
    if kind == "seller_prepaid":
        for key, value in (("carrier", "UPS"), ("tracking_id", "1Z999AA10123456784")):
            if draw(st.booleans()):
                label[key] = draw(among((value, None)))
    return label


# --------------------------------------------------------------------------- single defects


def malformed(draw: Draw, request: dict[str, Any]) -> dict[str, Any]:
    """``request`` with exactly one defect: of the envelope, or of one field of its args."""
    args = request.get("args", {})
    kinds = ["envelope", "op", "unknown_field"]
    if args:
        kinds += ["drop", "retype", "retype", "empty"]
    if any(k in args for k in TIME_FIELDS):
        kinds += ["timestamp", "timestamp"]
    kind = draw(among(tuple(kinds)))
    out = {**request, "args": dict(args)}
    if kind == "envelope":
        choice = draw(among(("seq_text", "seq_float", "seq_bool", "extra", "no_op",
                                       "op_number", "no_seq")))
        if choice == "seq_text":
            out["seq"] = str(out["seq"])
        elif choice == "seq_float":
            out["seq"] = float(out["seq"])
        elif choice == "seq_bool":
            out["seq"] = True
        elif choice == "extra":
            out["trace_id"] = "t-1"
        elif choice == "no_op":
            del out["op"]
        elif choice == "op_number":
            out["op"] = 7
        else:
            del out["seq"]
    elif kind == "op":
        out["op"] = draw(among(("refund", "Close", "", "get-return")))
    elif kind == "unknown_field":
        out["args"]["note"] = "x"
    elif kind == "drop":
        keys = sorted(args)
        del out["args"][keys[draw(st.integers(0, len(keys) - 1))]]
    elif kind == "retype":
        keys = sorted(args)
        key = keys[draw(st.integers(0, len(keys) - 1))]
        out["args"][key] = _retyped(args[key], draw(st.integers(0, 3)))
    elif kind == "empty":
        keys = sorted(k for k, v in args.items() if isinstance(v, str))
        if keys:
            out["args"][keys[draw(st.integers(0, len(keys) - 1))]] = ""
        else:
            out["args"]["note"] = "x"
    else:
        key = next(k for k in TIME_FIELDS if k in args)
        out["args"][key] = draw(among(BAD_TIMESTAMPS))
    return out


def _retyped(value: Any, choice: int) -> Any:
    """A value of another JSON type (a boolean for an integer, a number for a string...)."""
    if isinstance(value, bool):
        return ("true", 1, None, [value])[choice]
    if isinstance(value, int):
        return (True, str(value), float(value) + 0.5, None)[choice]
    if isinstance(value, str):
        return (7, None, [value], {"v": value})[choice]
    if isinstance(value, list):
        return ({}, "x", None, 3)[choice]
    if isinstance(value, dict):
        return ([], "x", None, 3)[choice]
    return ("x", 1, [], {})[choice]


def near(base: int, *, hours: bool = True) -> st.SearchStrategy[int]:
    """A time at or a little after ``base``."""
    steps = (0, 0, 1, HOUR, DAY, 10 * DAY, 40 * DAY) if hours else (0, DAY)
    return st.sampled_from(steps).map(lambda s: base + s)


POLICIES = _policies()
ITEMS = _items()
LABELS = _labels()


def seller_defect(settings: dict[str, Any], plan: str, defect: int) -> None:
    """One registration defect (by number; most numbers leave the settings valid)."""
    if defect == 0:
        settings.pop("return_addresses", None)
        settings.pop("default_return_address_id", None)
    elif defect == 1:
        settings["return_addresses"] = []
        settings.pop("default_return_address_id", None)
    elif defect == 2:
        settings["default_return_address_id"] = "A9"
    elif defect == 3:
        settings["authorization" if plan == "professional" else "exempt_mode"] = "auto"
    elif defect == 4:
        settings["return_addresses"].append(dict(settings["return_addresses"][0]))


OPTION_DEFECTS: tuple[dict[str, Any], ...] = (
    {"label": {"type": "amazon_prepaid"}},
    {"label": {"type": "amazon_unpaid", "carrier": "UPS"}},
    {"return_address_id": "A1",
     "return_address": {"address_id": "A7", "name": "n", "line1": "l", "city": "c",
                        "region": "r", "postal_code": "p", "country": "US"}},
)
