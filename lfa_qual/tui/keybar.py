"""A one-line footer of the keys that apply now.

Textual's `Footer` builds a widget per key and rebuilds them all whenever the bindings change,
which costs tens of milliseconds on every screen switch; this bar renders one line of text.
Clicking a key presses it, as a click on Textual's own footer does.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; color: $text; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen) -> None:
        self.refresh()

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            label = binding.key_display or self.app.get_key_display(binding)
            style = Style.parse("bold reverse" if active.enabled else "dim reverse")
            click = Style(meta={"@click": f"app.simulate_key({binding.key!r})"})
            text.append(f" {label} ", style=style + click)
            text.append(
                f" {binding.description}  ",
                style=Style.parse("" if active.enabled else "dim") + click,
            )
        return text
