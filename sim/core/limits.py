"""The bounds of every value the engine accepts (docs/protocol.md, "Limits").

Each bound keeps the engine's work and its answers representable: every time the engine
computes (a window's end, the end of transit, a response deadline) must still be a time rap/1
can write (years 0001-9999, whole seconds, UTC), and no single value can make one request cost
unbounded memory or time. A value outside its bound is refused (``invalid_args`` or
``invalid_policy``, naming the field) before anything changes. The JSON Schemas in
``sim/rap/schemas`` state the same numbers; a test checks that they agree.
"""

from __future__ import annotations

import calendar

from sim.core.values import Instant

FIRST_INSTANT: Instant = calendar.timegm((1, 1, 1, 0, 0, 0, 0, 0, 0))
"""0001-01-01T00:00:00Z, the earliest time rap/1 can write."""
LAST_INSTANT: Instant = calendar.timegm((9999, 12, 31, 23, 59, 59, 0, 0, 0))
"""9999-12-31T23:59:59Z, the latest time rap/1 can write."""

MAX_WINDOW_DAYS = 3650
"""A return window (the marketplace's, a category's or a seller's own): 1 to 3650 days."""
MAX_TRANSIT_DAYS = 365
"""``transit_days``: 0 to 365."""
MAX_RESPONSE_HOURS = 8760
"""``manual_response_hours``: 1 to 8760 (a year)."""
MAX_QUANTITY = 1_000_000
"""An order item's quantity and a return request's quantity: 1 to 1,000,000."""
MAX_PRICE = 1_000_000_000
"""A unit price: 0 to 1,000,000,000 (finite)."""
MAX_ID_LENGTH = 256
"""Ids, categories, SKUs, reasons, address fields, carrier, tracking id: 1 to 256 characters."""
MAX_TEXT_LENGTH = 4096
"""Free text (a reply's message, a request's comment, an address's line2): up to 4096."""
MAX_ITEMS = 1000
"""Items in one order."""
MAX_ADDRESSES = 100
"""A seller's return addresses."""
MAX_LIST = 10_000
"""Entries in a list or map of a policy or of a seller's settings (categories, SKUs...)."""
MAX_BATCH_IDS = 1000
"""Return ids in one ``authorize_batch``."""
