"""The prepared lemma table: the lookup data's known errors repaired, cached once, the same
lemmas and suggestions as reading spacy-lookups-data directly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lfa_qual.codebook import load_codebook
from lfa_qual.nlp import lemma_table, lemmatize
from lfa_qual.nlp.lemma_overrides import OVERRIDES
from lfa_qual.nlp.lemma_table import cache_key, load_table, lookup_data
from lfa_qual.nlp.lemmatize import Lemmatizer, with_overrides
from lfa_qual.nlp.suggest import Options, Suggester, spans
from lfa_qual.readers import read_transcript

REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def raw() -> dict[str, str]:
    return lookup_data()


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """A cache folder of the test's own, and no table left over from another test."""
    monkeypatch.setenv("LFA_QUAL_CACHE_DIR", str(tmp_path / "cache"))
    load_table.cache_clear()
    yield tmp_path / "cache"
    load_table.cache_clear()


@pytest.mark.parametrize(
    "word, lemma",
    [
        ("godt", "god"),
        ("svært", "svær"),
        ("fint", "fin"),
        ("væk", "væk"),
        ("lærer", "lærer"),
        ("voksen", "voksen"),
        ("coronaen", "corona"),
        ("Coronaen", "corona"),  # sentence-initial capital: the lower-case retry finds it
        ("bøger", "bog"),
    ],
)
def test_known_errors_of_the_lookup_data_are_repaired(word, lemma):
    assert Lemmatizer()(word) == lemma


def test_the_repaired_words_were_wrong_in_the_lookup_data(raw):
    # If spacy-lookups-data fixes one of them, its override can go.
    wrong = {w: raw.get(w) for w in ("godt", "svært", "fint", "væk", "lærer", "voksen")}
    assert wrong == {
        "godt": "godte",
        "svært": "sværte",
        "fint": "finte",
        "væk": "vække",
        "lærer": "lære",
        "voksen": "voks",
    }
    assert "coronaen" not in raw
    # Untouched forms keep the table's lemma.
    assert Lemmatizer()("lærerne") == raw["lærerne"] == "lærer"


def test_a_pipelines_own_table_gets_the_same_repairs(raw):
    lemma = Lemmatizer(raw.get)
    assert [lemma(w) for w in ("godt", "coronaen", "indsatserne")] == [
        "god",
        "corona",
        "indsats",
    ]


def test_table_is_built_once_then_memory_mapped_from_the_cache(own_cache, raw):
    table = load_table()
    [folder] = own_cache.glob("lemmas-*")
    assert folder.name == f"lemmas-{cache_key()}"
    assert len(table) == len({**raw, **OVERRIDES})
    load_table.cache_clear()
    again = load_table()
    assert again is not table and isinstance(again._forms, np.memmap)
    assert list(own_cache.glob("lemmas-*")) == [folder]  # opened, not rebuilt beside it
    # Every form of the lookup data (a sample) and every override reads back.
    forms = list(raw)[::101]
    assert [again.get(f) for f in forms] == [OVERRIDES.get(f, raw[f]) for f in forms]
    assert all(again.get(f) == lemma for f, lemma in OVERRIDES.items())
    assert again.get("xqzxqz") is None and again.get("x" * 200) is None


def test_a_new_override_gives_a_new_cache_and_removes_the_old_one(own_cache, monkeypatch):
    load_table()
    old = cache_key()
    monkeypatch.setitem(OVERRIDES, "xqzxqz", "xqz")
    assert cache_key() != old
    load_table.cache_clear()
    assert load_table().get("xqzxqz") == "xqz"
    assert [p.name for p in own_cache.glob("lemmas-*")] == [f"lemmas-{cache_key()}"]


def test_a_damaged_cache_is_rebuilt(own_cache):
    load_table()
    [folder] = own_cache.glob("lemmas-*")
    (folder / "forms.npy").write_bytes(b"not numpy")
    load_table.cache_clear()
    assert load_table().get("godt") == "god"
    assert isinstance(load_table()._forms, np.memmap)


def test_without_a_writable_cache_the_table_lives_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("LFA_QUAL_CACHE_DIR", str(blocker / "cache"))  # under a file
    load_table.cache_clear()
    try:
        assert load_table().get("svært") == "svær"
    finally:
        load_table.cache_clear()


def test_suggestions_on_the_example_project_are_the_same_without_the_cache(raw, monkeypatch):
    """The cached table against the lookup data read directly (a dict, as spaCy held it),
    both with the overrides: every suggestion and its evidence the same."""
    codebook = load_codebook(REPO / "codebooks" / "lfa.yaml")
    transcripts = [read_transcript(p) for p in sorted((REPO / "transcripts").glob("*.md"))]
    options = Options(min_score=0.0, top=0)

    def run(table_type: type) -> list:
        suggester = Suggester(codebook, options=options)
        assert type(getattr(suggester.lemmatize._get, "__self__", None)) is table_type
        return [(t.interview, spans(units)) for t, units in suggester.run(transcripts)]

    cached = run(lemma_table.LemmaTable)
    monkeypatch.setattr(lemmatize, "lookup_table", lambda: with_overrides(raw.get))
    direct = run(type(None))  # a plain function over the dict
    assert len(cached) == 11 and sum(len(s) for _, s in cached) > 500
    assert cached == direct


def test_doctor_names_the_prepared_table_and_where_it_is(own_cache, tmp_path, capsys):
    from lfa_qual.cli import main

    assert main(["doctor", "--project", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"forms ({len(OVERRIDES)} overridden), prepared in {own_cache}" in out
