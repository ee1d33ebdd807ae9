"""Frequency tables (code × school, role, …) from `lfa_qual.analysis`, computed in a worker."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Label, Select, Static, Switch

from lfa_qual.errors import LfaError
from lfa_qual.tui.chooser import Chooser
from lfa_qual.tui.drill import StatsDrill
from lfa_qual.tui.filters import option_label
from lfa_qual.tui.keybar import KeyBar
from lfa_qual.wording import number

DIMENSIONS = [("code", "code"), ("school", "school"), ("role", "role"), ("role group", "role_group"), ("interview", "interview"), ("kind", "kind")]  # fmt: skip
COUNTS = [("codings", "codings"), ("passages", "passages"), ("interviews", "interviews"), ("words", "words")]  # fmt: skip


class StatsScreen(StatsDrill, Screen):
    # The table has the keys: focused when the screen is composed. What it counts is a line
    # of text; `f` opens the Selects and the percent Switch in a Chooser (lfa_qual.tui.chooser).
    AUTO_FOCUS = "#table"
    BINDINGS = [
        Binding("f", "choose", "Change table", id="stats.filter"),
        Binding("ctrl+t", "toggle_percent", "Counts/percent", id="stats.percent"),
        # issue 15: the passages behind a number (lfa_qual.tui.drill)
        Binding("enter", "open_cell", "Passages", id="stats.open"),
        Binding("c", "cooccurrence", "Co-occurrence", id="stats.cooccurrence"),
    ]
    DEFAULT_CSS = """
    StatsScreen #title { height: 1; background: $primary-background; padding: 0 1; }
    StatsScreen #choices { height: 1; padding: 0 1; }
    StatsScreen DataTable { height: 1fr; }
    """

    class Ready(Message):
        def __init__(self, frame, error: str | None, in_doubt: int = 0) -> None:
            super().__init__()
            self.frame = frame
            self.error = error
            self.in_doubt = in_doubt  # codings left out: they need review

    def compose(self) -> ComposeResult:
        yield Static("[b]Frequency table[/b]", id="title")
        yield Static(self.summary(), id="choices")
        yield DataTable(zebra_stripes=True, id="table")
        yield KeyBar()

    def summary(self) -> str:
        """What the table counts in one line: "code × school · codings · counts"."""
        c = self.choices
        rows, cols = (option_label(DIMENSIONS, c[k]) for k in ("rows", "cols"))
        what = "percent" if c["percent"] else "counts"
        said = f"{rows} × {cols} · {option_label(COUNTS, c['count'])} · {what}"
        return f"{said}  [dim](f: change, ctrl+t: counts/percent)[/dim]"

    def action_choose(self) -> None:
        """The rows, columns and count Selects and the percent Switch in a box."""
        c = self.choices
        widgets = [
            Select(DIMENSIONS, value=c["rows"], allow_blank=False, id="rows"),
            Select(DIMENSIONS, value=c["cols"], allow_blank=False, id="cols"),
            Select(COUNTS, value=c["count"], allow_blank=False, id="count"),
            Label("%"),
            # No slide: its 0.3 s animation redrew the screen for 17 frames after each toggle
            # (bench_tui.py: most of the 310 ms the fuzzy toggle took), for no information.
            Switch(c["percent"], id="percent", animate=False),
        ]
        self._choosing = True
        self.app.push_screen(Chooser("Frequency table", widgets, self.choose), self.chosen)

    def choose(self, name: str, value: object) -> None:
        if self.choices.get(name) == value:
            return
        self.choices[name] = value if name == "percent" else str(value)
        self.query_one("#choices", Static).update(self.summary())
        self.recompute()

    def chosen(self, _: None) -> None:
        self._choosing = False

    # The table last asked for: opening the screen used to ask five times (mount, resume and
    # each Select's first Changed), and each computation ran on in its thread after the next
    # was asked for, holding the interpreter while the screen was drawn.
    _asked: tuple | None = None
    _away = False  # the reader (or another screen) was on top: codings may have changed
    _choosing = False  # the Chooser is over the screen: not away

    def __init__(self) -> None:
        super().__init__()
        # What the table counts: rows × columns, the count, percent or not.
        self.choices: dict[str, object] = {
            "rows": "code",
            "cols": "school",
            "count": "codings",
            "percent": False,
        }

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.recompute()

    def on_screen_suspend(self) -> None:
        self._away = not self._choosing

    def on_screen_resume(self) -> None:
        if self.is_mounted and self._away:
            self._away = False
            self.recompute(again=True)

    def action_toggle_percent(self) -> None:
        self.choose("percent", not self.choices["percent"])

    def recompute(self, again: bool = False) -> None:
        c = self.choices
        rows, cols, count, percent = (
            str(c["rows"]),
            str(c["cols"]),
            str(c["count"]),
            bool(c["percent"]),
        )
        if (rows, cols, count, percent) == self._asked and not again:
            return
        self._asked = (rows, cols, count, percent)
        self.query_one("#title", Static).update("[b]Frequency table[/b] · counting…")
        self.compute(rows, cols, count, percent)

    @work(thread=True, exclusive=True, group="stats")
    def compute(self, rows: str, cols: str, count: str, percent: bool) -> None:
        from lfa_qual.analysis import (
            Filters,
            frequency_table,
            needs_review_count,
            with_code_labels,
        )
        from lfa_qual.project import Project

        # As `lfa-qual stats`: codings a transcript edit left in doubt are not counted.
        try:
            with Project(self.app.project.root) as project:
                frame = frequency_table(
                    project, rows, cols, count, percent, Filters(needs_review=False)
                )
                keys = (list(frame.index), list(frame.columns))  # ids, for Enter on a cell
                frame = with_code_labels(frame, project)
                in_doubt = needs_review_count(project)
        except LfaError as exc:
            self.post_message(self.Ready(None, exc.message))
            return
        ready = self.Ready(frame, None, in_doubt)
        ready.keys = keys
        self.post_message(ready)

    def on_stats_screen_ready(self, message: Ready) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        title = self.query_one("#title", Static)
        if message.error:
            title.update(f"[b]Frequency table[/b] · [red]{message.error}[/red]")
            return
        frame = message.frame
        self.keys = getattr(message, "keys", None)
        table.add_column(str(frame.index.name or ""))
        for col in frame.columns:
            table.add_column(str(col))
        for label, row in frame.iterrows():
            # da-DK, as in the CLI: "1.234", "12,5".
            cells = [number(v, 1) if isinstance(v, float) else number(v) for v in row.tolist()]
            table.add_row(str(label), *cells)
        doubt = ""
        if message.in_doubt:
            doubt = f" · [yellow]{message.in_doubt} needing review not counted (l)[/yellow]"
        title.update(f"[b]Frequency table[/b] · Enter lists a cell's passages{doubt}")
