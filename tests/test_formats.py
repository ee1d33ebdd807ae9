from __future__ import annotations

import pytest

from lfa_qual.errors import TranscriptError
from lfa_qual.readers import read_transcript

FRONT = [
    "---",
    "interview: skole9-docx",
    "school: Skole 2",
    "date: 2021-04",
    "kind: gruppeinterview",
    "speakers:",
    "  I: {role: Interviewer, interviewer: true}",
    "  PIT1: {role: PIT-medarbejder}",
    "---",
]


def write_docx(path, paragraphs, page_break_before=()):
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for i, text in enumerate(paragraphs):
        para = document.add_paragraph()
        if i in page_break_before:
            para.add_run().add_break(WD_BREAK.PAGE)
        para.add_run(text)
    document.save(str(path))


def test_docx_paragraphs_turns_and_page_breaks(tmp_path):
    path = tmp_path / "skole9.docx"
    body = [
        "I: Hvad laver PIT?",
        "PIT1: Vi giver sparring til lærerne.",
        "Og vi er med i klassen.",
        "I: Og de store sager?",
        "PIT1: En 37-timers-sag åd alle vores timer.",
    ]
    write_docx(path, FRONT + body, page_break_before={len(FRONT) + 3})
    t = read_transcript(path)
    assert t.interview == "skole9-docx" and t.school == "Skole 2"
    assert [u.label for u in t.turns] == ["I", "PIT1", "I", "PIT1"]
    second = t.turns[1]
    assert [t.text[p.start : p.end] for p in second.paragraphs] == [
        "Vi giver sparring til lærerne.",
        "Og vi er med i klassen.",
    ]
    assert t.turns[1].page is None and t.turns[2].page == 2
    assert t.locator_at(t.turns[3].start) == 2


def test_docx_undeclared_label_names_the_paragraph(tmp_path):
    path = tmp_path / "bad.docx"
    write_docx(path, FRONT + ["I: Hej.", "XX: Hvem?"])
    with pytest.raises(TranscriptError) as info:
        read_transcript(path)
    assert info.value.line == len(FRONT) + 2
    assert "XX" in info.value.message


def test_vtt_voices_merge_consecutive_cues_and_keep_timestamps(data_dir):
    t = read_transcript(data_dir / "formats" / "skole9-elev.vtt")
    assert t.interview == "skole9-elev" and t.date == "2021-08"
    assert [(u.label, u.timestamp) for u in t.turns] == [
        ("I", "00:00:01"),
        ("E4", "00:00:05"),
        ("I", "00:01:02"),
    ]
    pupil = t.turns[1]
    assert (
        t.text[pupil.start : pupil.end]
        == "Det er fint, vi er kun fire.\nMen jeg savner min klasse."
    )
    assert t.speaker_at(pupil.start).grade == "8. klasse"


def test_srt_name_prefix_maps_through_roles(data_dir):
    t = read_transcript(data_dir / "formats" / "skole9-forælder.srt")
    assert t.interview == "skole9-forælder"
    assert [u.label for u in t.turns] == ["I", "F2"]
    assert t.text[t.turns[1].start : t.turns[1].end] == "Vi manglede en fast kontaktperson."


def test_subtitles_without_sidecar_or_with_unknown_voice(tmp_path):
    vtt = tmp_path / "x.vtt"
    vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Rektor>Hej\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match="sidecar|x.yaml"):
        read_transcript(vtt)
    (tmp_path / "x.yaml").write_text(
        "school: Skole 1\ndate: 2021-04\nspeakers:\n  I: {role: Interviewer}\n", encoding="utf-8"
    )
    with pytest.raises(TranscriptError) as info:
        read_transcript(vtt)
    assert "'Rektor' is not declared" in info.value.message and info.value.line == 3


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(TranscriptError, match="unsupported file type"):
        read_transcript(path)
