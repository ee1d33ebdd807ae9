"""The lfa-qual terminal UI: `lfa-qual` with no sub-command opens it on the project folder."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Iterable
from dataclasses import replace
from functools import partial

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from lfa_qual.errors import LfaError
from lfa_qual.project import Project
from lfa_qual.tui.codebook_screen import CodebookScreen
from lfa_qual.tui.help import HelpScreen, binding_rows
from lfa_qual.tui.idle_gc import CHECK_EVERY, IdleCollector
from lfa_qual.tui.overview import OverviewScreen
from lfa_qual.tui.palette import LfaCommands, Palette
from lfa_qual.tui.reader_screen import ReaderScreen
from lfa_qual.tui.refiqda import refiqda_commands
from lfa_qual.tui.retrieve import RetrieveScreen
from lfa_qual.tui.search import SearchScreen
from lfa_qual.tui.stats import StatsScreen


class LfaApp(App):
    TITLE = "lfa-qual"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("o", "overview", "Overview", show=False, id="app.overview"),
        Binding("b", "codebook", "Codebook", show=False, id="app.codebook"),
        Binding("r", "retrieve", "Retrieve", show=False, id="app.retrieve"),
        Binding("slash", "search", "Search", show=False, id="app.search"),
        Binding("l", "review", "Needs review", show=False, id="app.review"),
        Binding("F", "stats", "Frequency table", show=False, id="app.stats"),
        Binding("I", "names", "Names check", show=False, id="app.names"),
        Binding("E", "memos", "Memos", show=False, id="app.memos"),
        Binding("G", "grid", "Summary grid", show=False, id="app.grid"),
        Binding("ctrl+p", "command_palette", "Commands", id="app.palette"),
        Binding("q", "back", "Back/Quit", id="app.back"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit"),
    ]
    COMMAND_PALETTE_BINDING = "ctrl+p"
    COMMANDS = {LfaCommands}  # lfa_qual.tui.palette: a short list before typing, plain text

    def __init__(self, project: Project, notes: list[str] | None = None) -> None:
        super().__init__()
        self.project = project
        self.domain_error: LfaError | None = None
        # What bringing the project up to date found (re-anchored codings, files gone):
        # shown once the screen is up, as the commands print it.
        self.notes = notes or []
        self.idle_gc = IdleCollector()

    def _handle_exception(self, error: Exception) -> None:
        # Screens catch the errors a user can act on where they happen; one that still escapes
        # (say, the store stayed locked by another process) ends the app with the message, as
        # the CLI prints it, instead of a traceback. Everything shown as done was committed.
        # (Textual's private hook: Textual is pinned to 8.x in pyproject.toml.)
        if isinstance(error, LfaError):
            self.domain_error = error
            self.exit(return_code=2)
            return
        super()._handle_exception(error)

    def on_mount(self) -> None:
        # Parse the codebook now (≈0.2 s for the LFA codebook) rather than on the first open.
        self.project.codebook()
        self.idle_gc.start()
        self.set_interval(CHECK_EVERY, self.idle_gc.tick)
        self.push_screen(OverviewScreen())
        self.run_worker(_warm_up, thread=True, group="names")
        if self.notes:
            self.notify("\n".join(self.notes), severity="warning", timeout=30)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.idle_gc.touched()
        await super().on_event(event)

    def on_unmount(self) -> None:
        self.idle_gc.stop()
        # The NLP process (started by the first R) ends with the app.
        worker = getattr(self, "nlp_worker", None)
        if worker is not None:
            worker.close()

    NAVIGATION = {
        "overview",
        "codebook",
        "retrieve",
        "search",
        "review",
        "stats",
        "names",
        "back",
        "help",
    }
    NAVIGATION |= {"memos", "grid"}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A dialog (code picker, memo, confirmation) is answered or cancelled first.
        return not (action in self.NAVIGATION and isinstance(self.screen, ModalScreen))

    # -- navigation -------------------------------------------------------------------
    def open_transcript(self, interview: str, select: tuple[int, int] | None = None) -> None:
        self.push_screen(ReaderScreen(interview, select))

    def current_interview(self) -> str | None:
        for screen in reversed(self.screen_stack):
            interview = getattr(screen, "interview", None)
            if interview:
                return interview
        return None

    def action_overview(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_back(self) -> None:
        if len(self.screen_stack) > 2:
            self.pop_screen()
        else:
            self.exit(0)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self._help_context()))

    def _help_context(self) -> str:
        return type(self.screen).__name__

    def action_codebook(self) -> None:
        if not isinstance(self.screen, CodebookScreen):
            self.push_screen(CodebookScreen(self.current_interview()))

    def action_retrieve(self, code: str | None = None) -> None:
        if not isinstance(self.screen, RetrieveScreen):
            if code is None and isinstance(self.screen, ReaderScreen):
                # From a coding in the reader: retrieve its code, not the codebook's first.
                here = self.screen.codings_here()
                code = here[0].code if here else None
            self.push_screen(RetrieveScreen(code))

    def action_review(self) -> None:
        # The review screen (issue 15): old text next to new, OK or move; the list of codings
        # needing review stays in retrieve's code list (REVIEW) too.
        from lfa_qual.tui.review_screen import ReviewScreen

        if not isinstance(self.screen, ReviewScreen):
            self.push_screen(ReviewScreen())

    def action_stats(self) -> None:
        if not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen())

    def action_names(self) -> None:
        from lfa_qual.tui.names_screen import NamesScreen

        if not isinstance(self.screen, NamesScreen):
            self.push_screen(NamesScreen(self.current_interview()))

    def action_memos(self) -> None:
        from lfa_qual.tui.memos_screen import MemoListScreen

        if not isinstance(self.screen, MemoListScreen):
            self.push_screen(MemoListScreen())

    def action_grid(self) -> None:
        from lfa_qual.tui.grid_screen import GridScreen

        if not isinstance(self.screen, GridScreen):
            self.push_screen(GridScreen())

    def action_search(self) -> None:
        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    # -- command palette: every action with a binding, reachable by its name ----------
    # Before anything is typed it lists the screens, the app's keys and the commands that
    # have no key (exports, REFI-QDA, Textual's own); typing searches them all.
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        seen: set[str] = set()
        for section, target, binding in binding_rows(self, screen):
            key = f"{section}:{binding.action}"
            # Only actions that can run here: the app's, this screen's and its reader's.
            if target is None or key in seen or binding.action == "command_palette":
                continue
            seen.add(key)
            yield SystemCommand(
                binding.description,
                f"{section} · key {self.key_label(binding)}",
                partial(self._run_from_palette, binding.action, target),
                # Listed before anything is typed: the screens and the app's keys; a screen's
                # own keys (the reader has 49) are found by typing. Listing all ~73 was most
                # of the palette's opening.
                discover=target is self,
            )
        yield from refiqda_commands(self)

        from lfa_qual.tui.exports import export_commands  # issue 15: exports

        yield from export_commands(self, screen)
        yield from super().get_system_commands(screen)

    def action_command_palette(self) -> None:
        if not Palette.is_open(self):
            self.push_screen(Palette(id="--command-palette"))

    def key_label(self, binding: Binding) -> str:
        """The keys of `binding` as the key bar shows them ("?" / "f1", not "question_mark,f1")."""
        keys = [k.strip() for k in binding.key.split(",")]
        return " / ".join(self.get_key_display(replace(binding, key=k)) for k in keys)

    def _run_from_palette(self, action: str, target) -> None:
        self.call_later(self.run_action, action, target)


def _warm_up() -> None:
    """Load while the user looks at the overview what screens would otherwise load when first
    opened: the names check's data (≈0.1 s, so that the first transcript opened marks its
    suspects at once), pandas for the frequency table (≈0.35 s of the first F's opening) and
    every screen's module (≈0.02 s of the first ctrl+p, which lists their keys). Then set what
    is loaded by now aside from the garbage collector."""
    from lfa_qual.names.lexicon import load_model
    from lfa_qual.tui.exports import export_commands  # noqa: F401
    from lfa_qual.tui.help import screen_classes

    load_model()
    import lfa_qual.analysis  # noqa: F401

    screen_classes()

    _freeze_start_up()


_frozen = False


def _freeze_start_up() -> None:
    """Move the objects alive after start-up (modules, the name model, pandas: ≈90,000) out of
    the collector's sight: a full collection walked them all, 80–110 ms, about once per screen
    opened. Frozen once per process: what is frozen is never collected as a cycle, and later
    objects (screens that close) must stay collectable. Collected first on every start, so
    that no garbage is frozen and none left by an app before (tests, benchmarks) waits for the
    next full collection, now rarer (lfa_qual.tui.idle_gc)."""
    global _frozen
    gc.collect()
    if not _frozen:
        _frozen = True
        gc.freeze()


def sync_notes(project: Project) -> list[str]:
    """Bring the project up to date; what the commands would print about it, line by line."""
    return project.sync()[1].notes()


def run_app(args: argparse.Namespace) -> int:
    project = Project(args.project, coder=getattr(args, "coder", None))
    try:
        app = LfaApp(project, sync_notes(project))
        app.run()
    finally:
        project.close()
    if app.domain_error is not None:
        raise app.domain_error  # printed by the CLI: "lfa-qual: error: …", exit status 2
    return app.return_code or 0
