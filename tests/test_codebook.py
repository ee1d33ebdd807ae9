from __future__ import annotations

import pytest

from lfa_qual.codebook import load_codebook, parse_codebook, render_tree
from lfa_qual.errors import CodebookError, LfaError

REPO_CODEBOOK_IDS = {
    "implementering",
    "mindset",
    "pit",
    "pit_balance",
    "indsatser",
    "hold_vs_klasse",
    "timer_37",
    "foraeldre",
    "samarbejde",
    "kompetencer",
    "maalsaetninger",
    "visitation",
    "tydelighed",
    "videndeling",
}


def test_small_codebook_tree(data_dir):
    cb = load_codebook(data_dir / "codebooks" / "small.yaml")
    assert [c.id for c in cb.codes] == ["pit", "timer_37", "mindset", "foraeldre"]
    assert cb.get("timer_37").parent == "pit" and cb.get("timer_37").depth == 1
    assert cb.top("timer_37").id == "pit"
    assert [c.id for c in cb.descendants("pit")] == ["timer_37"]
    assert cb.get("pit").color == "#59a14f"
    assert cb.get("mindset").color.startswith("#")  # palette default
    tree = render_tree(cb)
    assert "    timer_37  37-timers-sager  [1 keyword]" in tree  # was "1 keywords"
    assert tree.endswith("4 codes (3 top-level), 5 keywords")


def test_every_problem_is_reported_with_its_line(data_dir):
    with pytest.raises(CodebookError) as info:
        load_codebook(data_dir / "codebooks" / "broken.yaml")
    problems = [(p.line, p.message) for p in info.value.problems]
    text = "\n".join(f"{line}: {msg}" for line, msg in problems)
    assert "6: unknown key 'colour'" in text
    assert "7: bad id 'Mindset'" in text
    assert "9: duplicate code id 'pit' (first at line 4)" in text
    assert "10: empty label" in text
    assert "11: bad colour 'green'" in text
    assert "broken.yaml" in str(info.value)


def test_yaml_syntax_error_and_alias_are_refused():
    with pytest.raises(CodebookError) as info:
        parse_codebook("name: x\ncodes:\n  - id: a\n   label: [\n", "cb.yaml")
    assert info.value.line is not None and "not valid YAML" in info.value.message
    with pytest.raises(CodebookError, match="aliases"):
        parse_codebook("name: &n x\nversion: *n\ncodes: []\n", "cb.yaml")


def test_unknown_code_lookup():
    cb = parse_codebook("name: x\ncodes:\n  - {id: a, label: A}\n")
    with pytest.raises(LfaError, match="unknown code 'b'"):
        cb.get("b")


def test_lfa_codebook_covers_the_fixed_themes():
    from conftest import REPO

    cb = load_codebook(REPO / "codebooks" / "lfa.yaml")
    assert {c.id for c in cb.codes} == REPO_CODEBOOK_IDS
    for code in cb.codes:
        assert code.description and code.include and code.exclude, code.id
        assert len(code.keywords) >= 8, code.id
        assert len(code.examples) >= 6, code.id
    assert len({c.color for c in cb.codes}) == len(cb.codes)


def test_lfa_anchor_examples_are_not_taken_from_the_transcripts_or_the_passage_sets():
    from conftest import REPO

    cb = load_codebook(REPO / "codebooks" / "lfa.yaml")
    files = [
        *(REPO / "transcripts").glob("*.md"),
        *(REPO / "tests" / "data").glob("*passages.yaml"),
    ]
    # Folded to single spaces: the passage sets wrap their texts over several lines.
    talk = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in files)
    for code in cb.codes:
        for example in code.examples:
            for sentence in example.replace("?", ".").split(". "):
                if len(sentence) > 25:
                    assert sentence not in talk, (code.id, sentence)


def test_anchor_examples_are_read_and_counted(data_dir):
    cb = parse_codebook(
        "name: x\ncodes:\n  - id: mindset\n    label: Mindset\n    examples:\n"
        '      - "Det er ikke barnet,\n        der er problemet."\n'
        "      - Vi ser på hele klassen.\n  - {id: pit, label: PIT}\n",
        "cb.yaml",
    )
    assert cb.get("mindset").examples == (
        "Det er ikke barnet, der er problemet.",
        "Vi ser på hele klassen.",
    )
    assert cb.get("pit").examples == ()
    tree = render_tree(cb)
    assert "  mindset  Mindset  [0 keywords, 2 examples]" in tree
    assert "  pit  PIT  [0 keywords]" in tree
    assert tree.endswith("2 codes (2 top-level), 0 keywords, 2 examples")


def test_bad_anchor_examples_are_reported_with_their_lines():
    text = (
        "name: x\n"  # 1
        "codes:\n"  # 2
        "  - id: a\n"  # 3
        "    label: A\n"  # 4
        "    examples:\n"  # 5
        "      - En god sætning.\n"  # 6
        "      - 3\n"  # 7
        '      - "  "\n'  # 8
        "      - [en, liste]\n"  # 9
        "  - id: b\n"  # 10
        "    label: B\n"  # 11
        "    examples: kun én tekst\n"  # 12
    )
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, "cb.yaml")
    found = {(p.line, p.message) for p in info.value.problems}
    assert found == {
        (7, "'examples' item 2 must be text, not 3"),
        (8, "'examples' item 3 is empty"),
        (9, "'examples' item 4 must be text, not ['en', 'liste']"),
        (12, "'examples' must be a list of example statements (texts)"),
    }
    assert all(p.path == "cb.yaml" for p in info.value.problems)
    assert "cb.yaml:7:" in str(info.value)


def test_adding_anchor_examples_is_a_plain_codebook_change(small_project):
    p = small_project
    coding = p.code("skole9-personale", "timer_37", quote="Det er en 37-timers-sag.")
    text = p.codebook_path.read_text("utf-8")
    p.codebook_path.write_text(
        text.replace(
            "        keywords: [37 timer]\n",
            "        keywords: [37 timer]\n        examples: [Én elev tog alle vores timer.]\n",
        ),
        "utf-8",
    )
    report = p.sync_codebook()
    assert not report.changed  # no code added, renamed or removed
    assert p.codebook().get("timer_37").examples == ("Én elev tog alle vores timer.",)
    assert [c.id for c in p.codings()] == [coding.id]
    stored = p.store.read("SELECT value FROM meta WHERE key = 'codebook.yaml'")[0]["value"]
    assert "Én elev tog alle vores timer." in stored
