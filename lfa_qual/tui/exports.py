"""Exports from the command palette (ctrl+p): quotes, the frequency table, the figures and the
summary grid, with the filters of the screen they are started from, into a file the user
names (relative to the project folder). The work runs in a thread on its own connection and
ends with a notice saying where the file went (see `lfa_qual.export.files`)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.widgets import Select

from lfa_qual.errors import LfaError
from lfa_qual.export.files import DEFAULT_NAMES, ExportRequest, export
from lfa_qual.tui.codebook_edit import AskText
from lfa_qual.tui.dialogs import Confirm
from lfa_qual.tui.filters import ALL, GROUP

TITLES = {
    "quotes": "Export quotes…",
    "frequencies": "Export frequency table…",
    "figures": "Export figures…",
    "grid": "Export summary grid…",
}


def _select(screen: Screen, selector: str) -> str | None:
    choices = getattr(screen, "choices", None)  # retrieve's and stats': a dict, no Selects
    if choices is not None:
        value = choices.get(selector.removeprefix("#"))
        return None if value is None else str(value)
    found = screen.query(selector)
    if not found:
        return None
    widget = found.first()
    return str(widget.value) if isinstance(widget, Select) else None


def current_request(screen: Screen, what: str, path: Path) -> tuple[ExportRequest, str]:
    """The export with the screen's filters, and those filters in words."""
    from lfa_qual.analysis import Filters
    from lfa_qual.tui.retrieve import REVIEW

    code = _select(screen, "#code")
    school = _select(screen, "#school")
    role = _select(screen, "#role")
    said = []
    codes = (code,) if code and code != REVIEW else None
    if codes:
        said.append(f"code {code}")
    schools = (school,) if school and school != ALL else None
    if schools:
        said.append(school)
    roles = None
    if role and role != ALL:
        roles = (role.removeprefix(GROUP),)  # a role group stands for its roles
        said.append(roles[0])
    request = ExportRequest(
        what, path, Filters(codes=codes, schools=schools, roles=roles, needs_review=False)
    )
    rows, cols, count = (_select(screen, s) for s in ("#rows", "#cols", "#count"))
    if what == "grid":
        request.rows = rows if rows in ("school", "interview", "role_group") else "school"
        said.append(f"rows: {request.rows}")
    elif rows and cols and count:  # the frequency table's screen
        request.rows, request.cols, request.count = rows, cols, count
        request.percent = bool(getattr(screen, "choices", {}).get("percent"))
        said.append(f"{rows} × {cols}: {count}{' %' if request.percent else ''}")
    return request, ", ".join(said) or "all codings"


def export_commands(app: App, screen: Screen) -> Iterable[SystemCommand]:
    for what, title in TITLES.items():
        yield SystemCommand(
            title,
            "to a file you name, with this screen's filters",
            partial(app.call_later, ask_and_export, app, screen, what),
        )


def ask_and_export(app: App, screen: Screen, what: str) -> None:
    root = app.project.root

    def named(values: list[str] | None) -> None:
        if not values or not values[0].strip():
            return
        path = Path(values[0].strip()).expanduser()
        path = path if path.is_absolute() else root / path
        request, _ = current_request(screen, what, path)
        if path.is_file():

            def replace(yes: bool) -> None:
                if yes:
                    run_export(app, request)

            app.push_screen(Confirm(f"{path.name} exists. Replace it?"), replace)
        else:
            run_export(app, request)

    _, said = current_request(screen, what, root / DEFAULT_NAMES[what])
    title = f"{TITLES[what][:-1]} ({said}) — file name in {root.name}/"
    app.push_screen(AskText(title, [("file name", DEFAULT_NAMES[what])]), named)


def run_export(app: App, request: ExportRequest) -> None:
    app.notify(f"Exporting {request.what} to {request.path.name}…", timeout=3)
    app.run_worker(partial(_work, app, request), thread=True, group="export")


def _work(app: App, request: ExportRequest) -> None:
    from lfa_qual.project import Project

    try:
        with Project(app.project.root, coder=app.project.coder) as project:
            done = export(project, request)
    except LfaError as exc:
        app.call_from_thread(app.notify, str(exc), severity="error", timeout=10)
        return
    app.call_from_thread(app.notify, f"Wrote {done}", timeout=8)
