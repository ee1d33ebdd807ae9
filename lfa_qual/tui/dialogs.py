"""Modal dialogs: fuzzy code picker, memo editor, confirmation and a pick-one list."""

from __future__ import annotations

from rapidfuzz import fuzz, process
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, TextArea
from textual.widgets.option_list import Option

from lfa_qual.codebook import Code, Codebook


def rank_codes(codebook: Codebook, query: str, limit: int = 30) -> list[Code]:
    """Codes best matching `query` (id, label and keywords), codebook order when empty."""
    query = query.strip().lower()
    if not query:
        return list(codebook.codes)
    choices = {c.id: f"{c.id} {c.label} {' '.join(c.keywords)}".lower() for c in codebook.codes}
    # WRatio handles abbreviations ("pit bal") and typos ("forældr"); exact id prefixes first.
    ranked = process.extract(query, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=40)
    prefix = [
        c for c in codebook.codes if c.id.startswith(query) or c.label.lower().startswith(query)
    ]
    ordered = prefix + [codebook.by_id[key] for _, _, key in ranked]
    seen: set[str] = set()
    return [c for c in ordered if not (c.id in seen or seen.add(c.id))]


def code_prompt(code: Code, extra: str = "") -> Text:
    text = Text()
    text.append("■ ", style=code.color)
    text.append("  " * code.depth)
    text.append(code.id, style="bold")
    text.append(f"  {code.label}")
    if extra:
        text.append(f"  {extra}", style="dim")
    return text


class CodePicker(ModalScreen[str | None]):
    """Type to filter the codebook; Enter picks the highlighted code."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    CodePicker { align: center middle; }
    CodePicker > Vertical { width: 70; max-width: 95%; height: 22; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1; }
    CodePicker OptionList { height: 1fr; }
    """

    def __init__(self, codebook: Codebook, title: str = "Apply code") -> None:
        super().__init__()
        self.codebook = codebook
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield Input(placeholder="type a code, label or keyword…", id="query")
            yield OptionList(id="codes")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            [Option(code_prompt(c), id=c.id) for c in rank_codes(self.codebook, query)]
        )
        if options.option_count:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event) -> None:
        # Arrow keys move the list while the typing stays in the input.
        if event.key in ("up", "down") and self.query_one(Input).has_focus:
            options = self.query_one(OptionList)
            if options.option_count:
                step = -1 if event.key == "up" else 1
                current = options.highlighted or 0
                options.highlighted = max(0, min(options.option_count - 1, current + step))
            event.stop()

    def action_cancel(self) -> None:
        self.dismiss(None)


class MemoEditor(ModalScreen[str | None]):
    """Edit a memo; ctrl+s saves, escape cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save memo"),
        Binding("escape", "cancel", "Cancel"),
    ]
    DEFAULT_CSS = """
    MemoEditor { align: center middle; }
    MemoEditor > Vertical { width: 76; max-width: 95%; height: 18; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1; }
    MemoEditor TextArea { height: 1fr; }
    """

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.initial = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{self.title_text}   (ctrl+s save · esc cancel)")
            yield TextArea(self.initial, id="memo", soft_wrap=True)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No"),
    ]
    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical { width: 64; max-width: 95%; height: auto; border: round $warning;
        background: $surface; padding: 1 2; }
    Confirm Label { width: 100%; }  /* wrap a long question instead of cutting it */
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            yield Label("[b]y[/b] yes   [b]n[/b] no")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class Choose(ModalScreen[str | None]):
    """Pick one of a few items (e.g. which of the codings under the cursor)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    Choose { align: center middle; }
    Choose > Vertical { width: 70; max-width: 95%; height: auto; max-height: 80%;
        border: round $accent; background: $surface; padding: 0 1; }
    Choose OptionList { height: auto; max-height: 16; }
    """

    def __init__(self, title: str, items: list[tuple[str, Text | str]]) -> None:
        super().__init__()
        self.title_text = title
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield OptionList(*[Option(label, id=key) for key, label in self.items])

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
