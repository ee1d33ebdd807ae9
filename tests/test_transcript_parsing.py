from __future__ import annotations

import pytest

from lfa_qual.errors import TranscriptError
from lfa_qual.readers import read_transcript
from lfa_qual.text import normalise
from lfa_qual.transcript import parse_markdown

HEADER = """---
school: Skole 1
date: 2021-04
speakers:
  I: {role: Interviewer, interviewer: true}
  SL: {role: Skoleleder}
---
"""


def test_markdown_turns_paragraphs_pages_and_timestamps(data_dir):
    t = read_transcript(data_dir / "formats" / "skole9-skoleleder.md")
    assert (t.interview, t.school, t.date, t.kind) == (
        "skole9-skoleleder",
        "Skole 3",
        "2021-04",
        "individuelt interview",
    )
    assert [u.label for u in t.turns] == ["I", "SL", "I", "SL"]
    answer = t.turns[1]
    assert answer.timestamp == "00:01:05"
    assert [t.text[p.start : p.end] for p in answer.paragraphs] == [
        "Altså, vi startede med PIT-teamet i efteråret.\nDet tog lang tid (…) fordi covid-19 lukkede skolen.",
        "Og så skulle vi jo også have forældrene med.",
    ]
    assert answer.page == 1 and t.turns[3].page == 2
    last = t.turns[3].paragraphs[0]
    assert t.text[last.start : last.end].endswith("[og lærerne, red.].")
    assert t.locator_at(last.start) == 2
    assert t.speaker_at(last.start).role == "Skoleleder"
    assert t.pages == 2


def test_interview_id_defaults_to_file_name_and_full_date(data_dir):
    t = read_transcript(data_dir / "formats" / "skole9-personale.md")
    assert t.interview == "skole9-personale"
    assert t.date == "2021-04-13"
    assert not t.has_pages
    # Without page markers the locator is the turn number.
    pit_turn = t.turns[2]
    assert t.locator_at(pit_turn.start + 5) == 3
    assert t.speakers["E4"].grade == "8. klasse"


def test_normalisation_crlf_bom_nfc():
    raw = "\ufeff" + HEADER.replace("\n", "\r\n") + "SL: Dette er e\u0301n sætning.\r\n"
    t = parse_markdown(normalise(raw), "x.md")
    assert "\r" not in t.text and "\ufeff" not in t.text
    assert "én sætning" in t.text


def test_cp1252_is_read_with_a_warning(tmp_path):
    path = tmp_path / "latin.md"
    path.write_bytes((HEADER + "SL: Børnene får støtte i klassen.\n").encode("cp1252"))
    t = read_transcript(path)
    assert "Børnene får støtte" in t.text
    assert any("latin.md" in w and "cp1252" in w for w in t.warnings)


def test_offsets_are_code_points_into_the_stored_text(data_dir):
    t = read_transcript(data_dir / "formats" / "skole9-skoleleder.md")
    for turn in t.turns:
        for p in turn.paragraphs:
            segment = t.text[p.start : p.end]
            assert segment == segment.strip() and segment


def test_form_feed_is_a_page_marker():
    text = normalise(HEADER + "SL: Første side.\n\fSL: Anden side.\n")
    t = parse_markdown(text, "ff.md")
    assert [u.page for u in t.turns] == [None, 2]
    assert t.locator_at(t.turns[1].start) == 2


def test_the_gap_before_a_paragraph_belongs_to_that_paragraph():
    """A page marker (or blank line) between two paragraphs of one turn is the next paragraph's,
    as the gap before a turn is the next turn's: a passage starting on it is cited with the
    page it is on, not the previous paragraph's."""
    body = (
        "[side 1]\nI: Hvad gør I?\n\nSL: Første afsnit.\n\n[side 2]\nAndet afsnit.\n\n"
        "I:\n\n[side 3]\nTredje side.\n"
    )
    t = parse_markdown(normalise(HEADER + body), "p.md")
    first, second = t.turns[1].paragraphs
    assert (first.page, second.page) == (1, 2)
    for offset in range(first.end, second.start):  # newline, blank line, "[side 2]"
        assert t.paragraph_at(offset) == second, offset
        assert t.locator_at(offset) == 2, offset
        assert t.turn_at(offset) == t.turns[1]
    for offset in range(first.start, first.end):  # inside a paragraph: unchanged
        assert t.paragraph_at(offset) == first and t.locator_at(offset) == 1
    # A turn whose label is on page 2 and its text on page 3: the label is cited as page 3.
    last = t.turns[2]
    assert last.page == 2 and last.paragraphs[0].page == 3
    assert t.locator_at(t.text.index("I:\n\n[side 3]")) == 3
    assert t.locator_at(t.text.index("[side 3]")) == 3
    # Past the last paragraph of the last turn: that paragraph.
    assert t.paragraph_at(len(t.text)) == last.paragraphs[0]


