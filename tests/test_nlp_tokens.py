"""The token cache: a text's words as the fallback pipeline splits them, kept between runs, so
that suggesting again on texts seen before neither imports spaCy nor changes a suggestion."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from pathlib import Path

from conftest import suggest_in_a_process

from lfa_qual.nlp.pipeline import load_pipeline
from lfa_qual.nlp.suggest import Options, Suggester
from lfa_qual.nlp.tokens import TokenCache, Tokens, text_hash
from lfa_qual.nlp.units import LONG_PARAGRAPH_TOKENS

REPO = Path(__file__).parent.parent


def long_turns(source: Path, marker: str) -> str:
    """The example transcript with every six answers joined into one long paragraph (windows
    of sentences), and a sentence no other test has, so that its texts are new to the cache."""
    _, head, body = source.read_text("utf-8").split("---\n", 2)
    out, joined = [], []
    for block in (b.strip() for b in body.split("\n\n") if b.strip()):
        m = re.match(r"(\w+): (.*)", block, re.S)
        if m and m.group(1) != "I":
            joined.append(m.group(2))
            if len(joined) == 6:
                out.append("L1: " + " ".join(joined))
                joined = []
        else:
            out.append(block)
    out.append(f"L1: {marker} Det er en ny sætning om PIT og inklusion.")
    return f"---\n{head}---\n" + "\n\n".join(out) + "\n"


def test_suggesting_again_gives_the_same_suggestions_without_importing_spacy(tmp_path):
    marker = f"Markør{uuid.uuid4().hex}"
    path = tmp_path / "skole1-lang.md"
    path.write_text(long_turns(REPO / "transcripts" / "skole1-personale.md", marker), "utf-8")
    first, log_first = suggest_in_a_process(path, tokenizer="spacy")
    again, log_again = suggest_in_a_process(path)
    assert "spacy imported: True" in log_first  # new texts: tokenised by spaCy
    assert "spacy imported: False" in log_again  # every text seen: from the cache
    records = [json.loads(line) for line in first.splitlines()]
    assert len(records) > 50
    # Long paragraphs were split into windows of sentences, from the cached sentence starts too.
    assert any(r["start"] > 0 and r["text"].count(".") <= 4 for r in records)
    assert again == first


def test_cached_words_and_sentences_are_the_pipelines(tmp_path):
    suggester = Suggester(_codebook(), options=Options())
    suggester._token_cache = TokenCache(tmp_path / "tokens.sqlite")
    short = "Vi har  PIT-møder hver uge.\nDet hjælper."
    long = " ".join(f"Sætning nummer {n} handler om elever." for n in range(40))
    fresh = suggester.tokens([short, long])
    nlp, _ = load_pipeline()
    doc = nlp(short)
    assert fresh[0].words(short) == [t.text for t in doc if not t.is_space]
    assert fresh[0].sentences is None  # only long texts are split into sentences
    assert len(fresh[1].offsets) > LONG_PARAGRAPH_TOKENS
    assert fresh[1].sentences[:3] == [0, 7, 14]  # seven words: six and the full stop
    assert suggester.tokens([short, long]) == fresh  # now from the cache
    assert set(TokenCache(tmp_path / "tokens.sqlite").get_many([short, long])) == {short, long}


def test_a_damaged_entry_is_tokenised_again(tmp_path):
    path = tmp_path / "tokens.sqlite"
    text = "Lærerne taler om mindset."
    suggester = Suggester(_codebook(), options=Options())
    suggester._token_cache = TokenCache(path)
    right = suggester.tokens([text])
    suggester._token_cache.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE tokens SET data = ? WHERE hash = ?", (b"\x05\x00", text_hash(text)))
    suggester._token_cache = TokenCache(path)
    assert suggester._token_cache.get_many([text]) == {}
    assert suggester.tokens([text]) == right


def test_without_a_writable_cache_folder_texts_are_tokenised_every_time(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    cache = TokenCache(blocker / "tokens.sqlite")
    cache.put_many({"Hej.": Tokens([0], [4], None)})  # no error
    assert cache.get_many(["Hej."]) == {}
    suggester = Suggester(_codebook(), options=Options())
    suggester._token_cache = cache
    assert suggester.tokens(["Hej med dig."])[0].words("Hej med dig.") == ["Hej", "med", "dig", "."]


def _codebook():
    from lfa_qual.codebook import load_codebook

    return load_codebook(REPO / "codebooks" / "lfa.yaml")
