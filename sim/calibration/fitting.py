"""Statistics with SciPy: shares and rates with exact intervals, and delays fitted to the
scenario's lognormal from day-resolution dates.

A report gives dates, not times, and a delay it shows (order date to request date) is a known
part (the time of day of the order, the delivery lag) plus the unknown lognormal. The fit is
maximum likelihood on exactly that: the probability of each observed whole-day gap is the
lognormal convolved with the known part, conditioned on the gap being observable before the
report ends (right truncation), so recent orders do not bias the delay short.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

LEVEL = 0.95
"""Confidence level of every interval (a mix's shares are simultaneous: Bonferroni)."""


@dataclass(frozen=True)
class Share:
    """``k`` of ``n`` (``n`` may be an expected, fractional exposure), with an interval."""

    k: int
    n: float
    low: float
    high: float

    @property
    def value(self) -> float:
        return self.k / self.n if self.n > 0 else math.nan


def share(k: int, n: float, level: float = LEVEL) -> Share:
    """Clopper-Pearson (exact binomial) interval, written with the beta distribution so that a
    fractional exposure ``n`` works too."""
    alpha = 1.0 - level
    if n <= 0:
        return Share(k, n, math.nan, math.nan)
    low = 0.0 if k == 0 else float(stats.beta.ppf(alpha / 2, k, n - k + 1))
    high = 1.0 if k >= n else float(stats.beta.ppf(1 - alpha / 2, k + 1, max(n - k, 1e-9)))
    return Share(k, n, low, min(high, 1.0))


def mix(counts: Mapping[str, int], level: float = LEVEL) -> dict[str, Share]:
    """Shares of a mix, each interval at ``1 - (1 - level) / parts`` so that all hold at once."""
    n = sum(counts.values())
    parts = max(len(counts), 1)
    simultaneous = 1.0 - (1.0 - level) / parts
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {name: share(k, n, simultaneous) for name, k in ordered}


@dataclass(frozen=True)
class KnownPart:
    """The known summand of an observed gap, as equally likely points (with weights)."""

    points: np.ndarray
    weights: np.ndarray


def known_part(bands: Sequence[tuple[float, float, float]], grid: int = 16) -> KnownPart:
    """The time of day (uniform over a day) plus a uniform band (low, high), mixed over
    ``bands`` given as ``(weight, low, high)``."""
    mid = (np.arange(grid) + 0.5) / grid
    points, weights = [], []
    total = sum(w for w, _, _ in bands)
    for w, low, high in bands:
        lag = low + mid * (high - low)
        points.append((mid[:, None] + lag[None, :]).ravel())
        weights.append(np.full(grid * grid, w / total / (grid * grid)))
    return KnownPart(np.concatenate(points), np.concatenate(weights))


@dataclass(frozen=True)
class DelayFit:
    """A lognormal fitted to whole-day gaps: its median and sigma with intervals, and the data
    (gap -> count) beside the fitted probabilities, for the plots."""

    median: float
    median_low: float
    median_high: float
    sigma: float
    sigma_low: float
    sigma_high: float
    n: int
    observed: Mapping[int, int]
    expected: Mapping[int, float]


def _cdf(x: np.ndarray, mu: float, sigma: float) -> np.ndarray:
    """Lognormal CDF, 0 for x <= 0 (works on any shape)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (np.log(np.where(x > 0, x, 1.0)) - mu) / sigma
    return np.where(x > 0, special.ndtr(z), 0.0)


def _pmf(gap: np.ndarray, part: KnownPart, mu: float, sigma: float) -> np.ndarray:
    """P(floor(known + lognormal) = gap) for each gap."""
    k = part.points[None, :]
    g = gap[:, None].astype(float)
    return np.asarray((_cdf(g + 1 - k, mu, sigma) - _cdf(g - k, mu, sigma)) @ part.weights)


def _reach(upper: np.ndarray, part: KnownPart, mu: float, sigma: float) -> np.ndarray:
    """P(gap <= upper): the chance a gap is seen before the report ends."""
    k = part.points[None, :]
    return np.asarray(_cdf(upper[:, None].astype(float) + 1 - k, mu, sigma) @ part.weights)


@dataclass(frozen=True)
class _Group:
    """Observations sharing a known part: counts per gap and per truncation limit (the
    likelihood separates into the two, so each is computed once per distinct value)."""

    part: KnownPart
    gaps: np.ndarray
    gap_counts: np.ndarray
    uppers: np.ndarray
    upper_counts: np.ndarray


def fit_delay(gaps: Sequence[int], uppers: Sequence[float], groups: Sequence[int],
              parts: Sequence[KnownPart], start: tuple[float, float] = (5.0, 0.8),
              level: float = LEVEL) -> DelayFit | None:
    """Fit ``(median, sigma)`` by maximum likelihood; ``groups[i]`` picks the known part of
    observation ``i`` and ``uppers[i]`` the largest gap it could have shown (``inf``: no limit).
    Intervals are Wald intervals on (log median, log sigma) from the observed information.
    Returns None with fewer than 5 observations."""
    if len(gaps) < 5:
        return None
    gap_a = np.asarray(gaps, dtype=float)
    upper_a = np.minimum(np.asarray(uppers, dtype=float), 10_000.0)
    group_a = np.asarray(groups)
    fitted: list[_Group] = []
    for g in np.unique(group_a).tolist():
        sel = group_a == g
        ug, cg = np.unique(gap_a[sel], return_counts=True)
        uu, cu = np.unique(upper_a[sel], return_counts=True)
        fitted.append(_Group(parts[g], ug, cg, uu, cu))

    def nll(theta: np.ndarray) -> float:
        mu, sigma = float(theta[0]), math.exp(float(theta[1]))
        total = 0.0
        for grp in fitted:
            p = _pmf(grp.gaps, grp.part, mu, sigma)
            r = _reach(grp.uppers, grp.part, mu, sigma)
            total -= float(np.sum(grp.gap_counts * np.log(np.maximum(p, 1e-300))))
            total += float(np.sum(grp.upper_counts * np.log(np.maximum(r, 1e-300))))
        return total

    x0 = np.array([math.log(max(start[0], 0.1)), math.log(max(start[1], 0.05))])
    best = optimize.minimize(nll, x0, method="Nelder-Mead",
                             options={"xatol": 1e-6, "fatol": 1e-8, "maxiter": 2000})
    theta = best.x
    cov = _inverse_hessian(nll, theta)
    z = float(stats.norm.ppf(0.5 + level / 2))
    se = np.sqrt(np.maximum(np.diag(cov), 0.0)) if cov is not None else np.array([np.nan] * 2)
    sigma = math.exp(theta[1])
    values, counts = np.unique(gap_a, return_counts=True)
    observed = {int(v): int(c) for v, c in zip(values.tolist(), counts.tolist(), strict=True)}
    expected = _expected(max(observed), fitted, float(theta[0]), sigma)
    return DelayFit(
        math.exp(theta[0]), math.exp(theta[0] - z * se[0]), math.exp(theta[0] + z * se[0]),
        sigma, math.exp(theta[1] - z * se[1]), math.exp(theta[1] + z * se[1]),
        len(gaps), observed, expected,
    )


def _expected(largest: int, fitted: list[_Group], mu: float, sigma: float) -> dict[int, float]:
    """Expected count of each gap under the fit, summed over the observations' known parts and
    truncation limits (what the plot draws beside the data)."""
    gaps = np.arange(0, largest + 1, dtype=float)
    out = np.zeros(len(gaps))
    for grp in fitted:
        p = _pmf(gaps, grp.part, mu, sigma)
        reach = _reach(grp.uppers, grp.part, mu, sigma)
        for u, c, r in zip(grp.uppers.tolist(), grp.upper_counts.tolist(), reach.tolist(),
                           strict=True):
            out += c * np.where(gaps <= u, p, 0.0) / max(r, 1e-300)
    return {int(k): float(v) for k, v in zip(gaps.tolist(), out.tolist(), strict=True)}


def _inverse_hessian(fn: Callable[[np.ndarray], float], x: np.ndarray,
                     h: float = 1e-3) -> np.ndarray | None:
    """The inverse of a central-difference Hessian of ``fn`` at ``x`` (None if not positive
    definite: the data do not pin the parameters down)."""
    n = len(x)
    hess = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            ei, ej = np.eye(n)[i] * h, np.eye(n)[j] * h
            v = (fn(x + ei + ej) - fn(x + ei - ej) - fn(x - ei + ej) + fn(x - ei - ej)) / (
                4 * h * h)
            hess[i, j] = hess[j, i] = v
    try:
        np.linalg.cholesky(hess)
    except np.linalg.LinAlgError:
        return None
    return np.asarray(np.linalg.inv(hess))


def seen_share(part: KnownPart, median: float, sigma: float, first: np.ndarray,
               last: np.ndarray) -> np.ndarray:
    """P(first <= gap <= last) for each pair: the share of an order cohort's returns whose
    request falls inside the report (``first`` <= 0: no lower limit)."""
    mu = math.log(median)
    high = _reach(np.asarray(last, dtype=float), part, mu, sigma)
    below = np.asarray(first, dtype=float) - 1
    low = np.where(below >= 0, _reach(np.maximum(below, 0), part, mu, sigma), 0.0)
    return np.asarray(np.clip(high - low, 0.0, 1.0))
