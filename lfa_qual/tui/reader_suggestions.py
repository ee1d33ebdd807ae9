"""Stepping through a transcript's suggestions in the reader, and running the NLP in a worker.

A mixin of `ReaderScreen`: it uses the screen's view, store, coder and panel.
"""

from __future__ import annotations

import time

from textual import work
from textual.message import Message

from lfa_qual import history
from lfa_qual.codings import StaleText
from lfa_qual.errors import LfaError
from lfa_qual.tui.reader import Mark
from lfa_qual.wording import count


def load_suggestions(store, interview: str) -> list | None:
    """Open suggestions of a transcript, or None when the suggestions module is not installed."""
    try:
        from lfa_qual.suggestions import list_suggestions
    except ModuleNotFoundError:
        return None
    # In text order; on one passage, the best-scored code first (`n` steps through them so).
    return sorted(
        list_suggestions(store, interview), key=lambda s: (s.start, s.end, -s.score, s.code)
    )


class SuggestionSteps:
    class NlpProgress(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class NlpStored(Message):
        """A batch of a transcript's suggestions is in the store (the run goes on)."""

        def __init__(self, interview: str, count: int) -> None:
            super().__init__()
            self.interview = interview
            self.count = count

    class NlpDone(Message):
        def __init__(self, count: int | None, error: str | None) -> None:
            super().__init__()
            self.count = count
            self.error = error

    @property
    def current_suggestion(self):
        if self.sidx is None or not self.suggestions or self.sidx >= len(self.suggestions):
            return None
        return self.suggestions[self.sidx]

    def show_suggestion(self, index: int | None) -> None:
        self.sidx = index
        s = self.current_suggestion
        view = self.view
        if s is None:
            view.set_suggestion(None, [])
        else:
            view.set_suggestion(
                Mark(s.start, s.end, s.code), [(ev.start, ev.end) for ev in s.evidence]
            )
            view.show_span(s.start, s.end)  # first, so the selection does not scroll minimally
            view.select(s.start, s.end)
        self.update_panel()
        self.update_keys()

    def action_suggestion(self, step: int) -> None:
        if self.suggestions is None:
            self.notify("Suggestions are not available in this installation.", severity="error")
            return
        if not self.suggestions:
            self.notify("No open suggestions here; R runs the NLP.", severity="warning")
            return
        if self.sidx is None:
            cursor = self.view.cursor
            after = [i for i, s in enumerate(self.suggestions) if s.start >= cursor]
            index = (after[0] if after else 0) if step > 0 else (after[0] - 1 if after else -1)
        else:
            index = self.sidx + step
        self.show_suggestion(index % len(self.suggestions))

    def _decide(self, func, *args, message: str, **kw) -> None:
        try:
            func(*args, **kw)
        except StaleText as exc:
            self.reload_transcript(exc)
            return
        except LfaError as exc:
            self.notify(exc.message, severity="error")
            return
        index = self.sidx
        self.sidx = None
        self.reload()
        # Step on to what is now at the same place in the list: the next open suggestion.
        if self.suggestions:
            self.show_suggestion(min(index or 0, len(self.suggestions) - 1))
        else:
            self.show_suggestion(None)
        self.done(message)

    def action_accept(self) -> None:
        s = self.current_suggestion
        if s is None:
            return
        sel = self.view.selection
        if sel and sel != (s.start, s.end):
            self._decide(
                history.accept, self.store, s.id, self.coder, sel[0], sel[1],
                message=f"Accepted {s.code} (adjusted span)", text_sha256=self.text_sha256,
            )  # fmt: skip
        else:
            self._decide(
                history.accept, self.store, s.id, self.coder,
                message=f"Accepted {s.code}", text_sha256=self.text_sha256,
            )  # fmt: skip

    def action_reject(self) -> None:
        s = self.current_suggestion
        if s is not None:
            self._decide(history.reject, self.store, s.id, self.coder, message=f"Rejected {s.code}")

    def action_run_nlp(self) -> None:
        self.nlp_status = "NLP: starting…"
        self.update_panel()
        self.run_nlp()

    @work(thread=True, exclusive=True, group="nlp")
    def run_nlp(self) -> None:
        # This thread only waits for the app's NLP process (see nlp/background.py: in a
        # thread the NLP held the interpreter and keys waited seconds) and posts messages.
        try:
            from lfa_qual.nlp.background import BackgroundSuggester
        except ModuleNotFoundError:
            self.post_message(self.NlpDone(None, "the NLP module is not installed"))
            return
        app = self.app
        worker = getattr(app, "nlp_worker", None)
        if worker is None:  # one process per app: the pipeline loads once
            worker = app.nlp_worker = BackgroundSuggester()

        posted = [0.0]

        def passages(phase: str, done: int, total: int) -> None:
            # Passages done / total, at most ten messages a second: the UI keeps answering.
            now = time.monotonic()
            if done not in (0, total) and now - posted[0] < 0.1:
                return
            posted[0] = now
            what = "learning from the project" if phase == "learning" else "suggesting"
            self.post_message(self.NlpProgress(f"NLP: {what} {done}/{total} passages"))

        def stored(interview: str, count: int) -> None:
            self.post_message(self.NlpStored(interview, count))

        count, error = worker.suggest(
            self.project.root, self.coder, [self.interview], passages, stored
        )
        self.post_message(self.NlpDone(count, error or None))

    def on_suggestion_steps_nlp_progress(self, message: NlpProgress) -> None:
        self.nlp_status = message.text
        self.update_panel()

    def on_suggestion_steps_nlp_stored(self, message: NlpStored) -> None:
        # The first suggestions show while the rest are computed; `n` steps through them.
        if message.interview == self.interview:
            self.reload()

    def on_suggestion_steps_nlp_done(self, message: NlpDone) -> None:
        self.nlp_status = ""
        if message.error:
            self.notify(f"NLP failed: {message.error}", severity="error")
        else:
            self.notify(f"NLP: {count(message.count, 'suggestion', 'suggestions')}", timeout=3)
        self.sidx = None
        self.reload()
