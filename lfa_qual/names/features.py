"""Token features of the person-name model, shared by the training script and the detector.

A feature is a short string; the model is a weight per feature (logistic regression). The same
function runs at training time on UNER tokens and at run time on transcript tokens, so the
two can never drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Tokens after which a word starts a sentence (a transcript's "(griner) Det …", "(…) Hun …").
BOUNDARY = frozenset({".", "!", "?", ":", "…", '"', "«", "»", "–", "-", "(", ")", "]", "<s>"})
_SHAPE_MAP = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzæøåéüöäABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅÉÜÖÄ0123456789",
    "x" * 33 + "X" * 33 + "d" * 10,
)
_SQUEEZE = re.compile(r"(.)\1+")


def shape(token: str) -> str:
    """'Mette' → 'Xx', 'PIT-møder' → 'X-x', '12' → 'd': letter classes, runs squeezed."""
    return _SQUEEZE.sub(r"\1", token.translate(_SHAPE_MAP))[:6]


@dataclass
class Lexicon:
    """Word lists the features consult (see `lfa_qual.names.lexicon` for their sources)."""

    first: frozenset[str] = field(default_factory=frozenset)
    last: frozenset[str] = field(default_factory=frozenset)
    common: frozenset[str] = field(default_factory=frozenset)


def base_form(lower: str, lexicon: Lexicon) -> str:
    """The word without a genitive s when that turns it into a listed name ('mettes' → 'mette')."""
    if lower.endswith("s") and len(lower) > 3:
        stem = lower[:-1]
        if stem in lexicon.first or stem in lexicon.last:
            return stem
    return lower


ENDINGS = ("erne", "ene", "ens", "ets", "en", "et", "ne", "er", "es", "e", "s", "n", "t", "r")


def known_form(low: str, common: frozenset[str]) -> str:
    """How a lower-case word is known as an ordinary Danish word: 'word', 'inflected' (an
    ending off a common word: 'koordinatoren'), 'compound' (ends in a common word of four or
    more letters: 'specialklassen'), or 'no'."""
    if low in common:
        return "word"
    for end in ENDINGS:
        if low.endswith(end) and len(low) - len(end) >= 3 and low[: -len(end)] in common:
            return "inflected"
    if "-" in low:
        return "no"
    for k in range(3, len(low) - 3):
        tail = low[k:]
        if tail in common:
            return "compound"
        for end in ENDINGS:
            if tail.endswith(end) and len(tail) - len(end) >= 4 and tail[: -len(end)] in common:
                return "compound"
    return "no"


def headline_case(tokens: list[str], lexicon: Lexicon) -> list[str]:
    """The tokens with names written in capitals ('JENS', 'FRANCIS FORD COPPOLAS') in title case,
    so that the model reads them as the names it learnt. An all-capital word counts as a name
    when it (or it without a genitive s) is a listed first name and no ordinary word, and so do
    the all-capital words next to one; other capitals stay acronyms (PIT, PPR, SFO)."""
    out = tokens
    for i, tok in enumerate(tokens):
        if len(tok) < 3 or not tok.isupper() or not tok.isalpha():
            continue
        low = tok.lower()
        if low in lexicon.common or base_form(low, lexicon) not in lexicon.first:
            continue
        if out is tokens:
            out = list(tokens)
        lo = i
        while lo > 0 and len(tokens[lo - 1]) >= 3 and tokens[lo - 1].isupper():
            lo -= 1
        hi = i + 1
        while hi < len(tokens) and len(tokens[hi]) >= 3 and tokens[hi].isupper():
            hi += 1
        for k in range(lo, hi):
            out[k] = tokens[k].capitalize()
    return out


def token_features(tokens: list[str], i: int, initial: bool, lexicon: Lexicon) -> list[str]:
    """The features of tokens[i]; `initial` says it starts a sentence."""
    tok = tokens[i]
    low = tok.lower()
    base = base_form(low, lexicon)
    sh = shape(tok)
    cap = tok[:1].isupper()
    parts = low.split("-") if "-" in low else [base]
    in_first = any(base_form(p, lexicon) in lexicon.first for p in parts)
    in_last = any(base_form(p, lexicon) in lexicon.last for p in parts)
    common = low in lexicon.common or base in lexicon.common
    known = "word" if common else (known_form(low, lexicon.common) if cap else "no")
    prev = tokens[i - 1] if i > 0 else "<s>"
    nxt = tokens[i + 1] if i + 1 < len(tokens) else "</s>"
    prev_low, next_low = prev.lower(), nxt.lower()
    feats = [
        "b",
        "w=" + base,
        "s3=" + low[-3:],
        "s4=" + low[-4:],
        f"len={min(len(tok), 9)}|{cap}",
        "sh=" + sh,
        f"sh|i={sh}|{initial}",
        f"fn={in_first}|{cap}",
        f"ln={in_last}|{cap}",
        f"cw={common}|{cap}|{initial}",
        f"fn|cw={in_first}|{common}|{cap}",
        f"kf={known}|{initial}",
        f"kf|fn={known}|{in_first or in_last}",
        "pw=" + prev_low,
        "nw=" + next_low,
        "ps=" + shape(prev),
        "ns=" + shape(nxt),
        f"pfn={prev_low in lexicon.first}|{prev[:1].isupper()}",
        f"nln={base_form(next_low, lexicon) in lexicon.last}|{nxt[:1].isupper()}",
        f"ncap={nxt[:1].isupper()}|{cap}",
        f"pcap={prev[:1].isupper()}|{cap}",
    ]
    if low.endswith("s") and base != low:
        feats.append("gen")
    return feats
