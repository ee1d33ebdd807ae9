"""Commands: suggest, accept, reject, doctor."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lfa_qual.cli.table import csv_dialect_option, csv_writer, render_table, write_csv
from lfa_qual.collector import fewer_collections
from lfa_qual.csv_dialect import csv_dialect, csv_value
from lfa_qual.errors import LfaError
from lfa_qual.export.cells import safe_cell
from lfa_qual.progress import Progress

CSV_FIELDS = [
    "interview",
    "turn",
    "speaker",
    "role",
    "school",
    "page",
    "start",
    "end",
    "code",
    "score",
    "evidence",
    "pipeline",
    "text",  # the passage itself, as in jsonl: a reviewer reads it in the spreadsheet
]


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "suggest",
        parents=[common],
        help="suggest codes (stored for the project, or printed for the files given)",
        description="Without FILEs: suggest codes for the project's transcripts and store them "
        "as open suggestions (accept or reject them by id). With FILEs: read the transcript "
        "files directly and print suggestions; nothing is imported or stored.",
    )
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help="transcript files")
    p.add_argument("--codebook", type=Path, help="codebook file (default: the project's)")
    p.add_argument("--format", choices=["table", "jsonl", "csv"], default="table")
    csv_dialect_option(p)
    p.add_argument("--min-score", type=float, default=None, help="hide weaker suggestions (0–1)")
    p.add_argument("--top", type=int, default=None, help="at most K codes per passage (0: all)")
    p.add_argument("--pipeline", help="spaCy pipeline name or directory (default: project's)")
    p.add_argument(
        "--interviewer", action="store_true", help="also suggest for the interviewer's turns"
    )
    p.add_argument("--interview", action="append", help="only this interview (repeatable)")
    p.add_argument(
        "--list", action="store_true", help="list the stored open suggestions, do not recompute"
    )
    p.add_argument("--processes", type=int, default=None, help="worker processes for FILEs")
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser("accept", parents=[common], help="accept stored suggestions by id")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("--start", type=int, help="adjusted start offset (one suggestion only)")
    p.add_argument("--end", type=int, help="adjusted end offset (one suggestion only)")
    p.set_defaults(func=cmd_accept)

    p = sub.add_parser("reject", parents=[common], help="reject stored suggestions by id")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.set_defaults(func=cmd_reject)

    p = sub.add_parser("doctor", parents=[common], help="check the NLP setup and the project")
    p.add_argument("--pipeline", help="spaCy pipeline name or directory")
    p.set_defaults(func=cmd_doctor)


def _options(args: argparse.Namespace):
    from lfa_qual.nlp.suggest import DEFAULT_MIN_SCORE, DEFAULT_TOP, Options

    min_score = DEFAULT_MIN_SCORE if args.min_score is None else args.min_score
    if not 0.0 <= min_score <= 1.0:
        raise LfaError("--min-score must be between 0 and 1", field="min-score")
    top = DEFAULT_TOP if args.top is None else args.top
    if top < 0:
        raise LfaError("--top must be 0 (all) or more", field="top")
    return Options(min_score=min_score, top=top, include_interviewer=args.interviewer)


def evidence_text(evidence: list[dict]) -> str:
    """'sparring, PIT-medarbejderne→PIT (compound)': the word, and the keyword if it differs."""
    parts = []
    for e in evidence:
        word, kw, kind = e["word"], e["keyword"], e["kind"]
        # An example's word is shared with the example, not matched to a keyword: no arrow.
        same = word.lower() == kw.lower() or kind == "example"
        label = word if same else f"{word}→{kw}"
        parts.append(label if kind in ("exact", "phrase") and same else f"{label} ({kind})")
    # The anchor example that words of kind "example" share, once, after its words.
    examples = dict.fromkeys(e["example"] for e in evidence if e.get("example"))
    parts += [f"like «{text}»" for text in examples]
    return ", ".join(dict.fromkeys(parts))


def _print(records: list[dict], fmt: str, with_id: bool, dialect: str | None = None) -> None:
    if fmt == "jsonl":
        for r in records:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        fields = (["id"] if with_id else []) + CSV_FIELDS
        write_csv(fields, _csv_rows(records, fields), dialect=csv_dialect(dialect, False))
        return
    headers = (["id"] if with_id else []) + ["interview", "page", "speaker", "code", "score"]
    headers += ["evidence", "text"]
    rows = []
    for r in records:
        row = [r["id"]] if with_id else []
        row += [r["interview"], r["page"], r["role"], r["code"], f"{r['score']:.2f}"]
        row += [evidence_text(r["evidence"]), r["text"]]
        rows.append(row)
    print(render_table(headers, rows, max_width=60))


def _csv_rows(records: list[dict], fields: list[str]) -> list[list]:
    """Rows for csv.writer; text a spreadsheet would run as a formula gets a leading '."""
    return [
        [safe_cell(evidence_text(r[f]) if f == "evidence" else r.get(f)) for f in fields]
        for r in records
    ]


