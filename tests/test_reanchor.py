"""Re-anchoring: codings follow their passage when a transcript is edited after coding."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lfa_qual.cli import main
from lfa_qual.importer import ChangedTranscriptError
from lfa_qual.project import Project
from lfa_qual.reanchor import Alignment, anchor_span, mark_reviewed, needs_review
from lfa_qual.transcript import parse_markdown

REPO = Path(__file__).parent.parent

TRANSCRIPT = """---
interview: skole9-elev
school: Skole 9
date: 2021-06
kind: elevinterview
speakers:
  I: {role: Interviewer, interviewer: true}
  E1: {role: Elev 1, grade: 5. klasse}
  E2: {role: Elev 2, grade: 7. klasse}
---
[side 1]
I: Hvordan er det at gå på læseholdet?

E1: Det er faktisk godt, der er meget mere ro end inde i klassen.

I: Hvad med de andre i klassen?

E2: Nogle siger, det er dummeholdet, men det passer ikke.

[side 2]
E1: Jeg vil gerne tilbage i klassen, når jeg kan læse hurtigere.

E2: Vi har sparring med PIT om tirsdagen, det hjælper lærerne.
"""

PASSAGES = {
    "ro": "der er meget mere ro end inde i klassen",
    "dumme": "Nogle siger, det er dummeholdet",
    "tilbage": "Jeg vil gerne tilbage i klassen",
    "pit": "Vi har sparring med PIT om tirsdagen",
}
CODES = {"ro": "hold_vs_klasse", "dumme": "hold_vs_klasse", "tilbage": "mindset", "pit": "pit"}


def make_project(root: Path) -> Project:
    (root / "transcripts").mkdir()
    (root / "codebooks").mkdir()
    shutil.copy(REPO / "codebooks" / "lfa.yaml", root / "codebooks" / "lfa.yaml")
    (root / "lfa-qual.yaml").write_text("coder: tester\n", encoding="utf-8")
    (root / "transcripts" / "skole9-elev.md").write_text(TRANSCRIPT, encoding="utf-8")
    project = Project(root)
    project.sync()
    return project


@pytest.fixture
def coded(tmp_path: Path):
    project = make_project(tmp_path)
    ids = {k: project.code("skole9-elev", CODES[k], quote=q).id for k, q in PASSAGES.items()}
    yield project, ids
    project.close()


def edit(project: Project, old: str, new: str, count: int = 1) -> None:
    path = project.transcripts_dir / "skole9-elev.md"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def state(project: Project) -> dict[int, tuple[str, str, str | None]]:
    """coding id -> (current text, status, old_text)."""
    t = project.transcript("skole9-elev")
    rows = project.store.read("SELECT id, start, end, status, old_text FROM codings")
    return {r["id"]: (t.text[r["start"] : r["end"]], r["status"], r["old_text"]) for r in rows}


def resync(project: Project):
    _, report = project.sync()
    assert report.updated == ["skole9-elev"]
    (result,) = report.reanchored
    return result, state(project)


def test_insertion_before_moves_every_coding_unchanged(coded):
    project, ids = coded
    edit(project, "I: Hvordan er det", "I: Goddag. Hvordan er det")
    result, now = resync(project)
    assert (result.kept, result.moved, result.review) == (0, 4, 0)
    for key, cid in ids.items():
        assert now[cid] == (PASSAGES[key], "ok", None)


def test_insertion_after_keeps_offsets(coded):
    project, ids = coded
    before = {r["id"]: (r["start"], r["end"]) for r in project.store.read("SELECT * FROM codings")}
    edit(project, "det hjælper lærerne.", "det hjælper lærerne. Og os.")
    result, now = resync(project)
    assert result.kept == 4
    after = {r["id"]: (r["start"], r["end"]) for r in project.store.read("SELECT * FROM codings")}
    assert after == before
    assert all(v[1] == "ok" for v in now.values())


def test_insertion_inside_a_passage_needs_review_and_keeps_old_text(coded):
    project, ids = coded
    edit(project, "Nogle siger, det er", "Nogle af dem siger, det er")
    result, now = resync(project)
    assert result.review == 1
    text, status, old = now[ids["dumme"]]
    assert status == "needs_review"
    assert old == PASSAGES["dumme"]
    assert text == "Nogle af dem siger, det er dummeholdet"
    (item,) = needs_review(project.store)
    assert item.coding_id == ids["dumme"] and "edited" in item.reason
    # The others moved with their text intact.
    for key in ("ro", "tilbage", "pit"):
        assert now[ids[key]] == (PASSAGES[key], "ok", None)


def test_deleted_passage_is_kept_for_review_not_dropped(coded):
    project, ids = coded
    edit(project, "E2: Nogle siger, det er dummeholdet, men det passer ikke.\n\n", "")
    result, now = resync(project)
    assert len(now) == 4, "nothing is dropped"
    text, status, old = now[ids["dumme"]]
    assert status == "needs_review" and old == PASSAGES["dumme"]
    assert text.strip(), "the coding sits on real text of the new transcript"
    assert (
        "deleted" in result.codings[1].reason or "deleted" in needs_review(project.store)[0].reason
    )


def test_reordered_paragraphs_move_with_their_codings(coded):
    project, ids = coded
    a = "E1: Jeg vil gerne tilbage i klassen, når jeg kan læse hurtigere.\n\n"
    b = "E2: Vi har sparring med PIT om tirsdagen, det hjælper lærerne.\n"
    edit(project, a + b, b + "\n" + a.rstrip("\n") + "\n")
    result, now = resync(project)
    assert result.review == 0
    for key, cid in ids.items():
        assert now[cid] == (PASSAGES[key], "ok", None)


def test_changed_speaker_label_needs_review(coded):
    project, ids = coded
    edit(project, "E1: Det er faktisk godt", "E2: Det er faktisk godt")
    result, now = resync(project)
    text, status, old = now[ids["ro"]]
    assert (text, status, old) == (PASSAGES["ro"], "needs_review", PASSAGES["ro"])
    (item,) = needs_review(project.store)
    assert "speaker changed from Elev 1, 5. klasse to Elev 2, 7. klasse" in item.reason
    assert project.cite(project.codings(codes=["hold_vs_klasse"])[0]).startswith("(Elev 2")


def test_rewrapped_lines_count_as_unchanged(coded):
    project, ids = coded
    edit(project, "men det passer ikke.", "men det\npasser ikke.")
    edit(project, "Nogle siger, det er", "Nogle siger,\ndet er")
    result, now = resync(project)
    text, status, _ = now[ids["dumme"]]
    assert status == "ok" and text.split() == PASSAGES["dumme"].split()


def test_review_status_survives_a_second_edit_and_keeps_the_first_text(coded):
    project, ids = coded
    edit(project, "Nogle siger", "Nogle elever siger")
    resync(project)
    edit(project, "Nogle elever siger", "Mange elever siger")
    resync(project)
    _, status, old = state(project)[ids["dumme"]]
    assert status == "needs_review" and old == PASSAGES["dumme"]
    assert mark_reviewed(project.store, [ids["dumme"]]) == 1
    assert state(project)[ids["dumme"]][1] == "ok"
    assert needs_review(project.store) == []
    # Checked, then edited again: the text to compare with is the one that was checked.
    checked = state(project)[ids["dumme"]][0]
    edit(project, "Mange elever siger", "Rigtig mange elever siger")
    resync(project)
    assert state(project)[ids["dumme"]][1:] == ("needs_review", checked)


def test_open_suggestions_move_or_are_dropped(coded):
    project, ids = coded
    t = project.transcript("skole9-elev")

    def evidence(start: int) -> str:
        word = {"start": start, "end": start + 3, "word": "PIT", "keyword": "PIT", "kind": "exact"}
        return json.dumps([word])

    with project.store.transaction() as conn:
        tid = conn.execute("SELECT id FROM transcripts").fetchone()[0]
        for quote, status in (("PIT om tirsdagen", "open"), ("dummeholdet", "open")):
            s = t.text.index(quote)
            conn.execute(
                "INSERT INTO suggestions(guid, transcript_id, start, end, code_id, score, evidence,"
                " pipeline, created, status) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (quote, tid, s, s + len(quote), "pit", 0.5, evidence(s), "test", "now", status),
            )
    edit(project, "I: Hvordan er det", "I: Goddag. Hvordan er det")
    edit(project, "dummeholdet", "dumme-holdet")
    result, _ = resync(project)
    assert (result.suggestions_moved, result.suggestions_dropped) == (1, 1)
    text = project.transcript("skole9-elev").text
    (row,) = project.store.read("SELECT start, end, evidence FROM suggestions")
    assert text[row["start"] : row["end"]] == "PIT om tirsdagen"
    (word,) = json.loads(row["evidence"])
    assert text[word["start"] : word["end"]] == "PIT"


def test_import_refuses_without_reanchor_and_cli_reanchors(coded, capsys):
    project, ids = coded
    edit(project, "I: Hvordan er det", "I: Goddag. Hvordan er det")
    with pytest.raises(ChangedTranscriptError):
        project.import_files([project.transcripts_dir / "skole9-elev.md"])
    root = str(project.root)
    project.close()
    assert main(["import", "--project", root]) == 2
    assert "lfa-qual import --reanchor" in capsys.readouterr().err
    assert main(["import", "--reanchor", "--project", root]) == 0
    err = capsys.readouterr().err
    assert "skole9-elev: text changed; 4 coding(s): 0 kept, 4 moved, 0 need review" in err
    assert list(project.root.glob("lfa-qual.pre-reanchor-*.db")), "backup before re-anchoring"
    with Project(root) as again:
        assert all(v[1] == "ok" for v in state(again).values())


def test_review_command_lists_and_clears(coded, capsys):
    project, ids = coded
    edit(project, "Nogle siger", "Nogle elever siger")
    root = str(project.root)
    project.close()
    assert main(["review", "--project", root]) == 0
    out = capsys.readouterr()
    assert "coding(s) need review" in out.out and "Nogle siger" in out.out
    assert "1 need review" in out.err  # the sync that found the edit reported it
    assert main(["review", "--project", root, "--ok", str(ids["dumme"])]) == 0
    assert "marked 1 coding(s) as checked" in capsys.readouterr().out
    assert main(["review", "--project", root]) == 0
    assert "no codings need review" in capsys.readouterr().out
    assert main(["review", "--project", root, "--ok", "9999"]) == 2


HEADER = "---\nschool: Skole 9\ndate: 2021-06\nspeakers:\n  E1: {role: Elev 1}\n---\nE1: "


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(["skole", "elev", "PIT", "ro", "og", "at", "det", "er", "klasse", "hold"]),
        min_size=5,
        max_size=60,
    ),
    seed=st.integers(0, 10_000),
)
# A span on the last "at at" of "skole at at at at", one "at" cut before it: the passage then
# occurs twice, overlapping, and used to be placed on "at nyt".
@example(words=["skole", "at", "at", "at", "at"], seed=1180)
def test_edits_outside_a_span_never_change_its_text(words, seed):
    """Random edits before and after a span: the span lands on the same words, and is only
    marked for review when those words occur more than once (then it sits on the nearest)."""
    rng = random.Random(seed)
    body = " ".join(words)
    base = len(HEADER)
    starts = [i for i, ch in enumerate(body) if ch != " " and (i == 0 or body[i - 1] == " ")]
    s = rng.choice(starts)
    e = min(len(body), s + rng.randint(1, 25))
    while e < len(body) and body[e] != " ":
        e += 1
    pos_after = rng.randint(e, len(body))
    pos_before = rng.randint(0, s)
    new = body[:pos_after] + rng.choice(["", " nyt ord", "x"]) + body[pos_after:]
    cut = rng.randint(0, min(3, s - pos_before))
    new = new[:pos_before] + rng.choice(["", "indskud "]) + new[pos_before + cut :]
    old_t = parse_markdown(HEADER + body + "\n", "old.md")
    new_t = parse_markdown(HEADER + new + "\n", "new.md")
    anchor = anchor_span(Alignment(old_t.text, new_t.text), base + s, base + e, new_t, old_t)
    passage = body[s:e]
    assert new_t.text[anchor.start : anchor.end].split() == passage.split()
    if anchor.outcome == "review":
        assert "occurs" in anchor.reason


SMALL_TEXT = st.lists(
    st.sampled_from(["a", "b", "ab", " ", "\n", "\n\n", "ro.", "Ærø"]), max_size=40
)


@settings(max_examples=300, deadline=None)
@given(old=SMALL_TEXT.map("".join), new=SMALL_TEXT.map("".join))
def test_alignment_blocks_are_equal_ordered_and_disjoint(old, new):
    al = Alignment(old, new)
    last_a = last_b = 0
    for blk in al.blocks:
        assert blk.size > 0
        assert old[blk.a : blk.a + blk.size] == new[blk.b : blk.b + blk.size]
        assert blk.a >= last_a and blk.b >= last_b
        last_a, last_b = blk.a + blk.size, blk.b + blk.size
    for x in range(len(old) + 1):
        assert 0 <= al.map_start(x) <= len(new)
        if x:
            assert al.map_start(x - 1) <= al.map_end(x) <= len(new)


def test_alignment_of_a_line_appended_after_a_changed_line():
    # A word-level insertion at the very end of a changed region (found by benchmarks/stress.py).
    al = Alignment("x a\nb\n", "y a\nb\nzz\n")
    assert al.map_start(4) == 4 and al.map_end(5) == 5


def test_an_edited_passage_does_not_jump_to_a_repeated_copy_of_its_words(tmp_path):
    project = make_project(tmp_path)
    edit(
        project,
        "det hjælper lærerne.",
        "det hjælper lærerne. Vi har sparring med PIT om tirsdagen.",
    )
    project.sync()
    text = project.transcript("skole9-elev").text
    first = text.index(PASSAGES["pit"])
    coding = project.code("skole9-elev", "pit", start=first, end=first + len(PASSAGES["pit"]))
    edit(
        project,
        "E2: Vi har sparring med PIT om tirsdagen",
        "E2: Vi har sparring med PIT om onsdagen",
    )
    project.sync()
    (item,) = needs_review(project.store)
    assert item.coding_id == coding.id
    assert item.text == "Vi har sparring med PIT om onsdagen"
    assert "its old words occur elsewhere" in item.reason
    project.close()
