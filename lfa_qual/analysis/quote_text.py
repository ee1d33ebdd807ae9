"""Turning a coded span into quote text for a report.

A coder's selection may start or end inside a word, or cut an editor's insertion `[…, red.]` or an
omission `(…)` in half; the quote is widened to whole words and whole brackets. Transcript markup
that is not speech (page markers, timestamps) is left out, and `--max-words` shortens a long quote
at sentence boundaries, marking each omission with `(…)` as the report style asks.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lfa_qual.transcript import Transcript

ELISION = "(…)"
PAGE_LINE_RE = re.compile(r"^[ \t]*\[side[ \t]+\d{1,5}\][ \t]*$", re.IGNORECASE | re.MULTILINE)
TIMESTAMP_RE = re.compile(r"\[\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\][ \t]*")
PARAGRAPH_RE = re.compile(r"\n[ \t]*\n\s*")
SPACE_RE = re.compile(r"\s+")
# A sentence ends with . ! ? or … (optionally a closing quote mark) followed by white space and
# a capital, a digit or an opening mark. "(…)" never ends a sentence (the ")" blocks the match),
# nor do "8. klasse" or "red.]".
SENTENCE_END_RE = re.compile(r"([.!?…][\"»”]?)\s+(?=[A-ZÆØÅÄÖÉÜ0-9\"«»(\[–])")
PAIRS = {"(": ")", "[": "]"}
WORD_EXTRA = frozenset("_-'’")  # characters inside words besides letters and digits
BRACKET_POINTS = [ord(c) for c in "()[]"]


def cut_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words and whole (…)/[…] groups on the same line, then trim."""
    n = len(text)
    # Inlined character tests: this runs once per coding, 100,000 times in a large export.
    while (
        0 < start < n
        and (text[start - 1].isalnum() or text[start - 1] in WORD_EXTRA)
        and (text[start].isalnum() or text[start] in WORD_EXTRA)
    ):
        start -= 1
    while (
        0 < end < n
        and (text[end - 1].isalnum() or text[end - 1] in WORD_EXTRA)
        and (text[end].isalnum() or text[end] in WORD_EXTRA)
    ):
        end += 1
    start, end = _complete_brackets(text, start, end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


WORD, SPACE, BRACKET, BLANK = 1, 2, 4, 8  # bits of `char_classes`; BLANK: the space " "
_TABLE_SIZE = 0x3000  # Latin, Greek, Cyrillic, punctuation, …: looked up in one table


def _char_class(point: int) -> int:
    ch = chr(point)
    return (
        (WORD if ch.isalnum() or ch in WORD_EXTRA else 0)
        | (SPACE if ch.isspace() else 0)
        | (BRACKET if point in BRACKET_POINTS else 0)
        | (BLANK if point == 32 else 0)
    )


@functools.cache
def _class_table() -> np.ndarray:
    return np.array([_char_class(c) for c in range(_TABLE_SIZE)], dtype=np.uint8)


def char_classes(text: str) -> np.ndarray:
    """Per character of `text`, the bits WORD (a letter, digit or one of WORD_EXTRA), SPACE
    (`str.isspace`) and BRACKET (one of "()[]"). One table lookup for the whole text: sorting
    its code points to classify the distinct ones costs more, 200 transcripts over."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    small = points < _TABLE_SIZE
    classes = _class_table()[np.where(small, points, 0)]
    if not small.all():
        big, inverse = np.unique(points[~small], return_inverse=True)
        classes[~small] = np.array([_char_class(c) for c in big.tolist()], np.uint8)[inverse]
    return classes


def normal_spans(classes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Which spans of a text are already what `" ".join(span.split())` makes of them: no white
    space at either end, none but single spaces " " inside. `classes` is `char_classes(text)`.
    Such a span is its own quote text, without splitting and joining it."""
    if not len(classes):
        return ends <= starts
    space = (classes & SPACE).astype(bool)
    # White space other than " ", or following white space, spoils a span that contains it.
    bad = space & ~(classes & BLANK).astype(bool)
    bad[1:] |= space[1:] & space[:-1]
    spoiled = np.concatenate([[0], np.cumsum(bad, dtype=np.int64)])
    n = len(classes)
    first = np.minimum(starts, n - 1)
    last = np.clip(ends - 1, 0, n - 1)
    inner = spoiled[ends] - spoiled[np.minimum(starts + 1, ends)]
    return (ends <= starts) | (~space[first] & ~space[last] & (inner == 0))


def needs_cut(
    text: str, starts: np.ndarray, ends: np.ndarray, classes: np.ndarray | None = None
) -> np.ndarray:
    """Which spans `cut_to_words` would change: they start or end inside a word, contain a
    bracket or start or end with white space. Vectorised, so that the character-level work
    runs only for those (most codings made by selecting words need none). `classes` is
    `char_classes(text)`, when the caller has it already."""
    if classes is None:
        classes = char_classes(text)
    if not len(classes):
        return np.zeros(len(starts), dtype=bool)
    word = (classes & WORD).astype(bool)
    space = (classes & SPACE).astype(bool)
    brackets = np.concatenate([[0], np.cumsum(classes & BRACKET, dtype=np.int64)])
    n = len(classes)
    inside_start = (starts > 0) & word[np.minimum(starts, n - 1)] & word[np.maximum(starts - 1, 0)]
    inside_end = (ends < n) & word[np.minimum(ends, n - 1)] & word[np.maximum(ends - 1, 0)]
    has_bracket = brackets[ends] - brackets[starts] > 0
    edge_space = space[np.minimum(starts, n - 1)] | space[np.maximum(ends - 1, 0)]
    return inside_start | inside_end | has_bracket | edge_space


def _complete_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    for opening, closing in PAIRS.items():
        segment = text[start:end]
        if opening not in segment and closing not in segment:
            continue  # the common case: nothing to complete
        # An opening left open inside the span: extend to its closing on the same line.
        depth = 0
        for ch in segment:
            if ch == opening:
                depth += 1
            elif ch == closing and depth:
                depth -= 1
        if depth:
            line_end = text.find("\n", end)
            line_end = len(text) if line_end < 0 else line_end
            i = end
            while depth and i < line_end:
                if text[i] == opening:
                    depth += 1
                elif text[i] == closing:
                    depth -= 1
                i += 1
            if not depth:
                end = i
        # A closing with no opening inside the span: extend back to its opening on the line.
        unmatched = 0
        for ch in reversed(text[start:end]):
            if ch == closing:
                unmatched += 1
            elif ch == opening and unmatched:
                unmatched -= 1
        if unmatched:
            line_start = text.rfind("\n", 0, start) + 1
            i = start
            while unmatched and i > line_start:
                i -= 1
                if text[i] == closing:
                    unmatched += 1
                elif text[i] == opening:
                    unmatched -= 1
            if not unmatched:
                start = i
    return start, end


def clean_quote(raw: str) -> str:
    """Paragraphs of the passage with white space normalised; page markers and timestamps out."""
    raw = raw.replace("\f", "\n")
    raw = PAGE_LINE_RE.sub("", raw)
    raw = TIMESTAMP_RE.sub("", raw)
    paragraphs = [SPACE_RE.sub(" ", p).strip() for p in PARAGRAPH_RE.split(raw)]
    return "\n\n".join(p for p in paragraphs if p)


@dataclass(frozen=True)
class Piece:
    """One paragraph of a quote: its speech, and the label and role of the speaker saying it
    (None and "" when unknown, as for a quote given as plain text)."""

    text: str
    label: str | None = None
    role: str = ""


def quote_pieces(transcript: Transcript, start: int, end: int) -> list[Piece]:
    """The speech in [start, end): the parts of the transcript's paragraphs it covers, each with
    its speaker, so speaker labels, timestamps and page markers between them stay out."""
    pieces = []
    for turn in transcript.turns[transcript.turn_at(start).index - 1 :]:
        if turn.start >= end:
            break
        speaker = transcript.speakers[turn.label]
        for p in turn.paragraphs:
            if p.end <= start or p.start >= end:
                continue
            # Inside a paragraph there are no markers, only white space to normalise.
            piece = " ".join(transcript.text[max(p.start, start) : min(p.end, end)].split())
            if piece:
                pieces.append(Piece(piece, turn.label, speaker.role))
    return pieces


def render(pieces: Sequence[Piece]) -> str:
    """The paragraphs separated by a blank line. When more than one speaker talks, each
    speaker's paragraphs are headed by the role ("PIT-medarbejder: …"), the first speaker's
    too, so that no sentence can be read as someone else's words."""
    several = len({p.label for p in pieces if p.label is not None}) > 1
    names = speaker_names(pieces)
    out, previous = [], None
    for piece in pieces:
        text = piece.text
        if several and piece.label is not None and piece.label != previous:
            text = f"{names[piece.label]}: {text}"
        if piece.label is not None:
            previous = piece.label
        out.append(text)
    return "\n\n".join(out)


def speaker_names(pieces: Sequence[Piece]) -> dict[str, str]:
    """The heading of each speaker of a quote: the role, and where two speakers of the quote
    share a role (a group interview), the role numbered in order of speaking
    ("Skolemedarbejder 1", "Skolemedarbejder 2"), or, for a role that ends in a number already
    ("Elev 4"), the role with the turn label ("Elev 4 (E4a)"). Only the heading changes: the
    citation still names the role, as the citation style asks."""
    labels = list(dict.fromkeys(p.label for p in pieces if p.label is not None))
    roles = {p.label: p.role for p in pieces if p.label is not None}
    shared: dict[str, list[str]] = {}
    for label in labels:
        shared.setdefault(roles[label], []).append(label)
    names = {}
    for role, same in shared.items():
        for n, label in enumerate(same, 1):
            if len(same) == 1:
                names[label] = role
            elif role[-1:].isdigit():
                names[label] = f"{role} ({label})"
            else:
                names[label] = f"{role} {n}"
    return names


def quote_paragraphs(transcript: Transcript, start: int, end: int) -> str:
    """The speech in [start, end) as quote text (see `quote_pieces`, `render`)."""
    para = transcript.paragraph_at(start)
    if para is not None and para.start <= start and end <= para.end:  # the common case
        return " ".join(transcript.text[start:end].split())
    pieces = quote_pieces(transcript, start, end)
    return render(pieces) if pieces else clean_quote(transcript.text[start:end])


def piece_words(pieces: Sequence[Piece]) -> int:
    """Words of the speech, without role headings and omission marks."""
    return sum(word_count(p.text) for p in pieces)


def sentences(paragraph: str) -> list[str]:
    parts, last = [], 0
    for m in SENTENCE_END_RE.finditer(paragraph):
        parts.append(paragraph[last : m.end(1)])
        last = m.end()
    parts.append(paragraph[last:])
    return [p for p in parts if p]


def word_count(text: str) -> int:
    """Words, not counting omission marks "(…)"."""
    words = text.split()
    return len(words) - words.count(ELISION)


def elide(text: str | Sequence[Piece], max_words: int | None) -> str:
    """`elide_pieces` of a quote's text (paragraphs separated by a blank line) or its pieces,
    rendered (see `render`)."""
    return render(elide_pieces(text, max_words))


def elide_pieces(text: str | Sequence[Piece], max_words: int | None) -> list[Piece]:
    """Shorten to at most `max_words` words at sentence boundaries, marking omissions with (…).

    The first sentence is always kept (even if it alone is longer), then the following sentences
    while they fit, then the last sentence if it still fits; each run of left-out sentences
    becomes one "(…)". A quote that already fits is returned unchanged.

    Sentences of different speakers never share a paragraph: a sentence kept after a left-out
    run starts a new paragraph when its speaker differs, and the "(…)" goes where the words
    were left out (the end of the one paragraph, the start of the other, or a paragraph of its
    own when whole turns in between were left out).
    """
    pieces = [Piece(p) for p in text.split("\n\n")] if isinstance(text, str) else list(text)
    if max_words is None or piece_words(pieces) <= max_words:
        return pieces
    units = [(no, s) for no, piece in enumerate(pieces) for s in sentences(piece.text)]
    sizes = [word_count(s) for _, s in units]
    keep = [0]
    used = sizes[0]
    for i in range(1, len(units)):
        if used + sizes[i] > max_words:
            break
        keep.append(i)
        used += sizes[i]
    last = len(units) - 1
    if keep[-1] < last and used + sizes[last] <= max_words:
        keep.append(last)

    def speaker(i: int) -> str | None:
        return pieces[units[i][0]].label

    out = [_open(pieces[units[0][0]], units[0][1])]
    for prev, cur in zip(keep, keep[1:], strict=False):
        sentence = units[cur][1]
        same_piece = units[cur][0] == units[prev][0]
        if cur == prev + 1:
            if same_piece:
                out[-1] = _extend(out[-1], " " + sentence)
            else:
                out.append(_open(pieces[units[cur][0]], sentence))
        elif speaker(cur) == speaker(prev):
            sep = " " if _has_elision(out[-1].text, sentence) else f" {ELISION} "
            out[-1] = _extend(out[-1], sep + sentence)
        else:
            left_out = range(prev + 1, cur)
            tail = units[left_out[0]][0] == units[prev][0]  # the rest of prev's paragraph
            head = units[left_out[-1]][0] == units[cur][0]  # the start of cur's paragraph
            if tail:
                out[-1] = _extend(out[-1], f" {ELISION}")
            elif not head:
                out.append(Piece(ELISION))
            if head and not sentence.startswith(ELISION):
                sentence = f"{ELISION} {sentence}"
            out.append(_open(pieces[units[cur][0]], sentence))
    if keep[-1] < last and not out[-1].text.endswith(ELISION):
        out[-1] = _extend(out[-1], f" {ELISION}")
    return out


def _open(piece: Piece, sentence: str) -> Piece:
    return Piece(sentence, piece.label, piece.role)


def _extend(piece: Piece, more: str) -> Piece:
    return Piece(piece.text + more, piece.label, piece.role)


def _has_elision(before: str, after: str) -> bool:
    return before.endswith(ELISION) or after.startswith(ELISION)
