from __future__ import annotations

import json
import shutil
import subprocess
import sys

from lfa_qual.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_import_code_and_list(tmp_path, capsys, data_dir):
    proj = tmp_path / "p"
    code, out, _ = run(capsys, "init", str(proj), "--coder", "forsker1")
    assert code == 0 and "forsker1" in out
    assert (proj / "lfa-qual.yaml").exists() and (proj / "codebooks" / "lfa.yaml").exists()
    shutil.copy(data_dir / "codebooks" / "small.yaml", proj / "codebooks" / "lfa.yaml")
    shutil.copy(data_dir / "formats" / "skole9-skoleleder.md", proj / "transcripts")
    code, out, _ = run(capsys, "--project", str(proj), "import")
    assert (code, out.strip()) == (0, "imported 1 new, 0 updated, 0 unchanged transcript(s)")
    code, out, _ = run(capsys, "import", "--project", str(proj))
    assert "0 new, 0 updated, 1 unchanged" in out

    code, out, _ = run(capsys, "transcripts", "--project", str(proj))
    assert code == 0 and "skole9-skoleleder  Skole 3  Skoleleder" in out

    code, out, _ = run(
        capsys,
        "code",
        "skole9-skoleleder",
        "mindset",
        "--quote",
        "Vi flytter blikket fra barnet",
        "--memo",
        "kerne",
        "--project",
        str(proj),
    )
    assert code == 0 and "(Skoleleder, Skole 3, april 2021, 2)" in out

    code, out, _ = run(capsys, "codings", "--format", "json", "--project", str(proj))
    [record] = json.loads(out)
    assert record["text"] == "Vi flytter blikket fra barnet"
    assert record["citation"] == "(Skoleleder, Skole 3, april 2021, 2)"
    assert (
        record["coder"] == "forsker1" and record["source"] == "manual" and record["memo"] == "kerne"
    )
    for key in ("id", "interview", "start", "end", "code"):
        assert key in record

    code, out, _ = run(capsys, "codings", "--format", "csv", "--project", str(proj))
    assert out.splitlines()[0] == "id,interview,start,end,code,coder,source,text,citation"

    code, out, _ = run(capsys, "memo", "coding", str(record["id"]), "--project", str(proj))
    assert out.strip() == "kerne"

    code, out, _ = run(capsys, "uncode", str(record["id"]), "--project", str(proj))
    assert code == 0
    code, out, _ = run(capsys, "codings", "--format", "json", "--project", str(proj))
    assert json.loads(out) == []


def test_codebook_check(capsys, data_dir):
    code, out, _ = run(capsys, "codebook", "check", str(data_dir / "codebooks" / "small.yaml"))
    assert code == 0 and "4 codes (3 top-level)" in out
    code, out, err = run(capsys, "codebook", "check", str(data_dir / "codebooks" / "broken.yaml"))
    assert code == 2 and out == ""
    assert "broken.yaml:6: unknown key 'colour'" in err
    assert "broken.yaml:9: duplicate code id 'pit'" in err
    assert "Traceback" not in err


def test_user_errors_exit_2_with_one_message(small_project, capsys):
    p = str(small_project.root)
    code, _, err = run(
        capsys, "code", "skole9-skoleleder", "pit", "--quote", "findes ikke", "--project", p
    )
    assert code == 2 and err.startswith("lfa-qual: error:") and "quote not found" in err
    code, _, err = run(capsys, "code", "nope", "pit", "--start", "1", "--end", "5", "--project", p)
    assert code == 2 and "no transcript 'nope'" in err
    code, _, err = run(capsys, "transcripts", "--project", str(small_project.root / "missing"))
    assert code == 2 and "no such project folder" in err


