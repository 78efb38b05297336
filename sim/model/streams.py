"""Random streams: one independent numpy generator per activity, named, from one seed.

Each activity (arrivals, return decisions, reviews, shipping, ...) draws from its own child of a
:class:`numpy.random.SeedSequence`. The child is keyed by a stable hash of the activity's *name*,
not by spawn order, so two scenarios that share an activity draw the same numbers for it
(common random numbers) even when one of them adds or drops other activities.
"""

from __future__ import annotations

import hashlib

import numpy as np


def _name_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")


class Streams:
    """Named random streams from one seed."""

    def __init__(self, seed: int) -> None:
        if seed < 0:
            raise ValueError(f"seed: must not be negative, got {seed!r}")
        self.seed = seed

    def sequence(self, name: str) -> np.random.SeedSequence:
        return np.random.SeedSequence(entropy=self.seed, spawn_key=(_name_key(name),))

    def rng(self, name: str) -> np.random.Generator:
        """A fresh generator for activity ``name``; the same name always gives the same stream."""
        return np.random.Generator(np.random.PCG64(self.sequence(name)))

    def int_seed(self, name: str) -> int:
        """A 32-bit seed for libraries with their own generator (Faker)."""
        return int(self.sequence(name).generate_state(1)[0])
