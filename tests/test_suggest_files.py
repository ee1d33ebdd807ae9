"""File mode: suggestions read straight from transcript files, in one or two processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lfa_qual.codebook import load_codebook
from lfa_qual.errors import LfaError
from lfa_qual.nlp.run import suggest_files

DATA = Path(__file__).parent / "data" / "nlp"
FILES = [DATA / "skole9-nlp.md", DATA / "skole9-learn.md", DATA / "long-paragraph.md"]


def test_two_worker_processes_give_the_same_records_in_input_order():
    codebook = load_codebook(DATA / "codebook.yaml")
    one = list(suggest_files(FILES, codebook, processes=1))
    two = list(suggest_files(FILES, codebook, processes=2))
    assert [iv for iv, _ in one] == ["skole9-nlp", "skole9-learn", "skole9-lang"]
    assert one == two
    assert sum(len(r) for _, r in one) > 0


def test_a_bad_file_in_a_worker_is_a_user_error_naming_it(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ninterview: x\n---\nno school\n", encoding="utf-8")
    codebook = load_codebook(DATA / "codebook.yaml")
    with pytest.raises(LfaError, match="bad.md"):
        list(suggest_files([FILES[0], bad], codebook, processes=2))


def test_file_mode_output_does_not_depend_on_the_hash_seed():
    # Keywords live in sets: two phrases matching one span ("små hold" is also "lille hold")
    # once came out in an order that changed from run to run.
    repo = Path(__file__).resolve().parent.parent
    outputs = set()
    for seed in ("1", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "lfa_qual", "suggest", "--format", "jsonl"]
            + [str(repo / "transcripts" / "skole2-skoleleder.md")],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1 and '"små hold"' in outputs.pop()
