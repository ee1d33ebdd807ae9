"""Keyword matching on a small transcript: every kind of match, with offsets into the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from lfa_qual.codebook import load_codebook
from lfa_qual.nlp.suggest import Options, Suggester, spans
from lfa_qual.nlp.units import paragraph_units
from lfa_qual.readers import read_transcript

DATA = Path(__file__).parent / "data" / "nlp"


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(DATA / "codebook.yaml")


@pytest.fixture(scope="module")
def transcript():
    return read_transcript(DATA / "skole9-nlp.md")


@pytest.fixture(scope="module")
def everything(codebook):
    """A suggester that shows every code with any evidence (no threshold, no top K)."""
    return Suggester(codebook, options=Options(min_score=0.0, top=0))


def run(suggester, transcript):
    [(_, results)] = list(suggester.run([transcript]))
    return spans(results)


def find(suggestions, text, quote, code):
    start = text.index(quote)
    found = [s for s in suggestions if s.code == code and s.start <= start < s.end]
    assert found, f"no {code} suggestion for {quote!r}"
    return found[0]


def kinds(suggestion):
    return {(e.word, e.keyword, e.kind) for e in suggestion.evidence}


def test_every_evidence_offset_slices_back_to_its_word(everything, transcript):
    found = run(everything, transcript)
    assert found
    for s in found:
        assert 0 <= s.start < s.end <= len(transcript.text)
        assert 0.0 < s.score <= 1.0
        for e in s.evidence:
            assert transcript.text[e.start : e.end] == e.word
            assert s.start <= e.start < e.end <= s.end or e.kind == "role"


def test_compound_inflected_and_hyphenated(everything, transcript):
    found = run(everything, transcript)
    s = find(found, transcript.text, "Børnesynet", "mindset")
    assert ("Børnesynet", "børnesyn", "lemma") in kinds(s)
    assert ("klassefællesskaberne", "fællesskab", "compound") in kinds(s)
    s = find(found, transcript.text, "PIT-medarbejderne", "pit")
    assert ("PIT-medarbejderne", "PIT", "compound") in kinds(s)
    assert ("sparring", "sparring", "exact") in kinds(s)


def test_multi_word_keyword_matches_as_a_phrase(everything, transcript):
    s = find(run(everything, transcript), transcript.text, "gør det så godt", "mindset")
    assert ("gør det så godt", "gør det så godt", "phrase") in kinds(s)


def test_spelling_variant_matches_fuzzily(everything, transcript):
    s = find(run(everything, transcript), transcript.text, "kompetenceudviklig", "kompetencer")
    assert ("kompetenceudviklig", "kompetenceudvikling", "fuzzy") in kinds(s)


def test_fuzzy_matching_leaves_short_words_alone(codebook):
    # "PTI" is one transposition from the keyword PIT, and "sparing" one letter from sparring;
    # short words must not match fuzzily.
    s = Suggester(codebook, options=Options(min_score=0.0, top=0))
    [found] = list(s.suggest_passages([("PTI og pit og spar.", "Skoleleder")]))
    words = {e.word for x in found for e in x.evidence}
    assert "PTI" not in words
    assert "pit" in words  # the keyword itself, any case


def test_exclude_keyword_lowers_the_score(everything, transcript):
    found = run(everything, transcript)
    text = transcript.text
    plain = find(found, text, "Fællesskabet i klassen er vigtigt.", "mindset")
    second = text.index("Fællesskabet i klassen er vigtigt, men")
    lowered = [s for s in found if s.code == "mindset" and s.start == second][0]
    assert ("kursus", "-kursus", "exact") in kinds(lowered)
    assert lowered.score < plain.score


def test_role_declared_by_the_code_adds_evidence_and_score(codebook):
    s = Suggester(codebook, options=Options(min_score=0.0, top=0))
    text = "Jeg savner en fast kontaktperson."
    parent, teacher = s.suggest_passages([(text, "Forælder 2"), (text, "Skolemedarbejder")])
    assert [x.code for x in parent] == ["foraeldre"] == [x.code for x in teacher]
    assert any(e.kind == "role" and e.keyword == "Forælder" for e in parent[0].evidence)
    assert parent[0].score > teacher[0].score


def test_role_alone_suggests_nothing(codebook):
    s = Suggester(codebook, options=Options(min_score=0.0, top=0))
    [found] = list(s.suggest_passages([("Vi spiste frokost i kantinen.", "Forælder 1")]))
    assert found == []


def test_interviewer_turns_are_skipped_unless_asked_for(codebook, transcript):
    question = transcript.text.index("Hvordan taler I")
    default = run(Suggester(codebook, options=Options(min_score=0.0, top=0)), transcript)
    assert not [s for s in default if s.start <= question < s.end]
    units = paragraph_units(transcript)
    assert all(u.role != "Interviewer" for u in units)
    asked = Suggester(codebook, options=Options(min_score=0.0, top=0, include_interviewer=True))
    hits = [s for s in run(asked, transcript) if s.start <= question < s.end]
    assert {s.code for s in hits} >= {"mindset", "pit"}


def test_min_score_and_top_limit_what_is_shown(codebook, transcript):
    all_found = run(Suggester(codebook, options=Options(min_score=0.0, top=0)), transcript)
    strict = run(Suggester(codebook, options=Options(min_score=0.6, top=1)), transcript)
    assert strict and len(strict) < len(all_found)
    assert all(s.score >= 0.6 for s in strict)
    starts = [s.start for s in strict]
    assert len(starts) == len(set(starts))  # one code per passage


def test_long_paragraph_is_split_into_sentence_windows(codebook):
    t = read_transcript(DATA / "long-paragraph.md")
    [(_, results)] = list(Suggester(codebook, options=Options(min_score=0.0, top=0)).run([t]))
    para = t.turns[0].paragraphs[0]
    assert results and all(para.start <= u.start < u.end <= para.end for u in results)
    assert all(u.end - u.start < para.end - para.start for u in results)
    codes_by_window = {(u.start, u.end): {s.code for s in u.suggestions} for u in results}
    # "sparring" opens the paragraph and "børnesyn" comes late: different windows.
    pit = [w for w, c in codes_by_window.items() if "pit" in c]
    mindset = [w for w, c in codes_by_window.items() if "mindset" in c]
    assert pit and mindset and set(pit).isdisjoint(mindset)
    for u in results:
        for s in u.suggestions:
            for e in s.evidence:
                assert t.text[e.start : e.end] == e.word


# -- specificity, lemma guards, families ------------------------------------------------------

FAMILY = """name: t
version: '1'
codes:
  - id: pit
    label: PIT
    keywords: [sparring, vejleder, fælles]
    children:
      - id: balance
        label: Balance
        keywords: [prioritering, fælles]
  - id: viden
    label: Viden
    keywords: [viden, klar, "niveau 4"]
