"""Editing the codebook in the codebook screen: a (add a code under the highlighted one or at
the top), L (relabel), M (move), J (merge into another code). The work is done by
`lfa_qual.codebook_edit`, which writes the YAML file and refuses when it changed on disk since
the screen read it; the screen then shows the file as it is now."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Tree

from lfa_qual.codebook_edit import CodebookEditor
from lfa_qual.errors import LfaError
from lfa_qual.tui.dialogs import Choose, CodePicker, Confirm, code_prompt

TOP = "__top__"
# Not on the key bar (it is full at 80 columns): listed in help (?) and the command palette.
EDIT_BINDINGS = [
    Binding("a", "add_code", "New code", show=False, id="codebook.add"),
    Binding("L", "relabel_code", "Relabel code", show=False, id="codebook.relabel"),
    Binding("M", "move_code", "Move code", show=False, id="codebook.move"),
    Binding("J", "merge_code", "Merge code into…", show=False, id="codebook.merge"),
]


class AskText(ModalScreen[list[str] | None]):
    """One or more one-line fields; Enter in the last one answers, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    AskText { align: center middle; }
    AskText > Vertical { width: 70; max-width: 95%; height: auto; border: round $accent;
        background: $surface; padding: 0 1; }
    """

    def __init__(self, title: str, fields: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields  # (placeholder, initial value)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{self.title_text}   (Enter · esc cancels)")
            for i, (placeholder, value) in enumerate(self.fields):
                yield Input(value, placeholder=placeholder, id=f"field{i}")

    def on_mount(self) -> None:
        self.query_one("#field0", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        at = inputs.index(event.input)
        if at + 1 < len(inputs):
            inputs[at + 1].focus()
        else:
            self.dismiss([i.value for i in inputs])

    def action_cancel(self) -> None:
        self.dismiss(None)


class CodebookEditing:
    """The codebook screen's editing actions (mixed into `CodebookScreen`)."""

    editor: CodebookEditor | None = None

    def on_mount(self) -> None:
        # The file as the screen shows it: an edit made elsewhere after this is refused, and
        # the screen then shows the file as it is (Textual calls every class's on_mount).
        self.editor = None
        try:
            self.editor = CodebookEditor(self.project)
        except LfaError as exc:
            self.notify(exc.message, severity="error")

    def _editor(self) -> CodebookEditor:
        if self.editor is None:
            self.editor = CodebookEditor(self.project)
        return self.editor

    def _edit(self, operation, select: str | None = None) -> None:
        try:
            result = operation(self._editor())
        except LfaError as exc:
            self.notify(exc.message, severity="error", timeout=10)
            self._refresh_codebook(select)
            return
        notes = "".join(f"\n{n}" for n in result.notes)
        self.notify(f"{result.message}{notes}\n(u in the reader undoes it)", timeout=6)
        self._refresh_codebook(select)

    def _refresh_codebook(self, select: str | None = None) -> None:
        """Show the file as it is now, the cursor on `select` (the code just edited)."""
        self.codebook = self.project.codebook()
        self.fill()
        tree = self.query_one(Tree)
        found = [n for n in _nodes(tree.root) if n.data == select] if select else []
        if found:
            # A rebuilt tree knows its nodes' lines only after it has been laid out again.
            self.call_after_refresh(tree.move_cursor, found[0])
            self.call_after_refresh(self.show_details)
        tree.focus()
        self.show_details()

    def action_add_code(self) -> None:
        under = self.highlighted

        def where(choice: str | None) -> None:
            if choice is None:
                return
            parent = None if choice == TOP else choice

            def done(values: list[str] | None) -> None:
                if values:
                    code_id, label, color, description = (v.strip() for v in values)
                    self._edit(
                        lambda e: e.create(code_id, label, parent, color or None, description),
                        code_id,
                    )

            title = f"New code under {parent}" if parent else "New top-level code"
            fields = [
                ("id: lower-case letters, digits, _", ""),
                ("label", ""),
                ('colour "#rrggbb" (empty: the next of the palette)', ""),
                ("description (optional)", ""),
            ]
            self.app.push_screen(AskText(title, fields), done)

        if under is None:
            where(TOP)
            return
        items = [(under.id, code_prompt(under, "as a sub-code")), (TOP, "at the top level")]
        self.app.push_screen(Choose("Where does the new code go?", items), where)

    def action_relabel_code(self) -> None:
        code = self.highlighted
        if code is None:
            return

        def done(values: list[str] | None) -> None:
            if values and values[0].strip() != code.label:
                self._edit(lambda e: e.relabel(code.id, values[0]), code.id)

        self.app.push_screen(AskText(f"Label of {code.id}", [("label", code.label)]), done)

    def action_move_code(self) -> None:
        code = self.highlighted
        if code is None:
            return
        inside = {c.id for c in self.codebook.descendants(code.id)} | {code.id}
        items = [] if code.parent is None else [(TOP, "the top level")]
        items += [(c.id, code_prompt(c)) for c in self.codebook.codes if c.id not in inside]

        def done(choice: str | None) -> None:
            if choice is not None:
                self._edit(lambda e: e.move(code.id, None if choice == TOP else choice), code.id)

        self.app.push_screen(Choose(f"Move {code.id} under", items), done)

    def action_merge_code(self) -> None:
        code = self.highlighted
        if code is None:
            return

        def picked(target: str | None) -> None:
            if target is None:
                return
            n = self.project.store.read_one(
                "SELECT count(*) AS n FROM codings WHERE code_id = ?", (code.id,)
            )["n"]

            def confirmed(yes: bool) -> None:
                if yes:
                    self._edit(lambda e: e.merge(code.id, target, self.project.coder), target)

            question = (
                f"Merge {code.id} into {target}? Its {n} coding(s) become {target} codings and "
                f"{code.id} leaves the codebook (a backup of the file is kept; u undoes)."
            )
            self.app.push_screen(Confirm(question), confirmed)

        self.app.push_screen(CodePicker(self.codebook, f"Merge {code.id} into"), picked)


def _nodes(node):
    for child in node.children:
        yield child
        yield from _nodes(child)
