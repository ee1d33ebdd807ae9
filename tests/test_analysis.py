"""The analysis DataFrames: codings frame, filters, frequency tables, co-occurrence."""

from __future__ import annotations

import pandas as pd
import pytest

from lfa_qual.analysis import (
    TOTAL,
    Filters,
    codings_frame,
    cooccurrence,
    frequency_table,
    quotes_frame,
)
from lfa_qual.errors import LfaError
from lfa_qual.project import Project


@pytest.fixture
def project(export_project: Project) -> Project:
    return export_project


@pytest.fixture
def coded(project: Project) -> Project:
    """Codings on all three transcripts, two of them overlapping under one code."""
    p = project
    p.code("skole1-personale", "pit", quote="Vi mødes hver tirsdag.")
    p.code(
        "skole1-personale",
        "pit",
        quote="hver tirsdag. Så fordeler vi henvendelserne",
        coder="forsker2",
    )
    p.code("skole1-personale", "mindset", quote="Vi ser mere på læringsmiljøet nu.")
    p.code("skole1-personale", "pit_balance", quote="Nogle uger går alt til én elev")
    p.code("skole2-elev4", "mindset", quote="Der er ro på holdet.")
    p.code("skole10-foraelder2", "foraeldre", quote="Vi har fået en fast kontaktperson.")
    p.code("skole10-foraelder2", "mindset", quote="det ikke er barnet, der er problemet")
    return p


def test_codings_frame_has_one_row_per_coding_with_report_metadata(coded: Project) -> None:
    frame = codings_frame(coded)
    assert len(frame) == 7
    for coding in coded.codings():
        row = frame.loc[frame["id"] == coding.id].iloc[0]
        assert row["citation"] == coded.cite(coding)
        assert row["text"] == coded.transcript(coding.interview).text[coding.start : coding.end]
        assert row["coder"] == coding.coder
    pupil = frame.loc[frame["interview"] == "skole2-elev4"].iloc[0]
    assert (pupil["role"], pupil["grade"], pupil["school"]) == ("Elev 4", "8. klasse", "Skole 2")
    assert pupil["citation"] == "(Elev 4, 8. klasse, Skole 2, august 2021, 1)"
    assert pupil["month"] == "august 2021"
    balance = frame.loc[frame["code"] == "pit_balance"].iloc[0]
    assert (balance["parent"], balance["code_label"]) == ("pit", "Sparring eller hænder")
    assert balance["page"] == 2 and balance["role"] == "PIT-medarbejder"


def test_transcript_without_pages_has_no_page_and_cites_the_turn(coded: Project) -> None:
    frame = codings_frame(coded)
    parent = frame.loc[frame["code"] == "foraeldre"].iloc[0]
    assert pd.isna(parent["page"])
    assert parent["locator"] == parent["turn"] == 2
    assert parent["citation"] == "(Forælder 2, Skole 10, juni 2021, 2)"


def test_the_public_project_has_the_frames_as_methods(coded: Project) -> None:
    import lfa_qual

    with lfa_qual.Project(coded.root) as public:
        assert len(public.codings_frame()) == 7
        quotes = public.quotes_frame()
    assert len(quotes) == 6  # the two overlapping pit codings are one quote


def test_filters_select_codings(coded: Project) -> None:
    by_school = codings_frame(coded, Filters(schools=("Skole 10",)))
    assert set(by_school["interview"]) == {"skole10-foraelder2"}
    with_children = codings_frame(coded, Filters(codes=("pit",)))
    assert sorted(with_children["code"]) == ["pit", "pit", "pit_balance"]
    by_role = codings_frame(coded, Filters(roles=("Elev 4", "Forælder 2")))
    assert set(by_role["role"]) == {"Elev 4", "Forælder 2"}
    assert list(codings_frame(coded, Filters(coders=("forsker2",)))["code"]) == ["pit"]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        (Filters(schools=("Skole 9",)), "schools"),
        (Filters(codes=("nope",)), "codes"),
        (Filters(coders=("ingen",)), "coders"),
        (Filters(roles=("Rektor",)), "roles"),
    ],
)
def test_unknown_filter_values_are_user_errors(coded: Project, filters, field) -> None:
    with pytest.raises(LfaError) as err:
        codings_frame(coded, filters)
    assert err.value.field == field


