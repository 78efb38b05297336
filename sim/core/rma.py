"""Amazon-generated RMA numbers, derived from what the engine was told (no randomness).

A number is a hash of the seller and return ids, so it does not depend on how many returns
came before; a collision with any number already used in the marketplace bumps a salt, so
numbers stay unique and the same command sequence always gives the same numbers.
"""

from __future__ import annotations

from collections.abc import Container
from hashlib import blake2b

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BODY = 7
_SPACE = len(ALPHABET) ** _BODY


def amazon_rma(seller_id: str, return_id: str, used: Container[str]) -> str:
    """``D`` + seven letters or digits + ``RRMA``, not in ``used``."""
    salt = 0
    while True:
        digest = blake2b(
            f"{seller_id}\x1f{return_id}\x1f{salt}".encode(), digest_size=8
        ).digest()
        n = int.from_bytes(digest, "big") % _SPACE
        body = []
        for _ in range(_BODY):
            n, r = divmod(n, len(ALPHABET))
            body.append(ALPHABET[r])
        number = "D" + "".join(body) + "RRMA"
        if number not in used:
            return number
        salt += 1
