"""Quote text: word-boundary cuts, brackets kept whole, markup removed, --max-words elision."""

from __future__ import annotations

import pytest

from lfa_qual.analysis.quote_text import Piece, clean_quote, cut_to_words, elide, sentences

TEXT = "PIT1: Nogle uger går alt til én elev [Elev 3, red.], og så (…) når vi ikke ud."


def cut(fragment_start: str, fragment_end: str) -> str:
    start = TEXT.index(fragment_start)
    end = TEXT.index(fragment_end) + len(fragment_end)
    s, e = cut_to_words(TEXT, start, end)
    return TEXT[s:e]


def test_a_span_inside_words_widens_to_whole_words() -> None:
    assert cut("gle uger", "går a") == "Nogle uger går alt"
    assert cut("én el", "én el") == "én elev"


def test_hyphenated_words_and_danish_letters_stay_whole() -> None:
    text = "Vi har en PIT-medarbejder på årgangen."
    s, e = cut_to_words(text, text.index("medarb"), text.index("årg") + 2)
    assert text[s:e] == "PIT-medarbejder på årgangen"


def test_an_editors_insertion_cut_in_half_is_completed() -> None:
    assert cut("elev [Elev", "elev [Elev") == "elev [Elev 3, red.]"
    assert cut("red.], og", "red.], og") == "[Elev 3, red.], og"


def test_an_omission_mark_is_kept_as_written() -> None:
    assert cut("så (", "så (") == "så (…)"
    assert cut("…) når", "når vi") == "(…) når vi"


def test_white_space_at_the_edges_is_trimmed() -> None:
    start = TEXT.index(" og så")
    s, e = cut_to_words(TEXT, start, start + 4)
    assert TEXT[s:e] == "og"


def test_clean_quote_drops_page_markers_and_timestamps_and_keeps_paragraphs() -> None:
    # A page marker ends a paragraph in the transcript format, so it stays a paragraph break.
    raw = "[00:03:10] Vi mødes   hver\ntirsdag.\n[side 2]\nDet virker.\n\n\nNyt [Elev 3, red.] (…)"
    assert clean_quote(raw) == "Vi mødes hver tirsdag.\n\nDet virker.\n\nNyt [Elev 3, red.] (…)"


def test_sentences_do_not_split_at_ordinals_insertions_or_omissions() -> None:
    paragraph = "Jeg går i 8. klasse. Hun [PIT, red.] hjælper (…) Det er godt! Og så?"
    assert sentences(paragraph) == [
        "Jeg går i 8. klasse.",
        "Hun [PIT, red.] hjælper (…) Det er godt!",
        "Og så?",
    ]


LONG = "Et to tre. Fire fem seks. Syv otte ni. Ti elleve tolv. Tretten fjorten."


def test_a_quote_that_fits_is_unchanged() -> None:
    assert elide(LONG, 14) == LONG
    assert elide(LONG, None) == LONG


def test_elision_keeps_the_start_and_the_end_at_sentence_boundaries() -> None:
    assert elide(LONG, 8) == "Et to tre. Fire fem seks. (…) Tretten fjorten."
    assert elide(LONG, 6) == "Et to tre. Fire fem seks. (…)"
    assert elide(LONG, 5) == "Et to tre. (…) Tretten fjorten."


def test_the_first_sentence_is_kept_even_when_longer_than_the_limit() -> None:
    assert elide(LONG, 2) == "Et to tre. (…)"


def test_elision_never_doubles_an_omission_mark() -> None:
    text = "Et to tre. Fire fem (…) seks syv otte. Ni ti. (…) Elleve."
    assert elide(text, 4) == "Et to tre. (…) Elleve."
    assert "(…) (…)" not in elide("Et to tre (…). Fire fem seks. Syv.", 4)


def test_elision_across_paragraphs_keeps_paragraph_breaks() -> None:
    text = "Et to. Tre fire.\n\nFem seks. Syv otte ni ti elleve."
    assert elide(text, 6) == "Et to. Tre fire.\n\nFem seks. (…)"


