"""The reader's pure parts: wrapping, selection units, search, code ranking, quick slots."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lfa_qual.codebook import load_codebook
from lfa_qual.project import Project
from lfa_qual.tui import layout
from lfa_qual.tui.dialogs import rank_codes
from lfa_qual.tui.layout import Layout
from lfa_qual.tui.searching import search
from lfa_qual.tui.slots import pin, quick_slots

DATA = Path(__file__).parent / "data" / "tui"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcæøå ,.\n"), max_size=400), st.integers(8, 40))
def test_wrapped_lines_cover_the_text_in_order_and_fit_the_width(text: str, width: int) -> None:
    lines = Layout(text, width)
    pos = 0
    for start, end in zip(lines.starts, lines.ends, strict=True):
        assert start == pos or (text[pos - 1 : pos] == "\n" and start == pos)
        assert end - start <= width
        assert "\n" not in text[start:end]
        pos = end + 1 if end < len(text) and text[end] == "\n" else end
    assert lines.ends[-1] == len(text)
    # Every offset maps to a line and back.
    for offset in range(len(text) + 1):
        row, col = lines.location(offset)
        assert lines.starts[row] <= offset and lines.offset(row, col) == min(
            offset, lines.ends[row]
        )


def test_wrapping_breaks_after_spaces_not_inside_words() -> None:
    lines = Layout("Vi er fire i teamet og mødes hver tirsdag.", 12)
    parts = [lines.text[s:e] for s, e in zip(lines.starts, lines.ends, strict=True)]
    assert parts == ["Vi er fire ", "i teamet og ", "mødes hver ", "tirsdag."]
    assert Layout("abcdefghijklmnop qr", 8).ends[:2] == [8, 16]  # no space: a hard break


def test_body_starts_after_the_front_matter() -> None:
    text = "---\ninterview: x\n---\n[side 1]\nI: Hej\n"
    assert text[layout.body_start(text) :].startswith("[side 1]")
    assert layout.body_start("I: Hej\n") == 0


def test_sentences_keep_abbreviation_free_sentence_ends() -> None:
    text = "Det er fint. Der er mere ro! Hvorfor? Fordi … ja"
    found = [text[s:e] for s, e in layout.sentences(text, (0, len(text)))]
    assert found == ["Det er fint.", "Der er mere ro!", "Hvorfor?", "Fordi … ja"]


def test_extend_selects_the_unit_then_grows_by_the_next() -> None:
    units = [(0, 5), (6, 10), (11, 20)]
    assert layout.extend(units, None, 7) == (6, 10)
    assert layout.extend(units, (6, 10), 10) == (6, 20)
    assert layout.extend(units, (6, 8), 8) == (6, 10)  # finishes the unit it ends in first
    assert layout.extend(units, None, 10) == (6, 10)  # just after a unit: that unit
    assert layout.extend(units, (0, 20), 20) == (0, 20)  # nothing further


@pytest.fixture
def project(project_from) -> Project:
    return project_from("tui")


def test_exact_search_ignores_case_and_line_breaks_and_skips_front_matter(project) -> None:
    transcripts = [project.transcript("skole1-personale"), project.transcript("skole2-elev2")]
    hits = search(transcripts, "SPARRING")
    texts = [transcripts[0].text[h.start : h.end] for h in hits]
    assert texts == ["sparring", "Sparring"]
    assert search(transcripts, "interview:") == []  # the YAML header is not searched
    assert len(search(transcripts, "i   klassen")) == 4


def test_fuzzy_search_finds_spelling_variants_as_whole_words(project) -> None:
    t = project.transcript("skole2-elev2")
    [hit] = search([t], "læseholdt", fuzzy=True)
    assert t.text[hit.start : hit.end] == "læseholdet" and hit.score < 100
    assert search([t], "kvantefysik", fuzzy=True) == []


def test_code_ranking_puts_prefixes_first_and_tolerates_typos() -> None:
    codebook = load_codebook(DATA / "codebooks" / "lfa.yaml")
    assert rank_codes(codebook, "pit")[0].id == "pit"
    assert rank_codes(codebook, "forældr")[0].id == "foraeldre"
    assert [c.id for c in rank_codes(codebook, "")] == [c.id for c in codebook.codes]


def test_quick_slots_default_to_the_codebook_and_pins_persist(project) -> None:
    codebook = project.codebook()
    assert quick_slots(project.store, codebook, "tester") == [c.id for c in codebook.codes[:9]]
    pin(project.store, codebook, "tester", 1, "videndeling")
    pin(project.store, codebook, "tester", 2, "videndeling")  # a code sits on one key only
    slots = quick_slots(project.store, codebook, "tester")
    assert slots[:2] == [None, "videndeling"]
    assert quick_slots(project.store, codebook, "anden")[0] == codebook.codes[0].id
