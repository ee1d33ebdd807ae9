"""Suggesting in a process of its own, for the terminal UI.

The NLP is pure Python for the most part: run in a thread of the UI's process it holds the
interpreter lock, and keys waited a second or more to render while it ran (benchmarks/
bench_tui.py). A separate process leaves the UI's interpreter free. One process serves an app
for its lifetime, so spaCy and the pipeline load once per app, at the first run; progress
(phase, passages done, total) comes back through a queue, and so does each batch of a
transcript's suggestions stored while the run goes on (interview, count), so that the reader
shows the first ones without waiting for the end.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import resource_tracker
from pathlib import Path

_progress: multiprocessing.Queue | None = None  # in the worker process: set by _start
# Passages scored (and stored) at a time: smaller than the command line's batches, so that the
# first suggestions of a transcript come after a few dozen passages, not after 256; the scores
# do not depend on the batch (tests/test_nlp_streaming.py).
STREAM_BATCH = 32


def _start(progress: multiprocessing.Queue) -> None:
    global _progress
    _progress = progress


def _suggest(root: str, coder: str | None, interviews: list[str]) -> tuple[int | None, str]:
    """In the worker: suggest for `interviews` and store them; (count, "") or (None, error)."""
    from lfa_qual.errors import LfaError
    from lfa_qual.nlp.run import suggest_project
    from lfa_qual.nlp.suggest import Options
    from lfa_qual.project import Project

    sent = [0.0]

    def report(phase: str, done: int, total: int) -> None:
        now = time.monotonic()  # at most twenty reports a second
        if done in (0, total) or now - sent[0] >= 0.05:
            sent[0] = now
            if _progress is not None:
                _progress.put(("passages", phase, done, total))

    def stored(interview: str, count: int) -> None:
        if _progress is not None:
            _progress.put(("stored", interview, count))

    try:
        with Project(Path(root), coder=coder) as project:
            options = Options(batch_size=STREAM_BATCH)
            found = suggest_project(
                project, interviews, on_passages=report, on_stored=stored, options=options
            )
            return found, ""
    except LfaError as exc:  # sent back as text: the UI shows it
        return None, exc.message


class BackgroundSuggester:
    """A worker process that suggests for a project; `close` ends it."""

    def __init__(self) -> None:
        # spawn, not fork: the UI's process has threads, which a fork would copy half-way.
        context = multiprocessing.get_context("spawn")
        # multiprocessing's resource tracker hands its child our stderr's descriptor; the UI
        # has replaced sys.stderr by a capture without one, so start it on the real stderr.
        saved = sys.stderr
        try:
            sys.stderr = sys.__stderr__ or saved
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved
        self._progress = context.Queue()
        self._pool = ProcessPoolExecutor(
            1, mp_context=context, initializer=_start, initargs=(self._progress,)
        )

    def suggest(
        self,
        root: Path,
        coder: str | None,
        interviews: list[str],
        on_passages: Callable[[str, int, int], None],
        on_stored: Callable[[str, int], None] | None = None,
    ) -> tuple[int | None, str]:
        """Run in the worker and wait, relaying progress and stored batches of suggestions;
        (count, "") or (None, error)."""
        future = self._pool.submit(_suggest, str(root), coder, interviews)
        while not future.done():
            self._relay(on_passages, on_stored, 0.05)
        self._relay(on_passages, on_stored, 0.2)  # the last reports may come after the result
        return future.result()

    def _relay(
        self,
        on_passages: Callable[[str, int, int], None],
        on_stored: Callable[[str, int], None] | None,
        wait: float,
    ) -> None:
        while True:
            try:
                kind, *values = self._progress.get(timeout=wait)
            except queue_module.Empty:
                return
            if kind == "passages":
                on_passages(*values)
            elif on_stored is not None:
                on_stored(*values)

    def close(self) -> None:
        """End the worker at once, even in the middle of a run: what it computed is only
        suggestions (its store transaction is rolled back), and quitting must not wait."""
        processes = list(getattr(self._pool, "_processes", {}).values())
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(2)
            if process.exitcode is None:  # SIGTERM not honoured in 2 s
                process.kill()
                process.join(2)
        # The pool's manager thread reaps the processes too; until it has set their return
        # codes, `is_alive` can still say True for a process that is gone (its waitpid got
        # the status, ours gets ECHILD). Wait for that thread: the processes are dead, so
        # this is quick, and afterwards nothing of the worker is left running.
        self._pool.shutdown(wait=True, cancel_futures=True)
