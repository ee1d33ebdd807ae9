"""A vendor's positions mapped onto the normalised text: every character keeps its place."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lfa_qual.refiqda.positions import map_text
from lfa_qual.text import normalise


@pytest.mark.parametrize(
    ("raw", "quote", "options"),
    [
        ("a\r\nb\r\nfast kontaktperson\r\n", "fast kontaktperson", {}),
        ("a\r\nb\r\nfast kontaktperson\r\n", "fast kontaktperson", {"crlf_as_one": True}),
        ("gammel\rmac\rlærer her", "lærer", {}),
        ("Ma\u030ale og sa\u030a videre", "videre", {}),  # decomposed å (macOS) becomes NFC
        ("nul\u200bbredde og \u00adblød", "og", {}),
        ("😀😀 holdet", "holdet", {"utf16": True}),
        ("😀😀 holdet", "holdet", {}),
    ],
)
def test_a_quote_keeps_its_place(raw: str, quote: str, options: dict) -> None:
    counted = raw.replace("\r\n", "\n") if options.get("crlf_as_one") else raw
    start = counted.index(quote)
    if options.get("utf16"):
        start = len(counted[:start].encode("utf-16-le")) // 2
        end = start + len(quote.encode("utf-16-le")) // 2
    else:
        end = start + len(quote)
    mapped = map_text(raw, **options)
    assert mapped.text == normalise(
        raw.replace("\r\n", "\n") if options.get("crlf_as_one") else raw
    )
    assert mapped.text[mapped.offset(start) : mapped.offset(end)] == quote


@given(st.text(alphabet="ab \r\n\u030a\u200b😀å", max_size=40))
def test_positions_between_kept_characters_map_monotonically(raw: str) -> None:
    mapped = map_text(raw)
    offsets = [mapped.offset(p) for p in range(len(raw) + 1)]
    assert offsets == sorted(offsets)
    assert offsets[0] == 0 and offsets[-1] == len(mapped.text)