@pytest.mark.parametrize("limit", [1, 3, 7, 12])
def test_elided_quotes_never_exceed_the_limit_except_for_the_first_sentence(limit: int) -> None:
    out = elide(LONG, limit)
    words = len(out.replace("(…)", "").split())
    assert words <= max(limit, 3)


def test_needs_cut_flags_exactly_the_spans_cut_to_words_would_change() -> None:
    import numpy as np

    from lfa_qual.analysis.quote_text import needs_cut

    text = "PIT1: Vi  mødes [PIT, red.] hver tirsdag (…) – også i år.\nE4: Ja!"
    spans = [(s, e) for s in range(len(text)) for e in range(s + 1, len(text) + 1)]
    starts = np.array([s for s, _ in spans])
    ends = np.array([e for _, e in spans])
    flagged = needs_cut(text, starts, ends)
    for (s, e), flag in zip(spans, flagged, strict=True):
        if not flag:
            assert cut_to_words(text, s, e) == (s, e)
    assert flagged.any() and not flagged.all()


def _dialogue() -> list[Piece]:
    return [
        Piece("Et to. Tre fire fem.", "L1", "Skolemedarbejder"),
        Piece("Seks syv otte. Ni ti.", "PIT1", "PIT-medarbejder"),
        Piece("Elleve tolv tretten.", "I", "Interviewer"),
        Piece("Tretten fjorten.", "L1", "Skolemedarbejder"),
    ]


def test_a_dialogue_heads_each_speakers_paragraphs_with_the_role() -> None:
    assert elide(_dialogue(), None) == (
        "Skolemedarbejder: Et to. Tre fire fem.\n\nPIT-medarbejder: Seks syv otte. Ni ti.\n\n"
        "Interviewer: Elleve tolv tretten.\n\nSkolemedarbejder: Tretten fjorten."
    )


def test_elision_keeps_sentences_of_different_speakers_apart() -> None:
    # The rest of L1's paragraph and all of PIT1's and I's turns left out: the (…) ends L1's
    # paragraph, and L1's last sentence joins it, as the same speaker's words.
    assert elide(_dialogue(), 4) == "Et to. (…) Tretten fjorten."
    pieces = _dialogue()
    pieces[3] = Piece("Tretten fjorten.", "PIT2", "PIT-medarbejder")
    assert elide(pieces, 4) == ("Skolemedarbejder: Et to. (…)\n\nPIT-medarbejder: Tretten fjorten.")
    # Whole turns left out between two kept paragraphs: a (…) paragraph of its own.
    assert elide(pieces[:1] + pieces[2:], 7) == (
        "Skolemedarbejder: Et to. Tre fire fem.\n\n(…)\n\nPIT-medarbejder: Tretten fjorten."
    )
    # The start of the next speaker's paragraph left out: the (…) opens it.
    two = [
        Piece("Et to tre.", "L1", "Skolemedarbejder"),
        Piece("Fire fem. Seks.", "I", "Interviewer"),
    ]
    assert elide(two, 4) == "Skolemedarbejder: Et to tre.\n\nInterviewer: (…) Seks."


def test_two_speakers_with_one_role_are_told_apart_in_a_quote() -> None:
    # Was "Skolemedarbejder: … Skolemedarbejder: …", read as one person answering twice.
    pieces = [
        Piece("Vi savner sparring.", "L1", "Skolemedarbejder"),
        Piece("Det gør jeg ikke.", "L2", "Skolemedarbejder"),
        Piece("Vi kommer gerne.", "PIT1", "PIT-medarbejder"),
        Piece("Men ikke hver uge.", "L1", "Skolemedarbejder"),
    ]
    assert elide(pieces, None) == (
        "Skolemedarbejder 1: Vi savner sparring.\n\nSkolemedarbejder 2: Det gør jeg ikke.\n\n"
        "PIT-medarbejder: Vi kommer gerne.\n\nSkolemedarbejder 1: Men ikke hver uge."
    )
    pupils = [Piece("Ja.", "E4a", "Elev 4"), Piece("Nej.", "E4b", "Elev 4")]
    assert elide(pupils, None) == "Elev 4 (E4a): Ja.\n\nElev 4 (E4b): Nej."
