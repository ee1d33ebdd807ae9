"""REFI-QDA export: schema-valid, stable GUIDs, positions that are the store's offsets."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree
from refiqda_util import NS, assert_valid, code_some, example_project

from lfa_qual.cli import main
from lfa_qual.project import Project


def qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read("project.qde")


def test_export_validates_and_positions_are_store_offsets(tmp_path, capsys) -> None:
    project = example_project(tmp_path / "p")
    code_some(project)
    project.close()
    out = tmp_path / "projekt.qdpx"
    assert main(["--project", str(tmp_path / "p"), "export", "qdpx", "--out", str(out)]) == 0
    assert "3 coding(s)" in capsys.readouterr().err
    xml = qde(out)
    assert xml.startswith(b"<?xml")  # no byte-order mark
    assert_valid(xml, "Project-mrt2019.xsd")
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert all(n == "project.qde" or n.startswith("sources/") for n in names)
        texts = {n: zf.read(n) for n in names if n.startswith("sources/")}
    assert len(texts) == 11 and not any(t.startswith(b"\xef\xbb\xbf") for t in texts.values())
    root = etree.fromstring(xml)
    for src in root.iterfind(".//q:TextSource", NS):
        assert src.get("plainTextPath").startswith("internal://")
        assert src.get("richTextPath") is None
        text = texts["sources/" + src.get("plainTextPath")[len("internal://") :]].decode()
        for sel in src.iterfind("q:PlainTextSelection", NS):
            s, e = int(sel.get("startPosition")), int(sel.get("endPosition"))
            word = "niveau" if src.get("name") == "skole2-personale" else "PIT"
            assert text[s:e] == word
    users = {u.get("name") for u in root.iterfind(".//q:User", NS)}
    assert users == {"forsker1", "forsker2"}
    notes = [
        n.findtext("q:PlainTextContent", namespaces=NS) for n in root.iterfind(".//q:Note", NS)
    ]
    assert sorted(notes) == sorted(
        ["første memo", "Kodememo om PIT", "Interviewmemo", "Projektmemo"]
    )
    assert root.find("q:NoteRef", NS) is not None  # the project memo
    cases = {c.get("name"): len(c) for c in root.iterfind(".//q:Case", NS)}
    assert cases == {"Skole 1": 4, "Skole 2": 3, "Skole 3": 4}
    skole = root.find(".//q:TextSource[@name='skole1-elev1']", NS)
    values = [
        v.findtext("q:TextValue", namespaces=NS) for v in skole.iterfind("q:VariableValue", NS)
    ]
    assert values[:3] == ["skole1-elev1", "Skole 1", "2021-06"]
    assert "E1=Elev 1" in values[-1]  # the speakers and their roles


def test_exporting_twice_gives_the_same_guids_and_bytes_up_to_the_time(tmp_path) -> None:
    project = example_project(tmp_path / "p")
    code_some(project)
    project.close()
    a, b = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    for out in (a, b):
        assert main(["--project", str(tmp_path / "p"), "export", "qdpx", "--out", str(out)]) == 0
    strip = re.compile(rb' modifiedDateTime="[^"]*"')
    assert strip.sub(b"", qde(a)) == strip.sub(b"", qde(b))
    guids = re.findall(rb'guid="([^"]+)"', qde(a))
    assert len(guids) == len(set(guids)) > 30


def test_filters_keep_schools_codes_with_subcodes_and_coders(tmp_path, capsys) -> None:
    project = example_project(tmp_path / "p")
    code_some(project)
    project.close()
    out = tmp_path / "f.qdpx"
    args = ["--project", str(tmp_path / "p"), "export", "qdpx", "--out", str(out)]
    assert main([*args, "--school", "Skole 1", "--code", "pit"]) == 0
    root = etree.fromstring(qde(out))
    assert {s.get("name") for s in root.iterfind(".//q:TextSource", NS)} == {
        "skole1-elev1",
        "skole1-foraelder1",
        "skole1-personale",
        "skole1-skoleleder",
    }
    assert len(root.findall(".//q:Coding", NS)) == 2  # pit and its sub-code pit_balance
    assert main([*args, "--coders", "forsker2"]) == 0
    assert len(etree.fromstring(qde(out)).findall(".//q:Coding", NS)) == 1
    assert main([*args, "--school", "Skole 9"]) == 2
    assert main([*args, "--interview", "skole9-x"]) == 2
    assert main([*args, "--code", "ukendt"]) == 2
    err = capsys.readouterr().err
    assert "unknown school 'Skole 9'; known: Skole 1, Skole 2, Skole 3" in err
    assert "unknown interview 'skole9-x'" in err and "unknown code 'ukendt'" in err


def test_characters_outside_the_bmp_count_as_one_code_point(tmp_path) -> None:
    project = example_project(tmp_path / "p")
    path = project.transcripts_dir / "skole9-emoji.md"
    path.write_text(
        "---\nschool: Skole 3\ndate: 2021-08\nspeakers:\n  E4: {role: Elev 4}\n---\n"
        "E4: Det er sjovt 😀😀 i holdet, og læreren hjælper mig.\n",
        encoding="utf-8",
    )
    project.sync()
    project.code("skole9-emoji", "hold_vs_klasse", quote="læreren hjælper mig")
    project.close()
    out = tmp_path / "e.qdpx"
    assert main(["--project", str(tmp_path / "p"), "export", "qdpx", "--out", str(out)]) == 0
    root = etree.fromstring(qde(out))
    sel = root.find(".//q:TextSource[@name='skole9-emoji']/q:PlainTextSelection", NS)
    with zipfile.ZipFile(out) as zf:
        text = zf.read("sources/skole9-emoji.txt").decode("utf-8")
    s, e = int(sel.get("startPosition")), int(sel.get("endPosition"))
    assert text[s:e] == "læreren hjælper mig"
    assert len(text[:s].encode("utf-16-le")) // 2 == s + 2  # UTF-16 would count two more


def test_codebook_export_validates_and_refuses_project_files(tmp_path, capsys) -> None:
    project = example_project(tmp_path / "p")
    project.close()
    out = tmp_path / "kodebog.qdc"
    root = ["--project", str(tmp_path / "p")]
    assert main([*root, "export", "qdc", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert_valid(data, "Codebook.xsd")
    codes = etree.fromstring(data).iter("{urn:QDA-XML:codebook:1.0}Code")
    assert len(list(codes)) == 14
    store = tmp_path / "p" / "lfa-qual.db"
    assert main([*root, "export", "qdpx", "--out", str(store)]) == 2
    assert "project store" in capsys.readouterr().err
    with Project(tmp_path / "p") as again:
        assert len(again.transcript_rows()) == 11  # still the store
    codebook = tmp_path / "p" / "codebooks" / "lfa.yaml"
    assert main([*root, "export", "qdc", "--out", str(codebook)]) == 2
    assert "codebook" in capsys.readouterr().err


def test_markup_characters_are_escaped_and_what_xml_cannot_hold_is_dropped(tmp_path) -> None:
    project = example_project(tmp_path / "p")
    memo = 'Lærer & PIT <sparring> "tæt på"\n\x0cnæste side'
    project.code("skole1-skoleleder", "pit", quote="PIT", occurrence=1, memo=memo)
    project.close()
    out = tmp_path / "m.qdpx"
    assert main(["--project", str(tmp_path / "p"), "export", "qdpx", "--out", str(out)]) == 0
    assert_valid(qde(out), "Project-mrt2019.xsd", required=False)
    root = etree.fromstring(qde(out))
    (note,) = root.iterfind(".//q:Note", NS)
    assert note.findtext("q:PlainTextContent", namespaces=NS) == memo.replace("\x0c", "")
    assert root.get("name") == "Læringsfællesskaber for alle"


def test_codings_that_need_review_are_left_out_unless_asked_for(tmp_path, capsys) -> None:
    project = example_project(tmp_path / "p")
    code_some(project)
    with project.store.transaction() as conn:
        conn.execute("UPDATE codings SET status = 'needs_review' WHERE code_id = 'indsatser'")
    project.close()
    out = tmp_path / "r.qdpx"
    args = ["--project", str(tmp_path / "p"), "export", "qdpx", "--out", str(out)]
    assert main(args) == 0
    assert len(etree.fromstring(qde(out)).findall(".//q:Coding", NS)) == 2
    assert "need review" in capsys.readouterr().err
    assert main([*args, "--include-needs-review"]) == 0
    assert len(etree.fromstring(qde(out)).findall(".//q:Coding", NS)) == 3
