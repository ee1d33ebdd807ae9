"""Agreement coefficients from additive unit statistics, vectorised over rows and replicates.

Every coefficient here is a function of sums over units, so a table row (a code, an interview,
or all of them) is the sum of its units' statistics, and a bootstrap replicate is a weighted
sum of the same statistics. Undefined values are NaN (shown as empty, `null` in JSON), never a
division by zero:

- percent agreement: undefined without units;
- Cohen's κ: undefined when the chance agreement is 1 (both coders gave every unit the same
  single value: a code nobody used, or one both used everywhere);
- Krippendorff's α: undefined when only one value occurs among the pairable values (the same
  cases), or without pairable units;
- Brennan & Prediger's κ: undefined with fewer than two codes in the table.
"""

from __future__ import annotations

import numpy as np

# Columns of a pair's statistics: units coded by both, by the first only, by the second only,
# by neither (characters or paragraphs, weighted).
PAIR = ("both", "first", "second", "neither")
# Columns of the all-coders statistics for α (binary values "not coded" 0 / "coded" 1):
# pairable values 0 and 1, and the unit's observed disagreement 2·n0·n1/(m−1).
ALPHA = ("n0", "n1", "do")


def _divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def percent_agreement(stats: np.ndarray) -> np.ndarray:
    """(both + neither) / all, per row of `stats` (…, 4) in PAIR order."""
    total = stats.sum(axis=-1)
    return _divide(stats[..., 0] + stats[..., 3], total)


def cohen_kappa(stats: np.ndarray) -> np.ndarray:
    """Cohen's κ per row of `stats` (…, 4): chance agreement from each coder's own marginals,
    p_e = p₁·p₂ + (1 − p₁)(1 − p₂), where p is the share of units the coder coded."""
    total = stats.sum(axis=-1).astype(float)
    p_o = percent_agreement(stats)
    p1 = _divide(stats[..., 0] + stats[..., 1], total)
    p2 = _divide(stats[..., 0] + stats[..., 2], total)
    p_e = p1 * p2 + (1 - p1) * (1 - p2)
    return _divide(p_o - p_e, 1 - p_e)


def alpha_nominal(stats: np.ndarray) -> np.ndarray:
    """Krippendorff's α (nominal, binary values) per row of `stats` (…, 3) in ALPHA order:
    α = 1 − (n − 1)·D_o / (2·n₀·n₁), D_o the summed observed disagreement of the units."""
    n0, n1, do = stats[..., 0], stats[..., 1], stats[..., 2]
    n = n0 + n1
    return 1 - _divide((n - 1) * do, 2 * n0 * n1)


def alpha_unit_stats(coded: np.ndarray, present: np.ndarray) -> np.ndarray:
    """ALPHA statistics of units (rows) from the number of coders who coded each (`coded`)
    and who could have (`present`: coded that transcript at all). Units with fewer than two
    values are not pairable and contribute nothing."""
    coded = np.asarray(coded, dtype=float)
    m = np.asarray(present, dtype=float)
    pairable = m >= 2
    n1 = np.where(pairable, coded, 0.0)
    n0 = np.where(pairable, m - coded, 0.0)
    do = _divide(2 * n0 * n1, m - 1)
    return np.stack([n0, n1, np.nan_to_num(do)], axis=-1)


def brennan_prediger(agreement: np.ndarray, categories: int) -> np.ndarray:
    """κ after Brennan & Prediger: chance agreement 1/k for k categories (the codes compared)."""
    if categories < 2:
        return np.full(np.shape(agreement), np.nan)
    chance = 1.0 / categories
    return (np.asarray(agreement, dtype=float) - chance) / (1 - chance)


def bootstrap(
    units: np.ndarray, coefficient, replicates: int, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """A percentile confidence interval of `coefficient(sum of units)` over `replicates`
    resamples of the units (rows of `units`) with replacement, seeded; NaN when undefined.

    The units are clusters (paragraphs, or segments): characters of one paragraph are not
    independent, so they are resampled together.
    """
    n = len(units)
    if n == 0 or replicates <= 0:
        return (np.nan, np.nan)
    rng = np.random.default_rng(seed)
    values = np.empty(replicates)
    chunk = max(1, 2_000_000 // max(n, 1))  # replicates per batch: bounded memory
    for lo in range(0, replicates, chunk):
        k = min(chunk, replicates - lo)
        counts = np.stack([np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(k)])
        values[lo : lo + k] = coefficient(counts @ units)
    values = values[~np.isnan(values)]
    if not len(values):
        return (np.nan, np.nan)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return (float(low), float(high))
