from __future__ import annotations

import shutil

import pytest

from lfa_qual.codings import find_quote
from lfa_qual.errors import CodebookError, LfaError
from lfa_qual.importer import ChangedTranscriptError
from lfa_qual.project import Project
from lfa_qual.store import SCHEMA_VERSION, Store


def test_store_pragmas_and_schema(tmp_path):
    with Store(tmp_path / "s.db") as store:
        assert store.version == SCHEMA_VERSION
        assert store.read_one("PRAGMA journal_mode")[0] == "wal"
        assert store.read_one("PRAGMA foreign_keys")[0] == 1
        assert store.integrity_ok()


def test_transcript_round_trip(small_project):
    from lfa_qual.readers import read_transcript

    original = read_transcript(small_project.transcripts_dir / "skole9-skoleleder.md")
    stored = small_project.transcript("skole9-skoleleder")
    assert stored.text == original.text and stored.sha256 == original.sha256
    assert stored.turns == original.turns
    assert stored.speakers == original.speakers
    assert (stored.school, stored.date, stored.kind) == (
        "Skole 3",
        "2021-04",
        "individuelt interview",
    )
    rows = {r.interview: r for r in small_project.transcript_rows()}
    assert rows["skole9-personale"].roles == ("Skolemedarbejder", "PIT-medarbejder", "Elev 4")
    assert rows["skole9-skoleleder"].pages == 2
    assert rows["skole9-skoleleder"].words == original.words


def test_codings_survive_a_restart(small_project):
    root = small_project.root
    coding = small_project.code(
        "skole9-skoleleder", "mindset", quote="Vi flytter blikket fra barnet", memo="kerne"
    )
    small_project.close()
    with Project(root) as reopened:
        [again] = reopened.codings()
        assert again == coding
        assert reopened.view(again).text == "Vi flytter blikket fra barnet"
        assert again.coder == "tester" and again.source == "manual" and again.memo == "kerne"
        assert len(again.guid) == 36


def test_coding_rules(small_project):
    p = small_project
    s = p.transcript("skole9-skoleleder").text.index("PIT-teamet")
    c = p.code("skole9-skoleleder", "pit", start=s, end=s + 3)
    assert c.end - c.start == 3
    with pytest.raises(LfaError, match="outside the text"):
        p.code("skole9-skoleleder", "pit", start=10, end=10**6)
    with pytest.raises(LfaError, match="unknown code"):
        p.code("skole9-skoleleder", "nope", quote="PIT-teamet")
    with pytest.raises(LfaError, match="already has code"):
        p.code("skole9-skoleleder", "pit", start=s, end=s + 3)
    with pytest.raises(LfaError, match="no transcript"):
        p.code("skole7", "pit", start=0, end=3)
    removed = p.uncode(c.id)
    assert removed.id == c.id and p.codings() == []


def test_a_span_without_speech_is_refused(small_project):
    p = small_project
    text = p.transcript("skole9-skoleleder").text
    marker = text.index("[side 2]")
    label = text.index("SL: [00:01:05]")
    for start, end, where in [
        (0, 3, "front matter"),
        (10, 40, "front matter"),
        (marker, marker + len("[side 2]"), "page marker"),
        (label, label + len("SL: [00:01:05]"), "speaker label"),
        (label + 4, label + len("SL: [00:01:05] "), "timestamp"),
        (marker - 2, marker + len("[side 2]\n"), "page marker"),
    ]:
        with pytest.raises(LfaError, match=f"cover no speech.*{where}") as err:
            p.code("skole9-skoleleder", "pit", start=start, end=end)
        assert err.value.field == "start/end"
    # Speech plus its label, or a label with the speech after the marker, is a coding.
    c = p.code("skole9-skoleleder", "pit", start=label, end=label + len("SL: [00:01:05] Altså"))
    assert text[c.start : c.end] == "SL: [00:01:05] Altså"
    c2 = p.code("skole9-skoleleder", "mindset", start=marker, end=text.index("Hvad med") + 4)
    assert text[c2.start : c2.end].endswith("Hvad")
    assert [x.id for x in p.codings()] == sorted([c.id, c2.id])


def test_find_quote_whitespace_and_ambiguity():
    text = "Vi gav sparring.\nVi gav  sparring igen."
    assert find_quote(text, "sparring igen") == (text.index("sparring igen"), len(text) - 1)
    with pytest.raises(LfaError, match="occurs 2 times"):
        find_quote(text, "Vi gav sparring")
    start, _ = find_quote(text, "Vi gav sparring", occurrence=2)
    assert start == text.index("Vi gav  sparring")
    with pytest.raises(LfaError, match="not found"):
        find_quote(text, "brandslukning")


def test_reimport_unchanged_is_a_noop_and_changed_coded_is_refused(small_project):
    _, report = small_project.sync()
    assert report.added == [] and len(report.unchanged) == 2
    small_project.code("skole9-skoleleder", "mindset", quote="Vi flytter blikket")
    path = small_project.transcripts_dir / "skole9-skoleleder.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("efteråret", "foråret"), encoding="utf-8"
    )
    with pytest.raises(ChangedTranscriptError) as info:
        small_project.import_files([path])
    assert "skole9-skoleleder" in str(info.value) and "1 codings" in str(info.value)
    assert "efteråret" in small_project.transcript("skole9-skoleleder").text


