"""Find suspected direct identifiers in a text: person names (the token model with the name
lists), and the pattern kinds (phone, CPR, e-mail, address, institution).

Evidence is combined per span; a span the researcher has marked "not a name", a pseudonym
(Skole 2, Elev 4, Forælder 1), a speaker's role or a codebook word is never reported. A name
key entry found in the text is a certain leak (kind "key", score 1).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lfa_qual.names.features import (
    BOUNDARY,
    base_form,
    headline_case,
    known_form,
    token_features,
)
from lfa_qual.names.key import key_pattern
from lfa_qual.names.lexicon import NameModel, load_model
from lfa_qual.names.patterns import Hints, find_patterns

TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
# Words of the project's pseudonyms and of the interview setting: never a name on their own.
PSEUDONYM_WORDS = frozenset(
    [
        "skole",
        "elev",
        "elever",
        "forælder",
        "forældre",
        "interviewer",
        "skoleleder",
        "lærer",
        "pædagog",
        "pit-medarbejder",
        "skolemedarbejder",
        "red",
    ]
)
PSEUDONYM = re.compile(r"\b(?:Skole|Elev|Forælder|Lærer|Pædagog|Klasse)[ \-]\d{1,2}\b")
# Initials before or inside a name: "H. C. Andersen", "Henrik S. Nissen".
INITIALS_BEFORE = re.compile(r"(?:(?<![\w.])[A-ZÆØÅ]\.[ ]?){1,3}$")
INITIALS_GAP = re.compile(r"^ (?:[A-ZÆØÅ]\. ?){1,3}$")
# An acronym (PIT, PPR, AKT, ADHD, SFO) is an organisation or a term, not a person.
ACRONYM = re.compile(r"^[A-ZÆØÅ]{2,6}(?:-|$)")


@dataclass(frozen=True)
class Suspect:
    start: int
    end: int
    text: str
    kind: str  # person, phone, cpr, email, address, institution, key
    reason: str
    score: float


@dataclass
class NameContext:
    """What is known not to be (or certainly to be) a name in one project."""

    allowed: set[str] = field(default_factory=set)  # lower-case words and phrases
    key: dict[str, str] = field(default_factory=dict)  # real name as written → pseudonym
    _key_re: re.Pattern | None = field(default=None, init=False, repr=False)

    def key_pattern(self) -> re.Pattern | None:
        if self._key_re is None and self.key:
            self._key_re = key_pattern(list(self.key), load_model().lexicon.common)
        return self._key_re

    def is_allowed(self, text: str) -> bool:
        low = " ".join(text.lower().split())
        return low in self.allowed or (low.endswith("s") and low[:-1] in self.allowed)


def vocabulary(words: Iterable[str]) -> set[str]:
    """Lower-case words of free texts (roles, codebook labels and keywords)."""
    out: set[str] = set()
    for text in words:
        for w in TOKEN.findall(text or ""):
            if w[:1].isalpha():
                out.add(w.lower())
    return out


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def _person_spans(
    text: str, start: int, end: int, model: NameModel, context: NameContext
) -> list[Suspect]:
    lex, weights = model.lexicon, model.weights
    common, allowed = lex.common, context.allowed
    matches = list(TOKEN.finditer(text, start, end))
    tokens = headline_case([m.group() for m in matches], lex)
    flagged: list[tuple[int, float, str]] = []
    for i, tok in enumerate(tokens):
        first = tok[0]
        if not first.isalpha() or len(tok) < 2:
            continue
        cap = first.isupper()
        if not cap and tok in common:
            continue  # the common case, decided by one set look-up
        if cap and ACRONYM.match(tok):
            continue
        low = tok.lower()
        parts = low.split("-")
        # A lower-case word is a candidate only when it is a listed name and no common word.
        if not cap and not any(
            p not in common and base_form(p, lex) in model.nordic for p in parts
        ):
            continue
        if low in allowed or base_form(low, lex) in allowed:
            continue
        if "-" in low and parts[0] in allowed:
            continue
        initial = i == 0 or tokens[i - 1] in BOUNDARY
        listed = any(base_form(p, lex) in lex.first or base_form(p, lex) in lex.last for p in parts)
        # A capital that only starts a sentence says nothing: an ordinary word there
        # ("Forælderen", "Bordopstilling") is not a candidate unless it is also a listed name.
        if initial and not listed and known_form(low, lex.common) != "no":
            continue
        feats = token_features(tokens, i, initial, lex)
        p = _sigmoid(sum(weights.get(f, 0.0) for f in feats))
        if p >= model.threshold:
            flagged.append((i, p, "model+name-list" if listed else "model"))
    out: list[Suspect] = []
    for i, p, reason in flagged:
        m = matches[i]
        prev = out[-1] if out else None
        # Adjacent flagged tokens ("Mette Hansen") are one full name.
        gap = text[prev.end : m.start()] if prev else ""
        if prev and (gap in (" ", "\n") or INITIALS_GAP.match(gap)):
            out[-1] = Suspect(
                prev.start,
                m.end(),
                text[prev.start : m.end()],
                "person",
                prev.reason,
                max(prev.score, p),
            )
            continue
        lo = m.start()
        before = INITIALS_BEFORE.search(text, max(start, lo - 9), lo)
        if before:
            lo = before.start()
        out.append(Suspect(lo, m.end(), text[lo : m.end()], "person", reason, p))
    return out


def find_suspects(
    text: str,
    context: NameContext | None = None,
    spans: Iterable[tuple[int, int]] | None = None,
    model: NameModel | None = None,
) -> list[Suspect]:
    """Suspected identifiers in `text` (within `spans`, e.g. a transcript's paragraphs; the whole
    text when None), sorted by position; overlapping evidence is merged into one suspect.
    `model` is the shipped one unless given (the training script tries thresholds with it)."""
    context = context or NameContext()
    model = model or load_model()
    common = model.lexicon.common
    spans = [(0, len(text))] if spans is None else list(spans)
    found: list[Suspect] = []
    key_re = context.key_pattern()
    protected: list[tuple[int, int]] = []
    hints = Hints(text, spans)
    for s, e in spans:
        protected += [(m.start(), m.end()) for m in PSEUDONYM.finditer(text, s, e)]
        if key_re is not None:
            for m in key_re.finditer(text, s, e):
                found.append(Suspect(m.start(), m.end(), m.group(), "key", "name key", 1.0))
        for hit in find_patterns(text, s, e, hints):
            hit_text = text[hit.start : hit.end]
            if hit.kind == "institution":
                # "Folkeskolen", "Specialskolen" are words, not names.
                head = hit_text.replace("-", " ").split()[0].lower()
                if hit_text.lower() in common or head in context.allowed:
                    continue
            found.append(Suspect(hit.start, hit.end, hit_text, hit.kind, hit.reason, hit.score))
        found += _person_spans(text, s, e, model, context)
    return _merge(
        text,
        [
            x
            for x in found
            if x.kind == "key" or not (context.is_allowed(x.text) or _inside(x, protected))
        ],
    )


def _inside(s: Suspect, protected: list[tuple[int, int]]) -> bool:
    return any(a <= s.start and s.end <= b for a, b in protected)


PRIORITY = {"key": 0, "cpr": 1, "email": 2, "phone": 3, "address": 4, "institution": 5}


def _merge(text: str, found: list[Suspect]) -> list[Suspect]:
    """One suspect per overlapping group: the widest span, the most certain kind's label."""
    found.sort(key=lambda x: (x.start, -x.end))
    out: list[Suspect] = []
    for s in found:
        if out and s.start < out[-1].end:
            a = out[-1]
            best = min((a, s), key=lambda x: (PRIORITY.get(x.kind, 9), -x.score))
            lo, hi = a.start, max(a.end, s.end)
            reasons = a.reason if s.reason in a.reason else f"{a.reason}+{s.reason}"
            out[-1] = Suspect(lo, hi, text[lo:hi], best.kind, reasons, max(a.score, s.score))
            continue
        out.append(s)
    return out
