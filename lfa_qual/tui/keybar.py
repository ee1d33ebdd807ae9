"""A one-line footer of the keys that apply now.

Textual's `Footer` builds a widget per key and rebuilds them all whenever the bindings change,
which costs tens of milliseconds on every screen switch; this bar renders one line of text.
Clicking a key presses it, as a click on Textual's own footer does.

When the keys do not fit (80 columns), the descriptions get their short forms, then the last
keys are left out; `? Help`, which lists them all, is always shown, at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget

# Short forms of descriptions for a narrow bar.
SHORT = {
    "Quick code": "Code",
    "Next sugg.": "Next",
    "Back/Quit": "Back",
    "Commands": "Cmds",
    "Change code": "Change",
    "Code memo": "Memo",
    "Pin to key": "Pin",
    "Code all hits…": "Code all",
    "Jump to passage": "Jump",
    "Jump to hit": "Jump",
    "Exact/fuzzy": "Fuzzy",
    "Change table": "Table",
    "Counts/percent": "%",
}
HELP_ACTION = "help"


@dataclass
class Key:
    binding: Binding
    label: str
    enabled: bool

    def width(self, short: bool) -> int:
        return len(self.label) + 2 + len(self.description(short)) + 3

    def description(self, short: bool) -> str:
        text = self.binding.description
        return SHORT.get(text, text) if short else text


def fit(keys: list[Key], width: int) -> tuple[list[Key], bool]:
    """The keys to show in `width` columns and whether in short form (see the module doc)."""
    if sum(k.width(False) for k in keys) <= width:
        return keys, False
    help_keys = [k for k in keys if k.binding.action == HELP_ACTION]
    others = [k for k in keys if k.binding.action != HELP_ACTION]
    while others and sum(k.width(True) for k in others + help_keys) > width:
        others.pop()
    return others + help_keys, True


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; color: $text; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._drawn: tuple | None = None  # (width, keys) of the line last rendered

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen) -> None:
        self._refresh_if_changed()

    def on_resize(self) -> None:
        self._refresh_if_changed()

    def _refresh_if_changed(self) -> None:
        # A screen's bindings are "updated" several times while it opens (focus, resume) with
        # the same keys: redrawing the bar for each cost the opening a frame of its own.
        if self._state(self.keys()) != self._drawn:
            self.refresh()

    def _state(self, keys: list[Key]) -> tuple:
        width = self.size.width or self.app.size.width
        return width, tuple(
            (k.binding.key, k.binding.description, k.label, k.enabled) for k in keys
        )

    def keys(self) -> list[Key]:
        keys = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            label = binding.key_display or self.app.get_key_display(binding)
            keys.append(Key(binding, label, active.enabled))
        return keys

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        keys = self.keys()
        self._drawn = self._state(keys)
        shown, short = fit(keys, self._drawn[0])
        for key in shown:
            binding = key.binding
            style = Style.parse("bold reverse" if key.enabled else "dim reverse")
            click = Style(meta={"@click": f"app.simulate_key({binding.key!r})"})
            text.append(f" {key.label} ", style=style + click)
            text.append(
                f" {key.description(short)}  ",
                style=Style.parse("" if key.enabled else "dim") + click,
            )
        return text
