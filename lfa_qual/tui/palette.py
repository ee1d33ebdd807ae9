"""The command palette (ctrl+p): Textual's, with our commands and cheaper to open.

Opening it drew seven frames in 140–200 ms: it listed all ~73 commands of the screen (the
reader's own keys included) on two lines each before anything was typed, so the list got a
scroll bar one layout after it was filled and was drawn again; each prompt and help line was
parsed as markup; and its dimmed copy of the screen behind was tinted segment by segment on
every full render. Now it lists the screens, the app's keys and the commands without a key,
one line each (they fit at 120×40), and typing searches every command as before.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.renderables.background_screen import BackgroundScreen

_TINTED: dict[tuple[Style | None, Color], Style] = {}


class DimmedScreen(BackgroundScreen):
    """The screen behind the palette, tinted as Textual does, but each style is tinted once
    (a screen has a few dozen styles in about 500 segments)."""

    @classmethod
    def process_segments(cls, segments, color: Color):
        tinted = _TINTED
        if len(tinted) > 4096:
            tinted.clear()
        tint = super().process_segments
        for segment in segments:
            text, style, control = segment
            if control:
                yield segment
                continue
            done = tinted.get((style, color))
            if done is None:
                (alone,) = tint([Segment("", style)], color)
                done = tinted[style, color] = alone.style
            yield Segment(text, done)


class LfaCommands(Provider):
    """The app's `get_system_commands`: those marked `discover` listed before anything is typed,
    one line each (title, then the help dimmed); all of them searched by title. Titles and help
    are plain text, never parsed as markup."""

    async def discover(self) -> Hits:
        for title, help_text, callback, discover in self.app.get_system_commands(self.screen):
            if discover:
                line = Content(title)
                if help_text:
                    line = line + Content.styled(f"  {help_text}", "dim")
                yield DiscoveryHit(line, callback, text=title)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback, _ in self.app.get_system_commands(self.screen):
            if (score := matcher.match(title)) > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)


class Palette(CommandPalette):
    DEFAULT_CSS = """
    Palette CommandList { scrollbar-gutter: stable; }
    """

    def render(self):
        background = super().render()
        if type(background) is BackgroundScreen:
            return DimmedScreen(background.screen, background.color)
        return background
