"""A light model learned from the project's own coding: naive Bayes over content lemmas.

Chosen over spaCy's `textcat_multilabel` because a project has tens to hundreds of codings per
code, not thousands: counting lemmas trains in milliseconds, updates incrementally (`add` after
each batch of codings), needs no GPU and no random initialisation, and can say which words
drove its score — the "learned" evidence a researcher sees. Measured against the keyword rules
in benchmarks/bench_suggest_quality.py (k-fold cross-validation on the gold set).

Each training example is a coded passage (positive for its codes, negative for every other
code) or a rejected suggestion (negative for the rejected code only). The model starts from
the codebook itself: each code's description and inclusion criteria are its first positive
examples (`seed=True`), so it can rank codes before the project has any codings.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

MIN_EXAMPLES = 3  # a code needs this many coded passages before the model speaks for it
ALPHA = 0.5  # Laplace smoothing of document frequencies
MIN_LEMMA_LEN = 3
TOP_EVIDENCE = 3
WORD_EVIDENCE = 0.5  # a word whose log-likelihood ratio for a code is above this speaks for it


def _stop_words() -> frozenset[str]:
    """spaCy's Danish stop words, kept in the user's cache: importing them imports spaCy,
    which a run whose words are all in the token cache does without (`tokens`)."""
    from lfa_qual import usercache

    key = usercache.make_key(usercache.package_version("spacy"))
    found = usercache.read_entry("stop-words", key)
    if isinstance(found, list) and found and all(isinstance(w, str) for w in found):
        return frozenset(found)
    from spacy.lang.da.stop_words import STOP_WORDS

    usercache.write_entry("stop-words", key, sorted(STOP_WORDS))
    return frozenset(STOP_WORDS)


STOP = _stop_words()


def features(lemmas: Iterable[str]) -> set[str]:
    """The distinct content lemmas of a passage."""
    return {
        lemma
        for lemma in lemmas
        if len(lemma) >= MIN_LEMMA_LEN and lemma not in STOP and any(c.isalpha() for c in lemma)
    }


class LearnedModel:
    def __init__(self, min_examples: int = MIN_EXAMPLES) -> None:
        self.min_examples = min_examples
        self.n_docs = 0
        self.df_all: Counter[str] = Counter()  # lemma → number of positive-or-other passages
        self.n_pos: Counter[str] = Counter()  # code → coded passages
        self.df_pos: dict[str, Counter[str]] = {}
        self.seeded: set[str] = set()  # codes with codebook texts as examples
        self.version = 0  # bumped by every `add`: lets users cache what they derive
        self.n_rej: Counter[str] = Counter()  # code → rejected passages
        self.df_rej: dict[str, Counter[str]] = {}
        self._compiled: tuple[dict[str, int], np.ndarray, list[str], np.ndarray] | None = None
        self._column: dict[str, int] = {}

    def add(
        self,
        lemmas: Iterable[str],
        codes: Iterable[str] = (),
        rejected: Iterable[str] = (),
        *,
        seed: bool = False,
    ) -> None:
        """Learn from one passage: coded with `codes`, or rejected for the codes in `rejected`;
        `seed` marks a codebook text (it counts as an example, and makes the code predicted)."""
        feats = features(lemmas)
        codes, rejected = set(codes), set(rejected)
        self._compiled = None
        self.version += 1
        if seed:
            self.seeded |= codes
        if codes:
            self.n_docs += 1
            self.df_all.update(feats)
            for code in codes:
                self.n_pos[code] += 1
                self.df_pos.setdefault(code, Counter()).update(feats)
        for code in rejected - codes:
            self.n_rej[code] += 1
            self.df_rej.setdefault(code, Counter()).update(feats)

    @property
    def codes(self) -> set[str]:
        """Codes with codebook texts or enough coded passages to be predicted."""
        return {c for c, n in self.n_pos.items() if n >= self.min_examples or c in self.seeded}

    def _llr(self, code: str, lemma: str) -> float:
        n_pos = self.n_pos[code]
        pos = self.df_pos[code].get(lemma, 0)
        rej = self.df_rej.get(code, Counter())
        n_neg = self.n_docs - n_pos + self.n_rej[code]
        neg = self.df_all.get(lemma, 0) - pos + rej.get(lemma, 0)
        p_pos = (pos + ALPHA) / (n_pos + 2 * ALPHA)
        p_neg = (neg + ALPHA) / (n_neg + 2 * ALPHA)
        return math.log(p_pos / p_neg)

    def _table(self) -> tuple[dict[str, int], np.ndarray, list[str], np.ndarray]:
        """Per lemma (a row), its log-likelihood ratio for every predicted code (the columns);
        rebuilt after `add`. Scoring a passage is then dictionary lookups and one matrix sum."""
        if self._compiled is None:
            codes = sorted(self.codes)
            rows = {lemma: n for n, lemma in enumerate(self.df_all)}
            matrix = np.array(
                [[self._llr(c, lemma) for c in codes] for lemma in rows], dtype=float
            ).reshape(len(rows), len(codes))
            prior = np.array([math.log(self.n_pos[c] / max(self.n_docs, 1)) for c in codes])
            self._compiled = (rows, matrix, codes, prior)
            self._column = {c: j for j, c in enumerate(codes)}
        return self._compiled

    def score(
        self, lemmas: list[str], floor: dict[str, float] | None = None, keep: Iterable[str] = ()
    ) -> LearnedScores:
        """Scores of a passage for the predicted codes that at least one of its words speaks
        for; the words themselves are worked out only for the codes that are shown.

        With `floor` (code → lowest score of interest), a code scoring below its floor is left
        out unless it is in `keep`: most codes of most passages, which then cost nothing."""
        return self.score_many([(lemmas, keep)], floor)[0]

    @property
    def columns(self) -> list[str]:
        """The predicted codes in the order of the model's score columns."""
        return self._table()[2]

    def score_many(
        self,
        passages: list[tuple[list[str], Iterable[str]]],
        floor: dict[str, float] | np.ndarray | None = None,
    ) -> list[LearnedScores]:
        """`score` for many passages (lemmas, codes to keep) at once: one matrix lookup and
        one sum for all of them, instead of a handful of small numpy calls per passage.
        `floor` is per code, or an array with one row per passage and one column per code
        (in `columns` order)."""
        rows, matrix, codes, prior = self._table()
        # The distinct known lemmas in order of first occurrence (dict.fromkeys runs in C).
        words_of = [[w for w in dict.fromkeys(lemmas) if w in rows] for lemmas, _ in passages]
        if not codes:
            return [LearnedScores({}, lemmas, [], None, codes) for lemmas, _ in passages]
        scored = [k for k, words in enumerate(words_of) if words]  # passages with known words
        lengths = np.array([len(words_of[k]) for k in scored], dtype=np.int64)
        starts = np.cumsum(lengths) - lengths
        index = [rows[w] for k in scored for w in words_of[k]]
        m_all = matrix[index]  # all their words × codes
        scores: dict[int, dict[str, float]] = {k: {} for k in scored}
        if scored:
            # Sum over sqrt(n): long and short passages stay comparable.
            logit = np.add.reduceat(m_all, starts, axis=0) / np.sqrt(lengths)[:, None] + prior
            p = 1.0 / (1.0 + np.exp(-logit))
            shown = np.maximum.reduceat(m_all, starts, axis=0) > WORD_EVIDENCE
            if floor is not None:
                if isinstance(floor, dict):  # per batch: a vector over the table's codes
                    wanted = p >= np.array([floor.get(c, math.inf) for c in codes])
                else:
                    wanted = p >= floor[scored]
                column = self._column
                for row, k in enumerate(scored):
                    for code in passages[k][1]:
                        j = column.get(code)
                        if j is not None:
                            wanted[row, j] = True
                shown &= wanted
            at, cols = np.nonzero(shown)
            for row, j, value in zip(at.tolist(), cols.tolist(), p[at, cols].tolist(), strict=True):
                scores[scored[row]][codes[j]] = value
        out = []
        row_of = {k: row for row, k in enumerate(scored)}
        for k, (lemmas, _) in enumerate(passages):
            row = row_of.get(k)
            if row is None:
                out.append(LearnedScores({}, lemmas, [], None, codes))
                continue
            a = int(starts[row])
            m = m_all[a : a + len(words_of[k])]
            out.append(LearnedScores(scores[k], lemmas, words_of[k], m, codes))
        return out

    def explain(self, lemmas: list[str]) -> dict[str, tuple[float, list[tuple[int, str]]]]:
        """Per code that a word speaks for: the score in 0–1 and the words that raised it
        most, as (position in `lemmas`, lemma)."""
        scores = self.score(lemmas)
        return {code: (p, scores.top(code)) for code, p in scores.p.items()}


@dataclass
class LearnedScores:
    p: dict[str, float]  # code → probability-like score
    lemmas: list[str]  # the passage's lemmas, as scored
    words: list[str]
    m: np.ndarray | None
    codes: list[str]

    def top(self, code: str) -> list[tuple[int, str]]:
        """The words that raised `code` most, as (position, lemma)."""
        if self.m is None or code not in self.p:
            return []
        col = self.m[:, self.codes.index(code)].tolist()  # a few dozen words: plain Python
        order = sorted(range(len(col)), key=col.__getitem__, reverse=True)[:TOP_EVIDENCE]
        index = self.lemmas.index  # first position: worked out only for the words shown
        return [(index(self.words[k]), self.words[k]) for k in order if col[k] > WORD_EVIDENCE]
