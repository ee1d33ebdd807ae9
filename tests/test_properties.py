"""Property-based tests: whatever the input, the transcript readers and the codebook loader give
a valid result or the tool's own error (LfaError with a file), never another exception.
"""

from __future__ import annotations

import contextlib
import string
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lfa_qual.codebook import load_codebook, parse_codebook
from lfa_qual.errors import LfaError
from lfa_qual.readers import read_transcript
from lfa_qual.subtitles import parse_cues
from lfa_qual.text import normalise
from lfa_qual.transcript import Transcript, parse_markdown

SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Text with the characters that matter to the parser: labels, colons, brackets, dashes, newlines,
# form feeds, Danish letters, invisible and control characters.
ALPHABET = st.sampled_from(
    list("ESLIPT0123 :[]-#\n\n\n\t\f\r\x00\x1b\u200b\ufeffæøåÆØÅ{}&*!|>'\"")
    + ["side", "[side 2]", "---", "\n---\n", "E1:", "SL:", "I:", "[00:01:02]"]
)
ANY_TEXT = st.one_of(st.text(), st.lists(ALPHABET, max_size=80).map("".join))
LABELS = st.sampled_from(["I", "E1", "SL", "PIT1", "Forælder", "x y", "A:B", "[E]", ""])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["Skole 1", "2021-04", "2021-4", "2021-13-01", "2021-02-30", "Elev 1"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=3),
    max_leaves=8,
)


def check_transcript(t: Transcript) -> None:
    """What every parsed transcript promises the rest of the tool."""
    n = len(t.text)
    assert t.turns
    assert t.month_year.split()[0] in {
        "januar", "februar", "marts", "april", "maj", "juni",
        "juli", "august", "september", "oktober", "november", "december",
    }  # fmt: skip
    last_end = 0
    for turn in t.turns:
        assert turn.label in t.speakers
        assert 0 <= turn.start <= turn.end <= n
        for p in turn.paragraphs:
            assert last_end <= p.start < p.end <= n
            passage = t.text[p.start : p.end]
            assert passage == passage.strip()
            assert t.speaker_at(p.start).label == turn.label
            assert t.locator_at(p.start) >= 1
            last_end = p.end
    assert "\r" not in t.text and "\ufeff" not in t.text


def parse_or_error(text: str, source: str = "t.md") -> Transcript | None:
    try:
        t = parse_markdown(normalise(text), source)
    except LfaError as exc:
        assert exc.path == source
        assert str(exc)
        return None
    check_transcript(t)
    return t


@SETTINGS
@given(ANY_TEXT)
@example("---\n---\n")
@example("---\nspeakers: {E1: x}\n---")
@example("---\n" + "[" * 500 + "\n---\nE1: x")
def test_any_text_parses_or_gives_a_clear_error(text):
    parse_or_error(text)


