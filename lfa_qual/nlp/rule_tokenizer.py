"""spaCy's Danish tokenizer and sentencizer, run from their rules without importing spaCy.

With the fallback pipeline (blank Danish), spaCy contributes only where words and, in a long
paragraph, sentences start (`tokens`). Those come from rules: prefix, suffix and infix regular
expressions, a URL pattern, about 1,200 special cases and the sentencizer's punctuation. Importing
spaCy to apply them costs about a second, most of a one-file `suggest` on a text not seen
before. So the rules are read once from spaCy (the first time it is loaded anyway), kept in the
user's cache keyed by spaCy's version and this module's source, and applied here by a port of
spaCy's own algorithm (`Tokenizer._tokenize_affixes`, `_split_affixes`, `_attach_tokens`,
`_apply_special_cases` and `Sentencizer.predict` in spaCy 3.x).

A port can drift from its original, so the rules are only kept if this port splits a check
set the same way as spaCy does, token for token: every special case, alone and between
punctuation, tricky Danish text, and the texts spaCy was loaded for. When spaCy splits any of
them differently, the rules are kept as unusable and spaCy tokenises every text, as before.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from lfa_qual.nlp.tokens import Tokens, sentence_positions
from lfa_qual.nlp.units import LONG_PARAGRAPH_TOKENS

FORMAT = 1  # bump when the cached entry's layout changes
KIND = "tokenizer-rules"
_CACHE_SIZE = 20_000  # whitespace-separated chunks whose split is remembered


@dataclass(frozen=True)
class TokenizerRules:
    """What spaCy's tokenizer and sentencizer apply; patterns are `re` sources (no flags)."""

    prefix: str | None
    suffix: str | None
    infix: str | None
    url: str | None
    token_match: str | None
    specials: dict[str, list[str]]  # chunk → the words it is split into
    faster_heuristics: bool
    punct_chars: list[str]  # the sentencizer's sentence-final characters


def _compiled(pattern: str | None, method: str) -> Callable | None:
    return None if pattern is None else getattr(re.compile(pattern), method)


def _is_punct(text: str) -> bool:
    """spaCy's IS_PUNCT lexical attribute."""
    return all(unicodedata.category(c).startswith("P") for c in text)


