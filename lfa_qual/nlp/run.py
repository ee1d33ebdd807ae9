"""Running suggestions for a project (stored) or for loose files (streamed, nothing stored).

Project mode trains the learned model from the project's own codings and rejections, suggests
for each transcript, and replaces that transcript's open suggestions in one transaction.
File mode reads transcript files directly and yields records; for large inputs it spreads the
files over worker processes that each run the whole job (pipeline + matching), so only small
result records cross process boundaries — cheaper than shipping spaCy Docs back.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from lfa_qual.codebook import Codebook
from lfa_qual.errors import LfaError
from lfa_qual.nlp.learned import LearnedModel
from lfa_qual.nlp.pipeline import load_pipeline
from lfa_qual.nlp.suggest import Options, Suggester, UnitSuggestions, spans
from lfa_qual.nlp.units import paragraph_units
from lfa_qual.suggestions import replace_open_suggestions
from lfa_qual.transcript import Transcript

if TYPE_CHECKING:
    from lfa_qual.project import Project

# Below this many bytes of transcripts, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 2_000_000


def train_model(project: Project, suggester: Suggester) -> LearnedModel:
    """The learned model from the project's codings (positives) and rejections (negatives)."""
    store = project.store
    passages: dict[tuple[str, int, int], tuple[set[str], set[str]]] = {}
    for r in store.read(
        "SELECT t.interview, c.start, c.end, c.code_id FROM codings c"
        " JOIN transcripts t ON t.id = c.transcript_id"
    ):
        passages.setdefault((r[0], r[1], r[2]), (set(), set()))[0].add(r[3])
    for r in store.read(
        "SELECT t.interview, s.start, s.end, s.code_id FROM suggestions s"
        " JOIN transcripts t ON t.id = s.transcript_id WHERE s.status = 'rejected'"
    ):
        passages.setdefault((r[0], r[1], r[2]), (set(), set()))[1].add(r[3])
    model = suggester.seeded_model() if suggester.options.codebook_texts else LearnedModel()
    keys = sorted(passages)
    texts = (project.transcript(iv).text[a:b] for iv, a, b in keys)
    for key, lemmas in zip(keys, suggester.lemmas(texts), strict=True):
        codes, rejected = passages[key]
        model.add(lemmas, codes, rejected)
    return model


def all_interviews(project: Project) -> list[str]:
    return [
        r[0] for r in project.store.read("SELECT interview FROM transcripts ORDER BY interview")
    ]


def suggest_project(
    project: Project,
    interviews: list[str] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    *,
    pipeline: str | None = None,
    options: Options | None = None,
    codebook: Codebook | None = None,
    on_passages: Callable[[str, int, int], None] | None = None,
    on_stored: Callable[[str, int], None] | None = None,
) -> int:
    """Suggest codes for the project's transcripts (all, or `interviews`) and store them as
    open suggestions, replacing older open ones of those transcripts; rejected and already
    coded spans are not suggested again. Returns the number stored. `on_passages(phase, done,
    total)` reports each passage read: phase "learning" (self-training on all transcripts),
    then "suggesting". With `on_stored(interview, count)`, a transcript's suggestions are
    also stored as each batch of its passages is scored (the text so far), and reported, so
    that a reader can show the first ones while the rest are computed; the end result is the
    same."""
    codebook = codebook or project.codebook()
    known = {r[0] for r in project.store.read("SELECT id FROM codes")}
    if interviews is None:
        interviews = all_interviews(project)
    suggester = Suggester(
        codebook,
        pipeline if pipeline is not None else project.config.pipeline,
        codes=known,
        options=options,
    )
    suggester.model = train_model(project, suggester)
    # The model also learns from the project's own uncoded talk (see Suggester.self_train).
    everything = all_interviews(project)
    suggester.self_train(
        (project.transcript(iv) for iv in everything),
        _counter(project, everything, suggester.options, "learning", on_passages),
    )
    total, stored = len(interviews), 0
    if on_progress is not None:
        on_progress(0, total)
    transcripts = (project.transcript(iv) for iv in interviews)
    counter = _counter(project, interviews, suggester.options, "suggesting", on_passages)
    label = suggester.pipeline_label
    on_batch = None
    if on_stored is not None:
        # Per transcript: (windows stored, offset reached, suggestions stored) so far. Each
        # batch stores only its own part of the text; the end stores the whole once more.
        reached: dict[str, tuple[int, int, int]] = {}

        def on_batch(transcript: Transcript, so_far: list[UnitSuggestions], upto: int) -> None:
            iv = transcript.interview
            k, since, n = reached.get(iv, (0, 0, 0))
            n += replace_open_suggestions(
                project.store, iv, spans(so_far[k:]), label, since=since, upto=upto
            )
            reached[iv] = (len(so_far), upto, n)
            on_stored(iv, n)

    for n, (transcript, results) in enumerate(
        suggester.run(transcripts, counter, on_batch), start=1
    ):
        found = replace_open_suggestions(project.store, transcript.interview, spans(results), label)
        stored += found
        if on_stored is not None:
            on_stored(transcript.interview, found)
        if on_progress is not None:
            on_progress(n, total)
    return stored


