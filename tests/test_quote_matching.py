"""`--quote` / `find_quote`: exact, whole words, any white space, only in the turns."""

from __future__ import annotations

import pytest

from lfa_qual.cli import main
from lfa_qual.codings import find_quote
from lfa_qual.errors import LfaError

TEXT = (
    "---\ninterview: x\nschool: Skole 1\ndate: 2021-04\nspeakers:\n"
    "  PIT1: {role: PIT-medarbejder}\n  SL: {role: Skoleleder}\n---\n"
    "SL: Vi har en PIT-koordinator, og fx en kontaktperson.\n\n"
    "PIT1: Kontaktpersonen ringer. Vi gav\nsparring, og vi gav sparring igen.\n"
)


@pytest.mark.parametrize(
    "quote", ["ordinator", "x", "kontaktperso", "ontaktperson", "PIT-koord", "sparrin"]
)
def test_a_quote_does_not_match_inside_a_word(quote):
    with pytest.raises(LfaError) as info:
        find_quote(TEXT, quote)
    assert info.value.field == "quote"
    assert "not found" in info.value.message


def test_inside_a_word_the_message_shows_where():
    with pytest.raises(LfaError, match=r"only inside longer words .*PIT-koordinator"):
        find_quote(TEXT, "ordinator")


def test_whole_words_punctuation_white_space_and_case():
    assert TEXT[slice(*find_quote(TEXT, "PIT-koordinator"))] == "PIT-koordinator"
    assert TEXT[slice(*find_quote(TEXT, "koordinator"))] == "koordinator"  # after a hyphen
    assert TEXT[slice(*find_quote(TEXT, "kontaktperson."))] == "kontaktperson."
    # "kontaktperson" is one word; "Kontaktpersonen" is another (and case matters).
    assert TEXT[slice(*find_quote(TEXT, "kontaktperson"))] == "kontaktperson"
    assert TEXT[slice(*find_quote(TEXT, "Vi   gav sparring,"))] == "Vi gav\nsparring,"
    with pytest.raises(LfaError, match="not found"):
        find_quote(TEXT, "vi har en")
    with pytest.raises(LfaError, match="occurs 2 times"):
        find_quote(TEXT, "gav sparring")


def test_the_front_matter_is_not_searched():
    # "PIT1:" is in the speakers list too; only the turn label counts.
    start, end = find_quote(TEXT, "PIT1:")
    assert start == TEXT.index("PIT1: Kontakt")
    with pytest.raises(LfaError, match="not found"):
        find_quote(TEXT, "Skole 1")


def test_code_quote_whole_words_on_the_cli(small_project, capsys):
    p = str(small_project.root)
    text = small_project.transcript("skole9-skoleleder").text
    assert "blikket" in text
    status = main(["code", "skole9-skoleleder", "mindset", "--quote", "likket", "--project", p])
    err = capsys.readouterr().err
    assert status == 2 and "occurs only inside longer words" in err
    assert small_project.codings() == []
    status = main(["code", "skole9-skoleleder", "mindset", "--quote", "blikket", "--project", p])
    assert status == 0, capsys.readouterr().err


def test_the_python_api_refuses_a_quote_together_with_offsets(small_project):
    with pytest.raises(LfaError, match="not both") as info:
        small_project.code("skole9-skoleleder", "pit", quote="PIT-teamet", start=0, end=5)
    assert info.value.field == "span"
    assert small_project.codings() == []
    coding = small_project.code("skole9-skoleleder", "pit", quote="PIT-teamet")
    assert small_project.view(coding).text == "PIT-teamet"
