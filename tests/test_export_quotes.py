"""Quote export: grouping and order, citations, merging of overlaps, --max-words, every format
read back by its own reader, Danish characters intact."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from lfa_qual.analysis import Filters, quotes_frame
from lfa_qual.analysis.quotes import Heading, Quote, outline
from lfa_qual.errors import LfaError
from lfa_qual.export.to_csv import write_csv
from lfa_qual.export.to_docx import QUOTE_STYLE, write_docx
from lfa_qual.export.to_json import write_json
from lfa_qual.export.to_md import write_md
from lfa_qual.export.to_xlsx import write_xlsx
from lfa_qual.project import Project

KEYS = ["theme", "school"]


@pytest.fixture
def coded(export_project: Project):
    p = export_project
    # Coded out of order on purpose; two pit codings by two coders overlap.
    p.code("skole10-foraelder2", "mindset", quote="det ikke er barnet, der er problemet")
    p.code("skole1-personale", "pit", quote="hver tirsdag. Så fordeler vi", coder="forsker2")
    p.code("skole1-personale", "pit", quote="Vi mødes hver tirsdag.")
    p.code("skole1-personale", "pit", quote="Det fungerer godt, synes jeg.")
    p.code("skole1-personale", "mindset", quote="Vi ser mere på læringsmiljøet nu.")
    p.code("skole2-elev4", "mindset", quote="Der er ro på holdet.")
    # A selection cut inside words at both ends, and across a page break.
    t = p.transcript("skole1-personale").text
    start = t.index("gle uger går")
    end = t.index("ikke ud i klass") + len("ikke ud i klass")
    p.code("skole1-personale", "pit_balance", start=start, end=end)
    t = p.transcript("skole2-elev4").text
    start = t.index("Jeg lærer mere der.")
    end = t.index("laver i klassen.") + len("laver i klassen.")
    p.code("skole2-elev4", "pit", start=start, end=end)
    return p


def headings(items) -> list[tuple[int, str]]:
    return [(i.level, i.text) for i in items if isinstance(i, Heading)]


def test_quotes_are_grouped_by_theme_in_codebook_order_then_school(coded: Project) -> None:
    quotes = quotes_frame(coded)
    assert headings(outline(quotes, KEYS)) == [
        (1, "Mindset og børnesyn"),
        (2, "Skole 1"),
        (2, "Skole 2"),
        (2, "Skole 10"),
        (1, "PIT – Pædagogisk indsatsteam"),
        (2, "Skole 1"),
        (2, "Skole 2"),
        (1, "PIT – Pædagogisk indsatsteam › Sparring eller hænder"),
        (2, "Skole 1"),
    ]


def test_any_grouping_order(coded: Project) -> None:
    quotes = quotes_frame(coded, by=["school", "theme"])
    assert headings(outline(quotes, ["school", "theme"]))[:4] == [
        (1, "Skole 1"),
        (2, "Mindset og børnesyn"),
        (2, "PIT – Pædagogisk indsatsteam"),
        (2, "PIT – Pædagogisk indsatsteam › Sparring eller hænder"),
    ]
    by_role = quotes_frame(coded, by="theme,role")
    assert headings(outline(by_role, ["theme", "role"]))[:4] == [
        (1, "Mindset og børnesyn"),
        (2, "Elev 4"),
        (2, "Forælder 2"),
        (2, "Skolemedarbejder"),
    ]
    with pytest.raises(LfaError):
        quotes_frame(coded, by="theme,page")


def test_each_quote_carries_its_speakers_citation(coded: Project) -> None:
    quotes = quotes_frame(coded)
    cited = dict(zip(quotes["text"], quotes["citation"], strict=True))
    assert cited["Der er ro på holdet."] == "(Elev 4, 8. klasse, Skole 2, august 2021, 1)"
    assert (
        cited["Vi ser mere på læringsmiljøet nu."] == "(Skolemedarbejder, Skole 1, april 2021, 2)"
    )
    assert cited["det ikke er barnet, der er problemet"] == "(Forælder 2, Skole 10, juni 2021, 4)"


def test_overlapping_codings_of_one_theme_are_merged(coded: Project) -> None:
    pit = quotes_frame(coded, Filters(codes=("pit",), schools=("Skole 1",)))
    pit = pit[pit["theme"] == "pit"]
    assert list(pit["text"]) == [
        "Vi mødes hver tirsdag. Så fordeler vi",
        "Det fungerer godt, synes jeg.",
    ]
    assert pit.iloc[0]["coders"] == "forsker1, forsker2"
    assert pit.iloc[0]["codings"].count(",") == 1
    only_second = quotes_frame(coded, Filters(codes=("pit",), coders=("forsker2",)))
    assert list(only_second["text"]) == ["hver tirsdag. Så fordeler vi"]


def test_quotes_are_cut_at_word_boundaries_and_keep_insertions(coded: Project) -> None:
    quotes = quotes_frame(coded, Filters(codes=("pit_balance",)))
    assert quotes.iloc[0]["text"] == (
        "Nogle uger går alt til én elev [Elev 3, red.], og så når vi ikke ud i klasserne"
    )
    across_pages = quotes_frame(coded, Filters(codes=("pit",), schools=("Skole 2",)))
    assert across_pages.iloc[0]["text"] == (
        "Jeg lærer mere der.\n\nMen jeg går glip af det, de andre laver i klassen."
    )


def test_max_words_elides_at_sentences(coded: Project) -> None:
    one_sentence = quotes_frame(coded, Filters(codes=("pit_balance",)), max_words=8)
    assert one_sentence.iloc[0]["text"].endswith("ikke ud i klasserne")  # never cut inside
    short = quotes_frame(coded, Filters(schools=("Skole 2",), codes=("pit",)), max_words=4)
    assert short.iloc[0]["text"] == "Jeg lærer mere der. (…)"
    with pytest.raises(LfaError):
        quotes_frame(coded, max_words=0)


def test_markdown_has_headings_and_block_quotes_with_citations(coded: Project) -> None:
    quotes = quotes_frame(coded, Filters(codes=("mindset",)))
    out = io.StringIO()
    write_md(quotes, KEYS, out)
    assert out.getvalue() == (
        "# Mindset og børnesyn\n\n"
        "## Skole 1\n\n"
        "> Vi ser mere på læringsmiljøet nu. (Skolemedarbejder, Skole 1, april 2021, 2)\n\n"
        "## Skole 2\n\n"
        "> Der er ro på holdet. (Elev 4, 8. klasse, Skole 2, august 2021, 1)\n\n"
        "## Skole 10\n\n"
        "> det ikke er barnet, der er problemet (Forælder 2, Skole 10, juni 2021, 4)\n"
    )


def test_markdown_keeps_paragraphs_inside_one_block_quote(coded: Project) -> None:
    quotes = quotes_frame(coded, Filters(codes=("pit",), schools=("Skole 2",)))
    out = io.StringIO()
    write_md(quotes, [], out)
    assert out.getvalue() == (
        "> Jeg lærer mere der.\n>\n"
        "> Men jeg går glip af det, de andre laver i klassen. "
        "(Elev 4, 8. klasse, Skole 2, august 2021, 1)\n"
    )


def test_docx_reopens_with_headings_and_indented_quotes(coded: Project, tmp_path: Path) -> None:
    quotes = quotes_frame(coded)
    path = tmp_path / "citater.docx"
    write_docx(quotes, KEYS, path, title="Citater")
    doc = Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paragraphs[0] == ("Title", "Citater")
    assert paragraphs[1] == ("Heading 1", "Mindset og børnesyn")
    assert paragraphs[2] == ("Heading 2", "Skole 1")
    assert paragraphs[3] == (
        QUOTE_STYLE,
        "Vi ser mere på læringsmiljøet nu. (Skolemedarbejder, Skole 1, april 2021, 2)",
    )
    quote = doc.paragraphs[3]
    assert quote.style.paragraph_format.left_indent.cm == pytest.approx(1.0, abs=0.01)
    assert quote.runs[0].italic and not quote.runs[1].italic
    texts = [t for _, t in paragraphs]
    assert sum(t.startswith("Vi mødes hver tirsdag.") for t in texts) == 1  # merged once
    assert len([s for s, _ in paragraphs if s == QUOTE_STYLE]) == len(quotes) + 1  # 1 two-para
    # A4 and Danish proofing (was US Letter, en-US): the section, the document defaults and
    # every style that sets a language, and the core properties.
    section = doc.sections[0]
    assert (section.page_width.cm, section.page_height.cm) == pytest.approx((21.0, 29.7), abs=0.01)
    from docx.oxml.ns import qn

    langs = [e.get(qn("w:val")) for e in doc.styles.element.iter(qn("w:lang"))]
    assert langs and set(langs) == {"da-DK"}
    assert doc.core_properties.language == "da-DK"


def test_xlsx_reopens_with_one_row_per_quote_and_filters(coded: Project, tmp_path: Path) -> None:
    quotes = quotes_frame(coded)
    path = tmp_path / "citater.xlsx"
    write_xlsx(quotes, path)
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(quotes.columns)
    assert len(rows) == len(quotes) + 1
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(quotes.columns)).column_letter}{len(rows)}"
    assert ws.freeze_panes == "A2"
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["text"] == "Vi ser mere på læringsmiljøet nu."
    assert first["citation"] == "(Skolemedarbejder, Skole 1, april 2021, 2)"
    assert first["page"] == 2
    assert first["school"] == "Skole 1"


def test_xlsx_never_turns_text_into_a_formula(tmp_path: Path) -> None:
    import pandas as pd

    path = tmp_path / "t.xlsx"
    frame = pd.DataFrame({"text": ["=SUM(A1)", "a < b & æøå"], "memo": ["=1+1", None], "n": [3, 4]})
    write_xlsx(frame, path)
    ws = load_workbook(path).active
    assert [c.value for c in ws[2]] == ["=SUM(A1)", "=1+1", 3]
    assert [c.data_type for c in ws[2]] == ["s", "s", "n"]
    assert [c.value for c in ws[3]] == ["a < b & æøå", None, 4]
    assert ws["A2"].alignment.wrap_text and not ws["B2"].alignment.wrap_text


def test_csv_and_json_read_back_with_danish_characters(coded: Project) -> None:
    quotes = quotes_frame(coded)
    out = io.StringIO()
    write_csv(quotes, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == len(quotes)
    assert rows[0]["theme_label"] == "Mindset og børnesyn"
    assert rows[0]["text"] == "Vi ser mere på læringsmiljøet nu."
    out = io.StringIO()
    write_json(quotes, out)
    records = json.loads(out.getvalue())
    assert "ø" in out.getvalue()  # written as UTF-8, not \u escapes
    assert records[2]["citation"] == "(Forælder 2, Skole 10, juni 2021, 4)"
    assert records[2]["page"] is None  # no page markers in that transcript
    assert records[2]["locator"] == 4


def test_outline_repeats_lower_headings_when_a_higher_one_changes(coded: Project) -> None:
    quotes = quotes_frame(coded)
    items = list(outline(quotes, KEYS))
    assert isinstance(items[0], Heading) and isinstance(items[2], Quote)
    assert items[-2] == Heading(2, "Skole 1")


def test_json_writes_nulls_numbers_and_slashes_plainly() -> None:
    import pandas as pd

    frame = pd.DataFrame({"text": ["og/eller æ", None], "page": pd.array([3, None], dtype="Int64")})
    out = io.StringIO()
    write_json(frame, out)
    assert "og/eller æ" in out.getvalue()
    assert json.loads(out.getvalue()) == [
        {"text": "og/eller æ", "page": 3},
        {"text": None, "page": None},
    ]


def test_a_quote_across_speakers_names_every_speaker(coded: Project) -> None:
    t = coded.transcript("skole1-personale").text
    start = t.index("Det fungerer godt")
    end = t.index("når jeg spørger.") + len("når jeg spørger.")
    coded.code("skole1-personale", "foraeldre", start=start, end=end)
    quote = quotes_frame(coded, Filters(codes=("foraeldre",))).iloc[0]
    assert quote["text"] == (
        "PIT-medarbejder: Det fungerer godt, synes jeg.\n\n"
        "Skolemedarbejder: Jeg får sparring, når jeg spørger."
    )
    assert quote["citation"] == "(PIT-medarbejder, Skole 1, april 2021, 1)"
    assert quote["words"] == 11  # the speech; the role headings are not the speakers' words


def test_a_speaker_talking_again_after_an_interjection_is_named_again(coded: Project) -> None:
    t = coded.transcript("skole1-personale").text
    start = t.index("Det fungerer godt")
    end = t.index("til én elev") + len("til én elev")
    coded.code("skole1-personale", "foraeldre", start=start, end=end)
    quote = quotes_frame(coded, Filters(codes=("foraeldre",))).iloc[0]
    assert quote["text"].split("\n\n") == [
        "PIT-medarbejder: Det fungerer godt, synes jeg.",
        "Skolemedarbejder: Jeg får sparring, når jeg spørger. Men det tager tid (…) og tiden er knap.",
        "PIT-medarbejder: Nogle uger går alt til én elev",
    ]


def test_max_words_never_puts_another_speakers_sentence_in_a_paragraph(coded: Project) -> None:
    """The elided quote keeps the second speaker's last sentence in that speaker's own paragraph,
    headed by the role, with the omissions marked where they are."""
    t = coded.transcript("skole1-personale").text
    start = t.index("Vi mødes hver tirsdag.")
    end = t.index("og tiden er knap.") + len("og tiden er knap.")
    coded.code("skole1-personale", "foraeldre", start=start, end=end)
    quote = quotes_frame(coded, Filters(codes=("foraeldre",)), max_words=12).iloc[0]
    assert quote["text"] == (
        "PIT-medarbejder: Vi mødes hver tirsdag. (…)\n\n"
        "Skolemedarbejder: (…) Men det tager tid (…) og tiden er knap."
    )
    assert quote["words"] == 12
    # When only the first speaker's words remain, the quote is that speaker's, unheaded.
    short = quotes_frame(coded, Filters(codes=("foraeldre",)), max_words=4).iloc[0]
    assert short["text"] == "Vi mødes hver tirsdag. (…)"


def test_words_column_counts_the_quote_without_omission_marks(coded: Project) -> None:
    from lfa_qual.analysis.quote_text import word_count

    coded.code("skole1-personale", "foraeldre", quote="Men det tager tid (…) og tiden er knap.")
    for max_words in (None, 3):
        quotes = quotes_frame(coded, max_words=max_words)
        assert quotes["words"].tolist() == [word_count(t) for t in quotes["text"]]
    quote = quotes_frame(coded, Filters(codes=("foraeldre",))).iloc[0]
    assert (quote["text"], quote["words"]) == ("Men det tager tid (…) og tiden er knap.", 8)
