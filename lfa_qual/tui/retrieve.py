"""Retrieve: every passage coded with a code across the project, with citations; jump to one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Select, Static

from lfa_qual.project import CodingView, Project
from lfa_qual.tui.chooser import Chooser
from lfa_qual.tui.filters import (
    ALL,
    option_label,
    role_matches,
    school_role_options,
    school_role_selects,
)
from lfa_qual.tui.keybar import KeyBar
from lfa_qual.wording import count

REVIEW = "__review__"  # the pseudo-code "every coding that needs review"


def retrieve(project: Project, code: str, school: str = ALL, role: str = ALL) -> list[CodingView]:
    """Passages coded `code` or one of its sub-codes (or, for REVIEW, needing review)."""
    if code == REVIEW:
        codings = [c for c in project.codings() if c.status == "needs_review"]
    else:
        codebook = project.codebook()
        ids = [code] + [c.id for c in codebook.descendants(code)] if code in codebook else [code]
        codings = project.codings(codes=ids)
    views = [project.view(c) for c in codings]
    return [
        v
        for v in views
        if (school == ALL or v.school == school) and role_matches(role, v.role, project.role_groups)
    ]


def one_line(text: str, width: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class RetrieveScreen(Screen):
    # The table has the keys: focused when the screen is composed. The code and the filters
    # are a line of text; `f` opens their Selects in a Chooser (lfa_qual.tui.chooser).
    AUTO_FOCUS = "#passages"
    BINDINGS = [
        Binding("enter", "jump", "Jump to passage", id="retrieve.jump"),
        Binding("f", "choose", "Filter", id="retrieve.filter"),
    ]
    DEFAULT_CSS = """
    RetrieveScreen #title { height: 1; background: $primary-background; padding: 0 1; }
    RetrieveScreen #choices { height: 1; padding: 0 1; }
    RetrieveScreen DataTable { height: 1fr; }
    RetrieveScreen #quote { height: auto; max-height: 8; padding: 0 1;
        border-top: solid $primary-background-lighten-2; }
    """

    def __init__(self, code: str | None = None) -> None:
        super().__init__()
        self.project = self.app.project
        codebook = self.project.codebook()
        # What the table shows: the code (or REVIEW), the school and the role (or role group).
        self.choices = {"code": code or codebook.codes[0].id, "school": ALL, "role": ALL}
        self.options = {"code": self.code_options()}
        self.options["school"], self.options["role"] = school_role_options(
            self.project.transcript_rows(), self.project.role_groups
        )
        self.views: list[CodingView] = []
        # The filters the table was last filled for: opening filled it five times (mount,
        # resume and each Select's first Changed), each clearing the rows the frame before
        # had drawn. Coming back from another screen (the reader may have changed codings)
        # fills it again.
        self._filled: tuple | None = None
        self._away = False
        self._choosing = False  # the Chooser is over the screen: not away

    def code_options(self) -> list[tuple[str, str]]:
        codebook = self.project.codebook()
        options = [(f"{'  ' * c.depth}{c.id} · {c.label}", c.id) for c in codebook.codes]
        options.append(("⚠ codings that need review", REVIEW))
        return options

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Static(self.summary(), id="choices")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="passages")
        yield Static(id="quote")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Code", "Citation", "Passage")
        self.fill()
        table.focus()

    def summary(self) -> str:
        """The choices in one line: "mindset · Mindset · all schools · all roles"."""
        said = " · ".join(option_label(self.options[k], v) for k, v in self.choices.items())
        return f"{said}  [dim](f: filter)[/dim]"

    def on_screen_suspend(self) -> None:
        self._away = not self._choosing

    def on_screen_resume(self) -> None:
        if self.is_mounted and self._away:
            self._away = False
            self.fill(again=True)

    def fill(self, again: bool = False) -> None:
        code, school, role = (self.choices[k] for k in ("code", "school", "role"))
        blind = getattr(self.app, "blind", self.project.config.blind)
        if (code, school, role, blind) == self._filled and not again:
            return
        self._filled = (code, school, role, blind)
        self.views = retrieve(self.project, code, school, role)
        if blind:  # team coding: only mine
            self.views = [v for v in self.views if v.coding.coder == self.project.coder]
        table = self.query_one(DataTable)
        table.clear()
        for i, v in enumerate(self.views):
            mark = " ⚠" if v.coding.status == "needs_review" else ""
            table.add_row(v.coding.code + mark, v.citation, one_line(v.text, 90), key=str(i))
        label = "needing review" if code == REVIEW else f"coded {code}"
        self.query_one("#title", Static).update(
            f"[b]Retrieve[/b] · {count(len(self.views), 'passage', 'passages')} {label} · "
            "Enter jumps to the passage"
        )
        self.show_quote()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_quote()

    def show_quote(self) -> None:
        table = self.query_one(DataTable)
        quote = self.query_one("#quote", Static)
        if not self.views or table.cursor_row >= len(self.views):
            quote.update("")
            return
        v = self.views[table.cursor_row]
        memo = f"\n[i]✎ {v.coding.memo}[/i]" if v.coding.memo else ""
        quote.update(f"“{one_line(v.text, 600)}” {v.citation}{memo}")

    def action_choose(self) -> None:
        """The code, school and role Selects in a box over the summary, on the code."""
        code = Select(
            self.options["code"], value=self.choices["code"], allow_blank=False, id="code"
        )
        school, role = school_role_selects(
            self.project.transcript_rows(),
            self.project.role_groups,
            self.choices["school"],
            self.choices["role"],
        )
        code.styles.width = "2fr"
        self._choosing = True
        self.app.push_screen(Chooser("Retrieve", [code, school, role], self.choose), self.chosen)

    def choose(self, name: str, value: object) -> None:
        if self.choices.get(name) == value:
            return
        self.choices[name] = str(value)
        self.query_one("#choices", Static).update(self.summary())
        self.fill()

    def chosen(self, _: None) -> None:
        self._choosing = False

    def action_jump(self) -> None:
        table = self.query_one(DataTable)
        if self.views and table.cursor_row < len(self.views):
            c = self.views[table.cursor_row].coding
            self.app.open_transcript(c.interview, (c.start, c.end))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_jump()