def test_frequency_table_counts_codings_with_totals_in_codebook_order(coded: Project) -> None:
    table = frequency_table(coded)
    assert list(table.index) == ["mindset", "pit", "pit_balance", "foraeldre", TOTAL]
    assert list(table.columns) == ["Skole 1", "Skole 2", "Skole 10", TOTAL]
    assert table.loc["mindset"].tolist() == [1, 1, 1, 3]
    assert table.loc["pit"].tolist() == [2, 0, 0, 2]
    assert table.loc[TOTAL].tolist() == [4, 1, 2, 7]


def test_percent_of_codings_sums_to_100_per_column(coded: Project) -> None:
    table = frequency_table(coded, percent=True)
    body = table.drop(index=TOTAL)
    assert body.sum().round(9).tolist() == [100.0] * 4
    assert table.loc[TOTAL].tolist() == [100.0] * 4
    assert table.at["pit", "Skole 1"] == pytest.approx(50.0)
    assert table.at["mindset", TOTAL] == pytest.approx(300 / 7)


def test_passages_count_overlapping_codings_once(coded: Project) -> None:
    table = frequency_table(coded, count="passages")
    assert table.at["pit", "Skole 1"] == 1
    assert table.at[TOTAL, TOTAL] == 6
    shares = frequency_table(coded, count="passages", percent=True)
    assert shares.drop(index=TOTAL)["Skole 1"].sum() == pytest.approx(100.0)


def test_interviews_count_and_share_of_the_columns_interviews(coded: Project) -> None:
    table = frequency_table(coded, count="interviews")
    assert table.at["mindset", TOTAL] == 3
    assert table.at[TOTAL, TOTAL] == 3  # distinct interviews, not a sum
    shares = frequency_table(coded, rows="code", cols="kind", count="interviews", percent=True)
    assert shares.at["mindset", TOTAL] == pytest.approx(100.0)
    assert shares.at["foraeldre", TOTAL] == pytest.approx(100 / 3)
    assert shares.at["foraeldre", "forældreinterview"] == pytest.approx(100.0)


def test_words_count_the_union_and_coverage_divides_by_the_interviews_words(
    coded: Project,
) -> None:
    table = frequency_table(coded, count="words")
    # "Vi mødes hver tirsdag." ∪ "hver tirsdag. Så fordeler vi henvendelserne" = 8 words
    assert table.at["pit", "Skole 1"] == 8
    words = {t.interview: t.words for t in map(coded.transcript, _interviews(coded))}
    coverage = frequency_table(coded, count="words", percent=True)
    assert coverage.at["pit", "Skole 1"] == pytest.approx(800 / words["skole1-personale"])
    all_coded = table.at[TOTAL, TOTAL]
    assert all_coded == 8 + 6 + 7 + 5 + 6 + 7
    assert coverage.at[TOTAL, TOTAL] == pytest.approx(100 * all_coded / sum(words.values()))


def test_words_by_role_divide_by_what_the_role_says(coded: Project) -> None:
    coverage = frequency_table(coded, rows="role", cols="school", count="words", percent=True)
    t = coded.transcript("skole2-elev4")
    pupil_words = sum(
        len(t.text[p.start : p.end].split())
        for turn in t.turns
        if turn.label == "E4"
        for p in turn.paragraphs
    )
    assert coverage.at["Elev 4", "Skole 2"] == pytest.approx(100 * 5 / pupil_words)


def test_bad_dimensions_are_user_errors(coded: Project) -> None:
    with pytest.raises(LfaError):
        frequency_table(coded, rows="school", cols="school")
    with pytest.raises(LfaError):
        frequency_table(coded, count="sider")
    with pytest.raises(LfaError):
        frequency_table(coded, cols="page")


def test_empty_project_gives_zero_tables(project: Project) -> None:
    table = frequency_table(project, count="words", percent=True)
    assert (table.to_numpy() == 0).all()
    assert quotes_frame(project).empty


def test_cooccurrence_within_turns_and_overlaps(coded: Project) -> None:
    coded.code("skole2-elev4", "pit", quote="Jeg lærer mere der.")
    coded.code("skole1-personale", "pit_balance", quote="Så fordeler vi henvendelserne")
    turns = cooccurrence(coded)
    assert turns.at["mindset", "pit"] == turns.at["pit", "mindset"] == 1
    assert turns.at["pit", "pit_balance"] == 1
    assert turns.at["pit", "pit"] == 2  # two turns have pit (the overlap counts once)
    assert turns.at["foraeldre", "mindset"] == 0  # different turns of one interview
    overlaps = cooccurrence(coded, "overlap")
    assert overlaps.at["pit", "pit_balance"] == 1  # only the second pit coding overlaps it
    assert overlaps.at["mindset", "pit"] == 0
    assert overlaps.at["pit", "pit"] == 3


