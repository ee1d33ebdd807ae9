"""The codebook tree: counts per code, details of the highlighted code, memos and quick slots."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, Tree

from lfa_qual.codebook import Code
from lfa_qual.codings import get_memo, set_memo
from lfa_qual.errors import LfaError
from lfa_qual.tui.codebook_edit import EDIT_BINDINGS, CodebookEditing
from lfa_qual.tui.dialogs import MemoEditor
from lfa_qual.tui.keybar import KeyBar
from lfa_qual.tui.slots import pin, quick_slots


def coding_counts(store, interview: str | None = None) -> dict[str, int]:
    sql = "SELECT c.code_id, count(*) AS n FROM codings c"
    params: tuple = ()
    if interview:
        sql += " JOIN transcripts t ON t.id = c.transcript_id WHERE t.interview = ?"
        params = (interview,)
    return {r["code_id"]: r["n"] for r in store.read(sql + " GROUP BY c.code_id", params)}


class CodebookScreen(CodebookEditing, Screen):
    BINDINGS = [
        *EDIT_BINDINGS,  # a, L, M, J: editing the codebook (lfa_qual.tui.codebook_edit)
        Binding("m", "memo", "Code memo", id="codebook.memo"),
        Binding("enter", "retrieve", "Retrieve", id="codebook.retrieve"),
        Binding("1", "pin(1)", "Pin to key", key_display="1-9", id="codebook.pin"),
        *[Binding(str(n), f"pin({n})", f"Pin to key {n}", show=False) for n in range(2, 10)],
    ]
    # The details keep their scroll bar's column (wrapped once, not again when the bar appears
    # in the next layout); the tree cuts a label wider than itself rather than get a
    # horizontal scroll bar (a row less: drawn again) - the details start with the label.
    DEFAULT_CSS = """
    CodebookScreen #title { height: 1; background: $primary-background; padding: 0 1; }
    CodebookScreen Tree { width: 1fr; height: 1fr; overflow-x: hidden; }
    CodebookScreen #details { width: 1fr; height: 1fr; border-left: solid $primary-background-lighten-2;
        padding: 0 1; scrollbar-gutter: stable; }
    """

    def __init__(self, interview: str | None = None) -> None:
        super().__init__()
        self.interview = None  # not a reader: keep `current_interview` pointing at the reader
        self.for_interview = interview
        self.project = self.app.project
        self.codebook = self.project.codebook()
        self.nodes: dict = {}  # code id -> its tree node, once built
        self.structure: list[tuple[str, str | None]] = []  # (id, parent) the tree was built of
        self._shown: str | None = None  # the code whose details are shown

    def compose(self) -> ComposeResult:
        where = f" · counts: {self.for_interview} / project" if self.for_interview else ""
        yield Static(
            f"[b]Codebook[/b] {self.codebook.name} {self.codebook.version}{where}", id="title"
        )
        with Horizontal():
            yield Tree(self.codebook.name, id="tree")
            with VerticalScroll(id="details"):
                yield Static(id="detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.fill()
        tree = self.query_one(Tree)
        tree.auto_expand = False
        tree.focus()
        first = tree.root.children[0] if tree.root.children else tree.root
        tree.move_cursor(tree.root)  # the tree's lines exist after this: then the first code
        tree.move_cursor(first)
        # The first code's details in the first frame: drawn after it (as a step's are), the
        # pane's new height and then its scroll bar each cost the opening another layout.
        self.show_details()

    def label(self, code: Code, here: dict, total: dict, slots: list) -> Text:
        text = Text()
        text.append("■ ", style=code.color)
        text.append(code.id, style="bold")
        # Counts and the quick key before the label: a narrow tree cuts the label, not them.
        counts = f"{total.get(code.id, 0)}"
        if self.for_interview:
            counts = f"{here.get(code.id, 0)}/{counts}"
        text.append(f" ({counts})", style="dim")
        if code.id in slots:
            text.append(f" [{slots.index(code.id) + 1}]", style="bold cyan")
        text.append(f" {code.label}")
        return text

    def fill(self) -> None:
        store = self.project.store
        here = coding_counts(store, self.for_interview) if self.for_interview else {}
        total = coding_counts(store)
        slots = quick_slots(store, self.codebook, self.project.coder)
        tree = self.query_one(Tree)
        structure = [(code.id, code.parent) for code in self.codebook.codes]
        if self.nodes and structure == self.structure:
            # New counts or a pinned key: relabel in place. Rebuilding the tree sent the
            # cursor back to the root and blanked the detail pane.
            for code in self.codebook.codes:
                self.nodes[code.id].set_label(self.label(code, here, total, slots))
            return
        self.structure = structure  # a code added, moved or merged away: build it anew
        tree.clear()
        tree.root.expand()
        self.nodes = {None: tree.root}
        for code in self.codebook.codes:
            parent = self.nodes[code.parent]
            node = parent.add(self.label(code, here, total, slots), data=code.id, expand=True)
            self.nodes[code.id] = node
            if not self.codebook.children(code.id):
                node.allow_expand = False

    @property
    def highlighted(self) -> Code | None:
        node = self.query_one(Tree).cursor_node
        if node is None or node.data is None:
            return None
        return self.codebook.by_id.get(node.data)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        # The details (a code's texts and examples: wrapping them is most of a step's cost)
        # follow once the moved cursor is on screen; steps made meanwhile are skipped over.
        self.call_after_refresh(self._show_current)

    def _show_current(self) -> None:
        code = self.highlighted
        if code is None or code.id != self._shown:
            self.show_details()

    def show_details(self) -> None:
        code = self.highlighted
        self._shown = code.id if code is not None else None
        out = Text()
        if code is not None:
            out.append("■ ", style=code.color)
            out.append(f"{code.label}\n", style="bold")
            out.append(
                f"id {code.id}" + (f" · under {code.parent}" if code.parent else "") + "\n\n"
            )
            for title, value in (
                ("Description", code.description),
                ("Include", code.include),
                ("Exclude", code.exclude),
            ):
                if value:
                    out.append(f"{title}\n", style="underline")
                    out.append(value + "\n\n")
            if code.examples:  # anchor examples: what a typical passage of the code sounds like
                out.append("Examples\n", style="underline")
                for example in code.examples:
                    out.append("• ")
                    out.append(f"{example}\n", style="italic")
                out.append("\n")
            if code.keywords:
                out.append("Keywords\n", style="underline")
                out.append(", ".join(code.keywords) + "\n\n", style="yellow")
            if code.roles:
                out.append("Roles: " + ", ".join(code.roles) + "\n\n")
            memo = get_memo(self.project.store, "code", code.id)
            out.append("Memo (m)\n", style="underline")
            out.append((memo or "—") + "\n", style="italic")
        self.query_one("#detail", Static).update(out)

    def action_memo(self) -> None:
        code = self.highlighted
        if code is None:
            return
        old = get_memo(self.project.store, "code", code.id)

        def done(text: str | None) -> None:
            if text is None or text == old:
                return
            try:
                set_memo(self.project.store, "code", code.id, text, self.project.coder)
            except LfaError as exc:
                self.notify(exc.message, severity="error")
                return
            self.show_details()
            self.notify("Code memo saved", timeout=2)

        self.app.push_screen(MemoEditor(f"Memo on code {code.id}", old), done)

    def action_pin(self, slot: int) -> None:
        code = self.highlighted
        if code is None:
            return
        pin(self.project.store, self.codebook, self.project.coder, slot, code.id)
        self.fill()
        self.notify(f"{code.id} is on key {slot}", timeout=2)

    def action_retrieve(self) -> None:
        code = self.highlighted
        if code is not None:
            self.app.action_retrieve(code.id)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        # The tree takes Enter itself (space folds a node): Enter retrieves the code.
        event.stop()
        self.action_retrieve()
