"""The helpers that keep exports fast give exactly what the straightforward code gives."""

from __future__ import annotations

import io
import json
import random

import numpy as np
import pandas as pd
import pytest

from lfa_qual.analysis import (
    CitationIndex,
    Locator,
    WordIndex,
    interview_rows,
    month_names,
    speaker_words,
)
from lfa_qual.analysis.quote_text import char_classes, needs_cut, normal_spans
from lfa_qual.analysis.quotes import merge_overlaps, merge_spans, natural_key, rank
from lfa_qual.citation import cite
from lfa_qual.export.to_json import write_json
from lfa_qual.importer import load_transcript, load_transcripts
from lfa_qual.project import Project


@pytest.fixture
def project(export_project: Project) -> Project:
    return export_project


def test_load_transcripts_equals_loading_each(project: Project) -> None:
    every = load_transcripts(project.store)
    assert len(every) == 3
    for interview, transcript in every.items():
        assert transcript == load_transcript(project.store, interview)
    [one] = list(every)[:1]
    assert list(load_transcripts(project.store, [one])) == [one]


def test_citation_index_cites_every_spoken_offset_like_cite(project: Project) -> None:
    template = "{speaker}|{page}|{locator}|{turn}|{label}|{month} {year}"
    for transcript in load_transcripts(project.store).values():
        index = CitationIndex(transcript, template)
        # Where a quote can start: inside a paragraph (a label or page marker between turns
        # belongs to no citation point).
        offsets = np.array(
            [o for turn in transcript.turns for p in turn.paragraphs for o in range(p.start, p.end)]
        )
        got = index.citations[index.positions(offsets)]
        assert list(got) == [cite(transcript, int(o), template) for o in offsets]


def test_char_classes_and_spans_agree_with_str_methods() -> None:
    text = "Vi (…) har  [PIT, red.]\tmødt\n\nhinanden æøå-ord 8. klasse \u00a0slut"
    classes = char_classes(text)
    for ch, c in zip(text, classes, strict=True):
        assert bool(c & 2) == ch.isspace()
    spans = [(a, b) for a in range(len(text) + 1) for b in range(a, len(text) + 1)]
    starts = np.array([a for a, _ in spans])
    ends = np.array([b for _, b in spans])
    normal = normal_spans(classes, starts, ends)
    assert list(normal) == [" ".join(text[a:b].split()) == text[a:b] for a, b in spans]
    assert (needs_cut(text, starts, ends) == needs_cut(text, starts, ends, classes)).all()
    counts = WordIndex(text, classes).count(starts, ends)
    assert list(counts) == [len(text[a:b].split()) for a, b in spans]


def test_merge_spans_numbers_quotes_like_merge_overlaps() -> None:
    rng = random.Random(3)
    rows = []
    for _ in range(400):
        a = rng.randrange(200)
        rows.append((rng.choice("ab"), rng.choice("xyz"), a, a + rng.randrange(1, 30)))
    frame = pd.DataFrame(rows, columns=["interview", "code", "start", "end"])
    frame = frame.sort_values(["interview", "code", "start", "end"], kind="stable")
    frame = frame.reset_index(drop=True)
    expected = merge_overlaps(frame).to_numpy()
    got = merge_spans(
        pd.factorize(frame["interview"])[0],
        pd.factorize(frame["code"])[0],
        frame["start"].to_numpy(),
        frame["end"].to_numpy(),
    )
    assert (got == expected).all()


def test_rank_sorts_like_sort_values() -> None:
    values = np.array(["Skole 10", "skole 2", "Skole 2", None, "Skole 1"], dtype=object)
    ranks = rank(values, natural_key)
    assert ranks[1] == ranks[2]  # equal keys share a rank
    assert ranks[3] == ranks.max()  # missing last
    assert list(np.argsort(ranks[[0, 2, 4]], kind="stable")) == [2, 1, 0]


def test_interview_rows_equals_groupby_indices() -> None:
    s = pd.Series(["b", "b", "a", "a", "b", "c"])
    expected = s.groupby(s, sort=False).indices
    got = interview_rows(s)
    assert list(got) == list(expected)
    for key in expected:
        assert list(got[key]) == list(expected[key])
    assert interview_rows(pd.Series([], dtype=object)) == {}


def test_month_names_in_danish() -> None:
    dates = pd.Series(["2021-04", "2021-12-03", "2021-04"])
    assert list(month_names(dates)) == ["april 2021", "december 2021", "april 2021"]


def test_speaker_words_sums_the_split_words_of_each_role(project: Project) -> None:
    frame = speaker_words(project, Locator(project))
    for interview, transcript in load_transcripts(project.store).items():
        for role in {s.role for s in transcript.speakers.values()}:
            expected = sum(
                len(transcript.text[p.start : p.end].split())
                for turn in transcript.turns
                if transcript.speakers[turn.label].role == role
                for p in turn.paragraphs
            )
            rows = frame[(frame["interview"] == interview) & (frame["role"] == role)]
            assert int(rows["words"].sum()) == expected


def test_json_lines_are_json_dumps_of_each_record() -> None:
    frame = pd.DataFrame(
        {
            "tekst": pd.array(['æ "ø" \\ å %s', None], dtype="string"),
            "side": pd.array([3, None], dtype="Int64"),
            "ord": [1, 2],
            "andel": [0.5, float("nan")],
            "ja": [True, False],
            "blandet": np.array([1, "x"], dtype=object),
        }
    )
    out = io.StringIO()
    write_json(frame, out)
    lines = out.getvalue().splitlines()
    records = [
        {"tekst": 'æ "ø" \\ å %s', "side": 3, "ord": 1, "andel": 0.5, "ja": True, "blandet": "1"},
        {"tekst": None, "side": None, "ord": 2, "andel": None, "ja": False, "blandet": "x"},
    ]
    assert lines == [
        "[",
        " " + json.dumps(records[0], ensure_ascii=False) + ",",
        " " + json.dumps(records[1], ensure_ascii=False),
        "]",
    ]
