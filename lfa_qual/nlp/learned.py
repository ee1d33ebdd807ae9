"""A light model learned from the project's own coding: naive Bayes over content lemmas.

Chosen over spaCy's `textcat_multilabel` because a project has tens to hundreds of codings per
code, not thousands: counting lemmas trains in milliseconds, updates incrementally (`add` after
each batch of codings), needs no GPU and no random initialisation, and can say which words
drove its score — the "learned" evidence a researcher sees. Measured against the keyword rules
in benchmarks/bench_suggest_quality.py (k-fold cross-validation on the gold set).

Each training example is a coded passage (positive for its codes, negative for every other
code) or a rejected suggestion (negative for the rejected code only).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

MIN_EXAMPLES = 3  # a code needs this many coded passages before the model speaks for it
ALPHA = 0.5  # Laplace smoothing of document frequencies
MIN_LEMMA_LEN = 3
TOP_EVIDENCE = 3


def _stop_words() -> frozenset[str]:
    from spacy.lang.da.stop_words import STOP_WORDS

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
        self.n_rej: Counter[str] = Counter()  # code → rejected passages
        self.df_rej: dict[str, Counter[str]] = {}

    def add(self, lemmas: Iterable[str], codes: Iterable[str] = (), rejected: Iterable[str] = ()):
        """Learn from one passage: coded with `codes`, or rejected for the codes in `rejected`."""
        feats = features(lemmas)
        codes, rejected = set(codes), set(rejected)
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
        """Codes with enough coded passages to be predicted."""
        return {c for c, n in self.n_pos.items() if n >= self.min_examples}

    def _llr(self, code: str, lemma: str) -> float:
        n_pos = self.n_pos[code]
        pos = self.df_pos[code].get(lemma, 0)
        rej = self.df_rej.get(code, Counter())
        n_neg = self.n_docs - n_pos + self.n_rej[code]
        neg = self.df_all.get(lemma, 0) - pos + rej.get(lemma, 0)
        p_pos = (pos + ALPHA) / (n_pos + 2 * ALPHA)
        p_neg = (neg + ALPHA) / (n_neg + 2 * ALPHA)
        return math.log(p_pos / p_neg)

    def explain(self, lemmas: list[str]) -> dict[str, tuple[float, list[tuple[int, str]]]]:
        """Per trained code: a probability-like score in 0–1 and the words that raised it most,
        as (position in `lemmas`, lemma)."""
        feats = features(lemmas)
        known = [f for f in feats if f in self.df_all]
        if not known:
            return {}
        first = {}
        for i, lemma in enumerate(lemmas):
            first.setdefault(lemma, i)
        out = {}
        for code in self.codes:
            llrs = {f: self._llr(code, f) for f in known}
            # The mean keeps long and short passages comparable; a log-odds of +2 per word
            # on average is already strong evidence.
            mean = sum(llrs.values()) / math.sqrt(len(llrs))
            prior = math.log(self.n_pos[code] / max(self.n_docs, 1))
            p = 1.0 / (1.0 + math.exp(-(mean + prior)))
            top = sorted((v, f) for f, v in llrs.items() if v > 0.5)[-TOP_EVIDENCE:]
            if top:
                out[code] = (p, [(first[f], f) for _, f in reversed(top)])
        return out
