from __future__ import annotations

import pytest

from lfa_qual.citation import check_template, cite
from lfa_qual.errors import LfaError
from lfa_qual.readers import read_transcript


def test_citation_uses_the_speaker_of_the_passage(data_dir):
    t = read_transcript(data_dir / "formats" / "skole9-skoleleder.md")
    offset = t.text.index("Vi flytter blikket")
    assert cite(t, offset) == "(Skoleleder, Skole 3, april 2021, 2)"


def test_a_passage_starting_at_the_label_cites_that_turn(data_dir):
    t = read_transcript(data_dir / "formats" / "skole9-skoleleder.md")
    label_at = t.text.index("SL: Vi flytter")
    assert cite(t, label_at) == "(Skoleleder, Skole 3, april 2021, 2)"
    assert t.turn_at(label_at).index == 4


def test_a_passage_starting_on_a_page_marker_inside_a_turn_cites_the_next_page():
    from lfa_qual.text import normalise
    from lfa_qual.transcript import parse_markdown

    text = normalise(
        "---\nschool: Skole 1\ndate: 2021-04\nspeakers:\n  SL: {role: Skoleleder}\n---\n"
        "[side 1]\nSL: Første afsnit.\n\n[side 2]\nAndet afsnit.\n"
    )
    t = parse_markdown(text, "m.md")
    expected = "(Skoleleder, Skole 1, april 2021, 2)"
    assert cite(t, t.text.index("Andet afsnit")) == expected
    assert cite(t, t.text.index("[side 2]")) == expected  # was page 1, the previous paragraph's
    assert cite(t, t.text.index("\n\n[side 2]")) == expected  # the blank line before it
    assert cite(t, t.text.index("afsnit.\n\n")) == "(Skoleleder, Skole 1, april 2021, 1)"


def test_group_interview_roles_and_pupil_grade_turn_locator(data_dir):
    t = read_transcript(data_dir / "formats" / "skole9-personale.md")
    assert cite(t, t.text.index("Men vi bruger")) == "(PIT-medarbejder, Skole 3, april 2021, 3)"
    assert cite(t, t.text.index("Det gør vi")) == "(Skolemedarbejder, Skole 3, april 2021, 2)"
    assert cite(t, t.text.index("Jeg kan godt")) == "(Elev 4, 8. klasse, Skole 3, april 2021, 4)"


def test_custom_template_and_bad_fields(data_dir):
    t = read_transcript(data_dir / "formats" / "skole9-skoleleder.md")
    assert cite(t, t.text.index("Vi flytter"), "[{role}; {interview} s. {page}]") == (
        "[Skoleleder; skole9-skoleleder s. 2]"
    )
    with pytest.raises(LfaError, match="unknown field"):
        check_template("({navn})")
    with pytest.raises(LfaError, match="not valid"):
        check_template("({role)")


@pytest.mark.parametrize(
    ("template", "named"),
    [
        ("({turn:d})", "{turn:d}"),
        ("({page:,})", "{page:,}"),
        ("({role!z})", "{role!z}"),
        ("({page:{turn}})", "{page:{turn}}"),
        ("({foo})", "{foo}"),
        ("({})", "{}"),
        ("({0})", "{0}"),
        ("({turn.real})", "{turn.real}"),
    ],
)
def test_a_template_that_cannot_format_is_a_config_error_at_load(
    small_project, capsys, template, named
):
    from lfa_qual.cli import main

    config = small_project.root / "lfa-qual.yaml"
    config.write_text(f'coder: a\n# citations\ncitation: "{template}"\n', "utf-8")
    with pytest.raises(LfaError) as info:
        check_template(template)
    assert named in info.value.message
    # Found when the configuration is loaded, by any command, with no codings to cite yet.
    for command in (["codings"], ["transcripts"], ["export", "quotes"]):
        status = main([*command, "--project", str(small_project.root)])
        err = capsys.readouterr().err
        assert status == 2, (command, err)
        assert "lfa-qual.yaml:3 [citation]: citation template " in err and named in err
        assert "internal error" not in err


def test_text_format_specs_still_work(data_dir):
    t = read_transcript(data_dir / "formats" / "skole9-skoleleder.md")
    check_template("({role:>12}, s. {page:0>3}, {interview!r})")
    assert cite(t, t.text.index("Vi flytter"), "({role:>12}, s. {page:0>3})") == (
        "(  Skoleleder, s. 002)"
    )


@pytest.mark.parametrize(
    ("month", "name"),
    [("01", "januar"), ("03", "marts"), ("06", "juni"), ("08", "august"), ("12", "december")],
)
def test_danish_lower_case_months(data_dir, tmp_path, month, name):
    path = tmp_path / "m.md"
    src = (data_dir / "formats" / "skole9-skoleleder.md").read_text("utf-8")
    path.write_text(src.replace("date: 2021-04", f"date: 2020-{month}"), "utf-8")
    t = read_transcript(path)
    assert cite(t, t.text.index("Vi flytter")) == f"(Skoleleder, Skole 3, {name} 2020, 2)"


@pytest.mark.parametrize(
    ("written", "stored", "cited"),
    [
        ("2021-04-13", "2021-04-13", "april 2021"),
        ("2021-4-3", "2021-04-03", "april 2021"),
        ("2020-02-29", "2020-02-29", "februar 2020"),
        ("2020-12-31", "2020-12-31", "december 2020"),
    ],
)
def test_full_dates_are_validated_text_and_cite_the_danish_month(
    data_dir, tmp_path, written, stored, cited
):
    path = tmp_path / "d.md"
    src = (data_dir / "formats" / "skole9-skoleleder.md").read_text("utf-8")
    path.write_text(src.replace("date: 2021-04", f"date: {written}"), "utf-8")
    t = read_transcript(path)
    assert t.date == stored
    assert cite(t, t.text.index("Vi flytter")) == f"(Skoleleder, Skole 3, {cited}, 2)"
    assert cite(t, t.text.index("Vi flytter"), "{date}") == stored


@pytest.mark.parametrize("date", ["2021-06-31", "2021-02-29", "2021-02-30", "2021-13-01"])
def test_impossible_dates_name_the_file_line_and_field(data_dir, tmp_path, date):
    path = tmp_path / "d.md"
    src = (data_dir / "formats" / "skole9-skoleleder.md").read_text("utf-8")
    path.write_text(src.replace("date: 2021-04", f"date: {date}"), "utf-8")
    with pytest.raises(LfaError) as info:
        read_transcript(path)
    assert info.value.field == "date" and info.value.line == 4
    assert f"bad date '{date}'" in str(info.value) and "d.md" in str(info.value)


def test_project_config_template(small_project):
    (small_project.root / "lfa-qual.yaml").write_text(
        'coder: a\ncitation: "({role}, {school}, {year})"\n', "utf-8"
    )
    from lfa_qual.project import Project

    with Project(small_project.root) as p:
        c = p.code("skole9-skoleleder", "mindset", quote="Vi flytter blikket")
        assert p.cite(c) == "(Skoleleder, Skole 3, 2021)"
    (small_project.root / "lfa-qual.yaml").write_text('citation: "({navn})"\n', "utf-8")
    with pytest.raises(LfaError) as info:
        Project(small_project.root)
    assert info.value.line == 1 and "lfa-qual.yaml" in str(info.value)
