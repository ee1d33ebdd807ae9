"""Danish lemmas from the spaCy lookup table, with the two repairs the table needs most.

The lookup table (spacy-lookups-data) is keyed on the exact word form, so it misses
sentence-initial capitals ("Forældrene") and every compound it has not listed
("klassefællesskaberne"). Danish makes compounds freely, and the keywords of a codebook are
usually their last part, so we
1. retry the lower-cased word, and
2. lemmatise an unknown compound by its longest known ending: ``kulturkrigen`` → ``kultur`` +
   lemma(``krigen``) = ``kulturkrig``; a hyphenated word by its last part
   (``PIT-medarbejderne`` → ``pit-medarbejder``).
Lemmas are lower-case: matching in lfa-qual is case-insensitive. The table's known errors
are repaired first (`lemma_overrides`); the table itself is prepared once and cached
(`lemma_table`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from lfa_qual.nlp.lemma_overrides import OVERRIDES
from lfa_qual.nlp.lemma_table import load_table

# The ending must be a real word and leave a real first part; shorter pieces match by accident
# ("kulturkrigen" must not be read as "kulturkri" + "gen").
MIN_ENDING = 3
MIN_HEAD = 3
# Inflectional endings of Danish nouns, adjectives and verbs: a word whose inflected forms the
# table maps back to it is a lemma itself ("videns" → viden), even when the table maps the word
# to another lemma ("viden" → vide, "voksen" → voks, "klar" → klare).
ENDINGS = (
    "s",
    "e",
    "n",
    "r",
    "t",
    "en",
    "et",
    "ne",
    "er",
    "es",
    "ene",
    "ens",
    "ets",
    "erne",
    "ere",
)


def fold(word: str) -> str:
    """Lower-case and drop acute accents, so 'én' matches 'en' and 'idé' matches 'ide'."""
    word = word.lower()
    if word.isascii():
        return word
    # Keep æ, ø, å (they are letters of their own in Danish); drop only combining accents.
    decomposed = unicodedata.normalize("NFD", word)
    kept = "".join(ch for ch in decomposed if ch not in "\u0301\u0300")
    return unicodedata.normalize("NFC", kept)


def lookup_table() -> Callable[[str], str | None]:
    """The Danish lemma lookup table with our overrides, from the cache (built on first use)."""
    return load_table().get


def with_overrides(table: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """A pipeline's own lookup table with the known errors repaired, as in `lookup_table`."""

    def get(word: str) -> str | None:
        fixed = OVERRIDES.get(word)
        return fixed if fixed is not None else table(word)

    return get


class Lemmatizer:
    """Word form → lower-case lemma, cached per form (a corpus has few distinct forms)."""

    def __init__(self, table: Callable[[str], str | None] | None = None) -> None:
        self._get = with_overrides(table) if table is not None else lookup_table()
        self._cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        lemma = self._cache.get(word)
        if lemma is None:
            lemma = self._lemma(word)
            if len(self._cache) < 500_000:  # bounded: memory stays flat on huge corpora
                self._cache[word] = lemma
        return lemma

    def known(self, word: str) -> str | None:
        """The table's lemma of `word` or of its lower-case form, else None."""
        found = self._get(word)
        if found is None:
            lower = word.lower()
            if lower != word:
                found = self._get(lower)
        return fold(found) if found is not None else None

    def is_lemma(self, word: str) -> bool:
        """Does the table map an inflected form of `word` back to `word`?"""
        return any(self.known(word + e) == word for e in ENDINGS)

    def _lemma(self, word: str) -> str:
        found = self.known(word)
        if found is not None:
            return found
        lower = fold(word)
        if "-" in lower.strip("-"):
            head, _, last = lower.rpartition("-")
            return f"{head}-{self(last)}" if last else lower
        return self.compound(lower) or lower

    def compound(self, lower: str) -> str | None:
        """Lemma of an unknown compound by its longest known ending, or None."""
        for i in range(MIN_HEAD, len(lower) - MIN_ENDING + 1):
            ending = self._get(lower[i:])
            if ending is not None:
                return lower[:i] + fold(ending)
        return None
