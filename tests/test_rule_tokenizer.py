"""The fallback pipeline's tokenizer run from its rules (`rule_tokenizer`): it must split every
text exactly as spaCy does, is only used once checked against spaCy, and spares a run on a
text never seen before the import of spaCy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import spacy
from conftest import suggest_in_a_process
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lfa_qual.nlp import rule_tokenizer
from lfa_qual.nlp.rule_tokenizer import RuleTokenizer, prepare, rules_of
from lfa_qual.nlp.suggest import Options, Suggester
from lfa_qual.nlp.tokens import TokenCache, tokens_of_doc

REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def spacy_nlp():
    nlp = spacy.blank("da")
    nlp.add_pipe("sentencizer")
    return nlp


@pytest.fixture(scope="module")
def port(spacy_nlp) -> RuleTokenizer:
    rules = rules_of(spacy_nlp)
    assert rules is not None
    return RuleTokenizer(rules)


def spacy_split(nlp, text: str) -> tuple[list[tuple[int, str]], list[int]]:
    doc = nlp.tokenizer(text)
    starts = [t.i for t in nlp.get_pipe("sentencizer")(doc) if t.is_sent_start]
    return [(t.idx, t.text) for t in doc], starts


def assert_same(nlp, port: RuleTokenizer, text: str) -> None:
    tokens, starts = spacy_split(nlp, text)
    mine = port.split(text)
    assert mine == tokens, text
    assert port.sentence_starts(mine) == starts, text


def example_paragraphs() -> list[str]:
    files = sorted((REPO / "transcripts").glob("*.md"))
    files += sorted((REPO / "tests" / "data" / "formats").rglob("*.*"))
    out = []
    for path in files:
        try:
            out += path.read_text("utf-8").split("\n\n")
        except (UnicodeDecodeError, OSError):
            continue  # the hostile fixtures include undecodable files on purpose
    return out


def test_every_paragraph_of_the_examples_is_split_as_spacy_splits_it(spacy_nlp, port):
    paragraphs = example_paragraphs()
    assert len(paragraphs) > 500
    for text in paragraphs:
        assert_same(spacy_nlp, port, text)


def test_the_check_set_and_the_special_cases_agree(spacy_nlp, port):
    assert rule_tokenizer.agrees(spacy_nlp, port, [])
    # Cases that only spaCy's second pass (special cases split apart by affixes) gets right.
    for text in ("f.eks..", "(bl.a.).", "i.", "°C.)", "kl.-", "1.,", "x:-)"):
        assert_same(spacy_nlp, port, text)


PIECES = st.sampled_from(
    list("abæøåABÅ019.,;:!?-–—'\"’“”»«()[]/&%€@*+<>_ \n\t\xa0…°§")
    + ["f.eks.", "bl.a.", "kl.", "1.", "i.", "https://", "www.", ".dk", "@x.dk", ":-)", "'s", "..."]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(PIECES, min_size=1, max_size=30))
def test_random_text_is_split_as_spacy_splits_it(spacy_nlp, port, pieces):
    assert_same(spacy_nlp, port, "".join(pieces))


def test_a_long_paragraphs_sentences_are_the_sentencizers(spacy_nlp, port):
    text = " ".join(f"Sætning {n} handler om PIT-møder, f.eks. i 7. klasse!" for n in range(30))
    doc = spacy_nlp(text)
    expected = tokens_of_doc(doc)
    assert port.tokens(text) == expected
    assert expected.sentences is not None and len(expected.sentences) == 30


def test_rules_are_kept_only_when_the_port_agrees(spacy_nlp, tmp_path, monkeypatch):
    monkeypatch.setenv("LFA_QUAL_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(rule_tokenizer, "_prepared", set())
    rule_tokenizer._port.cache_clear()
    assert rule_tokenizer.cached() is None  # nothing prepared yet
    custom = spacy.blank("da")
    custom.add_pipe("sentencizer")
    custom.tokenizer.token_match = lambda text: text == "særlig"  # not a pattern: cannot port
    assert rules_of(custom) is None
    prepare(custom, ["Et særlig ord."])
    assert rule_tokenizer.cached() is None  # kept as unusable: spaCy tokenises every text
    entry = json.loads(next((tmp_path / "results").glob("tokenizer-rules-*.json")).read_text())
    assert entry["agrees"] is False
    rule_tokenizer._port.cache_clear()


def test_a_damaged_rules_entry_means_spacy_tokenises(tmp_path, monkeypatch):
    from lfa_qual import usercache

    monkeypatch.setenv("LFA_QUAL_CACHE_DIR", str(tmp_path))
    key = rule_tokenizer._cache_key()
    for value in ({"agrees": True, "rules": {"prefix": "("}}, {"agrees": True}, [1], "x"):
        usercache.write_entry(rule_tokenizer.KIND, key, value)
        rule_tokenizer._port.cache_clear()
        assert rule_tokenizer.cached() is None
    rule_tokenizer._port.cache_clear()


def test_a_suggester_uses_the_port_without_loading_spacy(spacy_nlp, tmp_path, monkeypatch):
    monkeypatch.setenv("LFA_QUAL_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(rule_tokenizer, "_prepared", set())
    rule_tokenizer._port.cache_clear()
    prepare(spacy_nlp, ["Lærerne taler om mindset."])
    assert rule_tokenizer.cached() is not None
    texts = ["Vi har  PIT-møder hver uge, f.eks. om 37-timers-sager.", "Kl. 14.30 (bl.a.)."]
    suggester = Suggester(_codebook(), options=Options())
    suggester._token_cache = TokenCache(tmp_path / "tokens.sqlite")
    found = suggester.tokens(texts)
    assert suggester._nlp is None  # no pipeline was loaded
    assert found == [tokens_of_doc(spacy_nlp(t)) for t in texts]
    rule_tokenizer._port.cache_clear()


def test_a_transcript_never_seen_is_suggested_on_without_spacy_and_the_same(tmp_path):
    path = tmp_path / "skole2-personale.md"
    path.write_text((REPO / "transcripts" / "skole2-personale.md").read_text("utf-8"), "utf-8")
    cache = tmp_path / "cache"
    by_spacy, log = suggest_in_a_process(path, tokenizer="spacy", cache=cache)
    assert "spacy imported: True" in log  # the first run ever: spaCy, and the rules checked
    shutil.rmtree(cache / "tokens")  # the transcript's words forgotten: never seen again
    ported, log = suggest_in_a_process(path, cache=cache)
    assert "spacy imported: False" in log
    assert len(ported.splitlines()) > 50
    assert ported == by_spacy


def _codebook():
    from lfa_qual.codebook import load_codebook

    return load_codebook(REPO / "codebooks" / "lfa.yaml")