def _progress(label: str):
    bar: list[Progress] = []

    def step(done: int, total: int) -> None:
        if not bar:
            bar.append(Progress(total, label))
        bar[0].advance(done - bar[0].done)
        if done >= total:
            bar[0].close()

    return step


def cmd_suggest(args: argparse.Namespace) -> int:
    # Also while the NLP starts: spaCy's import, the pipeline and the codebook's model leave
    # hundreds of thousands of lasting objects.
    with fewer_collections():
        return _suggest(args)


def _suggest(args: argparse.Namespace) -> int:
    from lfa_qual.codebook import load_codebook
    from lfa_qual.project import Project

    options = _options(args)
    if args.files:
        from lfa_qual.nlp.run import suggest_files

        if args.codebook is not None:
            codebook = load_codebook(args.codebook)
        else:
            codebook = Project(args.project).codebook()
        pipeline = args.pipeline
        if pipeline is None:
            try:
                pipeline = Project(args.project).config.pipeline
            except LfaError:
                pipeline = None
        count = 0
        dialect = csv_dialect(args.csv_dialect, to_file=False)
        writer = csv_writer(sys.stdout, dialect) if args.format == "csv" else None
        if writer is not None:
            writer.writerow(CSV_FIELDS)
        for _, found in suggest_files(
            args.files,
            codebook,
            pipeline,
            options,
            processes=args.processes,
            on_progress=_progress("suggesting"),
        ):
            count += len(found)
            if writer is not None:
                rows = _csv_rows(found, CSV_FIELDS)
                writer.writerows([csv_value(v, dialect) for v in row] for row in rows)
            else:
                _print(found, args.format, with_id=False)
            sys.stdout.flush()
        print(f"{count} suggestion(s) for {len(args.files)} file(s)", file=sys.stderr)
        return 0

    with Project(args.project, coder=getattr(args, "coder", None)) as project:
        project.sync()
        interviews = args.interview
        if interviews:
            for iv in interviews:
                project.transcript(iv)  # a clear error for an unknown interview
        if not args.list:
            from lfa_qual.nlp.run import suggest_project

            codebook = load_codebook(args.codebook) if args.codebook else None
            n = suggest_project(
                project,
                interviews,
                _progress("suggesting"),
                pipeline=args.pipeline,
                options=options,
                codebook=codebook,
            )
            print(f"stored {n} open suggestion(s)", file=sys.stderr)
        records = stored_records(project, interviews, options.min_score, options.top)
        _print(records, args.format, True, args.csv_dialect)
    return 0


def stored_records(
    project, interviews: list[str] | None, min_score: float, top: int = 0
) -> list[dict]:
    from lfa_qual.suggestions import list_suggestions

    out = []
    shown: dict[tuple[str, int, int], int] = {}
    for s in list_suggestions(project.store):
        if (interviews and s.interview not in interviews) or s.score < min_score:
            continue
        span = (s.interview, s.start, s.end)
        if top and shown.get(span, 0) >= top:
            continue  # best first within a span: the listing is ordered by falling score
        shown[span] = shown.get(span, 0) + 1
        t = project.transcript(s.interview)
        turn = t.turn_at(s.start)
        speaker = t.speakers[turn.label]
        out.append(
            {
                "id": s.id,
                "interview": s.interview,
                "turn": turn.index,
                "speaker": turn.label,
                "role": speaker.role,
                "school": t.school,
                "page": t.locator_at(s.start),
                "start": s.start,
                "end": s.end,
                "code": s.code,
                "score": s.score,
                "evidence": [e.as_dict() for e in s.evidence],
                "pipeline": s.pipeline,
                "text": t.text[s.start : s.end],
            }
        )
    return out


