"""Shared fixtures: small projects built in a temporary folder with a real SQLite store."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent

# The prepared lemma table goes to a cache folder of the test run, not the user's (the CLI
# tests' subprocesses inherit it).
if "LFA_QUAL_CACHE_DIR" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="lfa-qual-test-cache-")
    os.environ["LFA_QUAL_CACHE_DIR"] = _cache
    atexit.register(shutil.rmtree, _cache, True)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # the TUI's pilot tests (`pytest.mark.anyio`): Textual runs on asyncio


def span(project, interview: str, quote: str) -> tuple[int, int]:
    """The code-point span of `quote` (its first occurrence) in a stored transcript."""
    text = project.transcript(interview).text
    start = text.index(quote)
    return start, start + len(quote)


async def choose(pilot, **values) -> None:
    """Change a retrieve or stats screen's choices as a user does: f opens the chooser (on
    the screen's first Select), each widget gets its value, esc closes it again."""
    from lfa_qual.tui.chooser import Chooser

    await pilot.press("f")
    await pilot.pause()
    chooser = pilot.app.screen
    assert isinstance(chooser, Chooser)
    for name, value in values.items():
        chooser.query_one(f"#{name}").value = value
        await pilot.pause()
    await pilot.press("escape")
    await pilot.pause()
    assert pilot.app.screen is not chooser


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """An empty project folder: the LFA codebook, no transcripts yet, not opened."""
    root = tmp_path / "projekt"
    (root / "transcripts").mkdir(parents=True)
    (root / "codebooks").mkdir()
    shutil.copy(REPO / "codebooks" / "lfa.yaml", root / "codebooks" / "lfa.yaml")
    (root / "lfa-qual.yaml").write_text("coder: tester\n", encoding="utf-8")
    return root


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def small_project(tmp_path: Path):
    """A project with two Markdown transcripts and the small codebook, synced."""
    from lfa_qual.project import Project

    (tmp_path / "transcripts").mkdir()
    (tmp_path / "codebooks").mkdir()
    for name in ("skole9-skoleleder.md", "skole9-personale.md"):
        shutil.copy(DATA / "formats" / name, tmp_path / "transcripts" / name)
    shutil.copy(DATA / "codebooks" / "small.yaml", tmp_path / "codebooks" / "lfa.yaml")
    (tmp_path / "lfa-qual.yaml").write_text("coder: tester\n", encoding="utf-8")
    project = Project(tmp_path)
    project.sync()
    yield project
    project.close()


@pytest.fixture
def project_from(tmp_path: Path):
    """Open a copy of a fixture project folder under tests/data (e.g. "tui"), synced."""
    from lfa_qual.project import Project

    opened: list[Project] = []

    def make(name: str) -> Project:
        root = tmp_path / "projekt"
        shutil.copytree(DATA / name, root)
        project = Project(root)
        project.sync()
        opened.append(project)
        return project

    yield make
    for project in opened:
        project.close()


def run(root: Path, *args: str) -> int:
    """The command line in-process, on the project at `root`: the exit status."""
    from lfa_qual.cli import main

    return main([*args, "--project", str(root)])


def make_export_project(root: Path):
    """The export fixture project (tests/data/export: transcripts/ and codebook.yaml), synced."""
    from lfa_qual.project import Project

    export = DATA / "export"
    shutil.copytree(export / "transcripts", root / "transcripts")
    (root / "codebooks").mkdir()
    shutil.copy(export / "codebook.yaml", root / "codebooks" / "lfa.yaml")
    (root / "lfa-qual.yaml").write_text("coder: forsker1\n", encoding="utf-8")
    project = Project(root)
    project.sync()
    return project


@pytest.fixture
def export_project(tmp_path: Path):
    project = make_export_project(tmp_path)
    yield project
    project.close()


SUGGEST_IN_A_PROCESS = """
import sys
from lfa_qual.cli import main
if sys.argv[3] == "spacy":
    from lfa_qual.nlp import rule_tokenizer
    rule_tokenizer.cached = lambda: None  # as before the port: spaCy tokenises new texts
args = ["--format", "jsonl", "--min-score", "0", "--top", "50", "--codebook", sys.argv[2]]
code = main(["suggest", *args, sys.argv[1]])
print("spacy imported:", "spacy" in sys.modules, file=sys.stderr)
sys.exit(code)
"""


def suggest_in_a_process(
    path: Path, *, tokenizer: str = "auto", cache: Path | None = None
) -> tuple[str, str]:
    """`suggest --format jsonl` on one file in a fresh interpreter: (stdout, stderr), stderr
    ending with whether spaCy was imported. `tokenizer="spacy"` keeps the rule tokenizer out."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if cache is not None:
        env["LFA_QUAL_CACHE_DIR"] = str(cache)
    codebook = str(REPO / "codebooks" / "lfa.yaml")
    done = subprocess.run(
        [sys.executable, "-c", SUGGEST_IN_A_PROCESS, str(path), codebook, tokenizer],
        capture_output=True,
        text=True,
        env=env,
        cwd=path.parent,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr
