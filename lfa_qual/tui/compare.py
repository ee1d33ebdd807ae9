"""The compare view: two coders' codings of one transcript side by side, stepping from
disagreement to disagreement and resolving each into the consensus coder.

Left the first coder's codings, right the second's, each in its own copy of the reader's
transcript view (so the two gutters and colours sit side by side on the same passage). Every
resolution is one action in `lfa_qual.history`; `u` undoes it and the passage is open again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from lfa_qual import history
from lfa_qual.citation import cite
from lfa_qual.codings import list_codings
from lfa_qual.errors import LfaError
from lfa_qual.tui.keybar import KeyBar
from lfa_qual.tui.reader import TranscriptView

# The agreement figures and the consensus import numpy (≈0.15 s): imported when the screen
# opens, not with this module, which the command palette and the help screen import for the
# key bindings alone.
if TYPE_CHECKING:
    from lfa_qual.consensus import Disagreement


class CompareScreen(Screen):
    BINDINGS = [
        Binding("n", "step(1)", "Next disagreement", id="compare.next"),
        Binding("N", "step(-1)", "Previous disagreement", show=False, id="compare.prev"),
        Binding("1", "resolve('first')", "Take first coder's", id="compare.first"),
        Binding("2", "resolve('second')", "Take second coder's", id="compare.second"),
        Binding("3", "resolve('both')", "Take both", id="compare.both"),
        Binding("0", "resolve('neither')", "Neither", id="compare.neither"),
        Binding("u,ctrl+z", "undo", "Undo", id="compare.undo"),
    ]
    DEFAULT_CSS = """
    CompareScreen #title { height: 1; background: $primary-background; padding: 0 1; }
    CompareScreen #sides { height: 1fr; }
    CompareScreen .side { width: 1fr; height: 1fr; }
    CompareScreen .side Static { height: 1; padding: 0 1; background: $boost; }
    CompareScreen TranscriptView { height: 1fr; }
    CompareScreen #status { height: 5; padding: 0 1; border-top: solid $primary-background; }
    """

    def __init__(self, interview: str, coders: tuple[str, str] | None = None) -> None:
        from lfa_qual.agreement import Comparison

        super().__init__()
        self.interview = interview
        self.project = self.app.project
        self.transcript = self.project.transcript(interview)
        self.codebook = self.project.codebook()
        self.request = Comparison(coders=coders, interviews=(interview,))
        self.found: list[Disagreement] = []
        self.resolved: set[str] = set()
        self.index: int | None = None
        self.figures = ""
        self.message = ""
        self.coders = self._coders(coders)

    def _coders(self, coders: tuple[str, str] | None) -> tuple[str, str]:
        if coders:
            return coders
        from lfa_qual.agreement import known_coders

        others = [c for c in known_coders(self.project) if c != self.project.config.consensus]
        if len(others) < 2:
            raise LfaError(
                "comparing needs two coders; this project has: " + (", ".join(others) or "none")
            )
        return (others[0], others[1])

    def compose(self) -> ComposeResult:
        a, b = self.coders
        yield Static(
            f"[b]Compare[/b] {self.interview} · {a} ↔ {b} → {self.project.config.consensus}",
            id="title",
        )
        with Horizontal(id="sides"):
            for coder, name in ((a, "first"), (b, "second")):
                with Vertical(classes="side"):
                    yield Static(f"[b]{coder}[/b]")
                    yield TranscriptView(self.transcript, self.codebook, id=name)
        yield Static(id="status")
        yield KeyBar()

    def view(self, which: str) -> TranscriptView:
        return self.query_one(f"#{which}", TranscriptView)

    def on_mount(self) -> None:
        from lfa_qual.agreement import Comparison

        self.request = Comparison(coders=self.coders, interviews=(self.interview,))
        self.reload()
        self.action_step(1)
        self.view("first").focus()

    def reload(self) -> None:
        """Re-read both coders' codings, the disagreements, the decisions and the figures."""
        from lfa_qual.agreement import compare
        from lfa_qual.consensus import disagreements, resolved_keys

        for coder, which in zip(self.coders, ("first", "second"), strict=True):
            self.view(which).set_codings(
                list_codings(self.project.store, interview=self.interview, coder=coder)
            )
        self.found = disagreements(self.project, self.request, with_text=False)
        self.resolved = resolved_keys(self.project)
        try:
            row = [r for r in compare(self.project, self.request, "char") if r.code == "*"][0]
            kappa = "–" if row.kappa is None else f"{row.kappa:.2f}"
            self.figures = f"agreement {100 * (row.agreement or 0):.1f} %, κ {kappa} (characters)"
        except LfaError as exc:
            self.figures = exc.message

    @property
    def open_items(self) -> list[int]:
        return [i for i, d in enumerate(self.found) if d.key not in self.resolved]

    @property
    def current(self) -> Disagreement | None:
        return None if self.index is None else self.found[self.index]

    def action_step(self, step: int) -> None:
        todo = self.open_items
        if not todo:
            self.index = None
            self.show()
            return
        if self.index is None:
            self.index = todo[0] if step > 0 else todo[-1]
        else:
            later = [i for i in todo if (i > self.index if step > 0 else i < self.index)]
            self.index = (
                (later[0] if step > 0 else later[-1]) if later else todo[0 if step > 0 else -1]
            )
        self.show()

    def show(self) -> None:
        d = self.current
        out = Text()
        todo = len(self.open_items)
        if d is None:
            out.append(f"No open disagreements ({len(self.found)} resolved). ", style="bold green")
        else:
            a, b = self.coders
            out.append(
                f"Disagreement {self.open_items.index(self.index) + 1}/{todo}: ", style="bold"
            )
            where = cite(self.transcript, d.start, self.project.config.citation)
            out.append(f"{d.code} · {d.who()} · {where}\n")
            out.append(f"{a}: {_spans(d.first)}   {b}: {_spans(d.second)}\n", style="dim")
            for which in ("first", "second"):
                view = self.view(which)
                view.select(d.start, d.end)
                view.call_after_refresh(view.show_span, d.start, d.end)
        out.append(self.figures + "\n", style="cyan")
        if self.message:
            out.append(self.message, style="green")
        self.query_one("#status", Static).update(out)

    def action_resolve(self, choice: str) -> None:
        from lfa_qual.consensus import resolve

        d = self.current
        if d is None:
            self.notify("No open disagreement here.", severity="warning", timeout=2)
            return
        try:
            resolve(self.project, d, choice)
        except LfaError as exc:
            self.notify(exc.message, severity="error")
            return
        self.message = f"✓ {d.code} {d.start}..{d.end}: {choice}"
        self.reload()
        self.action_step(1)

    def action_undo(self) -> None:
        try:
            action = history.undo(self.project.store, self.project.coder)
        except LfaError as exc:
            self.notify(exc.message, severity="error")
            return
        if action is None:
            self.notify("Nothing to undo.", severity="warning", timeout=2)
            return
        self.message = f"✓ Undone: {action.label}"
        self.reload()
        keys = [d.key for d in self.found]
        undone = action.label.split(": ", 1)[-1]
        self.index = keys.index(undone) if undone in keys else None
        if self.index is None:
            self.action_step(1)
        else:
            self.show()


def _spans(spans) -> str:
    return "; ".join(f"{s}–{e}" for s, e in spans) or "—"
