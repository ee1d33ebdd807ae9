"""Suspected names and identifiers marked in the reader (lfa_qual.names), found in a worker."""

from __future__ import annotations

from textual import work
from textual.message import Message

from lfa_qual.errors import LfaError


class NameMarks:
    """Mixed into the reader screen: `refresh_names` looks for suspects and marks them."""

    class NamesFound(Message):
        def __init__(self, spans: list[tuple[int, int]]) -> None:
            super().__init__()
            self.spans = spans

    def refresh_names(self) -> None:
        # The project's context reads the store: here, on the UI thread; the detection itself
        # (pure computation on the text) runs in the worker.
        from lfa_qual.names.review import name_key, project_context
        from lfa_qual.names.scan import transcript_context

        try:
            context = project_context(self.project, name_key(self.project))
        except LfaError as exc:
            self.notify(f"names check: {exc}", severity="warning")
            return
        self.find_names(self.transcript, transcript_context(self.transcript, context))

    def reopen_if_edited(self) -> bool:
        """After a name was replaced in this transcript's file (the Names screen), open the
        new text at the same place instead of showing the old one."""
        if self.project.transcript(self.interview).sha256 == self.transcript.sha256:
            return False
        cursor = self.view.cursor
        interview = self.interview

        def reopen() -> None:
            self.app.pop_screen()
            self.app.open_transcript(interview, (cursor, cursor))

        self.app.call_later(reopen)
        return True

    @work(thread=True, exclusive=True, group="names")
    def find_names(self, transcript, context) -> None:
        from lfa_qual.names.detect import find_suspects
        from lfa_qual.names.scan import scanned_spans

        found = find_suspects(transcript.text, context, scanned_spans(transcript))
        self.post_message(self.NamesFound([(s.start, s.end) for s in found]))

    def on_name_marks_names_found(self, message: NamesFound) -> None:
        self.view.set_name_marks(message.spans)