@st.composite
def front_matter_documents(draw) -> str:
    """Front matter mostly right, sometimes wrong in one place, and a body of speaker turns."""
    header: dict = {}
    if draw(st.booleans()):
        header["interview"] = draw(st.one_of(st.sampled_from(["skole1-elev1", "a b", ""]), VALUES))
    header["school"] = draw(st.one_of(st.just("Skole 2"), VALUES))
    header["date"] = draw(st.one_of(st.sampled_from(["2021-04", "2021-06-15"]), VALUES))
    if draw(st.booleans()):
        header["kind"] = draw(st.one_of(st.just("gruppeinterview"), VALUES))
    if draw(st.integers(0, 9)) == 0:
        header[draw(st.text(max_size=6))] = draw(VALUES)
    labels = draw(st.lists(LABELS, min_size=0, max_size=4, unique=True))
    speakers = {}
    for label in labels:
        spec = draw(
            st.one_of(
                st.fixed_dictionaries(
                    {"role": st.sampled_from(["Elev 1", "Skoleleder", ""])},
                    optional={
                        "interviewer": st.booleans(),
                        "grade": st.one_of(st.just("5. klasse"), SCALARS),
                        "extra": SCALARS,
                    },
                ),
                VALUES,
            )
        )
        speakers[label] = spec
    header["speakers"] = speakers if draw(st.integers(0, 9)) else draw(VALUES)
    try:
        fm = yaml.safe_dump(header, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        fm = "school: x\n"
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            lines.append(f"[side {draw(st.integers(0, 99999))}]")
        elif kind == 1:
            lines.append("")
        elif kind == 2 and labels:
            ts = draw(st.sampled_from(["", "[00:12:31] ", "[1:2:3] "]))
            lines.append(f"{draw(st.sampled_from(labels))}: {ts}{draw(ANY_TEXT)}")
        else:
            lines.append(draw(ANY_TEXT))
    return "---\n" + fm + "---\n" + "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


@SETTINGS
@given(front_matter_documents())
def test_front_matter_and_speaker_blocks_parse_or_give_a_clear_error(doc):
    t = parse_or_error(doc)
    if t is not None:
        assert t.school and t.date[:4].isdigit()


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


@SETTINGS
@given(
    data=st.one_of(
        st.binary(max_size=300),
        front_matter_documents().map(lambda s: s.encode("utf-8")),
        front_matter_documents().map(lambda s: s.encode("cp1252", errors="replace")),
    ),
    suffix=st.sampled_from([".md", ".txt", ".vtt", ".srt", ".docx"]),
)
def test_any_bytes_in_any_supported_file_type(folder, data, suffix):
    path = folder / f"interview{suffix}"
    path.write_bytes(data)
    try:
        t = read_transcript(path)
    except LfaError as exc:
        assert exc.path is not None and str(path) in exc.path
        return
    check_transcript(t)


@SETTINGS
@given(ANY_TEXT)
def test_subtitle_cues_never_crash(text):
    with contextlib.suppress(LfaError):
        parse_cues(normalise(text))


CODE_KEYS = ["id", "label", "description", "keywords", "roles", "color", "children", "parent"]


@st.composite
def codebook_documents(draw) -> str:
    def code(depth: int):
        keys = draw(st.lists(st.sampled_from(CODE_KEYS), max_size=6, unique=True))
        out = {}
        for k in keys:
            if k == "id":
                out[k] = draw(
                    st.one_of(st.sampled_from(["pit", "mindset", "pit", "Bad id"]), SCALARS)
                )
            elif k == "children" and depth < 3:
                out[k] = draw(
                    st.one_of(st.lists(st.deferred(lambda: st.just(None)), max_size=0), VALUES)
                )
                if draw(st.booleans()):
                    out[k] = [code(depth + 1) for _ in range(draw(st.integers(0, 3)))]
            elif k == "color":
                out[k] = draw(st.one_of(st.just("#aabbcc"), SCALARS))
            elif k in ("keywords", "roles"):
                out[k] = draw(st.one_of(st.lists(st.text(max_size=8), max_size=3), VALUES))
            else:
                out[k] = draw(VALUES)
        return out

    doc = {
        "name": draw(st.one_of(st.just("LFA"), SCALARS)),
        "version": draw(SCALARS),
        "codes": [code(0) for _ in range(draw(st.integers(0, 4)))],
    }
    if draw(st.integers(0, 5)) == 0:
        doc[draw(st.text(max_size=5))] = draw(VALUES)
    return yaml.safe_dump(doc, allow_unicode=True)


def load_or_error(text: str) -> None:
    try:
        cb = parse_codebook(text, "cb.yaml")
    except LfaError as exc:
        assert exc.path == "cb.yaml" and str(exc)
        return
    ids = [c.id for c in cb.codes]
    assert len(ids) == len(set(ids))
    for c in cb.codes:
        assert c.parent is None or c.parent in cb.by_id
        assert c.color.startswith("#") and len(c.color) == 7


@SETTINGS
@given(codebook_documents())
def test_codebook_documents_load_or_give_a_clear_error(text):
    load_or_error(text)


@SETTINGS
@given(st.one_of(st.text(), st.lists(ALPHABET, max_size=60).map("".join)))
@example("a: &x [1]\nb: *x\n")
@example("codes:\n" + "  " * 100 + "- x")
def test_any_text_as_a_codebook(text):
    load_or_error(text)


@settings(max_examples=30, deadline=None)
@given(st.integers(41, 2000), st.sampled_from(["[", "{a: ", "- "]))
def test_deep_nesting_is_refused_not_a_crash(depth, opener):
    if opener == "- ":  # indentation grows quadratically: stay under the 2 MB size limit
        text = "".join("  " * i + "- \n" for i in range(min(depth, 1000)))
    else:
        closer = "]" if opener == "[" else "}"
        text = opener * depth + closer * depth
    with pytest.raises(LfaError, match="nested"):
        parse_codebook(text, "cb.yaml")


def test_printable_text_without_header_names_the_first_line():
    for ch in string.printable[:20]:
        assert parse_or_error(ch * 3) is None


@SETTINGS
@given(
    st.one_of(
        st.binary(max_size=300),
        codebook_documents().map(lambda s: s.encode("utf-8")),
        codebook_documents().map(lambda s: s.encode("utf-16")),
    )
)
def test_any_bytes_as_a_codebook_file(folder, data):
    path = folder / "codebook.yaml"
    path.write_bytes(data)
    try:
        cb = load_codebook(path)
    except LfaError as exc:
        assert exc.path == str(path) and str(exc)
        return
    assert all(c.id in cb.by_id for c in cb.codes)