def test_an_ordinary_word_with_colon_is_text_not_a_label():
    t = parse_markdown(normalise(HEADER + "SL: Det var sådan:\nAltså: vi prøvede.\n"), "c.md")
    assert len(t.turns) == 1
    assert "Altså: vi prøvede." in t.text[t.turns[0].start : t.turns[0].end]


@pytest.mark.parametrize(
    ("body_or_header", "message", "line"),
    [
        (HEADER + "SL: Hej.\nXY: Hvem er jeg?\n", "speaker label 'XY' is not declared", 9),
        (HEADER.replace("school: Skole 1\n", ""), "missing 'school'", 2),
        (HEADER.replace("2021-04", "april 2021"), "bad date", 3),
        (HEADER.replace("2021-04", "2021-13"), "bad date", 3),
        (HEADER, "empty transcript", 8),
        ("", "empty transcript", 1),
        ("---\n- a\n- b\n---\nSL: x\n", "front matter must be a mapping", 2),
        ("Bare tekst\n", "no front matter", 1),
        (HEADER + "Tekst uden taler.\n", "text before the first speaker turn", 8),
        (HEADER.replace("SL: {role: Skoleleder}", "SL: {}"), "has no role", 6),
        (HEADER.replace("school:", "skole: x\nschool:"), "unknown key 'skole'", 2),
    ],
)
def test_bad_transcripts_name_the_line(body_or_header, message, line):
    with pytest.raises(TranscriptError) as info:
        parse_markdown(normalise(body_or_header), "bad.md")
    err = info.value
    assert message in err.message
    assert err.path == "bad.md"
    assert err.line == line
    assert str(err).startswith(f"bad.md:{line}")


@pytest.mark.parametrize("written", ["Sl:", " SL:", "SL :", "SL;", "  sl;", "\tSL:"])
def test_a_mistyped_label_is_an_error_naming_the_nearest_label(written):
    # Before: the line was read as more speech of the interviewer (misattributed quotes).
    text = normalise(HEADER + "I: Hvordan går det?\n" + written + " Vi holder dialogmøder.\n")
    with pytest.raises(TranscriptError) as info:
        parse_markdown(text, "t2.md")
    err = info.value
    assert (err.path, err.line) == ("t2.md", 9)
    assert "did you mean 'SL:'" in err.message
    assert repr(written) in err.message


def test_an_undeclared_label_names_the_nearest_declared_one():
    with pytest.raises(TranscriptError) as info:
        parse_markdown(normalise(HEADER + "I: Hej.\nS1: Hej.\n"), "t.md")
    assert "'S1' is not declared" in info.value.message and "nearest: 'SL:'" in info.value.message


@pytest.mark.parametrize(
    "line",
    [
        "Altså: vi prøvede.",
        "Nej; det gjorde vi ikke.",
        "Det sagde hun: vi prøver igen.",
        "  Fx: en samtale med PPR.",
        "kl. 8: mødet starter.",
    ],
)
def test_prose_with_a_colon_after_an_ordinary_word_stays_text(line):
    t = parse_markdown(normalise(HEADER + "SL: Det var sådan:\n" + line + "\n"), "c.md")
    assert [u.label for u in t.turns] == ["SL"]
    assert line.strip() in t.text[t.turns[0].start : t.turns[0].end]


def test_every_bad_label_of_a_file_is_reported_at_once():
    body = "I: Hej.\nSl: Et.\nSL: To.\nXY: Tre.\nSL; Fire.\n"
    with pytest.raises(TranscriptError) as info:
        parse_markdown(normalise(HEADER + body), "m.md")
    assert [p.line for p in info.value.problems] == [9, 11, 12]
    assert "and 2 more problem(s)" in str(info.value) and "m.md:12:" in str(info.value)
