"""Stored suggestions: running for a project, accepting, rejecting, and the learned model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lfa_qual.errors import LfaError
from lfa_qual.nlp.learned import LearnedModel
from lfa_qual.nlp.run import suggest_project
from lfa_qual.nlp.suggest import Options, Suggester
from lfa_qual.project import Project
from lfa_qual.suggestions import (
    accept_suggestion,
    get_suggestion,
    list_suggestions,
    reject_suggestion,
)

DATA = Path(__file__).parent / "data" / "nlp"


@pytest.fixture
def project(tmp_path: Path):
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "codebooks").mkdir()
    for name in ("skole9-nlp.md", "skole9-learn.md"):
        shutil.copy(DATA / name, tmp_path / "transcripts" / name)
    shutil.copy(DATA / "codebook.yaml", tmp_path / "codebooks" / "lfa.yaml")
    (tmp_path / "lfa-qual.yaml").write_text("coder: tester\n", encoding="utf-8")
    p = Project(tmp_path)
    p.sync()
    yield p
    p.close()


def test_suggest_project_stores_open_suggestions_in_order(project):
    calls = []
    n = suggest_project(project, on_progress=lambda done, total: calls.append((done, total)))
    found = list_suggestions(project.store)
    assert n == len(found) > 0
    assert calls[0] == (0, 2) and calls[-1] == (2, 2)
    keys = [(s.interview, s.start, -s.score) for s in found]
    assert keys == sorted(keys)
    s = found[0]
    assert s.status == "open" and s.pipeline.startswith("blank:da")
    text = project.transcript(s.interview).text
    assert all(text[e.start : e.end] == e.word for x in found for e in x.evidence)
    assert {x.code for x in found} >= {"mindset", "pit", "foraeldre"}


def test_rerun_replaces_open_suggestions_instead_of_adding(project):
    first = suggest_project(project)
    ids = [s.id for s in list_suggestions(project.store)]
    second = suggest_project(project)
    assert first == second == len(list_suggestions(project.store))
    # Suggested again, a suggestion keeps its id: what the researcher saw still names it.
    assert [s.id for s in list_suggestions(project.store)] == ids


def test_rerun_with_a_changed_codebook_drops_what_is_no_longer_suggested(project):
    suggest_project(project)
    assert [s for s in list_suggestions(project.store) if s.code == "foraeldre"]
    path = project.codebook_path
    path.write_text(
        path.read_text(encoding="utf-8").replace("[forældre, kontaktperson]", "[forældremøde]"),
        encoding="utf-8",
    )
    project.sync_codebook()
    suggest_project(project)
    found = list_suggestions(project.store)
    assert found and not [s for s in found if s.code == "foraeldre"]


def test_only_the_named_transcripts_are_replaced(project):
    suggest_project(project)
    before = {s.id for s in list_suggestions(project.store, "skole9-learn")}
    suggest_project(project, ["skole9-nlp"])
    assert {s.id for s in list_suggestions(project.store, "skole9-learn")} == before


def test_accept_creates_a_coding_and_records_the_decision(project):
    suggest_project(project)
    s = next(x for x in list_suggestions(project.store) if x.code == "pit")
    coding = accept_suggestion(project.store, s.id, "forsker2")
    assert (coding.start, coding.end, coding.code) == (s.start, s.end, "pit")
    assert coding.source == "suggestion" and coding.coder == "forsker2"
    row = project.store.read_one("SELECT * FROM suggestions WHERE id=?", (s.id,))
    assert (row["status"], row["decided_by"], row["coding_id"]) == (
        "accepted",
        "forsker2",
        coding.id,
    )
    assert get_suggestion(project.store, s.id).status == "accepted"
    with pytest.raises(LfaError, match="already accepted"):
        accept_suggestion(project.store, s.id, "forsker2")
    # An accepted (now coded) span is not suggested again for that code.
    suggest_project(project)
    again = list_suggestions(project.store, s.interview)
    assert not [x for x in again if x.code == "pit" and x.start < s.end and s.start < x.end]


def test_accept_with_an_adjusted_span(project):
    suggest_project(project)
    s = next(x for x in list_suggestions(project.store) if x.code == "foraeldre")
    text = project.transcript(s.interview).text
    start = text.index("fast kontaktperson")
    coding = accept_suggestion(project.store, s.id, "tester", start, start + 18)
    assert text[coding.start : coding.end] == "fast kontaktperson"
    with pytest.raises(LfaError, match="outside"):
        s2 = next(x for x in list_suggestions(project.store) if x.status == "open")
        accept_suggestion(project.store, s2.id, "tester", 5, 10**7)
    # the refused accept changed nothing
    assert get_suggestion(project.store, s2.id).status == "open"


def test_rejected_span_is_not_suggested_again(project):
    suggest_project(project)
    s = next(x for x in list_suggestions(project.store) if x.code == "mindset")
    reject_suggestion(project.store, s.id, "tester")
    assert get_suggestion(project.store, s.id).status == "rejected"
    suggest_project(project)
    again = list_suggestions(project.store, s.interview)
    assert not [x for x in again if x.code == "mindset" and (x.start, x.end) == (s.start, s.end)]
    with pytest.raises(LfaError, match="already rejected"):
        reject_suggestion(project.store, s.id, "tester")


def test_unknown_suggestion_id_is_a_user_error(project):
    with pytest.raises(LfaError, match="no suggestion with id 999"):
        accept_suggestion(project.store, 999, "tester")
    with pytest.raises(LfaError, match="no suggestion"):
        reject_suggestion(project.store, 999, "tester")


def test_learned_model_suggests_a_code_it_has_seen(project):
    """Codings of canteen passages teach the model; the last, uncoded one is then suggested."""
    t = project.transcript("skole9-learn")
    paragraphs = [p for turn in t.turns[1:] for p in turn.paragraphs]
    last = paragraphs[-1]
    suggest_project(project)
    before = [s for s in list_suggestions(project.store, "skole9-learn") if s.start == last.start]
    assert not [s for s in before if s.code == "kompetencer"]  # no keyword: nothing to go on
    for p in paragraphs[:-1]:
        project.code("skole9-learn", "kompetencer", start=p.start, end=p.end)
    # Four coded passages give the model little weight yet (it grows with the codings), so
    # look below the default threshold.
    suggest_project(project, options=Options(min_score=0.05))
    after = [s for s in list_suggestions(project.store, "skole9-learn") if s.code == "kompetencer"]
    assert [s.start for s in after] == [last.start]
    learned = [e for e in after[0].evidence if e.kind == "learned"]
    assert learned and all(t.text[e.start : e.end] == e.word for e in learned)
    assert {e.keyword for e in learned} & {"kantine", "frokost"}


def test_rejections_teach_the_model_negatives():
    lemmas = [["kantine", "frokost", "madpakke"], ["kantine", "frokost", "mad"], ["frokost"]]
    model = LearnedModel(min_examples=2)
    for ls in lemmas[:2]:
        model.add(ls, ["x"])
    model.add(["klasse", "lærer"], ["y"])
    before = model.explain(["kantine", "frokost"])["x"][0]
    model.add(["kantine", "frokost"], rejected=["x"])
    after = model.explain(["kantine", "frokost"])["x"][0]
    assert after < before


def test_learned_model_improves_a_weak_keyword_score(project):
    codebook = project.codebook()
    text = "Vi har brug for mere efteruddannelse, så lærerne lærer nye metoder og redskaber."
    # Against the keywords alone: the default starts its model from the codebook texts.
    plain = Suggester(codebook, options=Options(min_score=0.0, top=0, codebook_texts=False))
    [without] = list(plain.suggest_passages([(text, "Skoleleder")]))
    model = LearnedModel()
    for passage in (
        "Lærerne mangler redskaber og metoder til de urolige elever.",
        "Nye metoder og redskaber kom med efteruddannelse i foråret.",
        "Vi lærer redskaber og metoder på kurset for lærerne.",
    ):
        model.add(next(plain.lemmas([passage])), ["kompetencer"])
    model.add(next(plain.lemmas(["Forældrene ringer til kontaktpersonen."])), ["foraeldre"])
    trained = Suggester(codebook, model=model, options=Options(min_score=0.0, top=0))
    [withm] = list(trained.suggest_passages([(text, "Skoleleder")]))
    score = {s.code: s.score for s in without}["kompetencer"]
    score_m = {s.code: s.score for s in withm}["kompetencer"]
    assert score_m > score


def test_codebook_texts_seed_the_learned_model():
    """The codebook's descriptions break a tie between two codes with one keyword each."""
    from lfa_qual.codebook import parse_codebook

    codebook = parse_codebook(
        "name: t\nversion: '1'\ncodes:\n"
        "  - id: spisning\n    label: Mad og pauser\n"
        "    description: Frokost i kantinen, madpakker og frikvarterer.\n"
        "    keywords: [madordning]\n"
        "  - id: pit\n    label: PIT\n    description: Sparring og vejledning af lærere.\n"
        "    keywords: [sparring]\n"
    )
    passage = [("Til sparring talte vi om madordning, kantinen og frokost.", "Skoleleder")]
    off = Suggester(codebook, options=Options(min_score=0.0, top=0, codebook_texts=False))
    [plain] = list(off.suggest_passages(passage))
    assert [s.code for s in plain] == ["pit", "spisning"]  # a tie, broken by the code id
    assert plain[0].score == plain[1].score
    on = Suggester(codebook, options=Options(min_score=0.0, top=0))
    [seeded] = list(on.suggest_passages(passage))
    assert [s.code for s in seeded] == ["spisning", "pit"]
    assert seeded[0].score > seeded[1].score
    # The keyword comes first; the codebook-text model's words follow when it moved the score.
    kinds = [e.kind for e in seeded[0].evidence]
    assert kinds[0] == "exact" and set(kinds) <= {"exact", "learned"}
    # Where the model's words are the only explanation, they are listed.
    [alone] = list(on.suggest_passages([("Kantinen har frokost og madpakker.", "Skoleleder")]))
    assert [s.code for s in alone] == ["spisning"]
    assert {e.kind for e in alone[0].evidence} == {"learned"}
