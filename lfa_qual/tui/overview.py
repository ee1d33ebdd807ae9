"""The project overview: a table of transcripts, filtered by school and role."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Select, Static

from lfa_qual.project import TranscriptRow
from lfa_qual.role_groups import RoleGroups
from lfa_qual.tui.filters import ALL, role_matches, school_role_selects
from lfa_qual.tui.keybar import KeyBar
from lfa_qual.wording import count, number


def filter_rows(
    rows: list[TranscriptRow], school: str, role: str, groups: RoleGroups | None = None
) -> list[TranscriptRow]:
    groups = groups or RoleGroups()
    return [
        r
        for r in rows
        if (school == ALL or r.school == school)
        and (role == ALL or any(role_matches(role, x, groups) for x in r.roles))
    ]


class OverviewScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", "Open", id="overview.open"),
        Binding("f", "focus_filter", "Filter", id="overview.filter"),
    ]
    DEFAULT_CSS = """
    OverviewScreen #title { height: 1; background: $primary-background; padding: 0 1; }
    OverviewScreen #filters { height: 3; }
    OverviewScreen Select { width: 1fr; }
    OverviewScreen DataTable { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        project = self.app.project
        yield Static(id="title")
        with Horizontal(id="filters"):
            yield from school_role_selects(project.transcript_rows(), project.role_groups)
        yield DataTable(cursor_type="row", zebra_stripes=True, id="transcripts")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # The numbers before the roles: at 80 columns the long roles list is what gets cut.
        table.add_columns(
            "Interview", "School", "Date", "Words", "Pages", "Codings", "Sugg.", "Roles"
        )
        self.fill()
        table.focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.fill()

    def fill(self) -> None:
        project = self.app.project
        rows = project.transcript_rows()
        school = self.query_one("#school", Select).value
        role = self.query_one("#role", Select).value
        shown = filter_rows(rows, str(school), str(role), project.role_groups)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for r in shown:
            table.add_row(
                r.interview,
                r.school,
                r.date,
                number(r.words),
                r.pages,
                r.codings,
                r.open_suggestions,
                ", ".join(r.roles),
                key=r.interview,
            )
        if shown:
            table.move_cursor(row=min(keep, len(shown) - 1))
        words = sum(r.words for r in rows)
        codings = sum(r.codings for r in rows)
        self.query_one("#title", Static).update(
            f"[b]{project.root.name}[/b] · {count(len(rows), 'transcript', 'transcripts')} · "
            f"{count(words, 'word', 'words')} · {count(codings, 'coding', 'codings')} · "
            f"coder {project.coder}"
        )

    def on_select_changed(self, event: Select.Changed) -> None:
        self.fill()

    def action_focus_filter(self) -> None:
        self.query_one("#school", Select).focus()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self.app.open_transcript(str(key))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_transcript(str(event.row_key.value))
