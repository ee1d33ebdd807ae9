"""The reader screen: one transcript, its codings and suggestions, and every coding action.

Each action calls a domain function (through `lfa_qual.history`, so it can be undone), which
commits before this screen redraws or says "done".
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from lfa_qual import history
from lfa_qual.citation import cite
from lfa_qual.codings import Coding, StaleText, get_memo, list_codings, set_memo
from lfa_qual.errors import LfaError
from lfa_qual.suggestions import ExampleEvidence
from lfa_qual.tui.dialogs import Choose, CodePicker, MemoEditor, code_prompt
from lfa_qual.tui.keybar import KeyBar
from lfa_qual.tui.reader import TranscriptView
from lfa_qual.tui.reader_names import NameMarks
from lfa_qual.tui.reader_suggestions import SuggestionSteps, load_suggestions
from lfa_qual.tui.retrieve import one_line
from lfa_qual.tui.slots import quick_slots, slot_label


class Panel(Widget):
    """The side panel. Repainted with `show`, never re-laid out: a Static's update would
    re-run the screen's layout on every keystroke."""

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.content = Text()

    def show(self, content: Text) -> None:
        self.content = content
        self.refresh()

    def render(self) -> Text:
        return self.content


class ReaderScreen(SuggestionSteps, NameMarks, Screen):
    BINDINGS = [
        Binding("1", "quick(1)", "Quick code", key_display="1-9", id="code.quick"),
        *[Binding(str(n), f"quick({n})", f"Quick code {n}", show=False) for n in range(2, 10)],
        Binding("c", "pick_code", "Code…", id="code.pick"),
        # The keys for suggestions come early: an 80-column key bar shows them.
        Binding("n", "suggestion(1)", "Next sugg.", id="suggest.next"),
        Binding("N", "suggestion(-1)", "Previous suggestion", show=False, id="suggest.prev"),
        Binding("a", "accept", "Accept", id="suggest.accept"),
        Binding("d", "reject", "Reject", id="suggest.reject"),
        Binding("u,ctrl+z", "undo", "Undo", id="history.undo"),
        Binding("U,ctrl+y", "redo", "Redo", show=False, id="history.redo"),
        Binding("x,delete", "uncode", "Remove", id="code.remove"),
        Binding("e", "change_code", "Change code", id="code.change"),
        Binding("m", "coding_memo", "Memo", id="code.memo"),
        Binding("M", "transcript_memo", "Memo on the transcript", show=False, id="transcript.memo"),
        Binding("R", "run_nlp", "Run the NLP suggestions", show=False, id="suggest.run"),
        Binding("B", "toggle_blind", "Blind: only my codings", show=False, id="team.blind"),
        Binding("K", "compare", "Compare two coders", show=False, id="team.compare"),
        Binding("i", "toggle_panel", "Show/hide the side panel", show=False, id="reader.panel"),
    ]
    DEFAULT_CSS = """
    ReaderScreen #title { height: 1; background: $primary-background; color: $text; padding: 0 1; }
    ReaderScreen #body { height: 1fr; }
    ReaderScreen TranscriptView { width: 1fr; height: 1fr; }
    ReaderScreen #panel { width: 34; height: 1fr; border-left: solid $primary-background-lighten-2;
        padding: 0 1; overflow-y: auto; }
    ReaderScreen.-narrow #body { layout: vertical; }
    ReaderScreen.-narrow #panel { width: 1fr; height: 9; border-left: none;
        border-top: solid $primary-background-lighten-2; }
    ReaderScreen.-no-panel #panel { display: none; }
    """
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, interview: str, select: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.interview = interview
        self.initial = select
        project = self.app.project
        self.project = project
        self.transcript = project.transcript(interview)
        # Every write says which text its offsets come from (refused if another process has
        # re-anchored the transcript since; the screen then shows the new text).
        self.text_sha256 = self.transcript.sha256
        self.codebook = project.codebook()
        self.codings: list[Coding] = []
        self.suggestions: list | None = []
        self.sidx: int | None = None
        self.nlp_status = ""
        self.slots: list[str | None] = []
        self.status = ""  # the last action done, shown in the panel (cheaper than a toast)
        self._key_state: tuple[bool, bool] | None = None
        self._away = False  # another screen is or was on top since the last resume

    @property
    def store(self):
        return self.project.store

    @property
    def coder(self) -> str:
        return self.project.coder

    @property
    def blind(self) -> bool:
        return getattr(self.app, "blind", self.project.config.blind)

    def action_toggle_blind(self) -> None:
        self.app.blind = not self.blind
        self.status = (
            "Blind: only your codings" if self.blind else "Blind off: every coder's codings"
        )
        self.reload()

    def action_compare(self) -> None:
        from lfa_qual.tui.compare import CompareScreen

        try:
            screen = CompareScreen(self.interview)
        except LfaError as exc:
            self.notify(exc.message, severity="warning")
            return
        self.app.push_screen(screen)

    def compose(self) -> ComposeResult:
        t = self.transcript
        yield Static(
            f"[b]{t.interview}[/b] · {t.school} · {t.month_year} · {t.kind} · coder {self.coder}",
            id="title",
        )
        with Horizontal(id="body"):
            yield TranscriptView(t, self.codebook, id="view")
            yield Panel(id="panel")
        yield KeyBar()

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    def on_mount(self) -> None:
        view = self.view
        view.on_moved = self._view_moved
        self.reload()
        self.refresh_names()
        if self.initial:
            view.select(*self.initial)
            view.call_after_refresh(view.show_span, *self.initial)
        view.focus()

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        # Coming back from another screen (retrieve, search, codebook): the store may have moved.
        # Not on opening: on_mount has just read it (reading it twice cost a 30,000-word
        # transcript's opening a tenth of its time).
        if not self.is_mounted or not self._away:
            return
        self._away = False
        if self.reopen_if_edited():
            return
        self.reload()
        self.refresh_names()

    def reload(self, suggestions: bool = True) -> None:
        """Re-read what the store holds for this transcript and redraw."""
        # Blind coding: only this coder's codings, so that a second coder is not led by the
        # first (`blind: true` in lfa-qual.yaml; B toggles it for the session).
        mine = self.coder if self.blind else None
        self.codings = list_codings(self.store, interview=self.interview, coder=mine)
        self.view.set_codings(self.codings)
        self.slots = quick_slots(self.store, self.codebook, self.coder)
        if suggestions:
            current = self.current_suggestion
            self.suggestions = load_suggestions(self.store, self.interview)
            if current is not None and self.suggestions is not None:
                ids = [s.id for s in self.suggestions]
                self.sidx = ids.index(current.id) if current.id in ids else None
            if self.sidx is None:
                self.view.set_suggestion(None, [])
        self.update_panel()
        self.update_keys()

    # -- side panel -------------------------------------------------------------------
    def _view_moved(self) -> None:
        self.update_panel()
        self.update_keys()

    def update_keys(self) -> None:
        # Re-building the footer costs tens of ms: only when the keys that apply change.
        state = (self.current_suggestion is not None, False)
        if state != self._key_state:
            self._key_state = state
            self.refresh_bindings()

    def done(self, message: str) -> None:
        self.status = f"✓ {message}"
        self.update_panel()

    def append_codings(self, out: Text, here: list, memo_on_own_line: bool) -> None:
        """One line per coding at the cursor: code, coder, review mark and memo. A memo is
        shortened with an ellipsis, so a cut memo does not read as the whole one."""
        for c in here:
            code = self.codebook.by_id.get(c.code)
            out.append("■ ", style=code.color if code else "white")
            out.append(c.code, style="bold")
            out.append(f" {c.coder}")
            if c.status == "needs_review":
                out.append(" needs review", style="bold red")
            if c.memo:
                memo = one_line(c.memo, 60 if memo_on_own_line else 40)
                out.append(f"\n  ✎ {memo}" if memo_on_own_line else f" ✎ {memo}", style="italic")
            out.append("\n")

    def codings_here(self) -> list[Coding]:
        view = self.view
        sel = view.selection
        s, e = sel if sel else (view.cursor, view.cursor)
        marks = view.marks_between(s, e)
        spans = {(m.start, m.end, m.code) for m in marks}
        return [c for c in self.codings if (c.start, c.end, c.code) in spans]

    def action_toggle_panel(self) -> None:
        # Below 100 columns the panel takes 9 of the rows: `i` gives them to the text.
        self.toggle_class("-no-panel")

    def on_resize(self) -> None:
        self.update_panel()  # the narrow panel has its own, compact content

    def update_panel(self) -> None:
        if self.has_class("-narrow"):
            self.query_one(Panel).show(self.compact_panel())
            return
        view = self.view
        t = self.transcript
        out = Text()
        sel = view.selection
        where = sel[0] if sel else view.cursor
        out.append(cite(t, where, self.project.config.citation) + "\n", style="bold")
        if sel:
            out.append(f"selected {sel[1] - sel[0]} chars\n", style="dim")
        if view.names_between(where, (sel[1] if sel else where) + 1):
            out.append("⚠ a suspected name or identifier (I: names check)\n", style="bold red")
        here = self.codings_here()
        out.append(f"Codes here ({len(here)})\n", style="underline")
        self.append_codings(out, here, memo_on_own_line=True)
        s = self.current_suggestion
        if self.suggestions is None:
            out.append("Suggestions: not installed\n", style="dim")
        elif s is not None:
            out.append(f"Suggestion {self.sidx + 1}/{len(self.suggestions)}\n", style="underline")
            code = self.codebook.by_id.get(s.code)
            out.append("■ ", style=code.color if code else "white")
            out.append(f"{s.code}", style="bold")
            out.append(f"  score {s.score:.2f}\n")
            words = ", ".join(dict.fromkeys(ev.word for ev in s.evidence))
            if words:
                out.append(f"evidence: {words}\n", style="yellow")
            # The anchor example whose words it shares: the reason in the codebook's own terms.
            examples = (ev.example for ev in s.evidence if isinstance(ev, ExampleEvidence))
            for example in dict.fromkeys(examples):
                out.append(f"like «{example}»\n", style="italic")
        else:
            out.append(f"Suggestions: {len(self.suggestions)} open (n)\n", style="dim")
        if self.nlp_status:
            out.append(self.nlp_status + "\n", style="cyan")
        out.append("Quick codes\n", style="underline")
        for n, code_id in enumerate(self.slots, 1):
            if code_id:
                code = self.codebook.by_id[code_id]
                out.append(f"{n} ", style="bold")
                out.append("■ ", style=code.color)
                out.append(f"{slot_label(code.label)}\n")  # labels: what coders think in
        if self.status:
            out.append(self.status + "\n", style="green")
        self.query_one(Panel).show(out)

    def compact_panel(self) -> Text:
        """The panel below 100 columns (8 lines at 80×24), most needed first: the citation,
        the last action, the suggestion with its evidence, the quick-code keys on one or two
        lines, then the codes at the cursor (one line each)."""
        view = self.view
        sel = view.selection
        out = Text(no_wrap=False)
        out.append(
            cite(self.transcript, sel[0] if sel else view.cursor, self.project.config.citation),
            style="bold",
        )
        if self.status:
            out.append(f"  {self.status}", style="green")
        out.append("\n")
        s = self.current_suggestion
        if self.suggestions is None:
            out.append("Suggestions: not installed\n", style="dim")
        elif s is not None:
            code = self.codebook.by_id.get(s.code)
            out.append(f"Sugg. {self.sidx + 1}/{len(self.suggestions)} ", style="underline")
            out.append("■ ", style=code.color if code else "white")
            out.append(s.code, style="bold")
            out.append(f" {s.score:.2f}")
            words = ", ".join(dict.fromkeys(ev.word for ev in s.evidence))
            if words:
                out.append(f" · {words}", style="yellow")
            out.append("\n")
            examples = (ev.example for ev in s.evidence if isinstance(ev, ExampleEvidence))
            for example in list(dict.fromkeys(examples))[:1]:
                out.append(f"like «{one_line(example, 70)}»\n", style="italic")
        elif self.suggestions:
            out.append(f"Suggestions: {len(self.suggestions)} open (n)\n", style="dim")
        if self.nlp_status:
            out.append(self.nlp_status + "\n", style="cyan")
        for n, code_id in enumerate(self.slots, 1):
            if code_id:
                code = self.codebook.by_id[code_id]
                out.append(f"{n}", style="bold")
                out.append("■", style=code.color)
                out.append(f"{code_id} ")
        out.append("\n")
        here = self.codings_here()
        self.append_codings(out, here, memo_on_own_line=False)
        return out

    # -- footer: the keys that matter now ---------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept", "reject"):
            return True if self.current_suggestion is not None else None
        return True

    # -- coding -----------------------------------------------------------------------
    def _selection_or_warn(self) -> tuple[int, int] | None:
        sel = self.view.selection
        if sel is None:
            self.notify(
                "Select a passage first: w word, s sentence, p paragraph, t turn, shift+arrows.",
                severity="warning",
            )
        return sel

    def apply(self, code_id: str) -> Coding | None:
        sel = self._selection_or_warn()
        if sel is None:
            return None
        try:
            coding = history.code(
                self.store,
                self.interview,
                sel[0],
                sel[1],
                code_id,
                self.coder,
                text_sha256=self.text_sha256,
            )
        except StaleText as exc:
            self.reload_transcript(exc)
            return None
        except LfaError as exc:
            self.notify(exc.message, severity="error")
            return None
        self.status = f"✓ Coded {code_id}"
        # The store has it; show it without re-reading every coding of the transcript.
        self.codings.append(coding)
        self.view.set_codings(self.codings)
        self.update_panel()
        return coding

    def action_quick(self, slot: int) -> None:
        code_id = self.slots[slot - 1]
        if code_id is None:
            self.notify(f"No code on key {slot}: pin one in the codebook (b).", severity="warning")
            return
        self.apply(code_id)

    def action_pick_code(self) -> None:
        if self._selection_or_warn() is None:
            return

        def done(code_id: str | None) -> None:
            if code_id:
                self.apply(code_id)

        self.app.push_screen(CodePicker(self.codebook), done)

    def _coding_label(self, c: Coding) -> Text:
        code = self.codebook.by_id.get(c.code)
        extra = f"{c.coder} {c.start}..{c.end}"
        if code is None:  # a code no longer in the codebook file
            return Text(f"■ {c.code}  (not in the codebook)  {extra}")
        return code_prompt(code, extra)

    def _with_coding(self, verb: str, then) -> None:
        here = self.codings_here()
        if not here:
            self.notify("No coding at the cursor.", severity="warning")
        elif len(here) == 1:
            then(here[0])
        else:
            items = [(str(c.id), self._coding_label(c)) for c in here]

            def chosen(key: str | None) -> None:
                if key:
                    then(next(c for c in here if str(c.id) == key))

            self.app.push_screen(Choose(f"Which coding to {verb}?", items), chosen)

    def reload_transcript(self, exc: StaleText) -> None:
        """The text changed under this screen: say so and show the new text in a fresh screen
        (its codings where the re-anchoring put them)."""
        self.notify(exc.message, severity="error", timeout=8)
        self.app.switch_screen(ReaderScreen(self.interview))

    def _do(self, func, *args, message: str, on_text: bool = True) -> None:
        """Run a domain action; `on_text`: it acts on what the screen shows of the text."""
        try:
            func(*args, **({"text_sha256": self.text_sha256} if on_text else {}))
        except StaleText as exc:
            self.reload_transcript(exc)
            return
        except LfaError as exc:
            self.notify(exc.message, severity="error")
            return
        self.status = f"✓ {message}"
        self.reload()

    def action_uncode(self) -> None:
        self._with_coding(
            "remove",
            lambda c: self._do(
                history.uncode, self.store, c.id, self.coder, message=f"Removed {c.code}"
            ),
        )

    def action_change_code(self) -> None:
        def change(c: Coding) -> None:
            def done(code_id: str | None) -> None:
                if code_id and code_id != c.code:
                    self._do(
                        history.change_code,
                        self.store,
                        c.id,
                        code_id,
                        self.coder,
                        message=f"{c.code} → {code_id}",
                    )

            self.app.push_screen(CodePicker(self.codebook, f"Change {c.code} to"), done)

        self._with_coding("change", change)

    def action_coding_memo(self) -> None:
        def edit(c: Coding) -> None:
            def done(text: str | None) -> None:
                if text is not None and text != c.memo:
                    self._do(
                        history.set_memo, self.store, c.id, text, self.coder, message="Memo saved"
                    )

            self.app.push_screen(MemoEditor(f"Memo on {c.code} (coding {c.id})", c.memo), done)

        self._with_coding("annotate", edit)

    def action_transcript_memo(self) -> None:
        old = get_memo(self.store, "transcript", self.interview)

        def done(text: str | None) -> None:
            if text is not None and text != old:
                self._do(
                    set_memo,
                    self.store,
                    "transcript",
                    self.interview,
                    text,
                    self.coder,
                    message="Transcript memo saved",
                    on_text=False,
                )

        self.app.push_screen(MemoEditor(f"Memo on {self.interview}", old), done)

    def action_undo(self) -> None:
        self._replay(history.undo, "Undone", "Nothing to undo.")

    def action_redo(self) -> None:
        self._replay(history.redo, "Redone", "Nothing to redo.")

    def _replay(self, func, verb: str, nothing: str) -> None:
        try:
            action = func(self.store, self.coder)
        except LfaError as exc:
            self.notify(exc.message, severity="error")
            return
        if action is None:
            self.notify(nothing, severity="warning", timeout=2)
            return
        self.status = f"✓ {verb}: {action.label}"
        self.reload()
