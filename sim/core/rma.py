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
from sim.core.records import rma
from sim.core.values import Rma, RmaSource

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BODY = 7
_SPACE = len(ALPHABET) ** _BODY
_PAIR = len(ALPHABET) ** 2
_PAIRS = tuple(low + high for high in ALPHABET for low in ALPHABET)
"""Two base-62 digits at once, least significant first: ``_PAIRS[k]`` spells ``k % 62`` then
``k // 62``. Three look-ups and one digit write the body with four divisions instead of seven."""
_new_hasher = blake2b(digest_size=8).copy
"""A fresh 8-byte BLAKE2b: copying a blank one skips the constructor's parameter parsing."""
_from_bytes = int.from_bytes


def amazon_rma(seller_id: str, return_id: str, used: Container[str]) -> str:
    """``D`` + seven letters or digits + ``RRMA``, not in ``used``.

    The body is the hash in base 62, least significant digit first."""
    salt = 0
    while True:
        hasher = _new_hasher()
        hasher.update(f"{seller_id}\x1f{return_id}\x1f{salt}".encode())
        digest = hasher.digest()
        n = _from_bytes(digest, "big") % _SPACE
        n, first = divmod(n, _PAIR)
        n, second = divmod(n, _PAIR)
        last, third = divmod(n, _PAIR)  # n < 62**7: what is left is one digit
        number = f"D{_PAIRS[first]}{_PAIRS[second]}{_PAIRS[third]}{ALPHABET[last]}RRMA"
        if number not in used:
            return number
        salt += 1


_AMAZON = RmaSource.AMAZON  # read once: on Python 3.11 a member's read costs about 80 ns


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
        return rma(amazon_rma(seller_id, return_id, self._used), _AMAZON)

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
        return rma(number, RmaSource.SELLER)

    def take(self, seller_id: str, number: str, return_id: str) -> None:
        self._used.add(number)
        self._by_seller[seller_id][number] = return_id

    def find(self, seller_id: str, number: str) -> str | None:
        """The return a seller's RMA number was issued for."""
        return self._by_seller[seller_id].get(number)
