"""The pseudonymisation guard's detector: planted identifiers, clean transcripts, patterns,
pseudonyms, the name key."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from lfa_qual.names.detect import NameContext, find_suspects
from lfa_qual.names.key import NameKeyError, load_key, pseudonymise_text
from lfa_qual.names.lexicon import load_model
from lfa_qual.names.scan import transcript_suspects
from lfa_qual.readers import read_transcript

DATA = Path(__file__).parent / "data" / "names"
REPO = Path(__file__).parent.parent


def kinds(text: str, context: NameContext | None = None) -> dict[str, str]:
    return {s.text: s.kind for s in find_suspects(text, context)}


def test_planted_identifiers_are_found_in_every_kind() -> None:
    planted = yaml.safe_load((DATA / "planted.yaml").read_text(encoding="utf-8"))["planted"]
    found: dict[str, list[bool]] = {}
    suspects = {}
    for item in planted:
        if item["file"] not in suspects:
            t = read_transcript(DATA / item["file"])
            suspects[item["file"]] = (t.text, transcript_suspects(t))
        text, hits = suspects[item["file"]]
        start = text.index(item["text"])
        end = start + len(item["text"])
        hit = any(s.start < end and start < s.end for s in hits)
        found.setdefault(item["kind"], []).append(hit)
    assert set(found) == {"person", "phone", "cpr", "email", "address", "institution"}
    total = [h for hits in found.values() for h in hits]
    assert sum(total) / len(total) >= 0.95, {k: sum(v) / len(v) for k, v in found.items()}
    assert all(sum(v) / len(v) >= 0.8 for v in found.values())


def test_clean_example_transcripts_have_at_most_two_suspects_per_thousand_words() -> None:
    n = words = 0
    for path in sorted((REPO / "transcripts").glob("*.md")):
        t = read_transcript(path)
        n += len(transcript_suspects(t))
        words += t.words
    assert words > 20_000
    assert n / words * 1000 <= 2.0


@pytest.mark.parametrize(
    "number", ["12 34 56 78", "+45 12345678", "+45 12 34 56 78", "12345678", "0045 1234 5678"]
)
def test_danish_phone_numbers(number: str) -> None:
    assert kinds(f"Ring til mig på {number}, hvis der er noget.") == {number: "phone"}


def test_cpr_numbers_need_a_real_date() -> None:
    assert kinds("Nummeret var 010203-1234 på sedlen.") == {"010203-1234": "cpr"}
    assert kinds("Nummeret var 2412891234 på sedlen.") == {"2412891234": "cpr"}
    # No 32nd day and no 13th month: not a CPR number (nor a phone number).
    assert kinds("Sagsnummer 320199-1234 og 011399-1234.") == {}


def test_email_addresses_and_street_addresses() -> None:
    found = kinds("Skriv til a.b@skole.dk eller kom forbi Birkevej 12, 8000 Aarhus C i morgen.")
    assert found == {
        "a.b@skole.dk": "email",
        "Birkevej 12": "address",
        "8000 Aarhus C": "address",
    }


def test_institution_names_but_not_pseudonyms_or_ordinary_words() -> None:
    found = kinds("Han kom fra Nordbyskolen, og vi besøgte Søndervang Skole og Bakke-skolen.")
    assert found == {
        "Nordbyskolen": "institution",
        "Søndervang Skole": "institution",
        "Bakke-skolen": "institution",
    }
    assert kinds("Folkeskolen er for alle. Vores skole og Skole 2 samarbejder med PPR.") == {}


def test_pseudonyms_roles_and_acronyms_are_never_names() -> None:
    text = (
        "Elev 4 og Forælder 1 fra Skole 3 talte med PIT og PPR. AKT-læreren og "
        "PIT-koordinatoren var med, og Skoleleder sagde ja."
    )
    assert kinds(text, NameContext(allowed={"skoleleder"})) == {}


def test_names_in_the_forms_transcribers_write_them() -> None:
    found = kinds(
        "Så sagde Mettes mor det til Anne-Sofie. Jeg snakkede med karina bagefter, "
        "og Søren Kjærgaard var der også."
    )
    assert found == {
        "Mettes": "person",
        "Anne-Sofie": "person",
        "karina": "person",
        "Søren Kjærgaard": "person",
    }


def test_names_written_in_capitals_but_not_acronyms() -> None:
    # A transcriber's emphasis or a copied headline: the name in capitals is still a name;
    # the acronyms beside it (PIT, SFO, ADHD) are not.
    found = kinds(
        "Så kom METTE fra PIT og sagde, at SFO havde talt med KARINA HANSENS mor om ADHD."
    )
    assert found == {"METTE": "person", "KARINA HANSENS": "person"}


def test_only_the_given_spans_are_checked_in_any_order() -> None:
    # The reader asks for one paragraph at a time; the gate for many quotes of one text.
    text = "Ring på 12 34 56 78.\nSkriv til mette@skole.dk.\nHun går på Nordbyskolen.\nIkke mere."
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    assert [s.kind for s in find_suspects(text, None, [lines[1]])] == ["email"]
    assert [s.kind for s in find_suspects(text, None, [lines[3]])] == []
    both = find_suspects(text, None, [lines[2], lines[0], (0, 12)])
    assert [s.kind for s in both] == ["phone", "institution"]


def test_an_accepted_word_is_no_longer_a_suspect() -> None:
    text = "Vi holdt møde på Teams med Mette."
    assert "Mette" in kinds(text)
    assert "Mette" not in kinds(text, NameContext(allowed={"mette"}))


def test_a_key_entry_is_a_certain_leak_even_when_allowed() -> None:
    context = NameContext(allowed={"bo"}, key={"Bo": "Lærer A"})
    [suspect] = find_suspects("Det var Bos idé.", context)
    assert (suspect.text, suspect.kind, suspect.score) == ("Bos", "key", 1.0)


def test_pseudonymise_replaces_key_names_with_their_genitive() -> None:
    text, n = pseudonymise_text(
        "Mette sagde, at Mettes klasse og mette Hansen …",
        {"Mette Hansen": "Lærer A", "Mette": "Lærer B"},
    )
    assert n == 3
    assert text == "Lærer B sagde, at Lærer Bs klasse og Lærer A …"


def test_a_key_name_that_is_an_ordinary_word_matches_only_as_written() -> None:
    context = NameContext(key={"Bo": "Lærer C"})
    found = find_suspects("Vi bo i byen, sagde Bo, og Bos mor nikkede.", context)
    assert [(s.text, s.kind) for s in found] == [("Bo", "key"), ("Bos", "key")]
    text, n = pseudonymise_text("Vi bo her. Bo kom.", {"Bo": "Lærer C"}, frozenset({"bo"}))
    assert (text, n) == ("Vi bo her. Lærer C kom.", 1)


def test_malformed_key_names_its_line(tmp_path: Path) -> None:
    key = tmp_path / "key.yaml"
    key.write_text("Mette: Lærer A\nJonas: [Elev\n", encoding="utf-8")
    with pytest.raises(NameKeyError, match="not valid YAML") as info:
        load_key(key)
    assert info.value.path == str(key) and info.value.line is not None


def test_key_entries_must_map_names_to_pseudonyms(tmp_path: Path) -> None:
    key = tmp_path / "key.yaml"
    key.write_text("Mette: Lærer A\nJonas:\n  - Elev 1\n", encoding="utf-8")
    with pytest.raises(NameKeyError, match="maps a name") as info:
        load_key(key)
    assert info.value.line == 2
    key.write_text("- Mette\n", encoding="utf-8")
    with pytest.raises(NameKeyError, match="mapping"):
        load_key(key)


def test_unreadable_or_missing_key(tmp_path: Path) -> None:
    with pytest.raises(NameKeyError, match="does not exist"):
        load_key(tmp_path / "nowhere.yaml")
    with pytest.raises(NameKeyError, match="cannot read"):
        load_key(tmp_path)  # a folder
    key = tmp_path / "key.yaml"
    key.write_bytes(b"Mette: L\xe6rer A\n")
    with pytest.raises(NameKeyError, match="not UTF-8") as info:
        load_key(key)
    assert info.value.line == 1


def test_key_inside_a_git_work_tree_is_warned_about(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    inside = tmp_path / "repo" / "keys" / "key.yaml"
    inside.parent.mkdir()
    inside.write_text("Mette: Lærer A\n", encoding="utf-8")
    assert "git work tree" in load_key(inside).warnings[0]
    outside = tmp_path / "key.yaml"
    outside.write_text("Mette: Lærer A\n", encoding="utf-8")
    assert load_key(outside).warnings == []


def test_the_shipped_data_names_its_licence() -> None:
    model = load_model()
    assert model.weights and "mette" in model.lexicon.first
    assert "skole" in model.lexicon.common and "mette" not in model.lexicon.common
    licence = REPO / "lfa_qual" / "data" / "NAMES-LICENCE.md"
    text = licence.read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in text and "UNER" in text and "Plank" in text


@pytest.mark.skipif(os.name != "posix", reason="file permissions")
def test_key_without_read_permission(tmp_path: Path) -> None:
    key = tmp_path / "key.yaml"
    key.write_text("Mette: Lærer A\n", encoding="utf-8")
    key.chmod(0)
    try:
        if os.access(key, os.R_OK):
            pytest.skip("running as a user who reads every file")
        with pytest.raises(NameKeyError, match="cannot read"):
            load_key(key)
    finally:
        key.chmod(0o600)