def cmd_accept(args: argparse.Namespace) -> int:
    from lfa_qual.project import Project
    from lfa_qual.suggestions import accept_suggestion, get_suggestion

    if (args.start is not None or args.end is not None) and len(args.ids) > 1:
        raise LfaError("--start/--end adjust one suggestion; give a single ID", field="ids")
    with Project(args.project, coder=getattr(args, "coder", None)) as project:
        for sid in args.ids:
            sha = None
            if args.start is not None or args.end is not None:
                # The adjusted offsets belong to the text as it is now: refused if it changes.
                interview = get_suggestion(project.store, sid).interview
                sha = project.transcript(interview).sha256
            coding = accept_suggestion(
                project.store, sid, project.coder, args.start, args.end, text_sha256=sha
            )
            print(
                f"accepted suggestion {sid}: coding {coding.id} {coding.code} on "
                f"{coding.interview} [{coding.start}:{coding.end}] {project.cite(coding)}"
            )
    return 0


def cmd_reject(args: argparse.Namespace) -> int:
    from lfa_qual.project import Project
    from lfa_qual.suggestions import reject_suggestion

    with Project(args.project, coder=getattr(args, "coder", None)) as project:
        for sid in args.ids:
            reject_suggestion(project.store, sid, project.coder)
            print(f"rejected suggestion {sid}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    import platform

    import rapidfuzz
    import spacy

    from lfa_qual import __version__
    from lfa_qual.nlp.lemmatize import Lemmatizer
    from lfa_qual.nlp.pipeline import PREFERRED, describe_pipeline, load_pipeline
    from lfa_qual.project import Project

    print(f"lfa-qual {__version__} (Python {platform.python_version()})")
    print(f"spaCy {spacy.__version__}, rapidfuzz {rapidfuzz.__version__}")
    installed = spacy.util.is_package(PREFERRED)
    print(f"{PREFERRED}: {'installed' if installed else 'not installed (using the fallback)'}")
    pipeline = args.pipeline
    project = None
    try:
        project = Project(args.project)
        pipeline = pipeline or project.config.pipeline
    except LfaError:
        pass
    print(describe_pipeline(pipeline))
    nlp, info = load_pipeline(pipeline)
    print(f"components: {', '.join(nlp.pipe_names) or '(none)'}; stored as {info.label!r}")
    lemma = Lemmatizer()
    if info.lookup_lemmas:
        from lfa_qual.nlp.lemma_overrides import OVERRIDES
        from lfa_qual.nlp.lemma_table import load_table
        from lfa_qual.usercache import cache_root

        print(
            f"lemma table: {len(load_table()):,} forms ({len(OVERRIDES)} overridden), "
            f"prepared in {cache_root()}"
        )
    if info.fallback:
        from lfa_qual.nlp import rule_tokenizer

        rule_tokenizer.prepare(nlp)
        print(rule_tokenizer.describe())
    checks = ["Forældrene", "kulturkrigen", "klassefællesskaberne", "PIT-medarbejderne"]
    print("lemmas: " + ", ".join(f"{w} → {lemma(w)}" for w in checks))
    if project is not None and project.db_path.exists():
        from lfa_qual.nlp.learned import MIN_EXAMPLES

        store = project.store
        n_open = store.read_one("SELECT count(*) FROM suggestions WHERE status='open'")[0]
        per_code = store.read(
            "SELECT code_id, count(*) FROM codings GROUP BY code_id HAVING count(*) >= ?",
            (MIN_EXAMPLES,),
        )
        print(f"project {project.root}: {n_open} open suggestion(s)")
        learned = ", ".join(r[0] for r in per_code) or "none yet"
        print(f"learned model (≥ {MIN_EXAMPLES} codings per code): {learned}")
        project.close()
    return 0
