"""The nearest-anchor-example index and its part in suggestions."""

import math

import pytest

from lfa_qual.codebook import parse_codebook
from lfa_qual.nlp import suggest as suggest_module
from lfa_qual.nlp.examples import ExampleIndex
from lfa_qual.nlp.suggest import Options, Suggester

EXAMPLES = [
    ("pit", "teamet fordeler sagerne", ["team", "fordele", "sag"]),
    ("mindset", "barnet gør det godt", ["barn", "gøre", "godt"]),
    ("pit", "vi holder møde om sagerne", ["holde", "møde", "sag"]),
]


def test_similarity_is_the_cosine_of_idf_weighted_lemmas():
    index = ExampleIndex(EXAMPLES)
    assert index.codes == ["mindset", "pit"]
    sims = index.similarities([["sag", "møde", "andet"], ["ingenting"], []])
    n = 3
    idf2 = {w: math.log((n + 1) / (df + 0.5)) ** 2 for w, df in [("sag", 2), ("møde", 1)]}
    one = {w: math.log((n + 1) / 1.5) ** 2 for w in ("holde", "team", "fordele")}
    # Columns by code: mindset's example, then pit's two in the order given.
    [mind, team, meeting] = sims[0].tolist()
    passage = math.sqrt(idf2["sag"] + idf2["møde"])
    assert mind == 0.0
    assert team == pytest.approx(
        idf2["sag"] / (passage * math.sqrt(idf2["sag"] + one["team"] + one["fordele"]))
    )
    assert meeting == pytest.approx(
        (idf2["sag"] + idf2["møde"])
        / (passage * math.sqrt(idf2["sag"] + idf2["møde"] + one["holde"]))
    )
    assert sims[1].tolist() == sims[2].tolist() == [0.0, 0.0, 0.0]  # no shared word
    best = index.best(sims)
    assert best[0].tolist() == [0.0, pytest.approx(meeting)]
    assert index.nearest(sims[0], "pit").text == "vi holder møde om sagerne"
    assert index.nearest(sims[0], "mindset") is None  # nothing shared: no nearest example
    assert index.nearest(sims[0], "ukendt") is None


def test_an_example_identical_to_the_passage_is_similarity_one():
    index = ExampleIndex(EXAMPLES)
    sims = index.similarities([["barn", "gøre", "godt", "barn"]])
    assert index.best(sims)[0].tolist() == [pytest.approx(1.0), 0.0]


CODEBOOK = """\
name: t
codes:
  - id: overgang
    label: Overgang
    keywords: [overgang]
    examples:
      - Eleverne fra specialklassen fik en rolig start med besøg på forhånd i den nye klasse.
      - Vi aftalte et møde med de nye lærere, før hun skiftede skole.
  - id: mad
    label: Mad
    keywords: [madpakke]
    examples: ["Kantinen serverer frokost hver dag."]
"""


def test_the_nearest_example_counts_in_the_score_and_is_shown(monkeypatch):
    codebook = parse_codebook(CODEBOOK)
    text = "Han fik et besøg i den nye klasse på forhånd, så starten blev rolig."
    everything = Options(min_score=0.0, top=0)

    def scored() -> tuple[Suggester, dict]:
        suggester = Suggester(codebook, options=everything)
        [found] = suggester.suggest_passages([(text, "Forælder")])
        return suggester, {s.code: s for s in found}

    suggester, with_index = scored()
    [lemmas] = suggester.lemmas([text])
    sim = suggester.examples.best(suggester.examples.similarities([lemmas]))[0]
    sim_of = dict(zip(suggester.examples.codes, sim.tolist(), strict=True))
    assert sim_of["overgang"] > 0.3 and sim_of["mad"] == 0.0
    monkeypatch.setattr(suggest_module, "EXAMPLE_WEIGHT", 0.0)
    _, without = scored()
    a = 0.25
    monkeypatch.setattr(suggest_module, "EXAMPLE_WEIGHT", a)
    # A weighted mean of the keyword-and-model score and the nearest example's similarity.
    expected = (without["overgang"].score + a * sim_of["overgang"]) / (1 + a)
    assert scored()[1]["overgang"].score == pytest.approx(expected)
    evidence = with_index["overgang"].evidence
    shared = [e for e in evidence if e.kind == "example"]
    assert {e.example for e in shared} == {
        "Eleverne fra specialklassen fik en rolig start med besøg på forhånd i den nye klasse."
    }
    # The shared words, each once; those the model already shows are not repeated.
    assert {e.keyword for e in evidence} >= {"besøg", "forhånd", "start", "rolig"}
    assert len({e.start for e in evidence}) == len(evidence)
    assert all(text[e.start : e.end] == e.word for e in evidence)
    assert "mad" not in with_index  # no word shared with its example, no keyword


