"""Commands that run no NLP import neither spaCy nor pandas: `--version` took 4.8 s loading spaCy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent
HEAVY = ("spacy", "thinc", "textual", "matplotlib", "pandas", "lxml")

PROBE = f"""
import contextlib, io, json, sys
from lfa_qual.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        status = main(sys.argv[1:])
    except SystemExit as exc:  # --help
        status = exc.code
print(json.dumps([status, out.getvalue(), sorted(m for m in {HEAVY} if m in sys.modules)]))
"""


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("example")
    for name in ("transcripts", "codebooks"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "lfa-qual.yaml", root / "lfa-qual.yaml")
    return root


def probe(cwd: Path, *argv: str) -> tuple[int, str, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    status, out, heavy = json.loads(done.stdout.splitlines()[-1])
    return status, out, heavy


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["transcripts"], ["codings"]])
def test_commands_without_nlp_import_neither_spacy_nor_the_ui(example, argv):
    status, _, heavy = probe(example, *argv)
    assert status == 0 and heavy == []  # no NLP, UI, table or XML library


def test_version_names_the_pipeline_without_loading_it(example):
    from lfa_qual.nlp.pipeline import describe_pipeline

    _, out, _ = probe(example, "--version")
    assert out.splitlines()[1] == describe_pipeline()  # the same line as loading it gives
