"""The command palette (ctrl+p): Textual's, with our commands and cheaper to open.

Opening it drew seven frames in 140–200 ms: it listed all ~73 commands of the screen (the
reader's own keys included) on two lines each before anything was typed, so the list got a
scroll bar one layout after it was filled and was drawn again; each prompt and help line was
parsed as markup; and its dimmed copy of the screen behind was rendered and tinted on every
full render. Now it lists the screens, the app's keys and the commands without a key, one
line each (they fit at 120×40), on the app's background; typing searches every command.
"""

from __future__ import annotations

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content


class LfaCommands(Provider):
    """The app's `get_system_commands`: those marked `discover` listed before anything is typed,
    all of them searched by title. One line each, the help dimmed after the title, both plain
    text (Textual parsed them as markup)."""

    async def discover(self) -> Hits:
        for title, help_text, callback, discover in self.app.get_system_commands(self.screen):
            if discover:
                yield DiscoveryHit(one_line(Content(title), help_text), callback, text=title)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback, _ in self.app.get_system_commands(self.screen):
            if (score := matcher.match(title)) > 0:
                line = one_line(matcher.highlight(title), help_text)
                yield Hit(score, line, callback, text=title)


def one_line(title: Content, help_text: str | None) -> Content:
    return title + Content.styled(f"  {help_text}", "dim not bold") if help_text else title


class Palette(CommandPalette):
    """Textual's palette on the app's background instead of a dimmed copy of the screen behind.

    The copy (the screen's text at 40 %, not meant to be read) was rendered and tinted again on
    every full render of the palette, twice while it opened, ≈10–15 ms each; Esc brings the
    unchanged screen back, and each command's help names the screen it acts on. A scroll bar
    appearing (a long list of hits, or at 80×24) leaves the commands' width as it was."""

    DEFAULT_CSS = """
    Palette { background: $background; }
    Palette CommandList { scrollbar-gutter: stable; }
    """