def test_a_codebook_without_examples_has_no_index():
    empty = ExampleIndex([])
    assert len(empty) == 0 and empty.codes == []
    assert empty.similarities([["sag"]]).shape == (1, 0)
    assert empty.nearest(empty.similarities([["sag"]])[0], "pit") is None
    codebook = parse_codebook("name: t\ncodes:\n  - {id: mad, label: Mad, keywords: [frokost]}\n")
    assert Suggester(codebook).examples is None
    [found] = Suggester(codebook).suggest_passages([("Vi spiste frokost.", "Elev 1")])
    assert [s.code for s in found] == ["mad"]


def test_example_evidence_is_stored_with_its_example(tmp_path):
    import shutil
    from pathlib import Path

    from lfa_qual.nlp.run import suggest_project
    from lfa_qual.project import Project
    from lfa_qual.suggestions import list_suggestions

    data = Path(__file__).parent / "data" / "nlp"
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "codebooks").mkdir()
    shutil.copy(data / "skole9-nlp.md", tmp_path / "transcripts")
    example = "Vi spiste frokost sammen i kantinen hver dag."
    (tmp_path / "codebooks" / "lfa.yaml").write_text(
        "name: t\ncodes:\n  - {id: pit, label: PIT, keywords: [sparring]}\n"
        f"  - id: mad\n    label: Mad\n    examples: ['{example}']\n",
        encoding="utf-8",
    )
    with Project(tmp_path) as project:
        project.sync()
        suggest_project(project)
        [meal] = [s for s in list_suggestions(project.store) if s.code == "mad"]
        text = project.transcript(meal.interview).text
    shared = [e for e in meal.evidence if e.kind == "example"]
    assert {e.word for e in shared} == {"spiste", "frokost", "kantinen"}
    assert {e.example for e in shared} == {example}
    assert all(text[e.start : e.end] == e.word for e in meal.evidence)


def test_the_table_output_names_the_example_once():
    from lfa_qual.cli.suggest import evidence_text

    example = "Vi holder møde om sagerne."
    shared = [
        {
            "start": 0,
            "end": 4,
            "word": "møde",
            "keyword": "møde",
            "kind": "example",
            "example": example,
        },
        {
            "start": 9,
            "end": 14,
            "word": "sager",
            "keyword": "sag",
            "kind": "example",
            "example": example,
        },
        {"start": 20, "end": 28, "word": "sparring", "keyword": "sparring", "kind": "exact"},
    ]
    assert evidence_text(shared) == (f"møde (example), sager (example), sparring, like «{example}»")


def test_adding_an_example_to_a_code_does_not_demote_it():
    base = (
        "name: t\ncodes:\n"
        "  - {id: pit, label: PIT, keywords: [sparring]}\n"
        "  - {id: foraeldre, label: Forældre, keywords: [forældre]}\n"
    )
    text = "Vi fik sparring fra PIT, og forældrene var med til mødet."
    everything = Options(min_score=0.0, top=0)
    before = codes_of(Suggester(parse_codebook(base), options=everything), text)
    assert before["pit"].score > before["foraeldre"].score
    # One example, about something else: the model of pit barely moves (it has seen one way
    # of talking, not ten), and the example's scale is shared by every code.
    unrelated = base.replace(
        "keywords: [sparring]}",
        "keywords: [sparring], examples: [Kantinen serverer frokost hver dag.]}",
    )
    suggester = Suggester(parse_codebook(unrelated), options=everything)
    after = codes_of(suggester, text)
    assert after["pit"].score > after["foraeldre"].score
    assert suggester._learned_weights()["pit"] == pytest.approx(suggest_module.seed_weight(1))
    assert suggest_module.seed_weight(1) < suggest_module.seed_weight(10) == pytest.approx(0.7)
    assert suggest_module.seed_weight(25) == suggest_module.seed_weight(10)


