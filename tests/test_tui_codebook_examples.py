"""The codebook screen shows a code's anchor examples next to its description (pilot)."""

from __future__ import annotations

import pytest

from lfa_qual.project import Project
from lfa_qual.tui.app import LfaApp
from lfa_qual.tui.codebook_screen import CodebookScreen

pytestmark = pytest.mark.anyio

EXAMPLES = """    examples:
      - "Det er ikke barnet, der er problemet."
      - Vi ser på hele klassen, ikke kun på den ene elev.
"""


@pytest.fixture
def project(project_from) -> Project:
    project = project_from("tui")
    path = project.codebook_path
    text = path.read_text(encoding="utf-8")
    anchor = "  - id: mindset\n"
    head, tail = text.split(anchor)
    # The examples go before the code's keywords (same indentation as its other keys).
    first, rest = tail.split("    keywords:\n", 1)
    path.write_text(head + anchor + first + EXAMPLES + "    keywords:\n" + rest, encoding="utf-8")
    assert project.codebook().get("mindset").examples
    return project


async def test_codebook_details_show_the_anchor_examples(project) -> None:
    app = LfaApp(project)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        tree = app.screen.query_one("Tree")
        tree.move_cursor(next(n for n in tree.root.children if n.data == "mindset"))
        await pilot.pause()
        detail = str(app.screen.query_one("#detail").render())
        assert "Examples" in detail
        assert "• Det er ikke barnet, der er problemet." in detail
        assert "• Vi ser på hele klassen, ikke kun på den ene elev." in detail
        # Between the coding rules and the keywords, as in a printed codebook.
        assert detail.index("Exclude") < detail.index("Examples") < detail.index("Keywords")
        tree.move_cursor(next(n for n in tree.root.children if n.data == "pit"))
        await pilot.pause()
        assert "Examples" not in str(app.screen.query_one("#detail").render())
