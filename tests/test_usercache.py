"""The parsed codebook and the lemmas of its texts kept in the user's cache between runs:
the same results as without the cache, rebuilt when the codebook changes or an entry is bad."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from lfa_qual import usercache
from lfa_qual.codebook import load_codebook, parse_codebook
from lfa_qual.errors import CodebookError
from lfa_qual.nlp.suggest import Options, Suggester, spans
from lfa_qual.readers import read_transcript

REPO = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"


@pytest.fixture
def own_cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("LFA_QUAL_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "results"


def entries(folder: Path, kind: str) -> list[Path]:
    return sorted(
        p for p in folder.glob("*.json") if re.fullmatch(kind + r"-[0-9a-f]+\.json", p.name)
    )


def test_a_codebook_is_parsed_once_then_read_from_the_cache(own_cache, tmp_path):
    path = tmp_path / "lfa.yaml"
    shutil.copy(REPO / "codebooks" / "lfa.yaml", path)
    fresh = parse_codebook(path.read_text(encoding="utf-8"), str(path))
    first = load_codebook(path)
    [entry] = entries(own_cache, "codebook")
    # The entry is what the second load returns: change it and the change shows.
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["name"] = "from the cache"
    entry.write_text(json.dumps(data), encoding="utf-8")
    second = load_codebook(path)
    assert first == fresh
    assert second.name == "from the cache"
    assert second.codes == fresh.codes and second.path == str(path)
    assert all(isinstance(c.keywords, tuple) for c in second.codes)


def test_a_changed_codebook_is_parsed_again(own_cache, tmp_path):
    path = tmp_path / "lfa.yaml"
    text = (REPO / "codebooks" / "lfa.yaml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    load_codebook(path)
    path.write_text(text.replace("name: ", "name: Ændret ", 1), encoding="utf-8")
    changed = load_codebook(path)
    assert changed == parse_codebook(path.read_text(encoding="utf-8"), str(path))
    assert len(entries(own_cache, "codebook")) == 2


def test_a_damaged_entry_is_parsed_again_and_replaced(own_cache, tmp_path):
    path = tmp_path / "lfa.yaml"
    shutil.copy(REPO / "codebooks" / "lfa.yaml", path)
    expected = load_codebook(path)
    [entry] = entries(own_cache, "codebook")
    entry.write_text('{"name": "x", "codes": [{"no such field": 1}]}', encoding="utf-8")
    assert load_codebook(path) == expected
    assert json.loads(entry.read_text(encoding="utf-8"))["name"] == expected.name


def test_a_broken_codebook_is_not_cached_and_keeps_its_message(own_cache):
    for _ in range(2):
        with pytest.raises(CodebookError) as caught:
            load_codebook(DATA / "codebooks" / "broken.yaml")
        assert "broken.yaml" in str(caught.value)
    assert entries(own_cache, "codebook") == []


def test_without_a_writable_cache_the_codebook_is_parsed(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("LFA_QUAL_CACHE_DIR", str(blocker))
    path = REPO / "codebooks" / "lfa.yaml"
    assert load_codebook(path) == parse_codebook(path.read_text(encoding="utf-8"), str(path))


def test_cached_codebook_lemmas_give_the_same_suggestions(own_cache):
    codebook = load_codebook(REPO / "codebooks" / "lfa.yaml")
    transcripts = [read_transcript(p) for p in sorted((REPO / "transcripts").glob("*.md"))[:3]]
    options = Options(min_score=0.0, top=0)

    def run() -> tuple[list, list]:
        suggester = Suggester(codebook, options=options)
        texts = suggester._codebook_texts()
        return texts, [(t.interview, spans(u)) for t, u in suggester.run(transcripts)]

    built_texts, built = run()
    [entry] = list(own_cache.glob("codebook-lemmas-*.json"))
    assert [lem for *_, lem, _ in built_texts] == json.loads(entry.read_text(encoding="utf-8"))
    cached_texts, cached = run()  # the lemmas now come from the entry
    assert cached_texts == built_texts and cached == built and len(built) == 3
    entry.write_text("[[1, 2]]", encoding="utf-8")  # damaged: computed again
    assert run() == (built_texts, built)


def test_the_key_changes_with_every_part():
    key = usercache.make_key("a", "b", modules=(usercache.__file__,))
    assert key == usercache.make_key("a", "b", modules=(usercache.__file__,))
    assert key != usercache.make_key("a", "c", modules=(usercache.__file__,))
    assert key != usercache.make_key("ab", modules=(usercache.__file__,))
    assert key != usercache.make_key("a", "b")
