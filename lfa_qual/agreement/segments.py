"""MAXQDA-style segment agreement of two coders.

A coding (segment) of one coder agrees when the other coder has the same code in the same
transcript on a segment overlapping it by at least P % — overlap measured, as MAXQDA does, as
the shared characters over the characters covered by either of the two segments. Every segment
of both coders is counted; percent agreement is agreeing segments over all segments, and κ is
Brennan & Prediger's with chance 1/k for the k codes compared (MAXQDA's choice: the cell "coded
by neither" does not exist for segments, so Cohen's chance term cannot be formed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lfa_qual.agreement import coefficients as co
from lfa_qual.agreement.table import ALL, AgreementRow, _opt
from lfa_qual.agreement.units import Material


@dataclass
class SegmentMatch:
    """Per coding of the two coders: its index in the Material, and its best overlap (0..1)
    with a segment of the same code by the other coder (and that segment's index, or -1)."""

    index: np.ndarray
    overlap: np.ndarray
    partner: np.ndarray


def best_overlaps(m: Material, first: int, second: int) -> SegmentMatch:
    """The best overlap of each coding of `first` and of `second` with the other's codings."""
    out_idx, out_ov, out_partner = [], [], []
    for me, other in ((first, second), (second, first)):
        mine = np.flatnonzero(m.c == me)
        theirs = np.flatnonzero(m.c == other)
        ov = np.zeros(len(mine))
        partner = np.full(len(mine), -1, dtype=np.int64)
        if len(mine) and len(theirs):
            stride = int(max(m.end.max(), 1)) + 1
            group_t = (m.t * len(m.codes) + m.k) * stride  # transcript and code, then offset
            key = group_t[theirs] + m.start[theirs]
            order = np.argsort(key, kind="stable")
            theirs, key = theirs[order], key[order]
            longest = int((m.end[theirs] - m.start[theirs]).max())
            # Their segments that may overlap mine start within [my start − longest, my end).
            lo = np.searchsorted(key, group_t[mine] + m.start[mine] - longest, side="left")
            hi = np.searchsorted(key, group_t[mine] + m.end[mine], side="left")
            count = np.maximum(hi - lo, 0)
            total = int(count.sum())
            row = np.repeat(np.arange(len(mine)), count)
            cand = theirs[
                np.repeat(lo, count) + np.arange(total) - np.repeat(np.cumsum(count) - count, count)
            ]
            a = mine[row]
            same = (m.t[cand] == m.t[a]) & (m.k[cand] == m.k[a])
            inter = np.minimum(m.end[a], m.end[cand]) - np.maximum(m.start[a], m.start[cand])
            union = np.maximum(m.end[a], m.end[cand]) - np.minimum(m.start[a], m.start[cand])
            score = np.where(same & (inter > 0), inter / union, 0.0)
            if total:
                # The best candidate per segment: sort by (row, score) and take each row's last.
                order = np.lexsort((score, row))
                last = np.r_[row[order][1:] != row[order][:-1], True]
                best = order[last]
                ov[row[best]] = score[best]
                partner[row[best]] = np.where(score[best] > 0, cand[best], -1)
        out_idx.append(mine)
        out_ov.append(ov)
        out_partner.append(partner)
    return SegmentMatch(
        np.concatenate(out_idx), np.concatenate(out_ov), np.concatenate(out_partner)
    )


def segment_rows(
    m: Material,
    overlap: float = 90.0,
    *,
    per_interview: bool = False,
    bootstrap: int = 0,
    seed: int = 0,
) -> list[AgreementRow]:
    """Rows per pair of coders and code, then "*": segments, agreeing share, κ (B & P)."""
    rows: list[AgreementRow] = []
    n_codes = len(m.codes)
    for i in range(len(m.coders)):
        for j in range(i + 1, len(m.coders)):
            match = best_overlaps(m, i, j)
            idx = match.index
            agree = match.overlap >= overlap / 100.0 - 1e-12
            groups = [(ALL, np.ones(len(idx), dtype=bool))]
            if per_interview:
                groups += [(name, m.t[idx] == t) for t, name in enumerate(m.interviews)]
            for interview, sel in groups:
                codes = [(code, m.k[idx] == k) for k, code in enumerate(m.codes)]
                codes.append((ALL, np.ones(len(idx), dtype=bool)))
                for code, mask in codes:
                    mask = mask & sel
                    units = agree[mask].astype(float)[:, None]
                    share = co._divide(units.sum(), len(units))

                    def kappa(total, n: int = units.shape[0]) -> np.ndarray:
                        return co.brennan_prediger(co._divide(total[..., 0], n), n_codes)

                    first = mask & (m.c[idx] == i)
                    rows.append(
                        AgreementRow(
                            code,
                            interview,
                            "segment",
                            [m.coders[i], m.coders[j]],
                            float(len(units)),
                            _opt(share),
                            _opt(co.brennan_prediger(share, n_codes)),
                            None,
                            kappa_ci=co.bootstrap(units, kappa, bootstrap, seed)
                            if bootstrap
                            else None,
                            counts={
                                "agreeing": int(agree[mask].sum()),
                                "first_only": int((~agree & first).sum()),
                                "second_only": int((~agree & mask & ~first).sum()),
                            },
                        )
                    )
    return rows


@dataclass(frozen=True)
class SegmentRow:
    """One coded segment of one of the two coders and whether it found a partner."""

    interview: str
    code: str
    coder: str
    start: int
    end: int
    overlap: float  # the best overlap with the other coder's segments of the code (0..1)
    agrees: bool
    partner: tuple[int, int] | None  # that segment's span

    def as_json(self) -> dict:
        return {
            "interview": self.interview,
            "code": self.code,
            "coder": self.coder,
            "start": self.start,
            "end": self.end,
            "overlap": round(self.overlap, 4),
            "agrees": self.agrees,
            "partner": list(self.partner) if self.partner else None,
        }


def segment_table(m: Material, overlap: float = 90.0) -> list[SegmentRow]:
    """MAXQDA's table: every segment of the first two coders, agreeing or not, in text order."""
    match = best_overlaps(m, 0, 1)
    rows = []
    for i, ov, partner in zip(match.index, match.overlap, match.partner, strict=True):
        rows.append(
            SegmentRow(
                m.interviews[m.t[i]],
                m.codes[m.k[i]],
                m.coders[m.c[i]],
                int(m.start[i]),
                int(m.end[i]),
                float(ov),
                bool(ov >= overlap / 100.0 - 1e-12),
                (int(m.start[partner]), int(m.end[partner])) if partner >= 0 else None,
            )
        )
    rows.sort(key=lambda r: (r.interview, r.start, r.end, r.code, r.coder))
    return rows
