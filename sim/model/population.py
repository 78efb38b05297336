"""Who takes part: sellers (with their settings and return addresses), a catalog, and buyers.

Faker is slow (thousands of names a second), so it fills small identity pools once per locale,
and numpy draws every identity from those pools; the rest (ids, SKUs, ASINs) is arithmetic on
indices. Everything is deterministic from the seed's named streams.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from faker import Faker

from sim.core.values import Address, Mode, Plan, Policy, SettingsPatch
from sim.model.scenario_spec import Scenario
from sim.model.streams import Streams

POOL_SIZE = 200
"""Distinct values Faker makes per pool and locale: enough variety, a fraction of a second."""

MAX_EXEMPT_SKUS = 10_000
"""A seller lists at most this many exempt SKUs: rap/1's limit on a list in a seller's
settings (docs/protocol.md, "Limits")."""

_ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ID_SPACE = 36**12
_ID_MULTIPLIER = 5_915_587_277  # prime, so i -> i * m mod 36**12 is a bijection: ids are unique
_BUYER_ID_PREFIX = "A"

_NOUNS: dict[str, tuple[str, ...]] = {
    "apparel": ("T-Shirt", "Hoodie", "Dress", "Jeans", "Jacket", "Leggings", "Sweater"),
    "shoes": ("Running Shoe", "Sneaker", "Boot", "Sandal", "Loafer"),
    "electronics": ("Headphones", "USB-C Charger", "Bluetooth Speaker", "Webcam", "Power Bank"),
    "home_kitchen": ("Skillet", "Knife Set", "Bath Towel Set", "Storage Bins", "Lamp"),
    "toys": ("Building Set", "Puzzle", "Plush Bear", "RC Car", "Board Game"),
    "beauty": ("Face Serum", "Hair Dryer", "Lip Balm Set", "Nail Kit"),
    "books": ("Cookbook", "Novel", "Field Guide", "Workbook"),
    "media": ("Vinyl LP", "Blu-ray", "Audio CD", "Video Game"),
    "baby": ("Stroller Organizer", "Baby Monitor", "Bottle Set", "Swaddle"),
    "renewed": ("Renewed Smartphone", "Renewed Tablet", "Renewed Laptop"),
    "furniture": ("Office Chair", "Bookshelf", "Side Table", "Bed Frame"),
    "handmade": ("Ceramic Mug", "Leather Wallet", "Knit Scarf", "Wood Board"),
    "grocery": ("Coffee Beans", "Olive Oil", "Tea Sampler", "Snack Box"),
}
_GENERIC_NOUNS = ("Item", "Kit", "Set", "Pack")


def base36(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        n, r = divmod(n, 36)
        out.append(_ID_ALPHABET[r])
    return "".join(reversed(out))


_ALPHABET_CODES = np.frombuffer(_ID_ALPHABET.encode("ascii"), dtype=np.uint8)


@functools.cache
def _powers(base: int, width: int) -> np.ndarray:
    return base ** np.arange(width - 1, -1, -1, dtype=np.int64)


def digit_codes(values: np.ndarray, base: int, width: int) -> np.ndarray:
    """ASCII codes of ``values`` written in ``base`` (up to 36) with ``width`` digits, leading
    zeros included: one row per value (values >= 0, below ``base**width`` and ``2**63``).
    The model calls it for a day's returns at a time: a few numpy calls, no Python loop."""
    values = values.astype(np.int64, copy=False)  # (int64 already: no copy)
    return _ALPHABET_CODES[(values[:, None] // _powers(base, width)) % base]


def digit_strings(values: np.ndarray, base: int, width: int, prefix: str = "") -> list[str]:
    """``prefix`` + each of ``values`` in ``base`` with ``width`` digits (in base 36,
    :func:`base36`), at once (values below ``base**width`` and ``2**63``; an ASCII prefix)."""
    start = len(prefix)
    codes = np.empty((values.shape[0], start + width), dtype=np.uint8)
    codes[:, :start] = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    codes[:, start:] = digit_codes(values, base, width)
    n = start + width
    return codes.view(f"S{n}").ravel().astype(f"U{n}").tolist()


def sku_ids(prefix: str, start: int, count: int) -> list[str]:
    """``f"{prefix}-{j:06d}"`` of SKUs ``start .. start + count - 1``, written at once (a
    catalog has tens of thousands); a prefix that is not ASCII, or a number past six digits
    (which widens the field), takes the format itself."""
    if not prefix.isascii() or start + count > 10**6:
        return [f"{prefix}-{j:06d}" for j in range(start, start + count)]
    return digit_strings(np.arange(start, start + count, dtype=np.int64), 10, 6, prefix + "-")


def asin(sku_index: int) -> str:
    """A stable ASIN-shaped id (``B0`` + 8 letters or digits) for a catalog entry."""
    return "B0" + base36((sku_index * 2_654_435_761 + 97) % 36**8, 8)


def asins(count: int) -> list[str]:
    """:func:`asin` of catalog entries ``0 .. count - 1``, vectorised."""
    index = np.arange(count, dtype=np.int64)
    return digit_strings((index * 2_654_435_761 + 97) % 36**8, 36, 8, "B0")


def scrambled_id(prefix: str, index: int) -> str:
    """A unique, Amazon-looking id for entity ``index`` (e.g. ``A0K3...``), without a set."""
    return prefix + base36((index * _ID_MULTIPLIER + 7_654_321) % _ID_SPACE, 12)


def scrambled_ids(prefix: str, first: int, count: int) -> list[str]:
    """:func:`scrambled_id` of ``first .. first + count - 1``, vectorised."""
    _check_id_space(first + count)
    return scrambled_ids_of(prefix, np.arange(first, first + count, dtype=np.int64))


def scrambled_ids_of(prefix: str, indices: np.ndarray) -> list[str]:
    """:func:`scrambled_id` of each of ``indices``, vectorised; int64 is exact while
    ``index * multiplier`` stays below 2**63, i.e. for indices below 10**9."""
    scrambled = (indices.astype(np.int64) * _ID_MULTIPLIER + 7_654_321) % _ID_SPACE
    return digit_strings(scrambled, 36, 12, prefix)


def _check_id_space(end: int) -> None:
    if end >= 10**9:
        raise ValueError(f"population: at most 10**9 ids, got {end}")


@dataclass(frozen=True)
class IdentityPool:
    """Names and address parts for one locale, made by Faker once."""

    locale: str
    country: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    companies: tuple[str, ...]
    streets: tuple[str, ...]
    cities: tuple[str, ...]
    regions: tuple[str, ...]
    postcodes: tuple[str, ...]


@functools.lru_cache(maxsize=64)
def make_pool(
    locale: str, seed: int, size: int = POOL_SIZE, people_only: bool = False
) -> IdentityPool:
    """Faker's names for ``locale``, the same for the same seed: kept, since replications of
    one population (and tests) ask for the same pools again and Faker is slow to make them."""
    fake = Faker(locale)
    fake.seed_instance(seed)
    firsts = tuple(fake.first_name() for _ in range(size))
    lasts = tuple(fake.last_name() for _ in range(size))
    if people_only:
        return IdentityPool(locale, _country(locale), firsts, lasts, (), (), (), (), ())
    region = getattr(fake, "state_abbr", None) or fake.administrative_unit
    return IdentityPool(
        locale,
        _country(locale),
        firsts,
        lasts,
        tuple(fake.company() for _ in range(size)),
        tuple(fake.street_address() for _ in range(size)),
        tuple(fake.city() for _ in range(size)),
        tuple(region() for _ in range(max(10, size // 4))),
        tuple(fake.postcode() for _ in range(size)),
    )


def _country(locale: str) -> str:
    return locale.split("_")[-1].upper() if "_" in locale else locale.upper()


@dataclass(frozen=True)
class SellerProfile:
    """One seller as the model sees it: what it registers, and how it works its queue."""

    index: int
    seller_id: str
    plan: Plan
    name: str
    locale: str
    settings: SettingsPatch
    reviewers: int
    batch: bool


@dataclass(frozen=True)
class Catalog:
    """SKUs as parallel arrays (index = SKU number); names only as strings."""

    skus: tuple[str, ...]
    names: tuple[str, ...]
    category: np.ndarray  # category index per SKU
    seller: np.ndarray  # seller index per SKU
    by_category: tuple[np.ndarray, ...]  # SKU indices of each category


@dataclass(frozen=True)
class Buyers:
    """The buyers, by index. Their ids are arithmetic on the index, made when asked: a run
    needs the ids of the buyers who return something, a fraction of the population."""

    locale: np.ndarray  # locale index per buyer
    pools: tuple[IdentityPool, ...]

    @property
    def size(self) -> int:
        return int(self.locale.shape[0])

    @property
    def ids(self) -> tuple[str, ...]:
        """Every buyer's id, by index."""
        return tuple(scrambled_ids(_BUYER_ID_PREFIX, 1, self.size))

    def buyer_id(self, index: int) -> str:
        return scrambled_id(_BUYER_ID_PREFIX, index + 1)

    def ids_of(self, indices: np.ndarray) -> list[str]:
        """The ids of the buyers at ``indices`` (numpy's speed, for a day's returns)."""
        return scrambled_ids_of(_BUYER_ID_PREFIX, indices + 1)

    def first_name(self, index: int) -> str:
        pool = self.pools[int(self.locale[index])]
        return pool.first_names[(index * 7919) % len(pool.first_names)]


@dataclass(frozen=True)
class Population:
    categories: tuple[str, ...]
    sellers: tuple[SellerProfile, ...]
    catalog: Catalog
    buyers: Buyers
    seller_pools: dict[str, IdentityPool]

    def new_address(self, seller: SellerProfile, address_id: str, draw: int) -> Address:
        """A fresh return address for ``seller`` (given at authorization), from the pools."""
        return _address(self.seller_pools[seller.locale], seller.name, address_id, draw)


def _address(pool: IdentityPool, name: str, address_id: str, draw: int) -> Address:
    return Address(
        address_id=address_id,
        name=name,
        line1=pool.streets[draw % len(pool.streets)],
        city=pool.cities[(draw // 7) % len(pool.cities)],
        region=pool.regions[(draw // 13) % len(pool.regions)],
        postal_code=pool.postcodes[(draw // 3) % len(pool.postcodes)],
        country=pool.country,
    )


def _choice(rng: np.random.Generator, shares: dict[str, float], n: int) -> np.ndarray:
    """The index of each of ``n`` draws among ``shares``' keys: ``np.searchsorted(cum, u,
    side="right")`` of the cumulated shares, counted one share at a time (for a scenario's
    few locales, half the time of a binary search per draw; the buyers' are 400k draws)."""
    p = np.array(list(shares.values()), dtype=float)
    u = rng.random(n)
    index = np.zeros(n, dtype=np.int64)
    for bound in np.cumsum(p / p.sum()).tolist():
        index += u >= bound  # ``bound <= u``, as searchsorted compares
    return index.clip(0, len(p) - 1)


def build_population(scenario: Scenario, policy: Policy, streams: Streams) -> Population:
    """Sellers, catalog and buyers of a scenario (whose engine policy is ``policy``), the same
    for the same seed."""
    cats = tuple(scenario.categories)
    seller_locales = list(scenario.sellers.locales)
    seller_pools = {
        loc: make_pool(loc, streams.int_seed(f"faker.sellers.{loc}")) for loc in seller_locales
    }
    sellers_spec = scenario.sellers
    rng = streams.rng("population.sellers")
    n = sellers_spec.count
    # the draws as Python numbers (the same values): a numpy scalar read per field cost more
    locale_idx = _choice(rng, dict(sellers_spec.locales), n).tolist()
    professional = (rng.random(n) < sellers_spec.professional_share).tolist()
    u = rng.random((8, n)).tolist()
    draws = rng.integers(0, 1 << 30, size=(3, n)).tolist()
    seller_ids = scrambled_ids("A", 10_000_000, n)  # scrambled_id("A", 10_000_000 + i)

    catalog = _build_catalog(scenario, streams, seller_pools, cats)
    # seller i's SKUs, ascending: owned[owned_from[i]:owned_to[i]] (one stable sort)
    owned = np.argsort(catalog.seller, kind="stable").tolist()
    owned_to = np.cumsum(np.bincount(catalog.seller, minlength=n)).tolist()
    owned_from = [0, *owned_to[:-1]]

    st = sellers_spec.settings
    returnable = [c for c in cats if c not in policy.non_returnable_categories]
    longer = {
        c: policy.category_window_days.get(c, policy.default_window_days)
        + st.longer_window_extra_days
        for c in returnable
    }
    profiles = []
    for i in range(n):
        loc = seller_locales[locale_idx[i]]
        pool = seller_pools[loc]
        plan = Plan.PROFESSIONAL if professional[i] else Plan.INDIVIDUAL
        if plan is Plan.PROFESSIONAL:
            name = pool.companies[draws[0][i] % len(pool.companies)]
        else:
            first = pool.first_names[draws[0][i] % len(pool.first_names)]
            name = f"{first} {pool.last_names[draws[1][i] % len(pool.last_names)]}"
        addresses = [_address(pool, name, "addr-1", draws[2][i])]
        if u[0][i] < st.second_address_share:
            addresses.append(_address(pool, name, "addr-2", draws[2][i] // 11 + 1))
        email_links = u[1][i] < st.email_links_share
        windows = dict(longer) if u[2][i] < st.longer_window_share else {}
        if plan is Plan.INDIVIDUAL:
            settings = SettingsPatch(
                return_addresses=tuple(addresses),
                email_links=email_links,
                return_window_days=windows,
                authorization=Mode.AUTO if u[3][i] < st.individual_auto_share else Mode.MANUAL,
            )
            reviewers = scenario.sellers.review.reviewers_individual
        else:
            own = owned[owned_from[i]:owned_to[i]]
            exempt: tuple[str, ...] = ()
            if own and u[4][i] < st.exempt_skus_share:
                k = min(MAX_EXEMPT_SKUS, max(1, round(len(own) * st.exempt_sku_fraction)))
                exempt = tuple(catalog.skus[j] for j in own[:k])
            settings = SettingsPatch(
                return_addresses=tuple(addresses),
                email_links=email_links,
                return_window_days=windows,
                out_of_policy=Mode.AUTO if u[5][i] < st.out_of_policy_auto_share else Mode.MANUAL,
                exempt_skus=exempt,
                exempt_mode=Mode.AUTO if u[6][i] < st.exempt_mode_auto_share else Mode.MANUAL,
            )
            reviewers = scenario.sellers.review.reviewers_professional
        profiles.append(
            SellerProfile(
                index=i,
                seller_id=seller_ids[i],
                plan=plan,
                name=name,
                locale=loc,
                settings=settings,
                reviewers=reviewers,
                batch=u[7][i] < scenario.sellers.review.batch_share,
            )
        )

    buyer_spec = scenario.buyers
    buyer_pools = tuple(
        seller_pools[loc]
        if loc in seller_pools
        else make_pool(loc, streams.int_seed(f"faker.buyers.{loc}"), people_only=True)
        for loc in buyer_spec.locales
    )
    brng = streams.rng("population.buyers")
    _check_id_space(buyer_spec.population + 1)  # the buyers' ids are numbered from 1
    buyers = Buyers(
        locale=_choice(brng, dict(buyer_spec.locales), buyer_spec.population).astype(np.int8),
        pools=buyer_pools,
    )
    return Population(cats, tuple(profiles), catalog, buyers, seller_pools)


def _build_catalog(
    scenario: Scenario,
    streams: Streams,
    pools: dict[str, IdentityPool],
    cats: tuple[str, ...],
) -> Catalog:
    rng = streams.rng("population.catalog")
    n_sellers = scenario.sellers.count
    weights = 1.0 / np.arange(1, n_sellers + 1, dtype=float) ** scenario.sellers.sales_skew
    weights /= weights.sum()
    brand_pool = next(iter(pools.values())).last_names
    colour_fake = Faker("en_US")
    colour_fake.seed_instance(streams.int_seed("faker.catalog"))
    colours = tuple(colour_fake.color_name() for _ in range(60))
    skus: list[str] = []
    names: list[str] = []
    category: list[np.ndarray] = []
    seller: list[np.ndarray] = []
    by_category: list[np.ndarray] = []
    start = 0
    for ci, cat in enumerate(cats):
        k = scenario.categories[cat].skus
        nouns = _NOUNS.get(cat, _GENERIC_NOUNS)
        picks = rng.integers(0, 1 << 30, size=(3, k))
        prefix = cat[:3].upper()
        skus += sku_ids(prefix, start, k)
        brand, colour, noun = (
            (row % size).tolist()
            for row, size in zip(picks, (len(brand_pool), len(colours), len(nouns)), strict=True)
        )
        names += [
            f"{brand_pool[b]} {colours[c]} {nouns[n]}"
            for b, c, n in zip(brand, colour, noun, strict=True)
        ]
        category.append(np.full(k, ci, dtype=np.int16))
        seller.append(rng.choice(n_sellers, size=k, p=weights).astype(np.int32))
        by_category.append(np.arange(start, start + k, dtype=np.int32))
        start += k
    return Catalog(
        skus=tuple(skus),
        names=tuple(names),
        category=np.concatenate(category),
        seller=np.concatenate(seller),
        by_category=tuple(by_category),
    )
