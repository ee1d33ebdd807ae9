"""The choices behind a screen's table (retrieve's code, school and role; the frequency
table's rows, columns, counts and percent) in a small box that `f` opens over the screen's
one-line summary of them. A screen with the widgets on it all the time spent most of its
opening mounting, styling and drawing them (docs/benchmarks.md, "Retrieve and stats")."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, Select, Switch


class Chooser(ModalScreen[None]):
    """Each change applies to the table behind at once (it stays visible below the box);
    esc or f closes the box and the table has the focus again."""

    BINDINGS = [Binding("escape,f", "close", "Close", id="chooser.close")]
    DEFAULT_CSS = """
    Chooser { align: center top; background: $background 30%; }
    Chooser > Vertical { width: 100%; height: auto; margin-top: 1; border: round $accent;
        background: $surface; padding: 0 1; }
    Chooser Horizontal { height: 3; }
    Chooser Select { width: 1fr; }
    Chooser Horizontal > Label { padding: 1 1 0 2; }
    """

    def __init__(
        self, title: str, widgets: list[Widget], changed: Callable[[str, object], None]
    ) -> None:
        super().__init__()
        self.title_text = title
        self.widgets = widgets
        self.changed = changed

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{self.title_text}  [dim](changes apply at once · esc closes)[/dim]")
            with Horizontal():
                yield from self.widgets

    def on_mount(self) -> None:
        self.widgets[0].focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.changed(str(event.select.id), event.value)

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        self.changed(str(event.switch.id), event.value)

    def action_close(self) -> None:
        self.dismiss(None)
