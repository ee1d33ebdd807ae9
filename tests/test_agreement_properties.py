"""The numpy unit tables against a count one character and one paragraph at a time, on random
paragraphs and codings (spans starting before, between and after paragraphs included)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lfa_qual.agreement.table import cell_stats
from lfa_qual.agreement.units import Material, char_segments, paragraph_segments

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def materials(draw):
    n_t, n_codes, n_coders = (
        draw(st.integers(1, 3)),
        draw(st.integers(1, 3)),
        draw(st.integers(2, 3)),
    )
    para_t, starts, ends = [], [], []
    lengths = []
    for t in range(n_t):
        pos = draw(st.integers(0, 5))
        for _ in range(draw(st.integers(0, 4))):
            pos += draw(st.integers(1, 6))  # a gap: a label, a blank line, a marker
            length = draw(st.integers(1, 12))
            para_t.append(t)
            starts.append(pos)
            ends.append(pos + length)
            pos += length
        lengths.append(pos + draw(st.integers(1, 5)))
    codings = draw(
        st.lists(
            st.tuples(
                st.integers(0, n_t - 1),
                st.integers(0, n_codes - 1),
                st.integers(0, n_coders - 1),
                st.integers(0, 60),
                st.integers(1, 30),
            ),
            max_size=25,
        )
    )
    codings = [
        (t, k, c, min(s, lengths[t] - 1), min(s + n, lengths[t])) for t, k, c, s, n in codings
    ]
    pt = np.array(para_t, dtype=np.int64)
    ps, pe = np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)
    present = np.zeros((n_t, n_coders), dtype=bool)
    for t, _, c, _, _ in codings:
        present[t, c] = True
    cols = list(zip(*codings, strict=True)) if codings else [()] * 5
    return Material(
        coders=[f"c{i}" for i in range(n_coders)],
        codes=[f"k{i}" for i in range(n_codes)],
        interviews=[f"t{i}" for i in range(n_t)],
        para_t=pt,
        para_start=ps,
        para_end=pe,
        offsets=np.concatenate([[0], np.cumsum(pe - ps)]).astype(np.int64),
        present=present[pt] if len(pt) else np.zeros((0, n_coders), dtype=bool),
        t=np.array(cols[0], dtype=np.int64),
        k=np.array(cols[1], dtype=np.int64),
        c=np.array(cols[2], dtype=np.int64),
        start=np.array(cols[3], dtype=np.int64),
        end=np.array(cols[4], dtype=np.int64),
        ids=np.arange(len(codings), dtype=np.int64),
    ), codings


@SETTINGS
@given(materials())
def test_char_and_paragraph_tables_match_a_naive_count(drawn) -> None:
    m, codings = drawn
    n_p = len(m.para_t)
    for unit in ("char", "paragraph"):
        if unit == "char":
            stats = cell_stats(m, char_segments(m), (m.para_end - m.para_start).astype(float))
        else:
            stats = cell_stats(m, paragraph_segments(m), np.ones(n_p))
        for (i, j), table in ((key, v) for key, v in stats.items() if key != "all"):
            for k in range(len(m.codes)):
                for p in range(n_p):
                    t, lo, hi = m.para_t[p], m.para_start[p], m.para_end[p]
                    sets = []
                    for coder in (i, j):
                        chars = set()
                        for ct, ck, cc, s, e in codings:
                            if (ct, ck, cc) == (t, k, coder):
                                chars |= set(range(max(s, lo), min(e, hi)))
                        sets.append(chars)
                    if not (m.present[p, i] and m.present[p, j]):
                        assert table[k, p].tolist() == [0, 0, 0, 0]
                        continue
                    a, b = sets
                    if unit == "char":
                        want = [len(a & b), len(a - b), len(b - a), (hi - lo) - len(a | b)]
                    else:
                        x, y = bool(a), bool(b)
                        want = [x and y, x and not y, y and not x, not (x or y)]
                    assert table[k, p].tolist() == [float(w) for w in want]


@SETTINGS
@given(materials())
def test_alpha_of_all_coders_matches_the_krippendorff_package(drawn) -> None:
    import krippendorff

    from lfa_qual.agreement.coefficients import alpha_nominal

    m, codings = drawn
    n_p = len(m.para_t)
    stats = cell_stats(m, paragraph_segments(m), np.ones(n_p))["all"]
    data = np.full((len(m.coders), len(m.codes) * n_p), np.nan)
    for k in range(len(m.codes)):
        for p in range(n_p):
            t, lo, hi = m.para_t[p], m.para_start[p], m.para_end[p]
            for c in range(len(m.coders)):
                if m.present[p, c]:
                    data[c, k * n_p + p] = any(
                        (ct, ck, cc) == (t, k, c) and s < hi and lo < e
                        for ct, ck, cc, s, e in codings
                    )
    ours = alpha_nominal(stats.sum(axis=(0, 1)))
    values = data[:, (~np.isnan(data)).sum(axis=0) >= 2]
    if values.size == 0 or len(np.unique(values[~np.isnan(values)])) < 2:
        assert np.isnan(ours)
        return
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert abs(ours - expected) < 1e-9
