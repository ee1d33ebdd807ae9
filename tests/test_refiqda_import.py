"""REFI-QDA import: the round trip, vendor-style archives, a co-author's coding coming back,
idempotence, sources without a header, and codebooks (.qdc)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from refiqda_util import DATA, assert_valid, code_some, example_project, zip_folder

from lfa_qual.cli import main
from lfa_qual.codebook import load_codebook
from lfa_qual.codings import get_memo
from lfa_qual.names.review import accept, project_suspects
from lfa_qual.project import Project

TIMES = re.compile(rb' (?:modified|creation)DateTime="[^"]*"')
EXPECTED = {("sparring hver uge", "pit_sparring"), ("fast kontaktperson", "foraeldre")}


def codings(root: Path) -> set[tuple]:
    with Project(root) as p:
        return {(c.interview, c.start, c.end, c.code, c.coder, c.memo) for c in p.codings()}


def coded_text(root: Path) -> set[tuple[str, str]]:
    with Project(root) as p:
        return {(p.view(c).text, c.code) for c in p.codings()}


def init(root: Path) -> Path:
    assert main(["init", str(root)]) == 0
    return root


def test_round_trip_of_the_example_project(tmp_path, capsys) -> None:
    first = tmp_path / "first"
    project = example_project(first)
    code_some(project)
    project.close()
    a = tmp_path / "a.qdpx"
    assert main(["--project", str(first), "export", "qdpx", "--out", str(a)]) == 0
    second = init(tmp_path / "second")
    assert main(["--project", str(second), "import", str(a), "--codebook", "replace"]) == 0
    out = capsys.readouterr().out
    assert "imported 11 new transcript(s), 3 coding(s), 3 memo(s)" in out
    assert "Mindset og børne- og ungesyn → mindset (new)" in out
    # The allow-list of the names check is the project's own review, not carried: the second
    # project's researcher reviews the suspects again before exporting whole transcripts.
    assert (
        main(["--project", str(second), "export", "qdpx", "--out", str(tmp_path / "x.qdpx")]) == 2
    )
    with Project(second) as p:
        for record in project_suspects(p):
            accept(p, record, "forsker1")
    b = tmp_path / "b.qdpx"
    assert main(["--project", str(second), "export", "qdpx", "--out", str(b)]) == 0
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        assert za.namelist() == zb.namelist()
        for name in za.namelist():
            if name.startswith("sources/"):
                assert za.read(name) == zb.read(name), name
        assert TIMES.sub(b"", za.read("project.qde")) == TIMES.sub(b"", zb.read("project.qde"))
        assert_valid(zb.read("project.qde"), "Project-mrt2019.xsd", required=False)
    for f in (first / "transcripts").iterdir():  # the transcripts, byte for byte
        assert (second / "transcripts" / f.name).read_text("utf-8") == f.read_text("utf-8")
    assert codings(first) == codings(second)
    # The codebook's texts come back from the folded descriptions.
    old, new = (
        load_codebook(first / "codebooks" / "lfa.yaml"),
        load_codebook(second / "codebooks" / "lfa.yaml"),
    )
    fields = ("id", "label", "description", "include", "exclude", "examples", "keywords", "roles")
    for x, y in zip(old.codes, new.codes, strict=True):
        assert [getattr(x, f) for f in fields] == [getattr(y, f) for f in fields]
        assert (x.parent, x.color) == (y.parent, y.color)
    with Project(second) as p:
        assert get_memo(p.store, "code", "pit") == "Kodememo om PIT"
        assert get_memo(p.store, "project", "") == "Projektmemo"


def test_importing_the_same_archive_twice_changes_nothing(tmp_path, capsys) -> None:
    first = tmp_path / "first"
    code_some(example_project(first))
    a = tmp_path / "a.qdpx"
    assert main(["--project", str(first), "export", "qdpx", "--out", str(a)]) == 0
    second = init(tmp_path / "second")
    args = ["--project", str(second), "import", str(a), "--codebook", "replace"]
    assert main(args) == 0
    before = codings(second), sorted(p.name for p in (second / "transcripts").iterdir())
    capsys.readouterr()
    assert main(args) == 0
    assert (
        "imported 0 new transcript(s), 0 coding(s), 0 memo(s); 3 coding(s) were already there"
        in (capsys.readouterr().out)
    )
    assert (codings(second), sorted(p.name for p in (second / "transcripts").iterdir())) == before
    assert len(list(second.glob("lfa-qual.pre-import-*.db"))) == 1  # no backup the second time
    # Merging into the project the archive came from changes nothing either.
    assert main(["--project", str(first), "import", str(a)]) == 0
    assert len(codings(first)) == 3


def test_a_co_authors_coding_comes_back_onto_the_same_transcript(tmp_path, capsys) -> None:
    """The co-author's tool re-saved the text with CRLF, dropped the final line break, and
    added a user and a coding."""
    first = tmp_path / "first"
    code_some(example_project(first))
    a = tmp_path / "a.qdpx"
    assert main(["--project", str(first), "export", "qdpx", "--out", str(a)]) == 0
    with zipfile.ZipFile(a) as zf:
        qde = zf.read("project.qde").decode("utf-8")
        text = zf.read("sources/skole3-elev4.txt").decode("utf-8")
    crlf = text.replace("\n", "\r\n")
    quote = "holdet"
    start = crlf.index(quote)
    user = "5E5E5E5E-0000-4000-8000-000000000001"
    qde = qde.replace("<Users>", f'<Users>\n    <User guid="{user}" name="medforfatter"/>')
    pit = re.search(r'<Code guid="([^"]+)" name="Holddannelse', qde)[1]
    selection = (
        f'<PlainTextSelection guid="5E5E5E5E-0000-4000-8000-000000000002" '
        f'startPosition="{start}" endPosition="{start + len(quote)}" creatingUser="{user}">'
        f'<Coding guid="5E5E5E5E-0000-4000-8000-000000000003" creatingUser="{user}">'
        f'<CodeRef targetGUID="{pit}"/></Coding></PlainTextSelection>'
    )
    qde = re.sub(
        r'(<TextSource guid="[^"]+" name="skole3-elev4"[^>]*>)', lambda m: m[1] + selection, qde
    )
    back = tmp_path / "back.qdpx"
    with zipfile.ZipFile(a) as src, zipfile.ZipFile(back, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "project.qde":
                data = qde.encode("utf-8")
            elif name.startswith("sources/"):
                # CRLF, and without the last line break (a tool may drop it)
                data = data.decode("utf-8").replace("\n", "\r\n").rstrip().encode("utf-8")
            dst.writestr(name.replace("sources/", "Sources/"), data)
    capsys.readouterr()
    assert main(["--project", str(first), "import", str(back)]) == 0
    out = capsys.readouterr().out
    assert "imported 0 new transcript(s), 1 coding(s)" in out
    added = [c for c in codings(first) if c[4] == "medforfatter"]
    assert len(added) == 1 and added[0][0] == "skole3-elev4"
    with Project(first) as p:
        assert p.transcript("skole3-elev4").text[added[0][1] : added[0][2]] == quote


@pytest.mark.parametrize(
    ("vendor", "extra"),
    [
        ("atlasti", []),  # CRLF text, a CRLF counted as one character (origin ATLAS.ti)
        ("maxqda", []),  # CRLF text counted as two, in a capitalised Sources/ folder
        ("nvivo", ["--positions", "utf16"]),  # no internal://, a BOM, UTF-16 positions
        ("qualcoder", []),  # the text inline as PlainTextContent
    ],
)
def test_vendor_style_archives_import_with_correct_positions(tmp_path, vendor, extra, capsys):
    archive = zip_folder(DATA / vendor, tmp_path / f"{vendor}.qdpx")
    if vendor == "atlasti":  # no variables: school and date come from the sidecar
        (tmp_path / "atlasti.qdpx.yaml").write_text(
            'sources:\n  "Lærer, Skole 2":\n    school: Skole 2\n    date: 2021-05\n',
            encoding="utf-8",
        )
    root = init(tmp_path / "p")
    assert main(["--project", str(root), "import", str(archive), *extra]) == 0
    out = capsys.readouterr().out
    assert "skipped: Skoleplan: a PDF source" in out
    assert coded_text(root) == EXPECTED
    with Project(root) as p:
        (t,) = [p.transcript(r.interview) for r in p.transcript_rows()]
        assert (t.school, t.date[:7]) == ("Skole 2", "2021-05")
        assert {s.role for s in t.speakers.values()} == {"Interviewer", "L"}
        assert {c.coder for c in p.codings()} == {"Medforsker"}
        assert p.view(p.codings()[0]).citation.startswith("(L, Skole 2, maj 2021")


def test_counting_crlf_wrongly_is_what_the_option_corrects(tmp_path) -> None:
    archive = zip_folder(DATA / "maxqda", tmp_path / "m.qdpx")
    root = init(tmp_path / "p")
    assert main(["--project", str(root), "import", str(archive), "--crlf", "one"]) == 0
    assert coded_text(root) != EXPECTED  # positions shifted by one per line break


def test_a_source_without_school_or_date_asks_for_the_sidecar(tmp_path, capsys) -> None:
    archive = zip_folder(DATA / "atlasti", tmp_path / "a.qdpx")
    root = init(tmp_path / "p")
    yaml_before = (root / "codebooks" / "lfa.yaml").read_text("utf-8")
    assert main(["--project", str(root), "import", str(archive)]) == 2
    err = capsys.readouterr().err
    assert "a.qdpx [Sources]" in err and "lack a school or date" in err
    assert "a.qdpx.yaml" in err and '"Lærer, Skole 2":' in err  # a template to fill in
    assert (root / "codebooks" / "lfa.yaml").read_text("utf-8") == yaml_before
    assert not list((root / "transcripts").iterdir())


def test_codebook_import_writes_a_review_file_then_applies_with_a_backup(tmp_path, capsys):
    first = tmp_path / "first"
    example_project(first).close()
    qdc = tmp_path / "kodebog.qdc"
    assert main(["--project", str(first), "export", "qdc", "--out", str(qdc)]) == 0
    text = qdc.read_text("utf-8")
    # A co-author's new code under PIT, and one whose name makes an id that is taken.
    new = (
        '<Code guid="7A7A7A7A-0000-4000-8000-000000000001" name="PIT-netværk" isCodable="true" '
        'color="#123"><Description>Netværket på tværs af skoler.</Description></Code>'
    )
    text = re.sub(
        r'(name="PIT – Pædagogisk indsatsteam"[^>]*>\s*<Description>[^<]*</Description>)',
        lambda m: m[1] + new,
        text,
    )
    text = text.replace(
        "</Codes>",
        '<Code guid="7A7A7A7A-0000-4000-8000-000000000002" name="Mindset" isCodable="true"/></Codes>',
    )
    qdc.write_text(text, encoding="utf-8")
    root = init(tmp_path / "p")
    shutil.copy(first / "codebooks" / "lfa.yaml", root / "codebooks" / "lfa.yaml")
    codebook = root / "codebooks" / "lfa.yaml"
    before = codebook.read_text("utf-8")
    capsys.readouterr()
    assert main(["--project", str(root), "import", str(qdc)]) == 0
    out = capsys.readouterr().out
    assert "PIT-netværk → pit_netvaerk (new)" in out
    assert "Mindset → mindset_2 (new) (id 'mindset' was taken)" in out
    assert codebook.read_text("utf-8") == before  # only the review file is written
    merged = load_codebook(root / "codebooks" / "lfa.merged.yaml")
    assert merged.get("pit_netvaerk").parent == "pit"
    assert merged.get("pit_netvaerk").color == "#112233"
    assert main(["--project", str(root), "import", str(qdc), "--apply"]) == 0
    backups = list((root / "codebooks").glob("lfa.before-import-*.yaml"))
    assert len(backups) == 1 and backups[0].read_text("utf-8") == before
    assert before.splitlines()[0] in codebook.read_text("utf-8")  # comments kept
    with Project(root) as p:
        row = p.store.read_one("SELECT guid FROM codes WHERE id='pit_netvaerk'")
        assert row["guid"] == "7A7A7A7A-0000-4000-8000-000000000001"


def test_a_renamed_source_with_new_guids_is_found_by_its_text(tmp_path, capsys) -> None:
    """A tool that gives everything new GUIDs and renames a source: the text decides which
    transcript it is; our own codings coming back with new GUIDs are repeats, not new codings."""
    first = tmp_path / "first"
    code_some(example_project(first))
    a = tmp_path / "a.qdpx"
    assert main(["--project", str(first), "export", "qdpx", "--out", str(a)]) == 0
    with zipfile.ZipFile(a) as zf:
        qde = zf.read("project.qde").decode("utf-8")
        texts = {n: zf.read(n) for n in zf.namelist() if n != "project.qde"}
    guids = sorted(set(re.findall(r'guid="([0-9A-F-]{36})"', qde)))
    for n, guid in enumerate(guids):  # every GUID new (references follow)
        qde = qde.replace(guid, f"9{n:07d}-0000-4000-8000-000000000000")
    qde = qde.replace('name="skole1-skoleleder"', 'name="Skole 1 skoleleder"')
    back = tmp_path / "back.qdpx"
    with zipfile.ZipFile(back, "w") as zf:
        zf.writestr("project.qde", qde)
        for name, data in texts.items():
            zf.writestr(name, data)
    before = codings(first)
    capsys.readouterr()
    assert main(["--project", str(first), "import", str(back)]) == 0
    out = capsys.readouterr().out
    assert "Skole 1 skoleleder = skole1-skoleleder" in out
    assert "imported 0 new transcript(s), 0 coding(s)" in out
    assert "3 coding(s) repeat a coding by the same coder: skipped" in out
    assert codings(first) == before


def test_a_byte_order_mark_before_the_xml_declaration_is_accepted(tmp_path) -> None:
    decl = '<?xml version="1.0" encoding="utf-8"?>'
    archive = zip_folder(DATA / "qualcoder", tmp_path / "bom.qdpx", {decl: "\ufeff" + decl})
    with zipfile.ZipFile(archive) as zf:
        assert zf.read("project.qde").startswith(b"\xef\xbb\xbf<?xml")
    root = init(tmp_path / "p")
    assert main(["--project", str(root), "import", str(archive)]) == 0
    assert coded_text(root) == EXPECTED


FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Andet værktøj" origin="Andet 1.0">
  <CodeBook><Codes>
    <Code guid="6B6B6B6B-0000-4000-8000-000000000001" name="Trivsel" isCodable="true"/>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="6B6B6B6B-0000-4000-8000-000000000011" name="School" typeOfVariable="Text"/>
    <Variable guid="6B6B6B6B-0000-4000-8000-000000000012" name="Date" typeOfVariable="DateTime"/>
    <Variable guid="6B6B6B6B-0000-4000-8000-000000000013" name="Interview" typeOfVariable="Text"/>
  </Variables>
  <Sources>
    <TextSource guid="6B6B6B6B-0000-4000-8000-000000000021" name="Interview 7">
      <PlainTextContent>{text}</PlainTextContent>
      <PlainTextSelection guid="6B6B6B6B-0000-4000-8000-000000000031" startPosition="{s}" endPosition="{e}">
        <Coding guid="6B6B6B6B-0000-4000-8000-000000000041">
          <CodeRef targetGUID="6B6B6B6B-0000-4000-8000-000000000001"/>
        </Coding>
      </PlainTextSelection>
      <VariableValue><VariableRef targetGUID="6B6B6B6B-0000-4000-8000-000000000011"/><TextValue>Skole 3</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="6B6B6B6B-0000-4000-8000-000000000012"/><DateTimeValue>2021-08-19T10:00:00</DateTimeValue></VariableValue>
      <VariableValue><VariableRef targetGUID="6B6B6B6B-0000-4000-8000-000000000013"/><TextValue>skole3-foraelder9</TextValue></VariableValue>
    </TextSource>
  </Sources>
</Project>
"""


