"""A generated project coded by two (or more) coders with a known structure, and an independent
character-by-character computation of what the agreement module computes with numpy."""

from __future__ import annotations

import contextlib
import random
import shutil
from pathlib import Path

from lfa_qual.errors import LfaError
from lfa_qual.project import Project

DATA = Path(__file__).parent / "data"
PHRASE = (
    "vi har jo sparring med PIT-teamet om trivsel i klassen og forældrene skal med "
    "børnesynet flytter blikket fra barnet til fællesskabet når timerne går til én elev"
)
WORDS = PHRASE.split(" ")
CODES = ["pit", "timer_37", "mindset", "foraeldre"]


def write_transcript(folder: Path, n: int, paragraphs: int, rng: random.Random) -> None:
    lines = [
        "---",
        f"interview: skole{n}-personale",
        f"school: Skole {n}",
        "date: 2021-04",
        "kind: gruppeinterview",
        "speakers:",
        "  I: {role: Interviewer, interviewer: true}",
        "  L: {role: Skolemedarbejder}",
        "---",
    ]
    for _ in range(paragraphs):
        lines.append("I: " + " ".join(rng.choice(WORDS) for _ in range(6)) + "?")
        lines.append("")
        lines.append("L: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))) + ".")
        lines.append("")
    (folder / f"skole{n}-personale.md").write_text("\n".join(lines), encoding="utf-8")


def make_team_project(root: Path, transcripts: int = 3, paragraphs: int = 12) -> Project:
    rng = random.Random(12)
    (root / "transcripts").mkdir(parents=True)
    (root / "codebooks").mkdir()
    for n in range(1, transcripts + 1):
        write_transcript(root / "transcripts", n, paragraphs, rng)
    shutil.copy(DATA / "codebooks" / "small.yaml", root / "codebooks" / "lfa.yaml")
    (root / "lfa-qual.yaml").write_text("coder: A\n", encoding="utf-8")
    project = Project(root)
    project.sync()
    return project


def word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, i = [], start
    while i < end:
        while i < end and text[i].isspace():
            i += 1
        j = i
        while j < end and not text[j].isspace():
            j += 1
        if j > i:
            spans.append((i, j))
        i = j
    return spans


def code_a_and_b(
    project: Project,
    seed: int = 1,
    drop: float = 0.15,
    add: float = 0.15,
    shift: float = 0.2,
    relabel: float = 0.1,
) -> None:
    """Coder A codes random word runs of participants' paragraphs (some across into the next
    turn); coder B is A with a known rate of dropped, added, shifted and re-labelled spans."""
    rng = random.Random(seed)
    for row in project.transcript_rows():
        t = project.transcript(row.interview)
        paras = [p for turn in t.turns for p in turn.paragraphs if turn.label == "L"]
        for p in paras:
            if rng.random() < 0.5:
                continue
            words = word_spans(t.text, p.start, p.end)
            a = rng.randrange(len(words))
            b = min(len(words) - 1, a + rng.randint(1, 6))
            start, end = words[a][0], words[b][1]
            if rng.random() < 0.1:  # run on into the interviewer's next question
                end = min(len(t.text), end + 40)
            code = rng.choice(CODES)
            project.code(row.interview, code, start=start, end=end, coder="A")
            r = rng.random()
            if r < drop:
                continue
            if r < drop + shift:
                start = words[min(a + 1, b)][0]
            elif r < drop + shift + relabel:
                code = rng.choice([c for c in CODES if c != code])
            project.code(row.interview, code, start=start, end=end, coder="B")
            if rng.random() < add:
                w = rng.randrange(len(words))
                with contextlib.suppress(LfaError):  # B may have coded just that already
                    project.code(
                        row.interview,
                        rng.choice(CODES),
                        start=words[w][0],
                        end=words[min(len(words) - 1, w + 2)][1],
                        coder="B",
                    )


def speech_offsets(project: Project, interview: str) -> list[tuple[int, int]]:
    t = project.transcript(interview)
    return [
        (p.start, p.end)
        for turn in t.turns
        if not t.speakers[turn.label].interviewer
        for p in turn.paragraphs
    ]


def naive_tables(project: Project, coders: list[str], codes: list[str]):
    """Per code: the character counts (both, first, second, neither) of the first two coders,
    and the paragraph unit table {coder: [0/1/None per paragraph]} — one character and one
    paragraph at a time, with Python sets."""
    codings = project.codings()
    present = {(c.interview, c.coder) for c in codings}
    interviews = sorted({i for i, _ in present if sum((i, c) in present for c in coders) >= 2})
    chars, paras = {}, {}
    for code in codes:
        counts = [0, 0, 0, 0]
        table: dict[str, list] = {c: [] for c in coders}
        for interview in interviews:
            speech = speech_offsets(project, interview)
            chars_of = set().union(*(range(a, b) for a, b in speech))
            coded = {c: set() for c in coders}
            for x in codings:
                if x.interview == interview and x.code == code and x.coder in coders:
                    coded[x.coder] |= set(range(x.start, x.end)) & chars_of
            if all((interview, c) in present for c in coders[:2]):
                a, b = coders[:2]
                counts[0] += len(coded[a] & coded[b])
                counts[1] += len(coded[a] - coded[b])
                counts[2] += len(coded[b] - coded[a])
                counts[3] += len(chars_of - coded[a] - coded[b])
            for lo, hi in speech:
                for c in coders:
                    if (interview, c) not in present:
                        table[c].append(None)
                    else:
                        table[c].append(int(any(lo <= x < hi for x in coded[c])))
        chars[code], paras[code] = counts, table
    return chars, paras
