"""The lemmatizer's repairs of the lookup table: lower-case retry, compounds, hyphens."""

from __future__ import annotations

import pytest

from lfa_qual.nlp.lemmatize import Lemmatizer, fold


@pytest.fixture(scope="module")
def lemma() -> Lemmatizer:
    return Lemmatizer()


def test_sentence_initial_capital_retries_lower_case(lemma):
    # "Indsatserne" is not in the table with a capital; the lower-case form is.
    assert lemma("Indsatserne") == "indsats"
    assert lemma("indsatserne") == "indsats"


def test_unknown_compound_lemmatised_by_longest_known_ending(lemma):
    assert lemma("kulturkrigen") == "kulturkrig"
    assert lemma("klassefællesskaberne") == "klassefællesskab"
    assert lemma("børnesynet") == "børnesyn"


def test_compound_helper_returns_none_without_a_known_ending(lemma):
    assert lemma.compound("xqzxqzxq") is None
    assert lemma("Xqzxqz") == "xqzxqz"


def test_hyphenated_word_lemmatised_by_its_last_part(lemma):
    assert lemma("PIT-medarbejderne") == "pit-medarbejder"


def test_fold_drops_acute_accents_but_keeps_danish_letters():
    assert fold("Én") == "en"
    assert fold("Forældrene på Ærø") == "forældrene på ærø"