def test_a_foreign_text_gets_a_front_matter_from_variables_and_labels(tmp_path) -> None:
    text = (
        "Interview med en forælder\n\n"
        "Interviewer: Hvordan trives jeres datter?\n"
        "Forælder: Hun trives godt nu.\n"
        "[side 2]\n"
        "Interviewer: Og kontakten til skolen?\n"
        "Forælder: Vi har en fast kontaktperson, og det gør en stor forskel.\n"
    )
    quote = "fast kontaktperson"
    s = text.index(quote)
    archive = tmp_path / "andet.qdpx"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("project.qde", FOREIGN.format(text=text, s=s, e=s + len(quote)))
    root = init(tmp_path / "p")
    assert main(["--project", str(root), "import", str(archive)]) == 0
    with Project(root) as p:
        t = p.transcript("skole3-foraelder9")
        assert (t.school, t.date) == ("Skole 3", "2021-08-19")
        assert t.speakers["Interviewer"].interviewer
        assert t.speakers["Forælder"].role == "Forælder"
        assert t.speakers["TEKST"].role == "Tekst"  # the heading before the first label
        (c,) = p.codings()
        assert (p.view(c).text, c.code, c.coder) == (quote, "trivsel", p.coder)
        assert p.view(c).citation == "(Forælder, Skole 3, august 2021, 2)"
    written = (root / "transcripts" / "skole3-foraelder9.md").read_text("utf-8")
    assert written.endswith(text)  # the text itself is unchanged behind its front matter
