"""Crash safety: a coding process killed with SIGKILL at random moments loses nothing it reported.

The child codes through `Project.code` (what the CLI and the TUI call) and prints a line only
after the call returned; the parent kills it at a random moment, then checks that every
acknowledged coding is in the store, that SQLite's integrity check passes and that the project
opens normally.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lfa_qual.cli import main
from lfa_qual.project import Project

REPO = Path(__file__).parent.parent
INTERVIEWS = ("skole1-elev1", "skole3-skoleleder")

CHILD = r"""
import sys
from lfa_qual.project import Project

root, round_no = sys.argv[1], int(sys.argv[2])
project = Project(root, coder=f"crash{round_no}")
codes = ["mindset", "pit", "indsatser", "samarbejde"]
length = 5 + round_no  # a different length each round keeps every span unique
spans = []
for interview in ("skole1-elev1", "skole3-skoleleder"):
    transcript = project.transcript(interview)
    text = transcript.text
    for turn in transcript.turns:  # spans of speech: a coding must include spoken words
        for para in turn.paragraphs:
            for s in range(para.start, para.end - length, 7):
                if not text[s].isspace() and not text[s + length - 1].isspace():
                    spans.append((interview, s))
print("ready", flush=True)
for i in range(10**6):
    interview, start = spans[i % len(spans)]
    code = codes[(i // len(spans)) % len(codes)]
    coding = project.code(interview, code, start=start, end=start + length)
    print(coding.guid, flush=True)  # acknowledged only after the call returned
"""


def make_project(root: Path) -> Path:
    (root / "transcripts").mkdir(parents=True)
    (root / "codebooks").mkdir()
    shutil.copy(REPO / "codebooks" / "lfa.yaml", root / "codebooks" / "lfa.yaml")
    for name in INTERVIEWS:
        shutil.copy(REPO / "transcripts" / f"{name}.md", root / "transcripts")
    (root / "lfa-qual.yaml").write_text("coder: tester\n", encoding="utf-8")
    with Project(root) as project:
        project.sync()
    return root


def run_and_kill(root: Path, round_no: int, delay: float, *, after_ready: bool) -> list[str]:
    """Start the coding child, SIGKILL it after `delay` s; return the acknowledged guids."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(root), str(round_no)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    if after_ready:
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    # Read through the same file objects: `readline` may have buffered acknowledgements after
    # "ready", which `communicate` (reading the raw pipe) would never see.
    out, err = child.stdout.read(), child.stderr.read()
    child.stdout.close()
    child.stderr.close()
    assert child.returncode == -signal.SIGKILL, err
    assert "Traceback" not in err, err
    # A line cut off by the kill (no newline) was never acknowledged.
    return [line for line in out.split("\n")[:-1] if line and line != "ready"]


def stored_guids(root: Path) -> set[str]:
    with Project(root) as project:
        return {r["guid"] for r in project.store.read("SELECT guid FROM codings")}


def test_sigkill_at_random_moments_loses_no_acknowledged_coding(tmp_path: Path, capsys):
    root = make_project(tmp_path / "projekt")
    rng = random.Random(6)
    acknowledged: list[str] = []
    rounds = 8
    for round_no in range(rounds):
        # Rounds alternate between killing during start-up and killing in the coding loop.
        after_ready = round_no % 4 != 3
        acked = run_and_kill(root, round_no, rng.uniform(0.02, 0.5), after_ready=after_ready)
        acknowledged += acked
        found = stored_guids(root)
        missing = set(acknowledged) - found
        assert not missing, f"round {round_no}: {len(missing)} acknowledged codings lost"
    assert len(acknowledged) > 20, "the child did code something before the kills"
    assert len(set(acknowledged)) == len(acknowledged)

    with Project(root) as project:
        assert project.store.integrity_ok()
        assert project.store.read("PRAGMA foreign_key_check") == []
        project.sync()
        total = len(project.codings())
        views = [project.view(c) for c in project.codings()]
        assert all(v.text.strip() for v in views)
    # At most one coding per round was committed but not yet acknowledged when killed.
    assert len(acknowledged) <= total <= len(acknowledged) + rounds
    assert main(["verify", "--project", str(root)]) == 0
    assert "store ok" in capsys.readouterr().out


@pytest.mark.parametrize("delay", [0.0, 0.15])
def test_killed_during_startup_or_import_leaves_a_usable_store(tmp_path: Path, delay: float):
    """Killing a process while it creates and fills a new store leaves it openable."""
    root = tmp_path / "projekt"
    (root / "transcripts").mkdir(parents=True)
    (root / "codebooks").mkdir()
    shutil.copy(REPO / "codebooks" / "lfa.yaml", root / "codebooks" / "lfa.yaml")
    for path in sorted((REPO / "transcripts").glob("*.md")):
        shutil.copy(path, root / "transcripts")
    script = "import sys; from lfa_qual.project import Project; Project(sys.argv[1]).sync()"
    child = subprocess.Popen([sys.executable, "-c", script, str(root)])
    time.sleep(delay + 0.3)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    with Project(root) as project:
        _, report = project.sync()
        assert project.store.integrity_ok()
        assert len(project.transcript_rows()) == len(list((root / "transcripts").glob("*.md")))


def test_sigkill_during_reanchoring_leaves_text_and_codings_consistent(tmp_path: Path):
    """Kill a process while it re-imports an edited transcript: afterwards the stored text and
    every coding agree (all old or all re-anchored), and no coding is lost."""
    root = make_project(tmp_path / "projekt")
    rng = random.Random(7)
    passages: dict[int, str] = {}
    with Project(root) as project:
        text = project.transcript("skole3-skoleleder").text
        paras = [p for u in project.transcript("skole3-skoleleder").turns for p in u.paragraphs]
        for p in paras:
            for s in range(p.start, p.end - 20, 90):
                if not text[s].isspace() and not text[s + 19].isspace():
                    c = project.code("skole3-skoleleder", "pit", start=s, end=s + 20)
                    passages[c.id] = text[c.start : c.end]
    path = root / "transcripts" / "skole3-skoleleder.md"
    script = "import sys; from lfa_qual.project import Project; Project(sys.argv[1]).sync()"
    for round_no in range(5):
        # A blank line added (or removed) before the first turn moves every coding.
        original = path.read_text(encoding="utf-8")
        edited = (
            original.replace("\n---\n", "\n---\n\n", 1)
            if round_no % 2 == 0
            else (original.replace("\n---\n\n", "\n---\n", 1))
        )
        path.write_text(edited, encoding="utf-8")
        child = subprocess.Popen([sys.executable, "-c", script, str(root)])
        time.sleep(rng.uniform(0.2, 0.7))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        with Project(root) as project:
            assert project.store.integrity_ok()
            stored = project.store.read_one(
                "SELECT text FROM transcripts WHERE interview = 'skole3-skoleleder'"
            )["text"]
            rows = project.store.read("SELECT id, start, end, status FROM codings")
            assert {r["id"] for r in rows} == set(passages), "no coding lost"
            for r in rows:
                assert stored[r["start"] : r["end"]] == passages[r["id"]]
                assert r["status"] == "ok"
    with Project(root) as project:
        project.sync()
        assert len(project.codings()) == len(passages)
