"""Choosing the spaCy pipeline: the fallback, a pipeline directory, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from lfa_qual.codebook import load_codebook
from lfa_qual.errors import LfaError
from lfa_qual.nlp.pipeline import describe_pipeline, load_pipeline, resolve
from lfa_qual.nlp.suggest import Options, Suggester, spans
from lfa_qual.readers import read_transcript

DATA = Path(__file__).parent / "data" / "nlp"


def test_auto_falls_back_to_the_blank_danish_pipeline():
    assert resolve(None) == resolve("auto") == "blank:da"  # da_core_news_sm is not installed
    nlp, info = load_pipeline("auto")
    assert info.fallback and info.lookup_lemmas and info.label == "blank:da lookup (fallback)"
    assert nlp.pipe_names == ["sentencizer"]  # lemmas come from the prepared table
    assert load_pipeline(None)[0] is nlp  # loaded once per process


def test_a_pipeline_directory_is_loaded_and_named(tmp_path):
    nlp = spacy.blank("da")
    nlp.meta["name"] = "lfa_test"
    nlp.meta["version"] = "0.0.1"
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"}).initialize()
    nlp.to_disk(tmp_path / "pipe")
    loaded, info = load_pipeline(str(tmp_path / "pipe"))
    assert not info.fallback and info.label == "da_lfa_test 0.0.1"
    assert "sentencizer" in loaded.pipe_names  # added: windows need sentences
    codebook = load_codebook(DATA / "codebook.yaml")
    transcript = read_transcript(DATA / "skole9-nlp.md")
    opts = Options(min_score=0.0, top=0)
    [(_, own)] = list(Suggester(codebook, str(tmp_path / "pipe"), options=opts).run([transcript]))
    [(_, fallback)] = list(Suggester(codebook, options=opts).run([transcript]))
    assert [(s.start, s.code) for s in spans(own)] == [(s.start, s.code) for s in spans(fallback)]


def test_a_missing_pipeline_is_a_user_error_and_never_downloaded():
    with pytest.raises(LfaError, match="never downloads"):
        load_pipeline("da_core_news_xx_missing")
    assert "unavailable" in describe_pipeline("da_core_news_xx_missing")
