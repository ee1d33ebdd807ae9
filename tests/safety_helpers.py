"""Helpers shared by the data-safety tests (issue 18): an edit made "in another shell", and
whether a small tmpfs can be mounted here for full-disk tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

INTERVIEW = "skole2-elev2"  # in tests/data/tui


def insert_interviewer_line(root: Path, interview: str = INTERVIEW) -> None:
    """Insert an interviewer line above the passages of tests/data/tui's pupil interview, as
    someone editing the file would: every passage after it moves by the line's length."""
    path = root / "transcripts" / f"{interview}.md"
    old = "E2: Det er fint."
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, "I: Og hvordan går det?\n\n" + old, 1), encoding="utf-8")


def small_disk_available() -> bool:
    """Whether a private mount namespace with a tmpfs can be made (`unshare -rm`)."""
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
    )
    return probe.returncode == 0