def test_a_bad_file_is_left_out_and_the_good_ones_are_imported(small_project, data_dir):
    # Before: one bad file stopped the sync of every file (and so every command).
    bad = small_project.transcripts_dir / "zz-bad.md"
    bad.write_text("---\nschool: Skole 1\ndate: 2021\nspeakers: {I: x}\n---\nI: hej\n", "utf-8")
    new = small_project.transcripts_dir / "new.md"
    shutil.copy(data_dir / "formats" / "skole9-skoleleder.md", new)
    new.write_text(
        new.read_text("utf-8").replace("interview: skole9-skoleleder", "interview: ny"), "utf-8"
    )
    _, report = small_project.sync()
    [failed] = report.failed
    assert failed.path == bad and "bad date" in str(failed.problems[0])
    assert {r.interview for r in small_project.transcript_rows()} == {
        "skole9-skoleleder",
        "skole9-personale",
        "ny",
    }
    # `import_files`, the Python API for a given set of files, stays all or nothing.
    new.write_text(new.read_text("utf-8").replace("interview: ny", "interview: ny2"), "utf-8")
    with pytest.raises(LfaError, match="bad date"):
        small_project.import_files([new, bad])
    assert "ny2" not in {r.interview for r in small_project.transcript_rows()}


def test_duplicate_interview_ids_are_refused(small_project, data_dir):
    copy = small_project.transcripts_dir / "copy.md"
    shutil.copy(data_dir / "formats" / "skole9-skoleleder.md", copy)
    text = copy.read_text("utf-8")
    copy.write_text(text.replace("Altså, vi startede", "Vi startede"), "utf-8")
    _, report = small_project.sync()
    # Both files are refused, each naming the other; the stored transcript stays as it was.
    assert sorted(f.path.name for f in report.failed) == ["copy.md", "skole9-skoleleder.md"]
    assert all("also used by" in str(f.problems[0]) for f in report.failed)
    assert "Altså, vi startede" in small_project.transcript("skole9-skoleleder").text


def test_codebook_changes_never_lose_codings(small_project):
    p = small_project
    coding = p.code("skole9-personale", "timer_37", quote="Det er en 37-timers-sag.")
    cb_path = p.codebook_path
    text = cb_path.read_text("utf-8")
    # Removing a code in use is refused, listing the codings.
    cb_path.write_text(
        text.replace(
            "      - id: timer_37\n        label: 37-timers-sager\n        keywords: [37 timer]\n",
            "",
        ),
        "utf-8",
    )
    with pytest.raises(CodebookError) as info:
        p.sync_codebook()
    assert f"coding {coding.id} in skole9-personale" in str(info.value)
    assert [c.code for c in p.codings()] == ["timer_37"]
    # Renaming with renamed_from moves the codings.
    cb_path.write_text(
        text.replace("id: timer_37", "id: timer37\n        renamed_from: timer_37"), "utf-8"
    )
    report = p.sync_codebook()
    assert report.renamed == [("timer_37", "timer37")]
    assert [c.code for c in p.codings()] == ["timer37"]
    # A code without codings may go.
    cb_path.write_text(
        cb_path.read_text("utf-8").replace(
            "  - id: foraeldre\n    label: Forældre\n    keywords: [forælder]\n", ""
        ),
        "utf-8",
    )
    assert p.sync_codebook().removed == ["foraeldre"]


def test_memos(small_project):
    from lfa_qual.codings import get_memo, set_memo

    set_memo(small_project.store, "code", "pit", "Husk netværket", "tester")
    set_memo(small_project.store, "code", "pit", "Husk PIT-netværket", "tester")
    assert get_memo(small_project.store, "code", "pit") == "Husk PIT-netværket"
    set_memo(small_project.store, "code", "pit", "", "tester")
    assert get_memo(small_project.store, "code", "pit") == ""


def test_nested_transactions_are_savepoints(tmp_path):
    with Store(tmp_path / "s.db") as store:
        with store.transaction() as conn:
            conn.execute("INSERT INTO meta VALUES ('a', '1')")
            with pytest.raises(LfaError), store.transaction() as inner:
                inner.execute("INSERT INTO meta VALUES ('b', '2')")
                raise LfaError("inner action refused")
            with store.transaction() as inner:
                inner.execute("INSERT INTO meta VALUES ('c', '3')")
        assert [r[0] for r in store.read("SELECT key FROM meta ORDER BY key")] == ["a", "c"]
        with pytest.raises(RuntimeError), store.transaction() as conn:
            conn.execute("INSERT INTO meta VALUES ('d', '4')")
            with store.transaction() as inner:
                inner.execute("INSERT INTO meta VALUES ('e', '5')")
            raise RuntimeError("outer fails after the inner block finished")
        assert [r[0] for r in store.read("SELECT key FROM meta ORDER BY key")] == ["a", "c"]
