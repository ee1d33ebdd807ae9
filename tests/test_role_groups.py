"""Role groups: a group (default: the role without its number, or `role_groups:` in
lfa-qual.yaml) stands for its roles in filters, frequency tables and figures."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from conftest import DATA, make_export_project, run

from lfa_qual.analysis import Filters, frequency_table, quotes_frame, speaker_words
from lfa_qual.errors import LfaError
from lfa_qual.project import Project
from lfa_qual.role_groups import RoleGroups, default_group


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "projekt"
    root.mkdir()
    with make_export_project(root) as p:
        shutil.copy(DATA / "rolegroups" / "skole1-elev1.md", root / "transcripts")
        p.sync()
        p.code("skole1-personale", "pit", quote="Vi mødes hver tirsdag.")
        p.code("skole2-elev4", "mindset", quote="Der er ro på holdet. Jeg lærer mere der.")
        p.code("skole1-elev1", "mindset", quote="Det er rart, for der er ikke så meget larm.")
        p.code("skole10-foraelder2", "foraeldre", quote="Vi har fået en fast kontaktperson.")
    return root


def test_the_default_group_is_the_role_without_its_number() -> None:
    assert default_group("Elev 4") == "Elev"
    assert default_group("Forælder 2") == "Forælder"
    assert default_group("PIT-medarbejder") == "PIT-medarbejder"
    groups = RoleGroups({"Personale": ("Skoleleder", "PIT-*")})
    assert groups.group_of("PIT-medarbejder") == "Personale"
    assert groups.group_of("Elev 12") == "Elev"


def test_a_group_filters_quotes_as_its_roles(root: Path) -> None:
    with Project(root) as project:
        quotes = quotes_frame(project, Filters(roles=("Elev",)))
        assert sorted(quotes["role"]) == ["Elev 1", "Elev 4"]
        one = quotes_frame(project, Filters(roles=("Elev 4",)))
        assert list(one["role"]) == ["Elev 4"]


def test_export_quotes_with_roles_elev(root: Path, capsys) -> None:
    assert run(root, "export", "quotes", "--roles", "Elev", "--format", "json") == 0
    out = capsys.readouterr().out
    assert "(Elev 1, 5. klasse, Skole 1, august 2021, 1)" in out
    assert "Elev 4" in out and "Forælder" not in out


def test_frequency_table_by_role_group(root: Path, capsys) -> None:
    with Project(root) as project:
        table = frequency_table(project, "code", "role_group")
    assert list(table.columns) == ["Elev", "Forælder", "Interviewer", "PIT-medarbejder",
                                   "Skolemedarbejder", "I alt"]  # fmt: skip
    assert table.at["mindset", "Elev"] == 2 and table.at["foraeldre", "Forælder"] == 1
    assert run(root, "export", "frequencies", "--cols", "role_group", "--format", "csv") == 0
    rows = {r[0]: r for r in csv.reader(io.StringIO(capsys.readouterr().out))}
    assert rows["code"][1] == "Elev" and rows["mindset"][1] == "2"


def test_coverage_by_role_group_counts_the_words_of_all_its_roles(root: Path) -> None:
    with Project(root) as project:
        words = frequency_table(project, "code", "role_group", "words")
        coverage = frequency_table(project, "code", "role_group", "words", percent=True)
        spoken = speaker_words(project)
    elev = spoken[spoken["role"].isin(["Elev 1", "Elev 4"])]["words"].sum()
    assert elev > spoken[spoken["role"] == "Elev 4"]["words"].sum() > 0
    expected = words.at["mindset", "Elev"] / elev * 100
    assert coverage.at["mindset", "Elev"] == pytest.approx(expected)


def test_configured_groups_and_patterns(root: Path, capsys) -> None:
    config = root / "lfa-qual.yaml"
    config.write_text(
        "coder: forsker1\n"
        "# Who speaks for the school\n"
        "role_groups:\n"
        "  Personale: [Skolemedarbejder, PIT-*]\n"
        "  Familie: Forælder 2\n",
        encoding="utf-8",
    )
    assert run(root, "export", "frequencies", "--cols", "role_group", "--format", "csv") == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header == "code,Personale,Familie,Elev,Interviewer,I alt"
    assert run(root, "export", "quotes", "--roles", "Personale", "--format", "json") == 0
    assert "PIT-medarbejder, Skole 1" in capsys.readouterr().out


def test_an_unknown_role_or_group_is_refused_with_the_known_ones(root: Path, capsys) -> None:
    assert run(root, "export", "quotes", "--roles", "Elever") == 2
    err = capsys.readouterr().err
    assert "no role or role group 'Elever'" in err
    assert "Elev 1, Elev 4" in err and "groups: Elev, Forælder" in err


def test_a_configured_group_naming_no_role_is_refused(root: Path, capsys) -> None:
    (root / "lfa-qual.yaml").write_text(
        "role_groups:\n  Ledelse: [Skoleleder, Viceskoleleder]\n", encoding="utf-8"
    )
    assert run(root, "export", "quotes", "--roles", "Ledelse") == 2
    err = capsys.readouterr().err
    assert "role group 'Ledelse'" in err and "names no role in this project" in err
    assert "Skoleleder, Viceskoleleder" in err


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("role_groups: [Elev]\n", 1, "must map each group to its roles"),
        ("coder: x\nrole_groups:\n  Elever: []\n", 3, "needs a role or a list of roles"),
        ("role_groups:\n  Elever:\n    - {a: b}\n", 2, "lists something that is not a role"),
    ],
)
def test_a_bad_role_groups_setting_names_the_file_and_line(
    root: Path, text: str, line: int, message: str
) -> None:
    (root / "lfa-qual.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(LfaError) as exc:
        Project(root)
    assert exc.value.line == line and message in exc.value.message
    assert str(exc.value).startswith(str(root / "lfa-qual.yaml"))


def test_figures_by_role_group(root: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "fig"
    assert run(root, "export", "figures", "--cols", "role_group", "--out", str(out)) == 0
    assert (out / "heatmap.svg").read_text("utf-8").count("rollegruppe") >= 1


def test_stats_and_drill_down_by_role_group(root: Path, capsys) -> None:
    from lfa_qual.drill import cell_codings

    assert run(root, "stats", "--cols", "role_group", "--count", "passages") == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if line.startswith("Tema"))
    assert header.split()[1:3] == ["Elev", "Forælder"]
    with Project(root) as project:
        frame = cell_codings(project, "code", "mindset", "role_group", "Elev")
    assert sorted(frame["role"]) == ["Elev 1", "Elev 4"]
