"""Suspected names and identifiers marked in the reader (lfa_qual.names).

The view asks for a paragraph's suspects when it draws a line of it (`TranscriptView.
set_name_finder`), so opening a long transcript stays as fast as without marks. The name model
is loaded once per process, in a worker, before the first finder is handed over.
"""

from __future__ import annotations

from textual import work
from textual.message import Message

from lfa_qual.errors import LfaError


class NameMarks:
    """Mixed into the reader screen: `refresh_names` marks the transcript's suspects."""

    class ModelReady(Message):
        pass

    def refresh_names(self) -> None:
        from lfa_qual.names.lexicon import load_model

        if load_model.cache_info().currsize:
            self._hand_finder()
        else:
            self.load_name_model()

    @work(thread=True, exclusive=True, group="names")
    def load_name_model(self) -> None:
        from lfa_qual.names.lexicon import load_model

        load_model()
        self.post_message(self.ModelReady())

    def on_name_marks_model_ready(self, message: ModelReady) -> None:
        self._hand_finder()

    def _hand_finder(self) -> None:
        # The project's context reads the store: once here, not per paragraph.
        from lfa_qual.names.detect import find_suspects
        from lfa_qual.names.review import name_key, project_context
        from lfa_qual.names.scan import transcript_context

        try:
            base = project_context(self.project, name_key(self.project))
        except LfaError as exc:
            self.notify(f"names check: {exc}", severity="warning")
            return
        context = transcript_context(self.transcript, base)
        text = self.transcript.text

        def finder(start: int, end: int) -> list[tuple[int, int]]:
            return [(s.start, s.end) for s in find_suspects(text, context, [(start, end)])]

        self.view.set_name_finder(finder)

    def reopen_if_edited(self) -> bool:
        """When the transcript's text changed meanwhile (a name replaced on the Names screen,
        or another lfa-qual re-read the edited file), open the new text at the same place
        rather than show the old one or refuse the next action."""
        row = self.project.store.read_one(
            "SELECT sha256 FROM transcripts WHERE interview = ?", (self.interview,)
        )
        if row is None or row["sha256"] == self.transcript.sha256:
            return False
        self.notify("The transcript's text changed: showing the new text.")
        cursor = self.view.cursor
        interview = self.interview

        def reopen() -> None:
            self.app.pop_screen()
            self.app.open_transcript(interview, (cursor, cursor))

        self.app.call_later(reopen)
        return True
