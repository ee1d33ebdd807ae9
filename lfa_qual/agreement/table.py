"""The agreement table: per code and for all codes ("*"), pooled or per interview.

Statistics are summed per (code, paragraph) first; a row is a sum over its paragraphs, and the
bootstrap resamples those paragraphs (see `coefficients.bootstrap`).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from lfa_qual.agreement import coefficients as co
from lfa_qual.agreement.units import Material, Segments, char_segments, paragraph_segments

UNITS = ("char", "paragraph", "segment")
ALL = "*"


@dataclass
class AgreementRow:
    code: str
    interview: str
    unit: str
    coders: list[str]
    units: float
    agreement: float | None
    kappa: float | None
    alpha: float | None
    kappa_ci: tuple[float, float] | None = None
    alpha_ci: tuple[float, float] | None = None
    counts: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict:
        out = {
            "code": self.code,
            "interview": self.interview,
            "unit": self.unit,
            "coders": self.coders,
            "units": _num(self.units),
            "agreement": _num(self.agreement),
            "kappa": _num(self.kappa),
            "alpha": _num(self.alpha),
        }
        if self.kappa_ci is not None:
            out["kappa_ci"] = [_num(v) for v in self.kappa_ci]
        if self.alpha_ci is not None:
            out["alpha_ci"] = [_num(v) for v in self.alpha_ci]
        out.update({k: _num(v) for k, v in self.counts.items()})
        return out


def _num(value: float | None) -> float | int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    value = float(value)
    return int(value) if value.is_integer() else value


def _opt(value: float) -> float | None:
    return None if math.isnan(float(value)) else float(value)


def cell_stats(m: Material, segs: Segments, unit_len: np.ndarray) -> dict:
    """Per (code, paragraph) statistics: PAIR columns for every pair of coders, ALPHA columns
    for all coders together. Shapes (K, P, 4) and (K, P, 3)."""
    n_k, n_p = len(m.codes), len(m.para_t)
    flat = segs.k * n_p + segs.p
    size = n_k * n_p

    def add(weights: np.ndarray) -> np.ndarray:
        counts = np.bincount(flat, weights=weights, minlength=size).astype(float)
        return counts.reshape(n_k, n_p)

    out: dict = {}
    pres = m.present[segs.p] if len(segs.p) else np.zeros((0, len(m.coders)), dtype=bool)
    for i, j in itertools.combinations(range(len(m.coders)), 2):
        both_here = (m.present[:, i] & m.present[:, j]).astype(float)  # (P,)
        w = segs.length * (pres[:, i] & pres[:, j])
        xi, xj = segs.x[:, i], segs.x[:, j]
        a, b, c = add(w * (xi & xj)), add(w * (xi & ~xj)), add(w * (~xi & xj))
        d = (unit_len * both_here)[None, :] - a - b - c
        out[(i, j)] = np.stack([a, b, c, d], axis=-1)
    m_u = m.present.sum(axis=1).astype(float)  # coders with values in each paragraph
    seg_alpha = co.alpha_unit_stats(segs.x.sum(axis=1), m_u[segs.p]) * segs.length[:, None]
    covered = add(segs.length)
    alpha = np.stack([add(seg_alpha[:, s]) for s in range(3)], axis=-1)
    rest = (unit_len[None, :] - covered) * np.where(m_u >= 2, m_u, 0)[None, :]
    alpha[..., 0] += rest  # characters (paragraphs) nobody coded: every present value is 0
    out["all"] = alpha
    return out


def pair_alpha(stats: np.ndarray) -> np.ndarray:
    """α of two coders from their PAIR statistics (every unit has both values)."""
    a, b, c, d = (stats[..., i] for i in range(4))
    return co.alpha_nominal(np.stack([b + c + 2 * d, 2 * a + b + c, 2 * (b + c)], axis=-1))


def agreement_rows(
    m: Material,
    unit: str,
    *,
    per_interview: bool = False,
    bootstrap: int = 0,
    seed: int = 0,
) -> list[AgreementRow]:
    """Rows for `unit` "char" or "paragraph": one per pair of coders and code, then "*";
    with three or more coders also an all-coders row (α only)."""
    if unit == "char":
        segs, unit_len = char_segments(m), (m.para_end - m.para_start).astype(float)
    else:
        segs, unit_len = paragraph_segments(m), np.ones(len(m.para_t))
    stats = cell_stats(m, segs, unit_len)
    groups: list[tuple[str, np.ndarray]] = [(ALL, np.arange(len(m.para_t)))]
    if per_interview:
        groups += [(name, np.flatnonzero(m.para_t == t)) for t, name in enumerate(m.interviews)]
    rows: list[AgreementRow] = []
    pairs = [key for key in stats if key != "all"]
    # Units with at least two coders' values (α's pairable units).
    pairable = unit_len * (m.present.sum(axis=1) >= 2)
    codes = [(code, np.array([k])) for k, code in enumerate(m.codes)]
    codes.append((ALL, np.arange(len(m.codes))))
    for interview, paras in groups:
        for code, ks in codes:
            for i, j in pairs:
                units = stats[(i, j)][ks][:, paras].sum(axis=0)  # per paragraph
                total = units.sum(axis=0)
                row = AgreementRow(
                    code,
                    interview,
                    unit,
                    [m.coders[i], m.coders[j]],
                    float(total.sum()),
                    _opt(co.percent_agreement(total)),
                    _opt(co.cohen_kappa(total)),
                    _opt(pair_alpha(total)),
                    counts=dict(zip(co.PAIR, total.tolist(), strict=True)),
                )
                if bootstrap:
                    row.kappa_ci = co.bootstrap(units, co.cohen_kappa, bootstrap, seed)
                    row.alpha_ci = co.bootstrap(units, pair_alpha, bootstrap, seed)
                rows.append(row)
            if len(m.coders) > 2:
                units = stats["all"][ks][:, paras].sum(axis=0)
                total = units.sum(axis=0)
                row = AgreementRow(
                    code,
                    interview,
                    unit,
                    list(m.coders),
                    float(pairable[paras].sum() * len(ks)),
                    None,
                    None,
                    _opt(co.alpha_nominal(total)),
                )
                if bootstrap:
                    row.alpha_ci = co.bootstrap(units, co.alpha_nominal, bootstrap, seed)
                rows.append(row)
    return rows