class RuleTokenizer:
    """Splits a text into (start, word) tokens, white-space tokens included, as spaCy does."""

    def __init__(self, rules: TokenizerRules) -> None:
        self.rules = rules
        self._prefix = _compiled(rules.prefix, "search")
        self._suffix = _compiled(rules.suffix, "search")
        self._infix = _compiled(rules.infix, "finditer")
        self._url = _compiled(rules.url, "match")
        self._token_match = _compiled(rules.token_match, "match")
        self._specials = rules.specials
        self._punct = frozenset(rules.punct_chars)
        self._chunks: dict[str, list[str]] = {}
        # Special cases that affixes split apart are put back together after splitting, as
        # spaCy's PhraseMatcher does: the words of each such case without special cases.
        self._patterns: dict[tuple[str, ...], str] = {}
        for chunk in sorted(rules.specials):
            if not rules.faster_heuristics or self._has_affix(chunk) or " " in chunk:
                words = tuple(w for _, w in self._split(chunk, special=False))
                self._patterns.setdefault(words, chunk)
        self._first = frozenset(p[0] for p in self._patterns)
        self._lengths = sorted({len(p) for p in self._patterns})

    def _has_affix(self, chunk: str) -> bool:
        return bool(self._find_prefix(chunk) or self._find_suffix(chunk) or self._find_infix(chunk))

    def _find_prefix(self, text: str) -> int:
        m = self._prefix(text) if self._prefix else None
        return m.end() - m.start() if m else 0

    def _find_suffix(self, text: str) -> int:
        m = self._suffix(text) if self._suffix else None
        return m.end() - m.start() if m else 0

    def _find_infix(self, text: str) -> list[re.Match]:
        return list(self._infix(text)) if self._infix else []

    def split(self, text: str) -> list[tuple[int, str]]:
        """All tokens of the text with where they start, as `nlp.tokenizer(text)` gives them."""
        tokens = self._split(text, special=True)
        if self._patterns and tokens:
            tokens = self._apply_special_cases(text, tokens)
        return tokens

    def _split(self, text: str, *, special: bool) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        for start, end in _chunks(text):
            pos = start
            for word in self._chunk(text[start:end], special):
                out.append((pos, word))
                pos += len(word)
        return out

    def _chunk(self, chunk: str, special: bool) -> list[str]:
        if special:
            if chunk in self._specials:
                return self._specials[chunk]
            known = self._chunks.get(chunk)
            if known is not None:
                return known
        prefixes: list[str] = []
        suffixes: list[str] = []
        rest = self._split_affixes(chunk, prefixes, suffixes, special)
        words = [*prefixes, *self._attach(rest, special), *reversed(suffixes)]
        if special and len(self._chunks) < _CACHE_SIZE:
            self._chunks[chunk] = words
        return words

    def _split_affixes(
        self, text: str, prefixes: list[str], suffixes: list[str], special: bool
    ) -> str:
        specials = self._specials if special else {}
        last_size = 0
        while text and len(text) != last_size:
            if self._token_match and self._token_match(text):
                break
            if text in specials:
                break
            last_size = len(text)
            pre_len = self._find_prefix(text)
            if pre_len:
                prefix, minus_pre = text[:pre_len], text[pre_len:]
                if minus_pre and minus_pre in specials:
                    prefixes.append(prefix)
                    return minus_pre
            suf_len = self._find_suffix(text[pre_len:])
            if suf_len:
                suffix, minus_suf = text[-suf_len:], text[:-suf_len]
                if minus_suf and minus_suf in specials:
                    suffixes.append(suffix)
                    return minus_suf
            if pre_len and suf_len and pre_len + suf_len <= len(text):
                text = text[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                text = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                text = minus_suf
                suffixes.append(suffix)
        return text

    def _attach(self, text: str, special: bool) -> list[str]:
        if not text:
            return []
        if special and text in self._specials:
            return self._specials[text]
        if (self._token_match and self._token_match(text)) or (self._url and self._url(text)):
            return [text]
        matches = self._find_infix(text)
        if not matches:
            return [text]
        words, start = [], 0
        for m in matches:
            a, b = m.start(), m.end()
            if a == 0:
                continue
            if a != start:
                words.append(text[start:a])
            if a != b:
                words.append(text[a:b])
            start = b
        if text[start:]:
            words.append(text[start:])
        return words

    def _apply_special_cases(
        self, text: str, tokens: list[tuple[int, str]]
    ) -> list[tuple[int, str]]:
        words = [w for _, w in tokens]
        found = [
            (i, i + n)
            for i, w in enumerate(words)
            if w in self._first
            for n in self._lengths
            if i + n <= len(words) and tuple(words[i : i + n]) in self._patterns
        ]
        if not found:
            return tokens
        # spaCy's _filter_special_spans: longest first, then leftmost; a span is kept when
        # neither its first nor its last token was covered by a span looked at before.
        found.sort(key=lambda s: (s[1] - s[0], -s[0]))
        seen: set[int] = set()
        kept: dict[int, int] = {}
        for start, end in reversed(found):
            if start not in seen and end - 1 not in seen:
                kept[start] = end
            seen.update(range(start, end))
        out: list[tuple[int, str]] = []
        i = 0
        while i < len(tokens):
            end = kept.get(i)
            if end is None:
                out.append(tokens[i])
                i += 1
                continue
            first = tokens[i][0]
            span = text[first : tokens[end - 1][0] + len(tokens[end - 1][1])]
            if span in self._specials:
                pos = first
                for word in self._specials[span]:
                    out.append((pos, word))
                    pos += len(word)
            else:
                out.extend(tokens[i:end])
            i = end
        return out

    def sentence_starts(self, tokens: list[tuple[int, str]]) -> list[int]:
        """Indexes of the tokens that start a sentence, as spaCy's Sentencizer marks them."""
        if not tokens:
            return []
        starts = {0}
        start, seen_period = 0, False
        for i, (_, word) in enumerate(tokens):
            in_punct = word in self._punct
            if seen_period and not in_punct and not _is_punct(word):
                starts.add(start)
                start, seen_period = i, False
            elif in_punct:
                seen_period = True
        starts.add(start)
        return sorted(starts)

    def tokens(self, text: str) -> Tokens:
        """The words of a text, as `tokens.tokens_of_doc` reads them from spaCy's Doc."""
        tokens = self.split(text)
        offsets, lengths = [], []
        for start, word in tokens:
            if not word.isspace():
                offsets.append(start)
                lengths.append(len(word))
        sentences = None
        if len(offsets) > LONG_PARAGRAPH_TOKENS:
            starts = (tokens[i][0] for i in self.sentence_starts(tokens))
            sentences = sentence_positions(offsets, starts)
        return Tokens(offsets, lengths, sentences)


def _chunks(text: str) -> Iterable[tuple[int, int]]:
    """The stretches spaCy tokenises one by one: runs of non-space and of space characters,
    a single ' ' after a word belonging to that word (its trailing space)."""
    if not text:
        return
    start, in_ws = 0, text[0].isspace()
    for i, ch in enumerate(text):
        if ch.isspace() != in_ws:
            if start < i:
                yield start, i
            start = i + 1 if ch == " " else i
            in_ws = not in_ws
    if start < len(text):
        yield start, len(text)


# --- reading the rules from spaCy, checking the port against it, and keeping them ---------


def rules_of(nlp) -> TokenizerRules | None:
    """The rules of a loaded pipeline's tokenizer, or None when one is not a plain pattern."""
    tok = nlp.tokenizer
    patterns = []
    for attr, method in (
        ("prefix_search", "search"),
        ("suffix_search", "search"),
        ("infix_finditer", "finditer"),
        ("url_match", "match"),
        ("token_match", "match"),
    ):
        fn = getattr(tok, attr, None)
        if fn is None:
            patterns.append(None)
            continue
        owner = getattr(fn, "__self__", None)
        if not isinstance(owner, re.Pattern) or fn.__name__ != method:
            return None  # a custom function: nothing this port can apply
        if not isinstance(owner.pattern, str) or owner.flags != re.UNICODE:
            return None
        patterns.append(owner.pattern)
    from spacy.symbols import ORTH

    specials = {}
    for chunk, parts in tok.rules.items():
        words = [p.get(ORTH, p.get("ORTH")) for p in parts]
        if any(not isinstance(w, str) for w in words) or "".join(words) != chunk:
            return None
        specials[chunk] = words
    punct = sorted(nlp.get_pipe("sentencizer").punct_chars) if nlp.has_pipe("sentencizer") else []
    return TokenizerRules(*patterns, specials, bool(tok.faster_heuristics), punct)


# Text the port must split exactly as spaCy does before its rules are used (with every special
# case, alone and between punctuation). Synthetic; covers numbers, dates, times, abbreviations,
# hyphens, quotes, URLs, e-mail addresses, emoticons, ellipses and white space.
CHECK_TEXTS = (
    "Skolelederen sagde: »Det er f.eks. PIT-møderne, bl.a. om 37-timers-sagerne.«",
    "Kl. 14.30 d. 3. maj 2024 – ca. 1.250,50 kr. (inkl. moms) … eller 12/3-24?!",
    "Se https://www.example.dk/side?x=1&y=2, skriv til kontakt@example.dk eller ring 12 34 56 78.",
    "“Hvad så?” – ‘nej’… 'men' \"ja\" (altså) [OK] {x} <b> :-) :( ;-) 😀 ...",
    "Elev 1's mor, Forælder 2’s svar; A/S, m.m., osv., mv. og 2.-4. klasse, 1990'erne, 10%-",
    "SL:  to  mellemrum\n\nny linje\tfane\xa0hårdt mellemrum — tankestreg-ord -ord ord-",
    "U.S.A. i. I. Hr. hr. nr. 3 Nr.3 3.a 3.A 4:30 5-6 års 7.-9. kl. 1.000.000 +45 -3,5 °C.",
    "Det var..... helt vildt!!! Ja?? (jf. § 12, stk. 2) co2 CO₂ 2x2 3x IT-vejleder(e) ord/ord",
)


def _check_set(rules: TokenizerRules, texts: Iterable[str]) -> list[str]:
    out = list(CHECK_TEXTS)
    chunks = sorted(rules.specials)
    out += [" ".join(chunks[i : i + 50]) for i in range(0, len(chunks), 50)]
    out += ["(" + " ) ,".join(chunks[i : i + 50]) + "." for i in range(0, len(chunks), 50)]
    out += ['"' + '." '.join(chunks[i : i + 50]) + ':"' for i in range(0, len(chunks), 50)]
    out += ["".join(chunks[i : i + 5]) for i in range(0, len(chunks), 5)]
    out += list(texts)
    return out


def agrees(nlp, port: RuleTokenizer, texts: Iterable[str]) -> bool:
    """Whether the port splits every check text (and `texts`) exactly as `nlp` does, with the
    same sentence starts."""
    sentencizer = nlp.get_pipe("sentencizer") if nlp.has_pipe("sentencizer") else None
    for text in _check_set(port.rules, texts):
        doc = nlp.tokenizer(text)
        mine = port.split(text)
        if [(t.idx, t.text) for t in doc] != mine:
            return False
        if sentencizer is not None:
            starts = [t.i for t in sentencizer(doc) if t.is_sent_start]
            if starts != port.sentence_starts(mine):
                return False
    return True


def _cache_key() -> str:
    from lfa_qual import usercache
    from lfa_qual.nlp import pipeline

    return usercache.make_key(
        str(FORMAT),
        usercache.package_version("spacy"),
        pipeline.FALLBACK,
        modules=(__file__, pipeline.__file__),
    )


def cached() -> RuleTokenizer | None:
    """The port, when rules checked against this spaCy are in the user's cache."""
    from lfa_qual import usercache

    return _port(_cache_key(), str(usercache.cache_root()))


@cache
def _port(key: str, root: str) -> RuleTokenizer | None:  # root: a new cache folder, a new look
    from lfa_qual import usercache

    entry = usercache.read_entry(KIND, key)
    if not isinstance(entry, dict) or not entry.get("agrees"):
        return None
    try:
        return RuleTokenizer(TokenizerRules(**entry["rules"]))
    except (TypeError, KeyError, ValueError, AttributeError, re.error):
        return None  # not an entry this version wrote: tokenise with spaCy


_prepared: set[str] = set()  # keys checked in this process (the entry may not be writable)
_CHECK_CHARS = 200_000  # of the texts at hand, checked too: a second or so of tokenising


def prepare(nlp, texts: Iterable[str] = ()) -> None:
    """Read the fallback pipeline's rules, check the port against it and keep the verdict
    (once per spaCy version: a later call finds the entry)."""
    from lfa_qual import usercache

    key = _cache_key()
    if key in _prepared:
        return
    _prepared.add(key)
    if usercache.read_entry(KIND, key) is not None:
        return
    rules = rules_of(nlp)
    sample, size = [], 0
    for text in texts:
        if size > _CHECK_CHARS:
            break
        sample.append(text)
        size += len(text)
    ok = rules is not None and agrees(nlp, RuleTokenizer(rules), sample)
    value = {"agrees": ok, "rules": rules.__dict__ if rules is not None else None}
    usercache.write_entry(KIND, key, value)
    _port.cache_clear()


def describe() -> str:
    """One line for `doctor`: whether new texts are tokenised without importing spaCy."""
    from lfa_qual import usercache

    entry = usercache.read_entry(KIND, _cache_key())
    if cached() is not None:
        return "tokenizer: spaCy's rules, checked against this spaCy, run without importing it"
    if isinstance(entry, dict) and entry.get("agrees") is False:
        return "tokenizer: spaCy (its rules cannot be run without it: they split differently)"
    return f"tokenizer: spaCy (its rules could not be kept in {usercache.cache_root()})"
