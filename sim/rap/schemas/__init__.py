"""The JSON Schemas (draft 2020-12) of rap/1, shipped as package data.

``defs.json`` holds the shared definitions (return record, notification, seller, order,
policy, error), ``envelope.json`` the envelopes, and ``<op>.request.json`` /
``<op>.result.json`` each op's request and ``result``. They reference each other by ``$id``
(``BASE_URI`` + file name), so a validator needs them all in one registry.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

BASE_URI = "https://returns-sandbox.example/schemas/rap1/"


def names() -> list[str]:
    """Every schema file name, sorted."""
    return sorted(p.name for p in files(__name__).iterdir() if p.name.endswith(".json"))


def load(name: str) -> dict[str, Any]:
    """One schema by file name (``"close.result.json"``)."""
    data: dict[str, Any] = json.loads(files(__name__).joinpath(name).read_text("utf-8"))
    return data