def _interviews(project: Project) -> list[str]:
    return [r.interview for r in project.transcript_rows()]


def test_word_index_counts_like_str_split() -> None:
    import numpy as np

    from lfa_qual.analysis import WordIndex

    text = " Vi  mødes\thver tirsdag.\n\nPIT-teamet [Elev 3, red.]\u00a0og (…) å "
    spans = [(s, e) for s in range(len(text) + 1) for e in range(s, len(text) + 1)]
    counts = WordIndex(text).count(np.array([s for s, _ in spans]), np.array([e for _, e in spans]))
    assert counts.tolist() == [len(text[s:e].split()) for s, e in spans]


def test_codings_frame_counts_words_of_the_coded_text(coded: Project) -> None:
    frame = codings_frame(coded)
    assert frame["words"].tolist() == [len(t.split()) for t in frame["text"]]


def _speech_words(transcript, start: int, end: int) -> int:
    """Words of the paragraphs in [start, end), as `Transcript.words` counts a whole one."""
    return sum(
        len(transcript.text[max(start, p.start) : min(end, p.end)].split())
        for turn in transcript.turns
        for p in turn.paragraphs
        if p.start < end and start < p.end
    )


def test_coded_words_leave_out_labels_timestamps_and_page_markers(project: Project) -> None:
    """Coding a whole interview covers 100 % of its words, never more: the coded words are
    counted as the transcript's words are (speech only)."""
    transcript = project.transcript("skole1-personale")
    whole = project.code("skole1-personale", "pit", start=0, end=len(transcript.text))
    text = transcript.text
    across = text.index("Det fungerer godt"), text.index("Nogle uger går") + 20
    turns = project.code("skole1-personale", "mindset", start=across[0], end=across[1])
    frame = codings_frame(project).set_index("id")
    assert frame.at[whole.id, "words"] == transcript.words
    assert frame.at[turns.id, "words"] == _speech_words(transcript, *across)
    assert frame.at[turns.id, "words"] < len(text[across[0] : across[1]].split())
    coverage = frequency_table(project, rows="code", cols="interview", count="words", percent=True)
    assert coverage.at["pit", "skole1-personale"] == pytest.approx(100.0)
    words = frequency_table(project, rows="code", cols="interview", count="words")
    assert words.at["pit", "skole1-personale"] == transcript.words


def test_citations_at_every_offset_are_those_of_project_cite(project: Project) -> None:
    """A coding may start on a speaker label, a timestamp or a page marker (a --quote copied with
    its label, --start offsets): its speaker and page are the turn's it belongs to, the next one
    (`Transcript.turn_at`), and inside a turn the next paragraph's (`Transcript.paragraph_at`),
    exactly as `lfa_qual.citation` gives them to `code`."""
    import numpy as np

    from lfa_qual.analysis import CitationIndex
    from lfa_qual.citation import DEFAULT_TEMPLATE, citation_fields, cite

    _add_page_inside_a_turn(project)  # the fixtures change page only between turns
    for interview in _interviews(project):
        transcript = project.transcript(interview)
        index = CitationIndex(transcript, DEFAULT_TEMPLATE)
        offsets = np.arange(len(transcript.text))
        pos = index.positions(offsets)
        for offset, at in zip(offsets.tolist(), pos.tolist(), strict=True):
            fields = citation_fields(transcript, offset)
            assert index.citations[at] == cite(transcript, offset), (interview, offset)
            assert index.fields["role"][at] == fields["role"], (interview, offset)
            assert index.fields["page"][at] == int(fields["page"] or -1), (interview, offset)


