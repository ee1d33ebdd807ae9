"""Make `docs/screenshots/reader.svg`, the README's picture of the reader.

A copy of the example project in a temporary folder gets two codings and an NLP run on
`skole1-personale`; the terminal UI then opens that transcript at 120×36, steps to the first
suggestion and saves what the terminal shows (Textual's `save_screenshot`). Run from the
repository root:

    .venv/bin/python scripts/screenshot_reader.py
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

from lfa_qual.nlp.run import suggest_project
from lfa_qual.project import Project
from lfa_qual.tui.app import LfaApp

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots" / "reader.svg"
INTERVIEW = "skole1-personale"
CODINGS = (
    ("pit", "Vi mødes hver tirsdag morgen, og der gennemgår vi de henvendelser, der er kommet."),
    (
        "pit_balance",
        "Vi har sagt, at vi skal prøve at bruge cirka halvdelen af vores tid på det brede og "
        "halvdelen på det direkte arbejde med børnene.",
    ),
)


def example_copy(root: Path) -> Project:
    for name in ("transcripts", "codebooks"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "lfa-qual.yaml", root / "lfa-qual.yaml")
    project = Project(root, coder="forsker1")
    project.sync()
    return project


async def screenshot(project: Project) -> str:
    app = LfaApp(project)
    # The view opens where the first coding is, and `n` selects the next suggestion from there.
    first = min(c.start for c in project.codings(interview=INTERVIEW))
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_transcript(INTERVIEW, (first, first))
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        return app.export_screenshot(title="lfa-qual: the reader")


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        project = example_copy(Path(folder))
        for code, quote in CODINGS:
            project.code(INTERVIEW, code, quote=quote)
        suggest_project(project, [INTERVIEW])
        svg = asyncio.run(screenshot(project))
        project.close()
    OUT.write_text(svg, encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
