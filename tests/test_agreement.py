"""Intercoder agreement checked against independent computations: the `krippendorff` package,
character-by-character Python sets, NVivo's published example and hand-worked edge cases."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from team_data import CODES, code_a_and_b, make_team_project, naive_tables

from lfa_qual.agreement import ALL, Comparison, compare
from lfa_qual.agreement import coefficients as co
from lfa_qual.cli import main
from lfa_qual.errors import LfaError
from lfa_qual.project import Project


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = make_team_project(tmp_path_factory.mktemp("team") / "p")
    code_a_and_b(project)
    yield project
    project.close()


def by_code(rows):
    return {r.code: r for r in rows}


def test_characters_match_a_count_one_character_at_a_time(team: Project) -> None:
    chars, _ = naive_tables(team, ["A", "B"], CODES)
    rows = by_code(compare(team, Comparison(coders=("A", "B")), "char"))
    pooled = np.zeros(4)
    for code in CODES:
        counts = np.array(chars[code], dtype=float)
        pooled += counts
        row = rows[code]
        assert [row.counts[k] for k in co.PAIR] == chars[code]
        both, first, second, neither = counts
        n = counts.sum()
        p_o = (both + neither) / n
        p1, p2 = (both + first) / n, (both + second) / n
        p_e = p1 * p2 + (1 - p1) * (1 - p2)
        assert row.agreement == pytest.approx(p_o, abs=1e-12)
        assert row.kappa == pytest.approx((p_o - p_e) / (1 - p_e), abs=1e-12)
    assert rows[ALL].units == pooled.sum()
    # The perturbations are real: agreement is high but not perfect.
    assert 0.3 < rows[ALL].kappa < 0.95


def test_alpha_equals_the_krippendorff_package_on_paragraph_units(team: Project) -> None:
    _, paras = naive_tables(team, ["A", "B"], CODES)
    rows = by_code(compare(team, Comparison(coders=("A", "B")), "paragraph"))
    stacked = []
    for code in CODES:
        data = np.array([[np.nan if v is None else v for v in paras[code][c]] for c in "AB"])
        stacked.append(data)
        if len(np.unique(data[~np.isnan(data)])) < 2:
            assert rows[code].alpha is None
            continue
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert rows[code].alpha == pytest.approx(expected, abs=1e-9)
    expected = krippendorff.alpha(
        reliability_data=np.concatenate(stacked, axis=1), level_of_measurement="nominal"
    )
    assert rows[ALL].alpha == pytest.approx(expected, abs=1e-9)


def test_alpha_of_three_coders_with_missing_values(tmp_path: Path) -> None:
    project = make_team_project(tmp_path / "p", transcripts=3, paragraphs=8)
    code_a_and_b(project, seed=3)
    # Coder C codes two of the three transcripts only: C's values in the third are missing.
    for c in project.codings(coder="A"):
        if not c.interview.startswith("skole3") and c.id % 3:
            project.code(c.interview, c.code, start=c.start, end=c.end + 0, coder="C")
    _, paras = naive_tables(project, ["A", "B", "C"], CODES)
    every = compare(project, Comparison(), "paragraph")
    pairs = {tuple(r.coders) for r in every if r.code == ALL and len(r.coders) == 2}
    assert pairs == {("A", "B"), ("A", "C"), ("B", "C")}  # κ for each pair
    rows = by_code([r for r in every if len(r.coders) == 3])
    stacked = []
    for code in CODES:
        data = np.array(
            [[np.nan if v is None else v for v in paras[code][c]] for c in "ABC"], dtype=float
        )
        stacked.append(data)
    expected = krippendorff.alpha(
        reliability_data=np.concatenate(stacked, axis=1), level_of_measurement="nominal"
    )
    assert rows[ALL].alpha == pytest.approx(expected, abs=1e-9)
    assert rows[ALL].agreement is None and rows[ALL].kappa is None
    project.close()


def one_paragraph_project(root: Path, chars: int = 1000) -> Project:
    """One participant paragraph of exactly `chars` characters (one long "word", so that no
    span is trimmed)."""
    (root / "transcripts").mkdir(parents=True)
    (root / "codebooks").mkdir()
    text = "x" * (chars - 1) + "y"
    (root / "transcripts" / "skole1-elev1.md").write_text(
        "---\ninterview: skole1-elev1\nschool: Skole 1\ndate: 2021-06\nkind: elevinterview\n"
        "speakers:\n  I: {role: Interviewer, interviewer: true}\n  E1: {role: Elev 1}\n---\n"
        f"I: Hvordan går det?\n\nE1: {text}\n",
        encoding="utf-8",
    )
    src = Path(__file__).parent / "data" / "codebooks" / "small.yaml"
    (root / "codebooks" / "lfa.yaml").write_bytes(src.read_bytes())
    (root / "lfa-qual.yaml").write_text("coder: A\n", encoding="utf-8")
    project = Project(root)
    project.sync()
    return project


def test_nvivo_example_85_percent(tmp_path: Path) -> None:
    # 1,000 characters: 50 coded by both, 150 by one coder only, 800 by neither.
    project = one_paragraph_project(tmp_path)
    t = project.transcript("skole1-elev1")
    s = t.turns[-1].paragraphs[0].start
    project.code("skole1-elev1", "pit", start=s, end=s + 200, coder="A")
    project.code("skole1-elev1", "pit", start=s, end=s + 50, coder="B")
    project.code("skole1-elev1", "mindset", start=s + 900, end=s + 1000, coder="B")
    row = by_code(compare(project, Comparison(codes=("pit",)), "char"))["pit"]
    assert row.units == 1000
    assert [row.counts[k] for k in co.PAIR] == [50, 150, 0, 800]
    assert row.agreement == pytest.approx(0.85)
    # p_e = 0.2·0.05 + 0.8·0.95 = 0.77; κ = (0.85 − 0.77) / 0.23
    assert row.kappa == pytest.approx(0.08 / 0.23)
    project.close()


def test_edge_cases_have_documented_results(tmp_path: Path) -> None:
    project = one_paragraph_project(tmp_path)
    s = project.transcript("skole1-elev1").turns[-1].paragraphs[0].start
    # pit: perfect agreement; mindset: total disagreement (A the first half, B the second);
    # foraeldre: coded by A only (B coded nothing with it); timer_37: nobody used it.
    for coder in "AB":
        project.code("skole1-elev1", "pit", start=s, end=s + 300, coder=coder)
    project.code("skole1-elev1", "mindset", start=s, end=s + 500, coder="A")
    project.code("skole1-elev1", "mindset", start=s + 500, end=s + 1000, coder="B")
    project.code("skole1-elev1", "foraeldre", start=s, end=s + 100, coder="A")
    rows = by_code(compare(project, Comparison(), "char"))
    assert (rows["pit"].agreement, rows["pit"].kappa, rows["pit"].alpha) == (1.0, 1.0, 1.0)
    assert rows["mindset"].agreement == 0.0 and rows["mindset"].kappa == pytest.approx(-1.0)
    assert rows["foraeldre"].agreement == pytest.approx(0.9)
    assert rows["foraeldre"].kappa == pytest.approx(0.0)
    unused = rows["timer_37"]
    assert unused.agreement == 1.0 and unused.kappa is None and unused.alpha is None
    segs = by_code(compare(project, Comparison(), "segment"))
    assert segs["timer_37"].units == 0 and segs["timer_37"].agreement is None
    project.close()


def test_own_overlapping_spans_count_once(tmp_path: Path) -> None:
    project = one_paragraph_project(tmp_path)
    s = project.transcript("skole1-elev1").turns[-1].paragraphs[0].start
    project.code("skole1-elev1", "pit", start=s, end=s + 60, coder="A")
    project.code("skole1-elev1", "pit", start=s + 40, end=s + 100, coder="A")
    project.code("skole1-elev1", "pit", start=s, end=s + 100, coder="B")
    row = by_code(compare(project, Comparison(codes=("pit",)), "char"))["pit"]
    assert [row.counts[k] for k in co.PAIR] == [100, 0, 0, 900]
    project.close()


def test_interviewer_turns_and_labels_are_not_units(tmp_path: Path) -> None:
    project = one_paragraph_project(tmp_path)
    text = project.transcript("skole1-elev1").text
    q = text.index("Hvordan går det?")
    project.code("skole1-elev1", "pit", start=q, end=q + 7, coder="A")
    project.code("skole1-elev1", "pit", start=q + 8, end=q + 16, coder="B")
    row = by_code(compare(project, Comparison(codes=("pit",)), "char"))["pit"]
    assert row.units == 1000 and row.counts["neither"] == 1000
    asked = by_code(compare(project, Comparison(codes=("pit",), interviewer=True), "char"))
    assert asked["pit"].units == 1000 + len("Hvordan går det?")
    assert asked["pit"].counts["first"] == 7 and asked["pit"].counts["second"] == 8
    project.close()


def test_segment_agreement_needs_the_overlap(tmp_path: Path) -> None:
    project = one_paragraph_project(tmp_path)
    s = project.transcript("skole1-elev1").turns[-1].paragraphs[0].start
    project.code("skole1-elev1", "pit", start=s, end=s + 100, coder="A")
    project.code("skole1-elev1", "pit", start=s + 10, end=s + 100, coder="B")  # 90 % overlap
    project.code("skole1-elev1", "mindset", start=s + 200, end=s + 300, coder="A")
    project.code("skole1-elev1", "mindset", start=s + 250, end=s + 300, coder="B")  # 50 %
    project.code("skole1-elev1", "foraeldre", start=s + 400, end=s + 500, coder="B")
    rows = by_code(compare(project, Comparison(), "segment", overlap=90))
    assert rows["pit"].agreement == 1.0 and rows["pit"].counts["agreeing"] == 2
    assert rows["mindset"].agreement == 0.0
    assert rows[ALL].counts == {"agreeing": 2, "first_only": 1, "second_only": 2}
    assert rows[ALL].agreement == pytest.approx(2 / 5)
    k = 4  # codes compared: chance 1/4
    assert rows[ALL].kappa == pytest.approx((2 / 5 - 1 / k) / (1 - 1 / k))
    lower = by_code(compare(project, Comparison(), "segment", overlap=50))
    assert lower["mindset"].agreement == 1.0
    project.close()


def test_bootstrap_is_seeded_and_brackets_the_estimate(team: Project) -> None:
    one = compare(team, Comparison(), "paragraph", bootstrap=200, seed=7)
    two = compare(team, Comparison(), "paragraph", bootstrap=200, seed=7)
    row = by_code(one)[ALL]
    assert row.kappa_ci == by_code(two)[ALL].kappa_ci
    assert row.kappa_ci[0] <= row.kappa <= row.kappa_ci[1]
    assert row.alpha_ci[0] <= row.alpha <= row.alpha_ci[1]


def test_per_interview_rows_sum_to_the_pooled_counts(team: Project) -> None:
    rows = compare(team, Comparison(), "char", per_interview=True)
    pooled = [r for r in rows if r.interview == ALL and r.code == ALL][0]
    parts = [r for r in rows if r.interview != ALL and r.code == ALL]
    assert len(parts) == 3
    assert sum(r.units for r in parts) == pooled.units


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--coders", "A", "X"], "no coder 'X' in this project; known coders: A, B"),
        (["--coders", "A"], "at least two coders"),
        (["--interview", "nope"], "no interview 'nope'"),
        (["--overlap", "0"], "--overlap"),
    ],
)
def test_bad_requests_exit_2_with_a_message(team: Project, args, message, capsys) -> None:
    assert main(["agreement", "--project", str(team.root), *args]) == 2
    assert message in capsys.readouterr().err


def test_no_transcript_coded_by_both(tmp_path: Path, capsys) -> None:
    project = make_team_project(tmp_path / "p", transcripts=2, paragraphs=3)
    t1, t2 = (r.interview for r in project.transcript_rows())
    s = project.transcript(t1).turns[1].paragraphs[0].start
    project.code(t1, "pit", start=s, end=s + 5, coder="A")
    s = project.transcript(t2).turns[1].paragraphs[0].start
    project.code(t2, "pit", start=s, end=s + 5, coder="B")
    with pytest.raises(LfaError, match="no transcript is coded by two of the coders A, B"):
        compare(project, Comparison(), "char")
    project.close()


def test_json_is_a_list_with_the_issue_keys(team: Project, capsys) -> None:
    assert main(["agreement", "--project", str(team.root), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["code"] for d in data] == [*CODES, "*"]
    for d in data:
        assert {"code", "unit", "coders", "units", "agreement", "kappa", "alpha"} <= set(d)
        assert d["coders"] == ["A", "B"] and d["unit"] == "char"
    unused = [d for d in data if d["kappa"] is None]
    assert all(d["alpha"] is None for d in unused)
    assert not any(isinstance(v, float) and math.isnan(v) for d in data for v in d.values())


def test_table_csv_and_xlsx_exports(team: Project, tmp_path: Path, capsys) -> None:
    root = str(team.root)
    assert main(["agreement", "--project", root, "--unit", "paragraph"]) == 0
    out = capsys.readouterr().out
    assert "Alle koder" in out and "Kappa" in out and "afsnit" in out
    target = tmp_path / "enighed.xlsx"
    assert main(["agreement", "--project", root, "--out", str(target)]) == 0
    from openpyxl import load_workbook

    sheet = load_workbook(target).active
    header = [c.value for c in next(sheet.iter_rows())]
    assert header[:3] == ["Kode", "Enhed", "Kodere"] and "Enighed (%)" in header
    assert main(["agreement", "--project", root, "--by-interview", "--format", "csv"]) == 0
    per = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["Interview"] for r in per} == {"Alle", *(r.interview for r in team.transcript_rows())}
    store = team.db_path
    assert main(["agreement", "--project", root, "--format", "csv", "--out", str(store)]) == 2
    assert "refusing to write" in capsys.readouterr().err


def test_segment_table_lists_agreeing_and_disagreeing_segments(tmp_path: Path, capsys) -> None:
    project = one_paragraph_project(tmp_path)
    s = project.transcript("skole1-elev1").turns[-1].paragraphs[0].start
    project.code("skole1-elev1", "pit", start=s, end=s + 100, coder="A")
    project.code("skole1-elev1", "pit", start=s + 10, end=s + 100, coder="B")
    project.code("skole1-elev1", "mindset", start=s + 200, end=s + 300, coder="A")
    root = str(project.root)
    assert main(["disagreements", "--project", root, "--unit", "segment", "--all",
                 "--format", "json"]) == 0  # fmt: skip
    rows = json.loads(capsys.readouterr().out)
    assert [(r["coder"], r["code"], r["agrees"], r["overlap"]) for r in rows] == [
        ("A", "pit", True, 0.9),
        ("B", "pit", True, 0.9),
        ("A", "mindset", False, 0.0),
    ]
    assert main(["disagreements", "--project", root, "--unit", "segment", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 2 and "Overlap (%)" in out and ",nej," in out
    project.close()
