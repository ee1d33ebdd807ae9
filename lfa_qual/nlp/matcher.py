"""Keyword matching for Danish: exact and lemma, compound parts, phrases, and spelling variants.

Matching is decided once per distinct word form and cached (`WordInfo`), so a corpus of a
million words costs a dictionary lookup per token plus the phrase checks; the expensive tests
(compound splitting, rapidfuzz) run once per new form.

How a word can match a single-word keyword, strongest first:
- exact:    the word is the keyword (case and accents ignored);
- lemma:    the word's lemma is the keyword or its lemma ("sparrer" → "sparre");
- compound: a hyphen part or the first or last part of a closed compound is the keyword
            ("PIT-medarbejderne" for PIT, "klassefællesskaberne" for fællesskab);
- fuzzy:    a spelling variant (rapidfuzz ratio), only for long words, never for short ones.
Multi-word keywords match as phrases, token by token, each token by its form or lemma.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from lfa_qual.codebook import Codebook
from lfa_qual.nlp.learned import STOP
from lfa_qual.nlp.lemmatize import ENDINGS, fold
from lfa_qual.nlp.specificity import common_weight, document_frequencies, shared_weight

# Compound parts shorter than this match too much by accident (PIT only matches as a hyphen part).
MIN_COMPOUND_KEYWORD = 4
MIN_REST = 3  # the other part of a compound must be a plausible word
# Danish linking letters between compound parts: "forældre|samarbejde", "skole|s|leder".
LINKS = ("s", "e")
# Prefixes that make a derived verb or noun, not a compound: "for|deler" is not "deler".
PREFIXES = frozenset(
    ["for", "und", "mis", "gen", "sam", "ind", "til", "fra", "over", "ned", "frem", "bag", "mod"]
)
# Endings that make a derived word, not a compound: "larm|ende" is not "larm" + a word.
SUFFIXES = frozenset(
    [
        "ende",
        "ender",
        "endes",
        "else",
        "elser",
        "ing",
        "inger",
        "ingen",
        "hed",
        "heden",
        "heder",
        "lig",
        "lige",
        "ligt",
        "isk",
        "iske",
        "ede",
        "ere",
        "este",
        "erne",
        "ene",
        "ens",
        "ers",
    ]
)
# Fuzzy matching: rapidfuzz ratio ≥ 85 allows one edit from 7 letters on and two from 14; short
# words ("tid", "hold") are never matched fuzzily — their variants are other words.
FUZZY_MIN_LEN = 7
FUZZY_CUTOFF = 85.0
WORD_CACHE_LIMIT = 500_000
# A small number in a keyword also matches it written as a word ("niveau 3", "niveau tre").
NUMBERS = {
    "1": ("en", "et"),
    "2": ("to",),
    "3": ("tre",),
    "4": ("fire",),
    "5": ("fem",),
}


@dataclass(frozen=True)
class Keyword:
    code: str
    text: str  # as written in the codebook
    exclude: bool  # an exclude_keyword: lowers the code's score
    keys: tuple[frozenset[str], ...]  # per token: the forms it matches (folded form, lemma)
    # How specific the keyword is (see `specificity`): 1.0 for a rare word of one code, less
    # for a word several codes list or one that is common in all interview talk.
    weight: float = field(default=1.0, compare=False)

    @property
    def phrase(self) -> bool:
        return len(self.keys) > 1


@dataclass(frozen=True)
class WordInfo:
    """What one word form matches; cached per form."""

    word: str
    space: bool  # white space between words: not a word, skipped
    keys: frozenset[str]  # folded form and lemma, for phrase checks
    lemma: str
    matches: tuple[tuple[Keyword, str], ...]  # (keyword, kind)
    # Phrases whose first token this word can be, by the key their second token must have:
    # common first words ("i", "på", "de") start many phrases, and most fail on the next word.
    phrase_next: dict[str, tuple[Keyword, ...]]
    hit: bool = False  # matches or phrase_next: most words are neither, and are skipped fast


def norm(text: str) -> str:
    """Folded form used for matching; a trailing period is dropped ("4." at a sentence end)."""
    lower = fold(text)
    return lower[:-1] if len(lower) > 1 and lower.endswith(".") else lower


class KeywordMatcher:
    def __init__(
        self,
        codebook: Codebook,
        tokenize: Callable[[str], Iterable[str]],
        lemma: Callable[[str], str],
        codes: set[str] | None = None,
        specificity: bool = True,
    ) -> None:
        """`tokenize` splits a keyword the way the pipeline splits text; `lemma` lemmatises a
        word; `specificity` weights keywords by how specific they are (else all count 1.0)."""
        self.lemma = lemma
        self.keywords: list[Keyword] = []
        for code in codebook.codes:
            if codes is not None and code.id not in codes:
                continue
            for text, exclude in [(k, False) for k in code.keywords] + [
                (k, True) for k in code.exclude_keywords
            ]:
                tokens = [t for t in tokenize(text) if t.strip()]
                if tokens:
                    keys = tuple(self._keys(t) for t in tokens)
                    self.keywords.append(Keyword(code.id, text, exclude, keys))
        self.keywords = self._weighted(self.keywords, specificity)
        self.single: dict[str, list[Keyword]] = {}
        self.phrase_first: dict[str, list[Keyword]] = {}
        for kw in self.keywords:
            target = self.phrase_first if kw.phrase else self.single
            for key in kw.keys[0]:
                target.setdefault(key, []).append(kw)
        self.fuzzy_forms = sorted(k for k in self.single if len(k) >= FUZZY_MIN_LEN)
        self._cache: dict[str, WordInfo] = {}

    def _keys(self, token: str) -> frozenset[str]:
        """The forms a keyword token matches: itself and its lemma. A function word matches
        only itself, and so does a word that is a lemma itself: the table's lemma of "viden"
        is "vide" (to know), of "voksen" "voks", which would match other words."""
        form = norm(token)
        if form in NUMBERS:  # "niveau 4" also as "niveau fire"
            return frozenset({form, *NUMBERS[form]})
        is_lemma = getattr(self.lemma, "is_lemma", None)
        if form in STOP or (is_lemma is not None and is_lemma(form)):
            return frozenset({form})
        return frozenset({form, self.lemma(token)})

    @staticmethod
    def _weighted(keywords: list[Keyword], on: bool) -> list[Keyword]:
        """The keywords with their specificity weights: shared by several codes (by any of a
        single word's forms, or a phrase's words), or common in the example transcripts."""
        if not on:
            return keywords

        def ids(kw: Keyword) -> list[tuple]:
            return [kw.keys] if kw.phrase else [(k,) for k in kw.keys[0]]

        codes_of: dict[tuple, set[str]] = {}
        for kw in keywords:
            if not kw.exclude:
                for key in ids(kw):
                    codes_of.setdefault(key, set()).add(kw.code)
        n_docs, df = document_frequencies()
        out = []
        for kw in keywords:
            if kw.exclude:
                out.append(kw)
                continue
            shared = max(len(codes_of[k]) for k in ids(kw))
            common = 1.0
            if not kw.phrase:  # a phrase is specific as a whole
                common = min(common_weight([k], n_docs, df) for k in kw.keys[0])
            out.append(replace(kw, weight=shared_weight(shared) * common))
        return out

    def info(self, word: str, lemma: str | None = None) -> WordInfo:
        found = self._cache.get(word)
        if found is None:
            found = self._analyse(word, lemma)
            if len(self._cache) < WORD_CACHE_LIMIT:
                self._cache[word] = found
        return found

    def _analyse(self, word: str, lemma: str | None) -> WordInfo:
        lower = norm(word)
        lemma = lemma if lemma is not None else self.lemma(word)
        if lower in STOP:
            # Function words match only as themselves: the lookup table lemmatises the
            # preposition "ved" as "viden" and "med" as "mede".
            lemma = lower
        keys = frozenset({lower, lemma})
        starts = dict.fromkeys(kw for key in keys for kw in self.phrase_first.get(key, ()))
        nexts: dict[str, list[Keyword]] = {}
        for kw in starts:
            for key in kw.keys[1]:
                nexts.setdefault(key, []).append(kw)
        phrase_next = {k: tuple(v) for k, v in nexts.items()}
        if word.isspace():
            return WordInfo(word, True, frozenset(), "", (), {})
        matches = self._single_matches(lower, lemma)
        return WordInfo(word, False, keys, lemma, matches, phrase_next, bool(matches or starts))

    def _single_matches(self, lower: str, lemma: str) -> tuple[tuple[Keyword, str], ...]:
        found: dict[Keyword, str] = {}
        for kw in self.single.get(lower, ()):
            found[kw] = "exact" if norm(kw.text) == lower else "lemma"
        for kw in self.single.get(lemma, ()):
            found.setdefault(kw, "lemma")
        if not found:
            # An inflected form of a keyword the table lemmatises elsewhere: "vejlederne" for
            # vejleder (both → "vejlede"), but not "holde" for hold (a lemma of its own).
            for e in ENDINGS:
                stem = lower[: -len(e)]
                if (
                    lower.endswith(e)
                    and len(stem) >= MIN_COMPOUND_KEYWORD
                    and stem in self.single
                    and self.lemma(stem) == lemma
                ):
                    for kw in self.single[stem]:
                        found.setdefault(kw, "lemma")
        if found:  # a whole-word match says more than any part of the word
            return tuple(found.items())
        for kw in self._compound_parts(lower, lemma):
            found.setdefault(kw, "compound")
        if not found and len(lower) >= FUZZY_MIN_LEN and self.fuzzy_forms:
            for kw in self._fuzzy(lower):
                found.setdefault(kw, "fuzzy")
        return tuple(found.items())

    def _compound_parts(self, lower: str, lemma: str) -> list[Keyword]:
        out: list[Keyword] = []
        if "-" in lower.strip("-"):
            for part in filter(None, lower.split("-")):
                out += self.single.get(part, [])
                out += self.single.get(self.lemma(part), [])
            if out:
                return out
        word = lemma if lemma.isalpha() else lower
        if not word.isalpha():
            return out
        for i in range(MIN_REST, len(word) - MIN_COMPOUND_KEYWORD + 1):
            # last part: "klasse|fællesskab" (the lemma carries the inflection)
            if word[:i] in PREFIXES:
                continue
            out += [
                k for k in self.single.get(word[i:], ()) if len(word) - i >= MIN_COMPOUND_KEYWORD
            ]
        known = getattr(self.lemma, "known", None)
        for i in range(MIN_COMPOUND_KEYWORD, len(lower) - MIN_REST + 1):
            head, rest = lower[:i], lower[i:]
            if rest in SUFFIXES or (known is not None and known(rest) is None):
                continue
            # first part: "forældre|møde", also with a linking letter: "ledelse|s|beslutning"
            out += self.single.get(head, [])
            if head[-1] in LINKS and i - 1 >= MIN_COMPOUND_KEYWORD:
                out += self.single.get(head[:-1], [])
        return out

    def _fuzzy(self, lower: str) -> list[Keyword]:
        hits = process.extract(
            lower, self.fuzzy_forms, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=3
        )
        out: list[Keyword] = []
        for form, _, _ in hits:
            if form[0] == lower[0] and abs(len(form) - len(lower)) <= 2:
                out += self.single[form]
        return out

    def phrases_at(self, infos: list[WordInfo], i: int) -> list[Keyword]:
        """The phrases that match the tokens starting at position i."""
        if i + 1 >= len(infos):
            return []
        nexts = infos[i].phrase_next
        found: list[Keyword] = []
        for key in infos[i + 1].keys:
            for kw in nexts.get(key, ()):
                if kw not in found and self.phrase_at(kw, infos, i):
                    found.append(kw)
        return found

    def phrase_at(self, kw: Keyword, infos: list[WordInfo], i: int) -> bool:
        """Does phrase `kw` match the tokens starting at position i?"""
        keys = kw.keys
        if i + len(keys) > len(infos):
            return False
        for j in range(1, len(keys)):  # noqa: SIM110 (a plain loop is faster; runs a lot)
            if keys[j].isdisjoint(infos[i + j].keys):
                return False
        return True
