"""REFI-QDA export and import from the command palette: ask for a file, run, report.

The reports are the lines the CLI prints; an error (a bad archive, a refused path) is shown as
a notification and changes nothing, as in the CLI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from lfa_qual.errors import LfaError


class PathPrompt(ModalScreen[str | None]):
    """Ask for a file name; enter accepts, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    PathPrompt { align: center middle; }
    PathPrompt > Vertical { width: 76; max-width: 95%; height: auto; border: round $accent;
        background: $surface; padding: 0 1; }
    """

    def __init__(self, title: str, value: str) -> None:
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{self.title_text}   (enter · esc cancel)")
            yield Input(self.value, id="path")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _export_qdpx(project, path: Path) -> list[str]:
    from lfa_qual.refiqda.export import export_qdpx

    r = export_qdpx(project, path)
    return [
        f"wrote {r.sources} source(s), {r.codings} coding(s), {r.codes} code(s) and "
        f"{r.notes} memo(s) to {r.path}"
    ]


def _export_qdc(project, path: Path) -> list[str]:
    from lfa_qual.refiqda.export import export_qdc

    return [f"wrote {export_qdc(project, path)} code(s) to {path}"]


def _import(project, path: Path) -> list[str]:
    if path.suffix.lower() == ".qdc":
        from lfa_qual.refiqda.qdc import import_qdc

        r = import_qdc(project, path)
        if not r.new:
            return [*r.lines, "no new codes: every code is in the codebook already"]
        return [
            *r.lines,
            f"wrote the merged codebook ({len(r.new)} new code(s)) to {r.written} for review",
        ]
    from lfa_qual.refiqda.importer import import_qdpx

    return import_qdpx(project, path).lines()


ACTIONS: list[tuple[str, str, str, Callable]] = [
    (
        "Export REFI-QDA project (.qdpx)",
        "for NVivo, ATLAS.ti, MAXQDA, QualCoder",
        "projekt.qdpx",
        _export_qdpx,
    ),
    (
        "Export REFI-QDA codebook (.qdc)",
        "the codebook for another tool",
        "kodebog.qdc",
        _export_qdc,
    ),
    ("Import REFI-QDA file (.qdpx or .qdc)", "codings and codes from another tool", "", _import),
]


def run(app, title: str, default: str, action: Callable) -> None:
    def done(answer: str | None) -> None:
        if not answer:
            return
        path = Path(answer).expanduser()
        if not path.is_absolute():
            path = app.project.root / path
        try:
            lines = action(app.project, path)
        except LfaError as exc:
            app.notify(str(exc), title=title, severity="error", timeout=30)
            return
        app.notify("\n".join(lines), title=title, timeout=30)
        fill = getattr(app.screen, "fill", None)  # the overview lists the new transcripts
        if callable(fill):
            fill()

    app.push_screen(PathPrompt(title, default), done)


def refiqda_commands(app) -> Iterable[SystemCommand]:
    for title, help_text, default, action in ACTIONS:
        yield SystemCommand(title, help_text, partial(run, app, title, default, action))
