"""`codings` and `review` refuse unknown filter values and show current data (they sync first)."""

from __future__ import annotations

import json

import pytest

from lfa_qual.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["codings", "--code", "mindest"], "--code: no code 'mindest' in this project; known: "),
        (["codings", "--code", "pit", "--code", "nope"], "--code: no code 'nope'"),
        (["codings", "--interview", "nope"], "--interview: no interview 'nope'"),
        (["codings", "--coded-by", "nobody"], "--coded-by: no codings by 'nobody'"),
        (["review", "--interview", "nope"], "--interview: no interview 'nope'"),
    ],
)
def test_unknown_filter_values_are_refused(small_project, capsys, argv, message):
    small_project.code("skole9-skoleleder", "pit", quote="PIT-teamet")
    code, out, err = run(capsys, *argv, "--project", str(small_project.root))
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1, err
    if "--code" in argv:
        assert "foraeldre, mindset, pit, timer_37" in err
    if "--coded-by" in argv:
        assert "coders with codings: tester" in err


def test_known_filter_values_still_work(small_project, capsys):
    small_project.code("skole9-skoleleder", "pit", quote="PIT-teamet")
    root = str(small_project.root)
    for argv in (
        ["codings", "--code", "pit", "--interview", "skole9-skoleleder", "--coded-by", "tester"],
        ["review", "--interview", "skole9-skoleleder"],
    ):
        code, out, err = run(capsys, *argv, "--project", root, "--format", "json")
        assert code == 0, err
    code, out, _ = run(capsys, "codings", "--code", "pit", "--project", root, "--format", "json")
    assert [r["text"] for r in json.loads(out)] == ["PIT-teamet"]


def test_codings_shows_the_codebook_and_transcripts_as_they_are_now(small_project, capsys):
    p = small_project
    coding = p.code("skole9-skoleleder", "timer_37", quote="PIT-teamet")
    root = str(p.root)
    # A code renamed in the codebook file: its codings follow at once.
    cb = p.codebook_path
    cb.write_text(
        cb.read_text("utf-8").replace(
            "id: timer_37", "id: timer37\n        renamed_from: timer_37"
        ),
        "utf-8",
    )
    code, out, err = run(
        capsys, "codings", "--code", "timer37", "--project", root, "--format", "json"
    )
    assert code == 0, err
    [record] = json.loads(out)
    assert record["id"] == coding.id and record["code"] == "timer37"
    # A transcript edited before the passage: the offsets and text are the new ones.
    path = p.transcripts_dir / "skole9-skoleleder.md"
    path.write_text(
        path.read_text("utf-8").replace("Altså, vi startede", "Altså, ja, vi startede"), "utf-8"
    )
    code, out, err = run(capsys, "codings", "--project", root, "--format", "json")
    assert code == 0, err
    [record] = json.loads(out)
    new_text = path.read_text("utf-8")
    assert record["start"] == new_text.index("PIT-teamet") == coding.start + len("ja, ")
    assert record["text"] == "PIT-teamet"
