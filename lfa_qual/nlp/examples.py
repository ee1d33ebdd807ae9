"""Nearest anchor example: how close a passage comes to each code's closest anchor example.

The learned model pools a code's anchor examples into one bag of words, which blurs a typical
statement into the theme's general vocabulary. This index keeps the examples apart and scores a
code by its single most similar example (cosine of idf-weighted content lemmas), so a passage
that says what one example says, in other surroundings, is found, and the example itself can be
shown to the researcher as the reason.

Scoring a batch of passages is array work: each known lemma of a passage contributes its
postings (the examples that contain it), and one `np.bincount` sums them per passage and
example; the lemmas of a passage that no example has cost nothing.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from lfa_qual.nlp.learned import features


@dataclass(frozen=True)
class AnchorExample:
    code: str
    text: str
    lemmas: frozenset[str]  # its content lemmas, as the model sees them


class ExampleIndex:
    def __init__(
        self,
        examples: Sequence[tuple[str, str, Sequence[str]]],
        commonness: Callable[[str], float] | None = None,
    ) -> None:
        """`examples`: (code id, text, lemmas) of each anchor example; `commonness` (lemma →
        0–1) lowers, in `weight`, words common in interview talk at large, which the examples
        alone cannot tell from a theme's words (the similarity itself is left as it is:
        discounting them there made no difference to the rankings measured)."""
        found = [
            AnchorExample(code, text, frozenset(features(lemmas)))
            for code, text, lemmas in examples
        ]
        # Columns grouped by code, so a code's best example is one reduction over its columns.
        found = sorted((e for e in found if e.lemmas), key=lambda e: e.code)
        self.examples = found
        self.codes = sorted({e.code for e in found})
        firsts: dict[str, int] = {}
        for col, e in enumerate(found):
            firsts.setdefault(e.code, col)
        self._code_starts = np.array([firsts[c] for c in self.codes], dtype=np.int64)
        ends = [*self._code_starts[1:].tolist(), len(found)] if found else []
        self._columns = {c: (firsts[c], end) for c, end in zip(self.codes, ends, strict=True)}
        df = Counter(w for e in found for w in e.lemmas)
        n = len(found)
        idf2 = {w: math.log((n + 1) / (k + 0.5)) ** 2 for w, k in df.items()}
        common = commonness or (lambda _: 1.0)
        self._telling = {w: v * common(w) ** 2 for w, v in idf2.items()}  # for `weight`
        self._row = {w: r for r, w in enumerate(df)}
        self._idf2 = np.array([idf2[w] for w in df])
        postings: list[list[tuple[int, float]]] = [[] for _ in df]
        for col, e in enumerate(found):
            norm = math.sqrt(sum(idf2[w] for w in e.lemmas))
            for w in e.lemmas:
                postings[self._row[w]].append((col, idf2[w] / norm))
        counts = np.array([len(p) for p in postings], dtype=np.int64)
        self._ptr = np.concatenate(([0], np.cumsum(counts)))
        self._cols = np.array([c for p in postings for c, _ in p], dtype=np.int64)
        self._vals = np.array([v for p in postings for _, v in p], dtype=float)

    def weight(self, lemma: str) -> float:
        """How telling a shared `lemma` is: its weight in the similarity, lowered for a word
        common in interview talk (0 for a word no example has)."""
        return self._telling.get(lemma, 0.0)

    def __len__(self) -> int:
        return len(self.examples)

    def similarities(self, passages: Sequence[Sequence[str]]) -> np.ndarray:
        """Cosine similarity of each passage (its lemmas) to each example: passages × examples."""
        n_ex = len(self.examples)
        out = np.zeros((len(passages), n_ex))
        if not n_ex:
            return out
        row = self._row
        words = [[row[w] for w in dict.fromkeys(lemmas) if w in row] for lemmas in passages]
        lengths = np.array([len(ws) for ws in words], dtype=np.int64)
        if not lengths.sum():
            return out
        rows = np.fromiter((r for ws in words for r in ws), dtype=np.int64, count=lengths.sum())
        owner = np.repeat(np.arange(len(passages)), lengths)
        # Each (passage, word) pair expands to the word's postings.
        counts = self._ptr[rows + 1] - self._ptr[rows]
        total = int(counts.sum())
        first = np.repeat(self._ptr[rows], counts)
        within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        at = first + within
        flat = np.repeat(owner, counts) * n_ex + self._cols[at]
        dots = np.bincount(flat, weights=self._vals[at], minlength=len(passages) * n_ex)
        norms = np.sqrt(np.bincount(owner, weights=self._idf2[rows], minlength=len(passages)))
        out = dots.reshape(len(passages), n_ex)
        np.divide(out, norms[:, None], out=out, where=norms[:, None] > 0)
        return out

    def best(self, sims: np.ndarray) -> np.ndarray:
        """Per passage and code (columns in `self.codes` order): the best example's similarity."""
        if not len(self.examples):
            return np.zeros((sims.shape[0], 0))
        return np.maximum.reduceat(sims, self._code_starts, axis=1)

    def nearest(self, sims_row: np.ndarray, code: str) -> AnchorExample | None:
        """The example of `code` most similar to the passage whose similarities are `sims_row`."""
        span = self._columns.get(code)
        if span is None:
            return None
        a, b = span
        col = a + int(sims_row[a:b].argmax())
        return self.examples[col] if sims_row[col] > 0 else None