def _add_page_inside_a_turn(project: Project) -> str:
    """A transcript whose answers go on over a page marker inside the turn, and whose last turn's
    label is on one page and its text on the next. Returns its interview id."""
    (project.transcripts_dir / "skole4-leder.md").write_text(
        "---\ninterview: skole4-leder\nschool: Skole 4\ndate: 2021-05\nkind: interview\n"
        "speakers:\n  I: {role: Interviewer, interviewer: true}\n  SL: {role: Skoleleder}\n---\n"
        "[side 1]\nI: Hvordan går det?\n\nSL: [00:01:00] Vi har et godt PIT-team.\n\n"
        "[side 2]\nMen vi mangler tid til sparring.\n\nI:\n\n[side 3]\nTak.\n",
        "utf-8",
    )
    project.sync()
    return "skole4-leder"


def test_a_coding_starting_on_a_page_marker_inside_a_turn_has_the_next_page(
    project: Project,
) -> None:
    """The same sentence coded from the marker and from its first word is cited with one page,
    in exports as in `cite` (the gap before a paragraph is that paragraph's)."""
    interview = _add_page_inside_a_turn(project)
    text = project.transcript(interview).text
    marker = text.index("[side 2]")
    end = text.index("sparring.") + len("sparring.")
    from_marker = project.code(interview, "pit", start=marker, end=end)
    from_word = project.code(interview, "mindset", quote="Men vi mangler tid til sparring.")
    label = text.index("I:\n\n[side 3]")
    last = project.code(interview, "mindset", start=label, end=len(text.rstrip()))
    frame = codings_frame(project).set_index("id")
    for coding in (from_marker, from_word):
        assert frame.at[coding.id, "citation"] == project.cite(coding)
        assert frame.at[coding.id, "citation"] == "(Skoleleder, Skole 4, maj 2021, 2)"
        assert frame.at[coding.id, "page"] == 2
    assert frame.at[last.id, "page"] == 3
    assert (
        frame.at[last.id, "citation"] == project.cite(last) == "(Interviewer, Skole 4, maj 2021, 3)"
    )


def test_codings_starting_at_a_label_or_timestamp_have_the_turns_role(project: Project) -> None:
    text = project.transcript("skole1-personale").text
    # "PIT1: [00:03:10] Vi mødes …": copied together with the label and the timestamp.
    at_label = project.code("skole1-personale", "pit", quote="PIT1: [00:03:10] Vi mødes")
    at_marker = text.index("[side 2]")
    marker = project.code("skole1-personale", "mindset", start=at_marker, end=at_marker + 40)
    frame = codings_frame(project).set_index("id")
    for coding in (at_label, marker):
        assert frame.at[coding.id, "citation"] == project.cite(coding)
        assert frame.at[coding.id, "role"] == "PIT-medarbejder"
    assert frame.at[marker.id, "page"] == 2
    roles = frequency_table(project, rows="code", cols="role")
    assert roles.at["pit", "PIT-medarbejder"] == 1
    assert roles.at["mindset", "PIT-medarbejder"] == 1
    assert roles.loc[["pit", "mindset"], "Interviewer"].sum() == 0


def test_a_coding_starting_on_the_next_label_is_not_in_the_previous_turn(project: Project) -> None:
    text = project.transcript("skole1-personale").text
    project.code("skole1-personale", "pit", quote="Det fungerer godt, synes jeg.")
    # Starts on "P1: " right after that turn: its words are the next turn's only.
    start = text.index("P1: Jeg får sparring")
    project.code("skole1-personale", "mindset", start=start, end=start + 25)
    matrix = cooccurrence(project)
    assert matrix.at["pit", "mindset"] == 0
    assert matrix.at["mindset", "mindset"] == 1


def test_tables_show_codes_by_label_and_shared_labels_keep_their_id(project: Project) -> None:
    from lfa_qual.analysis import code_labels, with_code_labels

    labels = code_labels(project)
    assert labels["pit"] == "PIT – Pædagogisk indsatsteam"
    assert labels["pit_balance"] == "› Sparring eller hænder"  # a sub-code
    table = with_code_labels(frequency_table(project), project)
    assert list(table.index)[:2] == ["Mindset og børnesyn", "PIT – Pædagogisk indsatsteam"]
    assert table.index[-1] == "I alt"
    path = project.codebook_path
    path.write_text(
        path.read_text("utf-8").replace("label: Forældresamarbejde", "label: Mindset og børnesyn"),
        "utf-8",
    )
    project.sync()
    labels = code_labels(project)
    assert labels["mindset"] == "Mindset og børnesyn (mindset)"
    assert labels["foraeldre"] == "Mindset og børnesyn (foraeldre)"