"""


@pytest.fixture(scope="module")
def family():
    from lfa_qual.codebook import parse_codebook

    # Keywords alone: the codebook-text model would add its own (learned) evidence.
    options = Options(min_score=0.0, top=0, codebook_texts=False)
    return Suggester(parse_codebook(FAMILY), options=options)


def codes_of(suggester, text, role="Skolemedarbejder"):
    [found] = list(suggester.suggest_passages([(text, role)]))
    return {s.code: s for s in found}


def test_a_keyword_that_is_a_lemma_is_not_matched_by_the_tables_other_word(family):
    # The lookup table lemmatises "viden" (knowledge) as "vide" (to know).
    assert "viden" not in codes_of(family, "Jeg ved det ikke, og jeg vidste det ikke.")
    assert "viden" in codes_of(family, "Vi mangler viden om autisme.")
    # An inflected form of such a keyword still matches: "vejlederne" (table: → "vejlede").
    assert "pit" in codes_of(family, "Vejlederne kom forbi.")


def test_verb_prefix_is_not_a_compound_part(family):
    assert "viden" not in codes_of(family, "Hun kunne forklare det.")


def test_number_words_match_digits_in_keywords(family):
    found = codes_of(family, "Han er på niveau fire nu.")
    assert [e.kind for e in found["viden"].evidence] == ["phrase"]


def test_a_keyword_of_several_codes_counts_less(family):
    shared = codes_of(family, "Det er en fælles opgave.")
    own = codes_of(family, "Det handler om prioritering.")
    assert shared["balance"].score < own["balance"].score


def test_parent_evidence_supports_a_child_with_its_own(family):
    found = codes_of(family, "Sparring eller prioritering af tiden?")
    alone = codes_of(family, "Prioritering af tiden?")
    assert found["balance"].score > alone["balance"].score


def test_self_training_adds_examples_from_uncoded_text(codebook, transcript):
    s = Suggester(codebook, options=Options(min_score=0.0, top=0))
    before = sum(s.model.n_pos.values())
    added = s.self_train([transcript])
    assert added > 0
    assert sum(s.model.n_pos.values()) == before + added


# -- anchor examples ---------------------------------------------------------------------------

ANCHORED = """name: t
version: '1'
codes:
  - id: mindset
    label: Mindset
    keywords: [børnesyn]
    examples:
      - "Det er ikke barnet, der er problemet. Det er os voksne, der må ændre omgivelserne."
      - Vi kigger på hele fællesskabet og ikke kun på den ene dreng.
  - id: pit
    label: PIT
    keywords: [sparring]
    examples: ["Vi mødes i teamet hver uge og fordeler henvendelserne."]
"""


def test_anchor_examples_seed_the_model():
    from dataclasses import replace

    from lfa_qual.codebook import Codebook, parse_codebook

    anchored = parse_codebook(ANCHORED)
    bare = Codebook(
        anchored.name, anchored.version, [replace(c, examples=()) for c in anchored.codes]
    )
    # No keyword of any code, but the wording of a mindset example.
    text = "Problemet ligger ikke hos barnet. Vi voksne skal se på omgivelserne."
    found = codes_of(Suggester(anchored), text)
    assert "mindset" in found  # shown with the default threshold
    evidence = found["mindset"].evidence
    assert {e.kind for e in evidence} <= {"learned", "example"}
    assert {e.keyword for e in evidence} & {"barn", "problem", "omgivelse"}
    # The words it shares with its nearest anchor example are shown with that example.
    shared = [e for e in evidence if e.kind == "example"]
    assert shared and {e.example for e in shared} == {
        "Det er ikke barnet, der er problemet. Det er os voksne, der må ændre omgivelserne."
    }
    assert all(text[e.start : e.end] == e.word for e in evidence)
    everything = Options(min_score=0.0, top=0)
    assert "mindset" not in codes_of(Suggester(bare, options=everything), text)
    # Each example is a passage of its own for the model, as the codebook text is.
    model = Suggester(anchored).model
    assert model.n_pos["mindset"] == 3 and model.n_pos["pit"] == 2
    assert {"mindset", "pit"} <= model.seeded
