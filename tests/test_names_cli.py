"""`lfa-qual names`, `pseudonymise` and the export gate, through the CLI and a real store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lfa_qual.cli import main
from lfa_qual.names.scan import FIELDS
from lfa_qual.project import Project

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent

LEAKY = """---
interview: skole9-elev7
school: Skole 9
date: 2021-05
kind: elevinterview
speakers:
  I: {role: Interviewer, interviewer: true}
  E7: {role: Elev 7, grade: 6. klasse}
---
[side 1]
I: Hvem hjælper dig?

E7: Det gør Mette fra PIT. Hun er sød, og Elev 4 siger det også.

E7: Vi går på læseholdet om tirsdagen, og det er godt.
"""


@pytest.fixture
def leaky(tmp_path: Path) -> Path:
    """A project with one transcript that names a PIT member, and a clean one."""
    root = tmp_path / "projekt"
    (root / "transcripts").mkdir(parents=True)
    (root / "codebooks").mkdir()
    shutil.copy(REPO / "codebooks" / "lfa.yaml", root / "codebooks" / "lfa.yaml")
    shutil.copy(DATA / "formats" / "skole9-skoleleder.md", root / "transcripts")
    (root / "transcripts" / "skole9-elev7.md").write_text(LEAKY, encoding="utf-8")
    (root / "lfa-qual.yaml").write_text("coder: forsker1\n", encoding="utf-8")
    return root


def run(root: Path, *args: str) -> int:
    return main(["--project", str(root), *args])


def jsonl(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_names_lists_suspects_as_jsonl_and_exits_1(leaky: Path, capsys) -> None:
    assert run(leaky, "names", "--format", "jsonl") == 1
    [record] = jsonl(capsys)
    assert list(record) == FIELDS
    assert record["interview"] == "skole9-elev7"
    assert (record["text"], record["kind"], record["line"]) == ("Mette", "person", 13)
    text = (leaky / "transcripts" / "skole9-elev7.md").read_text(encoding="utf-8")
    assert text[record["start"] : record["end"]] == "Mette"
    assert record["column"] == text.splitlines()[12].index("Mette") + 1


def test_names_csv_has_the_fields_as_header(leaky: Path, capsys) -> None:
    assert run(leaky, "names", "--format", "csv") == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(FIELDS) and len(lines) == 2


def test_accept_keeps_who_and_when_and_clears_the_suspect(leaky: Path, capsys) -> None:
    assert run(leaky, "--coder", "forsker2", "names", "--accept", "1") == 0
    assert "'Mette' is not a name (by forsker2)" in capsys.readouterr().out
    with Project(leaky) as project:
        row = project.store.read_one("SELECT * FROM names_allowed")
    assert (row["text"], row["accepted_by"], row["interview"]) == (
        "mette",
        "forsker2",
        "skole9-elev7",
    )
    assert row["accepted_at"].startswith("20")
    assert run(leaky, "names") == 0


def test_accept_of_a_missing_number_is_bad_input(leaky: Path, capsys) -> None:
    assert run(leaky, "names", "--accept", "7") == 2
    assert "no suspect number 7" in capsys.readouterr().err


def test_replace_edits_the_file_after_a_backup_and_keeps_the_coding(leaky: Path, capsys) -> None:
    assert run(leaky, "code", "skole9-elev7", "pit", "--quote", "Det gør Mette fra PIT.") == 0
    assert run(leaky, "names", "--replace", "1", "PIT-medarbejder A") == 0
    out = capsys.readouterr().out
    path = leaky / "transcripts" / "skole9-elev7.md"
    assert "Det gør PIT-medarbejder A fra PIT." in path.read_text(encoding="utf-8")
    [original] = leaky.glob("lfa-qual.names-*.skole9-elev7.md")
    assert original.read_text(encoding="utf-8") == LEAKY
    assert str(original) in out
    with Project(leaky) as project:
        [coding] = project.codings()
        assert project.view(coding).text == "Det gør PIT-medarbejder A fra PIT."
        replaced = project.store.read_one("SELECT * FROM names_replaced")
        assert (replaced["text"], replaced["pseudonym"]) == ("Mette", "PIT-medarbejder A")
    assert list(leaky.glob("lfa-qual.pre-reanchor-*.db"))  # the store, backed up
    assert run(leaky, "names") == 0


def test_names_on_files_without_a_project(tmp_path: Path, capsys) -> None:
    path = tmp_path / "skole9-elev7.md"
    path.write_text(LEAKY, encoding="utf-8")
    assert main(["--project", str(tmp_path), "names", str(path), "--format", "jsonl"]) == 1
    [record] = jsonl(capsys)
    assert record["file"] == str(path) and record["text"] == "Mette"
    clean = DATA / "formats" / "skole9-skoleleder.md"
    assert main(["--project", str(tmp_path), "names", str(clean)]) == 0


def test_names_on_a_bad_file_exits_2(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("no front matter\n", encoding="utf-8")
    assert main(["--project", str(tmp_path), "names", str(bad)]) == 2
    assert "bad.md:1" in capsys.readouterr().err


def test_key_entries_are_certain_leaks_and_pseudonymise_applies_them(
    leaky: Path, tmp_path: Path, capsys
) -> None:
    key = tmp_path / "navnenoegle.yaml"
    key.write_text("Mette: PIT-medarbejder A\nJonas Holm: Elev 8\n", encoding="utf-8")
    config = leaky / "lfa-qual.yaml"
    config.write_text(config.read_text() + "pseudonym_key: ../navnenoegle.yaml\n")
    assert run(leaky, "names", "--format", "jsonl") == 1
    [record] = jsonl(capsys)
    assert (record["kind"], record["score"]) == ("key", 1.0)
    raw = tmp_path / "raw.md"
    raw.write_text(LEAKY.replace("Elev 4 siger", "Jonas Holm siger"), encoding="utf-8")
    out = tmp_path / "skole9-elev8.md"
    assert run(leaky, "pseudonymise", str(raw), str(out)) == 0
    text = out.read_text(encoding="utf-8")
    assert "Det gør PIT-medarbejder A fra PIT" in text and "Elev 8 siger" in text
    assert "replaced 2 name(s)" in capsys.readouterr().err


def test_pseudonymise_without_a_key_is_bad_input(tmp_path: Path, capsys) -> None:
    raw = tmp_path / "raw.md"
    raw.write_text(LEAKY, encoding="utf-8")
    assert main(["--project", str(tmp_path), "pseudonymise", str(raw), str(tmp_path / "o")]) == 2
    assert "no name key" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_malformed_key_is_reported_with_its_line(leaky: Path, tmp_path: Path, capsys) -> None:
    key = tmp_path / "key.yaml"
    key.write_text("Mette: PIT-medarbejder A\nJonas: [Elev\n", encoding="utf-8")
    assert run(leaky, "names", "--key", str(key)) == 2
    err = capsys.readouterr().err
    assert f"{key}:" in err and "not valid YAML" in err and "Traceback" not in err


def test_a_key_inside_the_repository_is_warned_about(leaky: Path, capsys) -> None:
    (leaky / ".git").mkdir()
    (leaky / "key.yaml").write_text("Mette: PIT-medarbejder A\n", encoding="utf-8")
    config = leaky / "lfa-qual.yaml"
    config.write_text(config.read_text() + "pseudonym_key: key.yaml\n")
    assert run(leaky, "names") == 1
    assert "inside the git work tree" in capsys.readouterr().err


def test_quote_export_stops_on_suspects_and_writes_nothing(leaky: Path, capsys) -> None:
    assert run(leaky, "code", "skole9-elev7", "pit", "--quote", "Det gør Mette fra PIT.") == 0
    out = leaky.parent / "citater.md"
    assert run(leaky, "export", "quotes", "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert "1 suspected name(s)" in err and "'Mette' (person" in err
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["md", "docx", "csv", "json", "xlsx"])
def test_allow_names_says_so_in_the_export(leaky: Path, fmt: str) -> None:
    assert run(leaky, "code", "skole9-elev7", "pit", "--quote", "Det gør Mette fra PIT.") == 0
    out = leaky.parent / f"citater.{fmt}"
    assert run(leaky, "export", "quotes", "--out", str(out), "--allow-names") == 0
    if fmt == "docx":
        from docx import Document

        first = Document(str(out)).paragraphs[0].text
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(out).active
        first = f"{sheet.cell(1, 1).value} {sheet.cell(2, 1).value}"
    else:
        first = out.read_text(encoding="utf-8")[:300]
    assert "Navnekontrol tilsidesat (--allow-names)" in first or (
        fmt == "xlsx" and "navnekontrol" in first and "Navnekontrol tilsidesat" in first
    )


def test_a_clean_export_has_no_note(leaky: Path) -> None:
    quote = "Vi går på læseholdet om tirsdagen, og det er godt."
    assert run(leaky, "code", "skole9-elev7", "hold_vs_klasse", "--quote", quote) == 0
    out = leaky.parent / "citater.md"
    assert run(leaky, "export", "quotes", "--out", str(out)) == 0
    text = out.read_text(encoding="utf-8")
    assert quote in text and "Navnekontrol" not in text


def test_the_gate_is_one_function_other_exports_call(leaky: Path) -> None:
    from lfa_qual.names.gate import ExportItem, NamesInExport, check_export

    items = [
        ExportItem("skole9-elev7", "uenighed 1", "Det gør Mette fra PIT."),
        ExportItem("", "uenighed 2", "Ring på 12 34 56 78 til Skole 9."),
        ExportItem("skole9-elev7", "uenighed 3", "Elev 7 går på læseholdet."),
    ]
    with Project(leaky) as project:
        with pytest.raises(NamesInExport) as info:
            check_export(project, items)
        assert [(h.where, h.text, h.kind) for h in info.value.hits] == [
            ("uenighed 1", "Mette", "person"),
            ("uenighed 2", "12 34 56 78", "phone"),
        ]
        assert ": 2 mistænkt" in check_export(project, items, allow_names=True)
        assert check_export(project, items[2:]) is None


def test_a_qdpx_export_carries_whole_transcripts_so_it_passes_the_gate(leaky: Path, capsys) -> None:
    import zipfile

    out = leaky.parent / "projekt.qdpx"
    assert run(leaky, "export", "qdpx", "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert "'Mette' (person" in err and "nothing was written" in err
    assert not out.exists()
    assert run(leaky, "export", "qdpx", "--out", str(out), "--allow-names") == 0
    qde = zipfile.ZipFile(out).read("project.qde").decode("utf-8")
    assert "<Description>Navnekontrol tilsidesat (--allow-names)" in qde


def test_disagreement_excerpts_pass_the_gate(leaky: Path, capsys) -> None:
    quote = "Det gør Mette fra PIT."
    assert run(leaky, "code", "skole9-elev7", "pit", "--quote", quote, "--coder", "A") == 0
    assert run(leaky, "code", "skole9-elev7", "mindset", "--quote", quote, "--coder", "B") == 0
    capsys.readouterr()
    out = leaky.parent / "uenigheder.json"
    args = ("disagreements", "--coders", "A", "B", "--format", "json", "--out", str(out))
    assert run(leaky, *args) == 2
    assert "'Mette' (person" in capsys.readouterr().err and not out.exists()
    assert run(leaky, *args, "--allow-names") == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    assert records and all("Navnekontrol tilsidesat" in r["navnekontrol"] for r in records)
