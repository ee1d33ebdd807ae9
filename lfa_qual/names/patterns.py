"""Direct identifiers that have a form: phone numbers, CPR numbers, e-mail addresses, street
addresses, postcodes with a town, and names of schools and other institutions."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

_L = "A-Za-zÆØÅæøåÉéÜüÖöÄä"
_UP = "A-ZÆØÅÉÜÖÄ"

EMAIL = re.compile(rf"(?<![\w.])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[{_L}]{{2,}}")
# ddmmyy-xxxx or ddmmyyxxxx; validity of the date is checked below.
CPR = re.compile(r"(?<![\d\-+])(\d{2})(\d{2})(\d{2})[ \-]?(\d{4})(?![\d\-])")
# Danish numbers: 8 digits, written 12345678, 12 34 56 78, 1234 5678, optionally +45 / 0045.
PHONE = re.compile(
    r"(?<![\d\w+])(?:(?:\+|00)45[ \-]?)?(?:\d{2}[ \-]?\d{2}[ \-]?\d{2}[ \-]?\d{2}|\d{4}[ \-]\d{4})"
    r"(?![\d\w])"
)
STREET_ENDINGS = (
    "vej|vejen|gade|gaden|allé|alle|vænget|vænge|stræde|strædet|plads|pladsen|torv|torvet|"
    "boulevard|parken|bakken|toften|stien|vang|vangen|have|haven|høj|højen|park|kvarter|"
    "engen|lund|lunden|holm|dal|dalen|marken|skoven|bro|broen|hegn|hegnet|tofte|agre|ager"
)
# "Birkevej 12", "Lille Strandstræde 4B, 2. th."; the house number makes it an address.
STREET = re.compile(
    rf"(?<![\w])(?:[{_UP}][{_L}]+ )?[{_UP}][{_L}\-]*(?:{STREET_ENDINGS})"
    rf"(?: [{_UP}][{_L}]+)? \d{{1,4}}(?: ?[A-Za-z]\b)?(?:, ?\d{{1,2}}\.? ?(?:th|tv|mf)\.?)?"
)
# "8000 Aarhus C", "2100 København Ø": four digits then a capitalised town (one or two words).
POSTCODE = re.compile(
    rf"(?<![\d\w.,])[1-9]\d{{3}} [{_UP}][{_L}\-]+(?: [{_UP}][{_L}\-]*)?(?: [{_UP}]\b)?(?![\d])"
)
# "Nordbyskolen", "Bakke-skolen", "Søndervang Skole", "Sankt Jørgens Friskole": a capitalised
# name joined to or followed by an institution word. "Skole 2" (a pseudonym) has a digit instead.
INSTITUTION_WORDS = (
    "skole|skolen|skoles|skolens|friskole|friskolen|privatskole|privatskolen|efterskole|"
    "efterskolen|gymnasium|gymnasiet|børnehave|børnehaven|vuggestue|vuggestuen|fritidshjem|"
    "fritidshjemmet|fritidsklub|fritidsklubben|kommune|kommunes|institut|instituttet|"
    "centret|center|hospital|hospitalet|sygehus|sygehuset|seminarium|seminariet"
)


def _capitalised(words: str) -> str:
    return "|".join(w[0].upper() + w[1:] for w in words.split("|"))


INSTITUTION = re.compile(
    # Proper names capitalise the institution word when it stands apart ("Søndervang Skole"),
    # which keeps "Vores skole" out; a pseudonym ("Skole 2") is followed by its number.
    rf"(?<![\w])(?:(?:[{_UP}][{_L}]+[ \-]){{1,2}}(?:{_capitalised(INSTITUTION_WORDS)})\b(?! \d)"
    rf"|[{_UP}][{_L}]{{2,}}-?(?:{INSTITUTION_WORDS})\b)"
)


@dataclass(frozen=True)
class PatternHit:
    start: int
    end: int
    kind: str
    reason: str
    score: float


def valid_cpr_date(dd: str, mm: str, yy: str) -> bool:
    day, month = int(dd), int(mm)
    # Replacement numbers add 60 to the day; keep the check to real calendar dates.
    if day > 60:
        day -= 60
    for century in (1900, 2000):
        try:
            dt.date(century + int(yy), month, day)
            return True
        except ValueError:
            continue
    return False


# Cheap tests that let most paragraphs skip the costlier patterns.
DIGIT = re.compile(r"\d")
AT = re.compile("@")
# Every institution word contains one of these (case-sensitive alternatives: an IGNORECASE
# search over a long text costs several times more).
INSTITUTION_HINT = re.compile(
    "|".join(
        f"[{w[0].upper()}{w[0]}]{w[1:]}"
        for w in [
            "skole",
            "kommune",
            "gymnasi",
            "børnehave",
            "vuggestue",
            "fritids",
            "institut",
            "cent",
            "hospital",
            "sygehus",
            "seminari",
        ]
    )
)


class Hints:
    """Where a text has digits, '@' and institution words: found in one pass over the spans
    to be checked (the whole text when None), so that each of many short spans (paragraphs,
    quotes) asks with a bisection. Only the spans are read: the reader asks for one paragraph
    of a long transcript at a time."""

    def __init__(self, text: str, spans: list[tuple[int, int]] | None = None) -> None:
        self.digit: list[int] = []
        self.at: list[int] = []
        self.institution: list[int] = []
        for s, e in sorted(spans) if spans is not None else [(0, len(text))]:
            self.digit += [m.start() for m in DIGIT.finditer(text, s, e)]
            self.at += [m.start() for m in AT.finditer(text, s, e)]
            self.institution += [m.start() for m in INSTITUTION_HINT.finditer(text, s, e)]
        if spans is not None and len(spans) > 1:  # overlapping spans: keep the lists sorted
            self.digit.sort()
            self.at.sort()
            self.institution.sort()

    @staticmethod
    def within(positions: list[int], start: int, end: int) -> bool:
        i = bisect.bisect_left(positions, start)
        return i < len(positions) and positions[i] < end


def find_patterns(
    text: str, start: int = 0, end: int | None = None, hints: Hints | None = None
) -> Iterator[PatternHit]:
    """Every pattern hit in text[start:end] (offsets into `text`); hits may overlap."""
    end = len(text) if end is None else end
    if hints is None:
        hints = Hints(text, [(start, end)])
    if hints.within(hints.institution, start, end):
        for m in INSTITUTION.finditer(text, start, end):
            yield PatternHit(m.start(), m.end(), "institution", "pattern:institution", 0.8)
    if hints.within(hints.at, start, end):
        for m in EMAIL.finditer(text, start, end):
            yield PatternHit(m.start(), m.end(), "email", "pattern:email", 0.99)
    if not hints.within(hints.digit, start, end):
        return  # every other kind has a number in it
    cpr_spans = []
    for m in CPR.finditer(text, start, end):
        if valid_cpr_date(m.group(1), m.group(2), m.group(3)):
            cpr_spans.append((m.start(), m.end()))
            yield PatternHit(m.start(), m.end(), "cpr", "pattern:cpr", 0.98)
    for m in PHONE.finditer(text, start, end):
        if any(s <= m.start() < e for s, e in cpr_spans):
            continue
        yield PatternHit(m.start(), m.end(), "phone", "pattern:phone", 0.95)
    for m in STREET.finditer(text, start, end):
        yield PatternHit(m.start(), m.end(), "address", "pattern:street", 0.9)
    for m in POSTCODE.finditer(text, start, end):
        yield PatternHit(m.start(), m.end(), "address", "pattern:postcode", 0.85)
