"""The help screen, generated from the key bindings so it lists every key there is."""

from __future__ import annotations

import io
from collections.abc import Iterator

from rich.console import Console
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

INTRO = (
    "[b]lfa-qual[/b] — code interviews by keyboard. "
    "Open a transcript with Enter in the overview. Select a passage with [b]w[/b] (word), "
    "[b]s[/b] (sentence), [b]p[/b] (paragraph) or [b]t[/b] (turn) — press again to extend — "
    "or with shift+arrows or the mouse ([b]v[/b] marks a start, escape clears). "
    "Then press [b]1–9[/b] for a quick code or [b]c[/b] to search the codebook. "
    "[b]n[/b] steps through the suggestions: [b]a[/b] accepts (change the selection first to "
    "adjust the span), [b]d[/b] rejects, [b]R[/b] runs the NLP. "
    "Every action is saved at once and [b]u[/b] undoes it, even after a restart. "
    "[b]ctrl+p[/b] finds any command by name; [b]q[/b] goes back, ctrl+q quits."
)


def screen_classes() -> list[tuple[str, type]]:
    """Each section of the help and the class whose bindings it lists (importing every
    screen's module: the app's warm-up calls this, so that the first ctrl+p does not)."""
    from lfa_qual.tui.codebook_screen import CodebookScreen
    from lfa_qual.tui.compare import CompareScreen
    from lfa_qual.tui.drill import CooccurrenceScreen
    from lfa_qual.tui.grid_screen import GridScreen
    from lfa_qual.tui.memos_screen import MemoListScreen
    from lfa_qual.tui.names_screen import NamesScreen
    from lfa_qual.tui.overview import OverviewScreen
    from lfa_qual.tui.passages import PassagesScreen
    from lfa_qual.tui.reader import TranscriptView
    from lfa_qual.tui.reader_screen import ReaderScreen
    from lfa_qual.tui.retrieve import RetrieveScreen
    from lfa_qual.tui.review_screen import ReviewScreen
    from lfa_qual.tui.search import SearchScreen
    from lfa_qual.tui.stats import StatsScreen

    return [
        ("Reader: selecting", TranscriptView),
        ("Reader: coding and suggestions", ReaderScreen),
        ("Compare coders", CompareScreen),
        ("Overview", OverviewScreen),
        ("Codebook", CodebookScreen),
        ("Retrieve", RetrieveScreen),
        ("Search", SearchScreen),
        ("Frequency table", StatsScreen),
        ("Names check", NamesScreen),
        ("Memos", MemoListScreen),
        ("Summary grid", GridScreen),
        ("Passages of a cell", PassagesScreen),
        ("Co-occurrence", CooccurrenceScreen),
        ("Needs review", ReviewScreen),
    ]


def _sections(app: App, screen: Screen | None) -> list[tuple[str, object, list[Binding]]]:
    from lfa_qual.tui.reader import TranscriptView

    classes = screen_classes()
    out: list[tuple[str, object, list[Binding]]] = [("Everywhere", app, list(app.BINDINGS))]
    for title, cls in classes:
        target: object = None
        if screen is not None and isinstance(screen, cls):
            target = screen
        elif screen is not None and cls is TranscriptView:
            found = screen.query(TranscriptView)
            target = found.first() if found else None
        out.append((title, target, list(cls.BINDINGS)))
    return out


def binding_rows(app: App, screen: Screen | None) -> Iterator[tuple[str, object, Binding]]:
    """Every binding with the object its action runs on (None: not on the current screen)."""
    for title, target, bindings in _sections(app, screen):
        for b in bindings:
            if isinstance(b, Binding):
                yield title, target, b


def help_table(app: App) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("action")
    for title, _, bindings in _sections(app, None):
        table.add_row(Text(title, style="bold underline"), "")
        for b in bindings:
            if not isinstance(b, Binding) or b.description.startswith(
                ("Quick code ", "Pin to key ")
            ):
                continue
            keys = b.key_display or ", ".join(
                app.get_key_display(Binding(k, b.action)) for k in b.key.split(",")
            )
            table.add_row(keys, b.description)
        table.add_row("", "")
    return table


def help_text(app: App, width: int = 100) -> str:
    """The key table as plain text (what the help screen shows)."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(help_table(app))
    return console.export_text()


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close help"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 100%; height: 100%;
        border: round $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, context: str = "") -> None:
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(INTRO + "\n")
            yield Static(help_table(self.app), id="keys")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
