"""The suggest, accept, reject and doctor commands, run through the CLI entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lfa_qual.cli import main
from lfa_qual.project import Project

DATA = Path(__file__).parent / "data" / "nlp"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "codebooks").mkdir()
    shutil.copy(DATA / "skole9-nlp.md", tmp_path / "transcripts" / "skole9-nlp.md")
    shutil.copy(DATA / "codebook.yaml", tmp_path / "codebooks" / "lfa.yaml")
    (tmp_path / "lfa-qual.yaml").write_text("coder: tester\n", encoding="utf-8")
    return tmp_path


def test_suggest_files_jsonl_reads_files_directly_and_stores_nothing(folder, capsys):
    path = folder / "transcripts" / "skole9-nlp.md"
    code = main(["suggest", "--project", str(folder), "--format", "jsonl", str(path)])
    out, err = capsys.readouterr()
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert records and "suggestion(s) for 1 file(s)" in err
    keys = {"interview", "turn", "speaker", "role", "school", "start", "end", "code", "score"}
    assert keys | {"evidence", "pipeline"} <= set(records[0])
    text = path.read_text(encoding="utf-8")
    pit = next(r for r in records if r["code"] == "pit")
    assert (pit["speaker"], pit["role"], pit["school"]) == ("PIT1", "PIT-medarbejder", "Skole 9")
    for r in records:
        for e in r["evidence"]:
            assert text[e["start"] : e["end"]] == e["word"]
    assert not (folder / "lfa-qual.db").exists()


def test_suggest_csv_and_min_score(folder, capsys):
    path = folder / "transcripts" / "skole9-nlp.md"
    main(["suggest", "--project", str(folder), "--format", "csv", "--min-score", "0.6", str(path)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("interview,turn,speaker,role,school")
    assert len(lines) > 1
    assert all(float(line.split(",")[9]) >= 0.6 for line in lines[1:] if line.count(",") >= 11)


def test_suggest_csv_has_the_passage_text_in_both_modes(folder, capsys):
    import csv
    import io

    path = folder / "transcripts" / "skole9-nlp.md"
    text = path.read_text(encoding="utf-8")
    assert main(["suggest", "--project", str(folder), "--format", "csv", str(path)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and all(r["text"] == text[int(r["start"]) : int(r["end"])] for r in rows)
    assert main(["suggest", "--project", str(folder)]) == 0
    capsys.readouterr()
    assert main(["suggest", "--project", str(folder), "--list", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and all(r["text"] and r["text"] in text for r in rows)


def test_suggest_accept_reject_on_the_project(folder, capsys):
    assert main(["suggest", "--project", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert "stored" in err and "PIT-medarbejderne→PIT (compound)" in out
    ids = [int(line.split()[0]) for line in out.splitlines()[2:]]
    assert main(["accept", "--project", str(folder), str(ids[0])]) == 0
    assert f"accepted suggestion {ids[0]}: coding" in capsys.readouterr().out
    assert main(["reject", "--project", str(folder), str(ids[1]), "--coder", "forsker2"]) == 0
    assert f"rejected suggestion {ids[1]}" in capsys.readouterr().out
    assert main(["accept", "--project", str(folder), str(ids[1])]) == 2
    assert "already rejected by forsker2" in capsys.readouterr().err
    with Project(folder) as project:
        assert [c.source for c in project.codings()] == ["suggestion"]


def test_suggest_list_shows_stored_without_recomputing(folder, capsys):
    main(["suggest", "--project", str(folder), "--format", "jsonl"])
    first = capsys.readouterr().out.splitlines()
    main(["suggest", "--project", str(folder), "--list", "--format", "jsonl"])
    out, err = capsys.readouterr()
    assert out.splitlines() == first and "stored" not in err
    assert all("id" in json.loads(line) for line in first)


def test_missing_pipeline_is_a_clear_user_error(folder, capsys):
    path = folder / "transcripts" / "skole9-nlp.md"
    code = main(["suggest", "--project", str(folder), "--pipeline", "da_nonexistent_xx", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "da_nonexistent_xx" in err and "never downloads" in err


def test_bad_options_and_unreadable_file_exit_2(folder, capsys):
    assert main(["suggest", "--project", str(folder), "--min-score", "2"]) == 2
    assert "--min-score" in capsys.readouterr().err
    assert main(["suggest", "--project", str(folder), str(folder / "nope.md")]) == 2
    assert "nope.md" in capsys.readouterr().err


def test_version_and_doctor_name_the_pipeline(folder, capsys):
    assert main(["--version"]) == 0
    assert "NLP pipeline: blank:da lookup (spaCy" in capsys.readouterr().out
    assert main(["doctor", "--project", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "kulturkrigen → kulturkrig" in out and "fallback" in out
    assert "tokenizer: spaCy's rules, checked against this spaCy, run without importing it" in out
