"""Hostile transcript files (issue 18, items 4, 6, 7, 14, 15, 16): what is read, how it is
decoded, what a header may hold, subtitles that lose or misattribute speech, and symbolic links.

Each case runs the real command or the public reader on a small file in tests/data/hostile.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from lfa_qual.cli import main
from lfa_qual.errors import LfaError, TranscriptError
from lfa_qual.project import Project
from lfa_qual.readers import read_transcript

DATA = Path(__file__).parent / "data"
HOSTILE = DATA / "hostile"
REPO = Path(__file__).parent.parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


# -- 4: only regular files, and a cap on what a .docx unpacks to ---------------------------


def test_a_link_to_a_device_is_refused_not_read(project_dir: Path, capsys):
    link = project_dir / "nul.md"
    link.symlink_to("/dev/zero")
    status, _, err = run(capsys, "import", "--project", str(project_dir), str(link))
    assert status == 2
    assert f"{link}: is a device, not a regular file; only regular files are read" in err


def test_a_named_pipe_is_refused_without_blocking(project_dir: Path, capsys):
    fifo = project_dir / "roer.md"
    os.mkfifo(fifo)
    status, _, err = run(capsys, "import", "--project", str(project_dir), str(fifo))
    assert status == 2
    assert f"{fifo}: is a named pipe (FIFO), not a regular file" in err
    # In the transcripts folder it is named too, not skipped without a word; like any bad
    # file there it is left out, and the other commands go on with the good files.
    fifo.rename(project_dir / "transcripts" / "roer.md")
    status, _, err = run(capsys, "transcripts", "--project", str(project_dir))
    assert status == 0 and "roer.md not imported" in err
    assert "roer.md: is a named pipe (FIFO)" in err
    status, _, err = run(capsys, "import", "--project", str(project_dir))
    assert status == 2 and "roer.md: is a named pipe (FIFO)" in err


@pytest.mark.parametrize(
    ("name", "argv"),
    [
        ("projekt.qdpx", ["import", "{fifo}"]),
        ("kodebog.qdc", ["import", "{fifo}"]),
        ("pseudonym_key.yaml", ["names", "--key", "{fifo}", "{transcript}"]),
    ],
)
def test_a_named_pipe_as_an_archive_codebook_or_name_key_is_refused(project_dir, name, argv):
    # In a process of its own with a time limit: a regression would block, not fail.
    fifo = project_dir / name
    os.mkfifo(fifo)
    transcript = REPO / "transcripts" / "skole1-elev1.md"
    args = [a.format(fifo=fifo, transcript=transcript) for a in argv]
    done = subprocess.run(
        [sys.executable, "-m", "lfa_qual", *args, "--project", str(project_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 2, done.stderr
    assert f"{fifo}: is a named pipe (FIFO), not a regular file" in done.stderr
    assert "Traceback" not in done.stderr


def _docx_with_body(xml_body: str) -> bytes:
    """A real .docx (python-docx's template) whose document body is replaced."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(buffer)
    document = source.read("word/document.xml").decode("utf-8")
    start = document.index("<w:body>") + len("<w:body>")
    document = document[:start] + xml_body + "</w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = document.encode() if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info, part)
    return out.getvalue()


def test_a_docx_that_unpacks_to_more_than_the_cap_is_refused_quickly(project_dir: Path, capsys):
    # 60 MB of empty paragraphs that compress to a few hundred KB: a "zip bomb" in small.
    bomb = project_dir / "bombe.docx"
    bomb.write_bytes(_docx_with_body("<w:p/>" * 10_000_000))
    assert bomb.stat().st_size < 1_000_000
    status, _, err = run(capsys, "import", "--project", str(project_dir), str(bomb))
    assert status == 2
    assert f"{bomb}: the document unpacks to more than 50,000,000 bytes of XML" in err


def test_a_small_docx_still_reads(tmp_path: Path):
    lines = ["---", "school: Skole 1", "date: 2021-06", "speakers:", "  E1: {role: Elev 1}", "---"]
    lines.append("E1: Jeg læser langsomt.")
    para = '<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>'
    path = tmp_path / "lille.docx"
    path.write_bytes(_docx_with_body("".join(para.format(line) for line in lines)))
    assert read_transcript(path).words == 3


# -- 7: per-line decoding ------------------------------------------------------------------


def test_one_latin1_line_does_not_corrupt_the_utf8_lines(project_dir: Path, capsys):
    status, _, err = run(
        capsys, "import", "--project", str(project_dir), str(HOSTILE / "mixed-encoding.md")
    )
    assert status == 0, err
    assert "mixed-encoding.md: line(s) 14 are not UTF-8 and were read as cp1252" in err
    with Project(project_dir) as project:
        text = project.transcript("blandet").text
    assert "Hvordan er det at gå på holdet?" in text  # UTF-8 lines as written
    assert "Går det bedre nu?" in text
    assert "Især når vi får æbler." in text  # the latin-1 line read as cp1252
    assert "Ã" not in text


# -- 14: quotes normalised like the text; bidi controls removed ----------------------------


def test_a_decomposed_quote_and_an_emoji_sequence_match(project_dir: Path, capsys):
    path = project_dir / "transcripts" / "emoji.md"
    path.write_text(
        "---\nschool: Skole 1\ndate: 2021-06\nspeakers:\n  E1: {role: Elev 1}\n---\n"
        "E1: Vi fik en idé 👨\u200d👩\u200d👧 med hjem.\n",
        encoding="utf-8",
    )
    root = str(project_dir)
    nfd = "en ide\u0301"  # "idé" with a combining accent, as some keyboards type it
    status, _, err = run(capsys, "code", "--project", root, "emoji", "mindset", "--quote", nfd)
    assert status == 0, err
    family = "idé 👨\u200d👩\u200d👧 med"
    status, _, err = run(capsys, "code", "--project", root, "emoji", "pit", "--quote", family)
    assert status == 0, err
    with Project(project_dir) as project:
        texts = [project.view(c).text for c in project.codings()]
    assert texts == ["en idé", "idé 👨👩👧 med"]


def test_bidi_override_characters_never_reach_the_stored_text(project_dir: Path, capsys):
    status, _, err = run(capsys, "import", "--project", str(project_dir), str(HOSTILE / "bidi.md"))
    assert status == 0, err
    assert "bidi.md: removed 2 invisible or control character(s)" in err
    with Project(project_dir) as project:
        text = project.transcript("bidi").text
    assert "lærer jeg mere godt" in text
    assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in text)


