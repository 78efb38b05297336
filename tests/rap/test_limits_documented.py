"""The bounds of sim/core/limits.py are the ones the schemas and docs/protocol.md state."""

from __future__ import annotations

from pathlib import Path

from sim.core import limits
from sim.rap import schemas
from sim.rap.servers import http_app, stdio

REPO = Path(__file__).resolve().parents[2]


def test_the_schemas_state_the_engine_bounds() -> None:
    defs = schemas.load("defs.json")["$defs"]
    assert defs["id"]["maxLength"] == limits.MAX_ID_LENGTH
    assert defs["text"]["maxLength"] == limits.MAX_TEXT_LENGTH
    assert defs["ids"]["maxItems"] == limits.MAX_LIST
    assert defs["days_by_category"]["additionalProperties"]["maximum"] == limits.MAX_WINDOW_DAYS
    for key in ("policy", "policy_args"):
        props = defs[key]["properties"]
        assert props["default_window_days"]["maximum"] == limits.MAX_WINDOW_DAYS
        assert props["transit_days"]["maximum"] == limits.MAX_TRANSIT_DAYS
        assert props["manual_response_hours"]["maximum"] == limits.MAX_RESPONSE_HOURS
    assert defs["order"]["properties"]["items"]["maxItems"] == limits.MAX_ITEMS
    item = defs["order_item"]["properties"]
    assert item["quantity"]["maximum"] == limits.MAX_QUANTITY
    assert item["unit_price"]["maximum"] == limits.MAX_PRICE
    assert defs["settings_args"]["properties"]["return_addresses"]["maxItems"] \
        == limits.MAX_ADDRESSES
    batch = schemas.load("authorize_batch.request.json")["properties"]["args"]["properties"]
    assert batch["return_ids"]["maxItems"] == limits.MAX_BATCH_IDS


def test_the_protocol_doc_states_every_bound() -> None:
    section = (REPO / "docs" / "protocol.md").read_text("utf-8").split("\n## Limits\n")[1]
    section = section.split("\n## ")[0].replace(",", "")
    for number in (limits.MAX_WINDOW_DAYS, limits.MAX_TRANSIT_DAYS, limits.MAX_RESPONSE_HOURS,
                   limits.MAX_QUANTITY, limits.MAX_PRICE, limits.MAX_ID_LENGTH,
                   limits.MAX_TEXT_LENGTH, limits.MAX_ITEMS, limits.MAX_ADDRESSES,
                   limits.MAX_LIST, limits.MAX_BATCH_IDS, http_app.MAX_BATCH,
                   http_app.MAX_TARGET):
        assert f" {number} " in section or f" {number}" in section, number
    assert stdio.MAX_LINE == http_app.MAX_BODY == 1 << 20 and "1 MiB" in section
