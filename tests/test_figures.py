"""Figures: long column labels stay readable, and every figure has a Danish title."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from lfa_qual.export.figures import bar_chart, heatmap, titles

INTERVIEWS = [
    "skole1-foraelder1",
    "skole1-personale",
    "skole1-skoleleder",
    "skole2-elever",
    "skole3-foraelder2",
]
ROLES = ["Forælder 1", "PIT-medarbejder", "Skolemedarbejder", "Skoleleder", "Elev 4"]


@pytest.mark.parametrize("columns", [INTERVIEWS, ROLES])
def test_heatmap_column_labels_do_not_overlap(columns):
    table = pd.DataFrame([[1, 2, 3, 4, 5]] * 3, index=list("abc"), columns=columns)
    fig = heatmap(table, ["Implementering", "Mindset", "PIT"], "x")
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        labels = fig.axes[0].get_xticklabels()
        boxes = [t.get_window_extent(renderer) for t in labels]
        if all(t.get_rotation() == 0 for t in labels):
            assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
        else:
            # Turned 45°: neighbours are apart by the tick spacing times sin 45° across the
            # text's direction, which must exceed the height of a (wrapped) label.
            assert all(t.get_rotation() == 45 for t in labels)
            spacing = boxes[1].x0 - boxes[0].x0
            height = max(t.get_text().count("\n") + 1 for t in labels) * labels[0].get_size()
            assert spacing * 0.707 > height * fig.dpi / 72
    finally:
        plt.close(fig)


def test_titles_say_what_is_counted_in_danish():
    assert titles("codings", "school") == ("Kodninger pr. tema og skole", "Kodninger pr. tema")
    assert titles("words", "role") == ("Kodede ord pr. tema og rolle", "Kodede ord pr. tema")
    # Was "Interview pr. tema og interview".
    heat, bars = titles("interviews", "interview")
    assert heat.startswith("Temaer i hvert interview") and bars == "Interview med temaet"
    assert titles("interviews", "school")[0] == "Interview med temaet pr. skole"


def test_the_bar_chart_has_a_title_as_the_heat_map_has():
    fig = bar_chart(
        pd.Series([3, 1]), ["Mindset", "PIT"], ["#111111", "#222222"], "Kodninger pr. tema"
    )
    try:
        assert fig.axes[0].get_title() == "Kodninger pr. tema"
    finally:
        plt.close(fig)
