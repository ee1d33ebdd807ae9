"""Transcripts: the records, and the parser of the turn format shared by every file type.

The format is documented in docs/transcript-format.md. `.docx` and subtitle readers turn their
input into the same body text and parse it here, so there is one set of rules for turns, pages
and paragraphs.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lfa_qual.errors import TranscriptError
from lfa_qual.text import sha256
from lfa_qual.yamlutil import YamlProblem, load_yaml

DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
LABEL_RE = re.compile(
    r"([^\s:\[\]]{1,40}):(?=\s|$)[ \t]*(?:\[(\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?)\][ \t]*)?"
)
PAGE_RE = re.compile(r"^[ \t]*\[side[ \t]+(\d{1,5})\][ \t]*$", re.IGNORECASE)
# A safe interview id: it names files and is typed on command lines, so it starts with a letter,
# digit or '_' (not '.', which makes '.' and '..', nor '-', which reads as an option), has no
# '..', and is at most 100 characters.
ID_RE = re.compile(r"^(?!.*\.\.)\w[\w.\-]{0,99}$")
# A header value is one line: a line break in `school` or `role` would reach the Markdown export
# as a heading, a quote or a citation of its own.
NOT_ONE_LINE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# A word that looks like a speaker label (capitals and digits) but is not declared is an error;
# an ordinary word followed by a colon ("Altså: …") is just text.
LABEL_LIKE_RE = re.compile(r"^[A-ZÆØÅ][A-ZÆØÅ0-9_\-]{0,11}$")
# A near-miss of a label: one short token at the start of a line (after any indentation),
# then a colon or semicolon, with or without a space before it ("Sl:", " SL:", "SL :", "SL;").
# See `label_problem` for when such a line is an error and when it is prose.
NEAR_LABEL_RE = re.compile(r"^([ \t]*)([^\s:;\[\]]{1,12})([ \t]*)([:;])(?=\s|$)")
SPEAKER_KEYS = {"role", "interviewer", "grade"}
FRONT_MATTER_KEYS = {"interview", "school", "date", "kind", "speakers"}

DANISH_MONTHS = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]


@dataclass(frozen=True)
class Speaker:
    label: str
    role: str
    interviewer: bool = False
    grade: str | None = None


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    page: int | None


@dataclass(frozen=True)
class Turn:
    index: int  # 1-based, the locator when a transcript has no pages
    label: str
    start: int
    end: int
    page: int | None
    timestamp: str | None
    paragraphs: tuple[Paragraph, ...]


@dataclass
class Transcript:
    interview: str
    school: str
    date: str  # YYYY-MM or YYYY-MM-DD
    kind: str
    speakers: dict[str, Speaker]
    text: str
    turns: list[Turn]
    source: str = ""
    warnings: list[str] = field(default_factory=list)
    _turn_starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._turn_starts = [t.start for t in self.turns]

    @property
    def sha256(self) -> str:
        return sha256(self.text)

    @property
    def has_pages(self) -> bool:
        return any(t.page is not None for t in self.turns)

    @property
    def pages(self) -> int:
        pages = [p.page for t in self.turns for p in t.paragraphs if p.page is not None]
        return max(pages, default=0)

    @property
    def words(self) -> int:
        return sum(
            len(self.text[p.start : p.end].split()) for t in self.turns for p in t.paragraphs
        )

    def turn_at(self, offset: int) -> Turn:
        """The turn containing `offset`; between two turns (a label, a page marker), the next one."""
        i = bisect.bisect_right(self._turn_starts, offset) - 1
        if i < 0 or (offset >= self.turns[i].end and i + 1 < len(self.turns)):
            i += 1
        return self.turns[i]

    def paragraph_at(self, offset: int) -> Paragraph | None:
        """The paragraph of `turn_at(offset)` containing `offset`; in the gap before one of
        its paragraphs (a blank line, a page marker, the label), that next paragraph, as
        `turn_at` gives the next turn; past the turn's last paragraph, that one. None only for a
        turn without text."""
        paragraphs = self.turn_at(offset).paragraphs
        for p in paragraphs:
            if offset < p.end:
                return p
        return paragraphs[-1] if paragraphs else None

    def locator_at(self, offset: int) -> int:
        """The page at `offset`, or the turn number when the transcript has no page markers."""
        if not self.has_pages:
            return self.turn_at(offset).index
        para = self.paragraph_at(offset)
        page = para.page if para else self.turn_at(offset).page
        return page or 1

    def speaker_at(self, offset: int) -> Speaker:
        return self.speakers[self.turn_at(offset).label]

    @property
    def month_year(self) -> str:
        year, month = self.date[:4], int(self.date[5:7])
        return f"{DANISH_MONTHS[month - 1]} {year}"


@dataclass(frozen=True)
class Header:
    interview: str
    school: str
    date: str
    kind: str
    speakers: dict[str, Speaker]


LineNamer = Callable[[int], int]


def split_front_matter(text: str, source: str) -> tuple[str, str, int]:
    """Return (front matter, body, line number of the body's first line)."""
    if not text.startswith("---\n") and text.strip() != "---":
        raise TranscriptError(
            "no front matter: the file must start with a line '---', the YAML header, and '---'",
            path=source,
            line=1,
        )
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise TranscriptError("front matter is not closed by a line '---'", path=source, line=1)
    fm = text[4 : end + 1]
    body_start = min(end + 5, len(text))
    first_body_line = text.count("\n", 0, body_start) + 1
    return fm, text[body_start:], first_body_line


def body_offset(text: str) -> int:
    """Where the turns begin in a transcript's canonical text (after its front matter)."""
    if not text.startswith("---\n"):
        return 0
    end = text.find("\n---\n", 3)
    return end + 5 if end != -1 else 0


def parse_header(fm: str, source: str, default_id: str, first_line: int = 2) -> Header:
    try:
        doc = load_yaml(fm, first_line=first_line, text_scalars=True)
    except YamlProblem as exc:
        raise TranscriptError(f"front matter: {exc.message}", path=source, line=exc.line) from None
    data = doc.data
    if not isinstance(data, dict):
        raise TranscriptError(
            "front matter must be a mapping of keys (interview, school, date, kind, speakers)",
            path=source,
            line=first_line,
        )

    def fail(message: str, *key: object) -> TranscriptError:
        return TranscriptError(
            message, path=source, line=doc.line(*key), field=".".join(map(str, key))
        )

    for key in data:
        if key not in FRONT_MATTER_KEYS:
            raise fail(f"unknown key {key!r}; expected one of {sorted(FRONT_MATTER_KEYS)}", key)
    for key in ("interview", "school", "date", "kind"):
        check_one_line(data.get(key), fail, key)
    interview = str(data.get("interview") or default_id).strip()
    if not ID_RE.match(interview):
        raise fail(
            f"interview id {interview!r} may use letters, digits, '.', '-' and '_' only, must "
            "start with a letter, digit or '_', and may not contain '..'",
            "interview",
        )
    school = data.get("school")
    if not isinstance(school, str | int) or not str(school).strip():
        raise fail("missing 'school' (e.g. 'school: Skole 1')", "school")
    if data.get("date") in (None, ""):
        raise fail("missing 'date' (e.g. 'date: 2021-04' or 'date: 2021-04-13')", "date")
    try:
        date = parse_date(data["date"])
    except ValueError as exc:
        raise fail(f"bad date {data['date']!r}: {exc}", "date") from None
    kind = data.get("kind") or ""
    if not isinstance(kind, str):
        raise fail("'kind' must be text, e.g. 'gruppeinterview'", "kind")
    speakers = _parse_speakers(data.get("speakers"), fail)
    return Header(interview, str(school).strip(), date, kind.strip(), speakers)


def check_one_line(value: object, fail: Callable[..., TranscriptError], *key: object) -> None:
    """Refuse a header value with a line break or another control character."""
    if isinstance(value, str) and NOT_ONE_LINE_RE.search(value):
        raise fail(
            f"'{key[-1]}' must be one line of text, without line breaks or control characters "
            f"(got {value!r})",
            *key,
        )


def parse_bool(value: object) -> bool | None:
    """A YAML 1.1 boolean written as text (headers read every plain value as text)."""
    if isinstance(value, bool) or value is None:
        return value
    folded = str(value).strip().casefold()
    if folded in ("true", "yes", "on", "y"):
        return True
    if folded in ("false", "no", "off", "n", ""):
        return False
    return None


def parse_date(value: object) -> str:
    """An interview date as `YYYY-MM` or `YYYY-MM-DD` (zero-padded); ValueError says what is wrong.

    The YAML loader keeps dates as text, so an impossible day is reported here, with its field.
    """
    m = DATE_RE.match(value.strip()) if isinstance(value, str) else None
    if not m:
        raise ValueError("write YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), int(m[2]), m[3]
    if not 1 <= month <= 12:
        raise ValueError("write YYYY-MM or YYYY-MM-DD")
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        dt.date(year, month, int(day))
    except ValueError:
        raise ValueError(
            f"{DANISH_MONTHS[month - 1]} {year} has no day {int(day)} (write YYYY-MM or YYYY-MM-DD)"
        ) from None
    return f"{year:04d}-{month:02d}-{int(day):02d}"


def _parse_speakers(raw: object, fail: Callable[..., TranscriptError]) -> dict[str, Speaker]:
    if not isinstance(raw, dict) or not raw:
        raise fail(
            "'speakers' must map each turn label to its role, e.g. 'SL: {role: Skoleleder}'",
            "speakers",
        )
    speakers: dict[str, Speaker] = {}
    for label, spec in raw.items():
        label = str(label)
        if not re.fullmatch(r"[^\s:\[\]]{1,40}", label):
            raise fail(
                f"speaker label {label!r} may not contain spaces, ':' or brackets",
                "speakers",
                label,
            )
        if isinstance(spec, str):
            spec = {"role": spec}
        if not isinstance(spec, dict):
            raise fail(
                f"speaker {label!r} needs a mapping like {{role: Skoleleder}}", "speakers", label
            )
        unknown = set(spec) - SPEAKER_KEYS
        if unknown:
            raise fail(f"speaker {label!r}: unknown key(s) {sorted(unknown)}", "speakers", label)
        role = spec.get("role")
        if not isinstance(role, str) or not role.strip():
            raise fail(f"speaker {label!r} has no role", "speakers", label)
        grade = spec.get("grade")
        for key in ("role", "grade"):
            check_one_line(spec.get(key), fail, "speakers", label, key)
        interviewer = parse_bool(spec.get("interviewer", False))
        if interviewer is None:
            raise fail(
                f"speaker {label!r}: 'interviewer' must be true or false",
                "speakers",
                label,
                "interviewer",
            )
        speakers[label] = Speaker(
            label=label,
            role=role.strip(),
            interviewer=interviewer,
            grade=str(grade).strip() if grade not in (None, "") else None,
        )
    return speakers


def parse_body(
    body: str,
    speakers: dict[str, Speaker],
    source: str,
    *,
    base: int = 0,
    first_line: int = 1,
    line_name: LineNamer | None = None,
) -> list[Turn]:
    """Split the body into turns and paragraphs. Offsets are `base` + offsets into `body`."""
    name = line_name or (lambda n: n)
    turns: list[Turn] = []
    page: int | None = None
    cur: dict | None = None
    para: list[int] | None = None  # [start, end]
    problems: list[TranscriptError] = []

    def close_para() -> None:
        nonlocal para
        if cur is not None and para is not None:
            cur["paras"].append(Paragraph(para[0], para[1], page))
        para = None

    def close_turn() -> None:
        close_para()
        if cur is not None:
            paras = tuple(cur["paras"])
            start = paras[0].start if paras else cur["start"]
            end = paras[-1].end if paras else cur["start"]
            turns.append(
                Turn(len(turns) + 1, cur["label"], start, end, cur["page"], cur["ts"], paras)
            )

    pos = 0
    for lineno, line in enumerate(body.split("\n"), start=first_line):
        start = base + pos
        pos += len(line) + 1
        content_at = 0
        if "\f" in line:
            page = (page or 1) + line.count("\f")
            close_para()
            content_at = line.rfind("\f") + 1
        m = PAGE_RE.match(line)
        if m:
            close_para()
            page = int(m[1])
            continue
        rest = line[content_at:]
        if not rest.strip():
            close_para()
            continue
        lm = LABEL_RE.match(rest)
        if not (lm and lm[1] in speakers):
            problem = label_problem(rest, speakers)
            if problem:
                problems.append(TranscriptError(problem, path=source, line=name(lineno)))
                continue
        if lm and lm[1] in speakers:
            close_turn()
            cur = {
                "label": lm[1],
                "page": page,
                "ts": lm[2],
                "paras": [],
                "start": start + content_at + lm.end(),
            }
            rest_after = rest[lm.end() :]
            if rest_after.strip():
                s = start + content_at + lm.end()
                para = [s, s + len(rest_after.rstrip())]
            continue
        if cur is None:
            if rest.lstrip().startswith("#") or problems:
                continue  # a heading above the first turn, or text after a bad label
            problems.append(
                TranscriptError(
                    "text before the first speaker turn; start it with a declared label like "
                    f"'{next(iter(speakers))}:'",
                    path=source,
                    line=name(lineno),
                )
            )
            continue
        lead = len(rest) - len(rest.lstrip())
        s = start + content_at + lead
        e = start + content_at + len(rest.rstrip())
        if para is None:
            para = [s, e]
        else:
            para[1] = e
    close_turn()
    if problems:
        # Every bad line of the file at once, not one per import attempt.
        raise TranscriptError.collect(problems)
    if not any(t.paragraphs for t in turns):
        raise TranscriptError(
            "empty transcript: no speaker turn has any text", path=source, line=name(first_line)
        )
    return turns


def label_problem(line: str, speakers: dict[str, Speaker]) -> str | None:
    """Why `line` is a mistyped speaker label, or None when it is a turn or prose.

    The rule (docs/transcripts.md): a line whose first token (at most 12 characters, after any
    indentation) is followed by ':' or ';' is a label attempt unless it is exactly a declared
    label followed by ':' at the start of the line. Such an attempt is an error when the token
    equals a declared label in any case ("Sl:", " SL:", "SL :", "SL;"), or is written like a
    label (a capital, then only capitals, digits, '-' or '_': "E2:", "XY:"). Any other token is
    an ordinary word and the line is prose ("Altså: vi prøvede.", "Nej; det gjorde vi ikke."),
    as is a colon after more than one word ("Det sagde hun: …").
    """
    m = NEAR_LABEL_RE.match(line)
    if not m:
        return None
    indent, token, space, mark = m.groups()
    if token in speakers and not indent and not space and mark == ":":
        return None  # a well-formed turn
    folded = {label.casefold(): label for label in speakers}
    if token.casefold() in folded:
        nearest = folded[token.casefold()]
    elif LABEL_LIKE_RE.match(token):
        nearest = nearest_label(token, speakers)
        if not (indent or space or mark != ":"):
            return (
                f"speaker label {token!r} is not declared under 'speakers' "
                f"(declared: {', '.join(speakers)}; nearest: '{nearest}:')"
            )
    else:
        return None
    written = f"{indent}{token}{space}{mark}"
    return (
        f"{written!r} looks like a mistyped speaker label; did you mean '{nearest}:'? "
        f"(declared: {', '.join(speakers)}; a turn starts with one of them exactly, at the "
        "start of the line, then ':')"
    )


def nearest_label(token: str, speakers: dict[str, Speaker]) -> str:
    """The declared label closest to `token` (fewest edits, ignoring case; first on a tie)."""
    return min(speakers, key=lambda label: _edits(token.casefold(), label.casefold()))


def _edits(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def build_transcript(
    header: Header, text: str, turns: list[Turn], source: str, warnings: list[str]
) -> Transcript:
    return Transcript(
        interview=header.interview,
        school=header.school,
        date=header.date,
        kind=header.kind,
        speakers=header.speakers,
        text=text,
        turns=turns,
        source=source,
        warnings=warnings,
    )


def parse_markdown(text: str, source: str | Path, warnings: list[str] | None = None) -> Transcript:
    """Parse normalised text in the front matter + turns format."""
    source = str(source)
    if not text.strip():
        raise TranscriptError("empty transcript: the file has no text", path=source, line=1)
    fm, body, body_line = split_front_matter(text, source)
    header = parse_header(fm, source, Path(source).stem)
    turns = parse_body(
        body, header.speakers, source, base=len(text) - len(body), first_line=body_line
    )
    return build_transcript(header, text, turns, source, list(warnings or []))
