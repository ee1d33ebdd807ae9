"""REFI-QDA export and import from the TUI's command palette."""

from __future__ import annotations

import zipfile

import pytest
from refiqda_util import DATA, zip_folder

from lfa_qual.project import Project
from lfa_qual.tui.app import LfaApp
from lfa_qual.tui.refiqda import PathPrompt

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


async def run_palette(pilot, command: str, path: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*command, "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PathPrompt)
    prompt = pilot.app.screen.query_one("Input")
    prompt.value = path
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


def toasts(app) -> str:
    """The notifications shown so far (Textual keeps them until they time out)."""
    return "\n".join(n.message for n in app._notifications)


async def test_export_and_import_from_the_palette(project_from, tmp_path) -> None:
    project = project_from("tui")
    out = tmp_path / "projekt.qdpx"
    app = LfaApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await run_palette(pilot, "Export REFI-QDA project", str(out))
        assert "wrote" in toasts(app) and "source(s)" in toasts(app)
        archive = zip_folder(DATA / "qualcoder", tmp_path / "q.qdpx")
        await run_palette(pilot, "Import REFI-QDA file", str(archive))
        assert "imported 1 new transcript(s), 2 coding(s)" in toasts(app)
        table = app.screen.query_one("DataTable")
        assert "Lærer-Skole-2" in {table.get_row_at(i)[0] for i in range(table.row_count)}
        await run_palette(pilot, "Import REFI-QDA file", str(tmp_path / "mangler.qdpx"))
        assert "no such file" in toasts(app)
    with zipfile.ZipFile(out) as zf:
        assert "project.qde" in zf.namelist()
    with Project(project.root) as p:
        # "Forældre" is not the label of the project's code foraeldre: a new code, renamed.
        codes = {c.code for c in p.codings() if c.coder == "Medforsker"}
        assert codes == {"pit_sparring", "foraeldre_2"}