def _counter(
    project: Project,
    interviews: list[str],
    options: Options,
    phase: str,
    report: Callable[[str, int, int], None] | None,
) -> Callable[[], None] | None:
    """A per-passage callback reporting (phase, done, total), or None without `report`."""
    if report is None:
        return None
    total = sum(
        len(paragraph_units(project.transcript(iv), options.include_interviewer))
        for iv in interviews
    )
    done = 0
    report(phase, 0, total)

    def step() -> None:
        nonlocal done
        done += 1
        report(phase, done, total)

    return step


# -- file mode -------------------------------------------------------------------------------


def records(transcript: Transcript, results: list[UnitSuggestions], pipeline: str) -> list[dict]:
    """One flat record per suggestion: what `suggest --format jsonl` prints."""
    out = []
    has_pages = transcript.has_pages  # a property that walks all turns: once per transcript
    for u in results:
        para = transcript.paragraph_at(u.start) if has_pages else None
        page = (para.page if para and para.page else 1) if has_pages else u.unit.turn
        for s in u.suggestions:
            out.append(
                {
                    "interview": transcript.interview,
                    "turn": u.unit.turn,
                    "speaker": u.unit.label,
                    "role": u.unit.role,
                    "school": transcript.school,
                    "page": page,
                    "start": u.start,
                    "end": u.end,
                    "code": s.code,
                    "score": round(s.score, 4),
                    "evidence": [e.as_dict() for e in s.evidence],
                    "pipeline": pipeline,
                    "text": transcript.text[u.start : u.end],
                }
            )
    return out


_worker: Suggester | None = None


def _init_worker(codebook: Codebook, pipeline: str | None, options: Options) -> None:
    global _worker
    _worker = Suggester(codebook, pipeline, options=options)


def _suggest_file(path: Path) -> tuple[str, list[dict], str | None]:
    from lfa_qual.readers import read_transcript

    assert _worker is not None
    try:
        transcript = read_transcript(path)
    except LfaError as exc:  # sent back as text: our errors do not survive pickling intact
        return str(path), [], str(exc)
    out: list[dict] = []
    for t, results in _worker.run([transcript]):
        out += records(t, results, _worker.pipeline_label)
    return transcript.interview, out, None


def suggest_files(
    paths: list[Path],
    codebook: Codebook,
    pipeline: str | None = None,
    options: Options | None = None,
    *,
    processes: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[str, list[dict]]]:
    """Suggestion records per file, in input order, streamed. `processes=None` decides by the
    input size: both cores for large inputs, in-process otherwise."""
    from lfa_qual.readers import read_transcript

    options = options or Options()
    if processes is None:
        size = sum(p.stat().st_size for p in paths if p.exists())
        processes = min(2, os.cpu_count() or 1) if size >= PARALLEL_MIN_BYTES else 1
    total = len(paths)
    if processes <= 1 or total < 2:
        suggester = Suggester(codebook, pipeline, options=options)
        transcripts = (read_transcript(p) for p in paths)
        for n, (t, results) in enumerate(suggester.run(transcripts), start=1):
            if on_progress is not None:
                on_progress(n, total)
            yield t.interview, records(t, results, suggester.pipeline_label)
        return
    for p in paths:
        if not p.is_file():
            read_transcript(p)  # the reader's own "no such file" message
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "fork":
        # Load the pipeline once, before forking, so the workers share its memory; freeze the
        # heap so the workers' garbage collections do not touch (and copy) the shared pages.
        load_pipeline(pipeline)
        gc.freeze()
    try:
        with ctx.Pool(processes, _init_worker, (codebook, pipeline, options)) as pool:
            for n, (interview, found, error) in enumerate(
                pool.imap(_suggest_file, paths, chunksize=1), start=1
            ):
                if error is not None:
                    raise LfaError(error)
                if on_progress is not None:
                    on_progress(n, total)
                yield interview, found
    finally:
        if method == "fork":
            gc.unfreeze()