# -- 15: header values are one line of text; ids are safe ----------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("school-newline.md", "school-newline.md:3 [school]: 'school' must be one line of text"),
        ("role-newline.md", "role-newline.md:9 [speakers.E3.role]: 'role' must be one line"),
        ("interview-dot.md", "interview-dot.md:2 [interview]: interview id '.' may use"),
        ("interview-dotdot.md", "interview-dotdot.md:2 [interview]: interview id '..' may use"),
    ],
)
def test_header_values_that_could_inject_or_escape_are_refused(
    project_dir: Path, capsys, name, message
):
    status, out, err = run(capsys, "import", "--project", str(project_dir), str(HOSTILE / name))
    assert status == 2 and out == ""
    assert message in err


def test_ids_and_values_are_read_as_written():
    assert read_transcript(HOSTILE / "interview-yes.md").interview == "yes"
    assert read_transcript(HOSTILE / "interview-number.md").interview == "007"


def test_interviewer_flag_still_reads_yes_and_no(tmp_path: Path):
    path = tmp_path / "flag.md"
    path.write_text(
        "---\nschool: Skole 1\ndate: 2021-06\nspeakers:\n  I: {role: Interviewer, "
        "interviewer: yes}\n  E1: {role: Elev 1, interviewer: no}\n---\nI: Hej?\n\nE1: Hej.\n",
        encoding="utf-8",
    )
    speakers = read_transcript(path).speakers
    assert speakers["I"].interviewer and not speakers["E1"].interviewer
    path.write_text(path.read_text("utf-8").replace("interviewer: no", "interviewer: måske"))
    with pytest.raises(TranscriptError, match="'interviewer' must be true or false"):
        read_transcript(path)


# -- 6: subtitles --------------------------------------------------------------------------


def _subtitles(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    shutil.copy(HOSTILE / name, path)
    shutil.copy(DATA / "formats" / "skole9-elev.yaml", path.with_suffix(".yaml"))
    return path


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("subtitles-arrow.vtt", ":8: bad cue timing '00:00:05.000 -> 00:00:09.500'"),
        ("subtitles-stray.vtt", ":7: text outside a cue (no timing line before it)"),
        ("subtitles-bad-time.vtt", ":8: bad cue timing '00:00:5.000 --> 00:00:09.500'"),
        ("subtitles-impossible.vtt", ":4: impossible cue time '99:99:99.999 --> 00:00:00.000'"),
        ("subtitles-backwards.vtt", ":4: the cue ends before it starts"),
    ],
)
def test_a_cue_that_would_be_dropped_is_an_error(project_dir: Path, capsys, name, message):
    path = _subtitles(project_dir, name)
    status, out, err = run(capsys, "import", "--project", str(project_dir), str(path))
    assert status == 2 and out == ""
    assert f"{path}{message}" in err


def test_a_voice_tag_decides_the_speaker(tmp_path: Path):
    t = read_transcript(_subtitles(tmp_path, "subtitles-voice.vtt"))
    said = [(u.label, t.text[u.paragraphs[0].start : u.end]) for u in t.turns]
    assert [label for label, _ in said] == ["I", "I", "I", "E4"]
    assert "E4: sagde du det i går?" in said[1][1]
    assert said[2][1] == "[side 7]"
    assert not t.has_pages  # "[side 7]" was said, not a page marker


# -- 16: a symbolic link is recorded as the link -------------------------------------------


def test_a_symlinked_transcript_is_recorded_as_the_link_and_missed_when_gone(
    project_dir: Path, tmp_path: Path, capsys
):
    elsewhere = tmp_path / "andetsteds"
    elsewhere.mkdir()
    target = elsewhere / "skole9-skoleleder.md"
    shutil.copy(DATA / "formats" / "skole9-skoleleder.md", target)
    link = project_dir / "transcripts" / "skoleleder.md"
    link.symlink_to(target)
    with Project(project_dir) as project:
        project.sync()
        row = project.store.read_one("SELECT source FROM transcripts")
        assert row["source"] == "transcripts/skoleleder.md"
        link.unlink()
        (missing,) = project.missing_files()
        assert missing.interview == "skole9-skoleleder" and missing.path == link
    assert target.exists()


def test_quote_still_refuses_what_is_not_there(project_dir: Path):
    shutil.copy(DATA / "formats" / "skole9-skoleleder.md", project_dir / "transcripts")
    with Project(project_dir) as project, pytest.raises(LfaError, match="quote not found"):
        project.sync()
        project.code("skole9-skoleleder", "pit", quote="\u202eikke der")