def test_console_script_help_and_bad_argument():
    result = subprocess.run(
        [sys.executable, "-m", "lfa_qual", "codings", "--format", "xml"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "invalid choice" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "lfa_qual", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "codings" in result.stdout


def test_date_like_values_in_the_project_config_are_plain_text(small_project, capsys):
    # The YAML loader keeps dates as text, so `coder: 2021-02-30` is a coder name, not a crash.
    p = str(small_project.root)
    (small_project.root / "lfa-qual.yaml").write_text("coder: 2021-02-30\n", "utf-8")
    code, out, err = run(
        capsys,
        "code",
        "skole9-skoleleder",
        "mindset",
        "--quote",
        "Vi flytter blikket",
        "--project",
        p,
    )
    assert code == 0, err
    code, out, err = run(capsys, "codings", "--format", "json", "--project", p)
    assert code == 0 and json.loads(out)[0]["coder"] == "2021-02-30"


def test_code_refuses_a_quote_together_with_offsets(small_project, capsys):
    p = str(small_project.root)
    base = ["code", "skole9-skoleleder", "mindset", "--project", p]
    for extra in (
        ["--quote", "Vi flytter blikket", "--start", "300", "--end", "330"],
        ["--quote", "Vi flytter blikket", "--start", "300"],
        ["--start", "300", "--end", "330", "--occurrence", "1"],
    ):
        code, out, err = run(capsys, *base, *extra)
        assert code == 2 and out == "", extra
        assert "error: span: " in err and len(err.strip().splitlines()) == 1, err
    assert "not both" in run(capsys, *base, "--quote", "Vi", "--end", "9")[2]
    assert small_project.codings() == []


def test_a_missing_transcripts_folder_in_the_config_is_an_error(small_project, capsys):
    p = str(small_project.root)
    config = small_project.root / "lfa-qual.yaml"
    config.write_text("coder: tester\ntranscripts: transkripter\n", "utf-8")
    for command in (["transcripts"], ["codings"], ["export", "quotes"]):
        code, out, err = run(capsys, *command, "--project", p)
        assert code == 2 and out == "", command
        assert (
            "lfa-qual.yaml:2 [transcripts]: the transcripts folder 'transkripter' does not" in err
        )
    (small_project.root / "transkripter").write_text("", "utf-8")
    code, _, err = run(capsys, "transcripts", "--project", p)
    assert code == 2 and "'transkripter' is a file, not a folder" in err
    # An empty folder is a project without transcripts yet, not a mistake.
    (small_project.root / "transkripter").unlink()
    (small_project.root / "transkripter").mkdir()
    code, out, err = run(capsys, "transcripts", "--project", p)
    assert code == 0 and "error" not in err


def test_init_config_names_every_citation_field_and_the_database(tmp_path, capsys):
    from lfa_qual.citation import FIELDS
    from lfa_qual.config import load_config

    proj = tmp_path / "p"
    assert run(capsys, "init", str(proj), "--coder", "forsker1")[0] == 0
    text = (proj / "lfa-qual.yaml").read_text("utf-8")
    fields_line = next(line for line in text.splitlines() if line.startswith("# Fields"))
    assert all(f" {name}" in fields_line for name in FIELDS), fields_line
    config = load_config(proj)
    assert (config.database, config.transcripts) == ("lfa-qual.db", "transcripts")
    assert (proj / "lfa-qual.db").exists()


def test_memo_text_prints_a_confirmation(small_project, capsys):
    p = str(small_project.root)
    code, out, _ = run(capsys, "memo", "code", "pit", "--text", "Teamets møder", "--project", p)
    assert (code, out.strip()) == (0, "memo on code pit saved (13 characters)")
    code, out, _ = run(capsys, "memo", "code", "pit", "--text", "", "--project", p)
    assert (code, out.strip()) == (0, "memo on code pit deleted")
    coding = small_project.code("skole9-skoleleder", "pit", quote="PIT-teamet")
    code, out, _ = run(capsys, "memo", "coding", str(coding.id), "--text", "x", "--project", p)
    assert out.strip() == f"memo on coding {coding.id} saved (1 character)"


def test_an_ambiguous_quote_lists_page_speaker_and_context(tmp_path, capsys, data_dir):
    shutil.copytree(data_dir / "tui", tmp_path / "p")
    p = str(tmp_path / "p")
    code, _, err = run(capsys, "code", "skole2-elev2", "pit", "--quote", "klassen", "--project", p)
    assert code == 2
    assert "the quote occurs 3 times" in err
    # Page, speaker and the words around each hit instead of raw offsets like "312..319".
    assert "  1. side 1, E2: '…er er mere ro end inde i [klassen], og læreren venter på en…'" in err
    assert ".." not in err.replace("…", "")