def test_example_evidence_alone_is_not_enough_to_self_train(monkeypatch):
    from pathlib import Path

    from lfa_qual.readers import read_transcript

    codebook = parse_codebook(
        "name: t\ncodes:\n"
        "  - {id: pit, label: PIT, keywords: [sparring]}\n"
        "  - {id: mad, label: Mad, examples: [Vi spiste frokost i kantinen.]}\n"
    )
    monkeypatch.setattr(suggest_module, "SELF_TRAIN_MIN", 0.3)
    suggester = Suggester(codebook)
    [meal] = codes_of(suggester, "Vi spiste frokost i kantinen.", "Skoleleder").values()
    assert meal.code == "mad" and meal.score >= 0.3  # would be taken on its score alone
    assert {e.kind for e in meal.evidence} <= {"example", "learned"}
    before = suggester.model.n_pos["mad"]
    transcript = read_transcript(Path(__file__).parent / "data" / "nlp" / "skole9-nlp.md")
    assert suggester.self_train([transcript]) > 0  # the paragraphs with keywords
    assert suggester.model.n_pos["mad"] == before


def codes_of(suggester, text, role="Skolemedarbejder"):
    [found] = suggester.suggest_passages([(text, role)])
    return {s.code: s for s in found}


def test_an_older_lfa_qual_is_told_to_upgrade_instead_of_misreading_example_evidence(
    tmp_path, monkeypatch
):
    from lfa_qual import store as store_module
    from lfa_qual.errors import LfaError
    from lfa_qual.store import Store

    with Store(tmp_path / "lfa-qual.db") as new:
        assert new.version == store_module.SCHEMA_VERSION >= 4  # later migrations may follow
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:3])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 3)
    with pytest.raises(LfaError, match="newer than this lfa-qual .3.; upgrade lfa-qual"):
        Store(tmp_path / "lfa-qual.db")


def test_the_example_is_named_even_when_keywords_explain_its_words():
    codebook = parse_codebook(
        "name: t\ncodes:\n"
        "  - id: pit\n    label: PIT\n    keywords: [sparring, kollega]\n"
        "    examples: [Kollegerne giver sparring.]\n"
        "  - {id: mad, label: Mad, keywords: [frokost]}\n"
    )
    text = "Vi får sparring af en kollega."
    found = codes_of(Suggester(codebook), text)["pit"]
    kinds = [e.kind for e in found.evidence]
    assert kinds.count("example") == 1 and {"exact", "lemma"} & set(kinds)
    [named] = [e for e in found.evidence if e.kind == "example"]
    assert named.example == "Kollegerne giver sparring."
    assert text[named.start : named.end] == named.word == "sparring"


def test_at_most_the_four_most_telling_shared_words_are_shown():
    example = "Lærerne fik vejledning om autisme, angst og ordblindhed af psykologen på skolen."
    codebook = parse_codebook(
        f"name: t\ncodes:\n  - id: k\n    label: K\n    examples: ['{example}']\n"
        "  - {id: mad, label: Mad, keywords: [frokost]}\n"
    )
    suggester = Suggester(codebook)
    text = "Psykologen gav lærerne vejledning om autisme, angst og ordblindhed på skolen."
    shared = [e for e in codes_of(suggester, text)["k"].evidence if e.kind == "example"]
    assert len(shared) == 4
    [lemmas] = suggester.lemmas([text])
    all_shared = suggester.examples.examples[0].lemmas & set(lemmas)
    assert len(all_shared) > 4
    weight = suggester.examples.weight
    top = sorted(all_shared, key=lambda w: (-weight(w), lemmas.index(w)))[:4]
    assert {e.keyword for e in shared} == set(top)
    assert [e.start for e in shared] == sorted(e.start for e in shared)  # in text order
