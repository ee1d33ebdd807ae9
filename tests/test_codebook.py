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
    assert "    timer_37  37-timers-sager  [1 keywords]" in tree
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
    assert len({c.color for c in cb.codes}) == len(cb.codes)
