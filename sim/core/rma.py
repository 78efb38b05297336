"""Amazon-generated RMA numbers, derived from what the engine was told (no randomness).

A number is a hash of the seller and return ids, so it does not depend on how many returns
came before; a collision with any number already used in the marketplace bumps a salt, so
numbers stay unique and the same command sequence always gives the same numbers.
"""

from __future__ import annotations

from collections.abc import Container
from hashlib import blake2b

from sim.core.errors import EngineError, ErrorCode, show_value
from sim.core.policy import CUSTOM_RMA
from sim.core.values import Rma, RmaSource

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


class RmaBook:
    """Every RMA issued in the marketplace, and each seller's numbers -> their returns.

    A number once issued (Amazon's or a seller's own) is never generated again by Amazon; a
    seller's own number must be unique among that seller's numbers (C06, C08)."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._by_seller: dict[str, dict[str, str]] = {}

    def open(self, seller_id: str) -> None:
        self._by_seller[seller_id] = {}

    def amazon(self, seller_id: str, return_id: str) -> Rma:
        """A fresh Amazon number (not yet taken: see :meth:`take`)."""
        return Rma(amazon_rma(seller_id, return_id, self._used), RmaSource.AMAZON)

    def custom(self, seller_id: str, number: str) -> Rma:
        """A seller's own number, refused when malformed or already used by the seller."""
        if not CUSTOM_RMA.fullmatch(number):
            raise EngineError(
                ErrorCode.INVALID_RMA,
                f"rma: {show_value(number)} must be 1-32 letters, digits, '_' or '-'",
                {"rma": number},
            )
        used = self._by_seller[seller_id]
        if number in used:
            raise EngineError(
                ErrorCode.DUPLICATE_RMA,
                f"rma: {show_value(number)} is already used by seller "
                f"{show_value(seller_id)} (return {show_value(used[number])})",
                {"rma": number, "return_id": used[number]},
            )
        return Rma(number, RmaSource.SELLER)

    def take(self, seller_id: str, number: str, return_id: str) -> None:
        self._used.add(number)
        self._by_seller[seller_id][number] = return_id

    def find(self, seller_id: str, number: str) -> str | None:
        """The return a seller's RMA number was issued for."""
        return self._by_seller[seller_id].get(number)
