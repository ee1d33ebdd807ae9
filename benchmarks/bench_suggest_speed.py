"""Speed and memory of `suggest` against the raw spaCy pipeline, in one process and one run.

Generates a synthetic corpus (benchmarks/gen_corpus.py; default ≥ 1M words outside interviewer turns) in a temporary folder,
then, over the same transcripts and the same passages (the non-interviewer paragraphs):
1. raw:     read and parse the files, `nlp.pipe` over the passages with the full fallback
            pipeline (tokenizer, sentencizer, lookup lemmatizer);
2. suggest: read and parse the files, suggest codes with the LFA codebook (what
            `lfa-qual suggest FILE ...` does).
Both run with the same number of processes (default 2: nlp.pipe's n_process, and suggest's
worker processes). Prints words/s for both, their ratio, and peak RSS of the main process and
of the largest worker.

    .venv/bin/python benchmarks/bench_suggest_speed.py [--words N] [--processes P] [--dir DIR]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from gen_corpus import generate  # noqa: E402

from lfa_qual.codebook import load_codebook  # noqa: E402
from lfa_qual.nlp.pipeline import load_pipeline  # noqa: E402
from lfa_qual.nlp.run import suggest_files  # noqa: E402
from lfa_qual.nlp.units import paragraph_units  # noqa: E402
from lfa_qual.readers import read_transcript  # noqa: E402


def rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kB on Linux


def passages(paths: list[Path], counter: list[int]):
    for path in paths:
        t = read_transcript(path)
        for u in paragraph_units(t):
            text = t.text[u.start : u.end]
            counter[0] += len(text.split())
            yield text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument(
        "--dir", type=Path, help="use (or create) the corpus here instead of a temp dir"
    )
    args = ap.parse_args()
    codebook = load_codebook(ROOT / "codebooks" / "lfa.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or Path(tmp)
        paths = sorted(folder.glob("gen-*.md")) if args.dir else []
        if not paths:
            t0 = time.perf_counter()
            # About a tenth of the generated words are the interviewer's, which suggest skips:
            # generate more so that at least --words words are processed.
            paths = generate(folder, int(args.words * 1.12))
            print(f"generated {len(paths)} files in {time.perf_counter() - t0:.1f} s")
        nlp, info = load_pipeline(None)
        if info.fallback:
            # The raw baseline stays the full fallback pipeline of spaCy's own (with its lookup
            # lemmatizer), as in every figure before; lfa-qual's own fallback leaves the
            # lemmatizer out and reads lemmas from the prepared table instead.
            import spacy

            nlp = spacy.blank("da")
            nlp.add_pipe("sentencizer")
            nlp.add_pipe("lemmatizer", config={"mode": "lookup"}).initialize()
        print(
            f"pipeline: {info.label}; raw components {nlp.pipe_names}; processes {args.processes}"
        )

        counter = [0]
        t0 = time.perf_counter()
        n_docs = 0
        for _ in nlp.pipe(
            passages(paths, counter), batch_size=args.batch_size, n_process=args.processes
        ):
            n_docs += 1
        raw_s = time.perf_counter() - t0
        words = counter[0]
        raw_wps = words / raw_s
        print(
            f"raw nlp.pipe: {words:,} words in {n_docs:,} passages, {raw_s:.1f} s, {raw_wps:,.0f} words/s"
        )

        t0 = time.perf_counter()
        n_sugg = 0
        for _, found in suggest_files(paths, codebook, None, processes=args.processes):
            n_sugg += len(found)
        sug_s = time.perf_counter() - t0
        sug_wps = words / sug_s
        print(
            f"suggest:      {words:,} words, {n_sugg:,} suggestions, {sug_s:.1f} s, {sug_wps:,.0f} words/s"
        )
        print(f"ratio suggest/raw: {sug_wps / raw_wps:.2f} (target >= 0.7)")
        print(
            f"peak RSS: main process {rss_mb(resource.RUSAGE_SELF):.0f} MB, "
            f"largest worker {rss_mb(resource.RUSAGE_CHILDREN):.0f} MB (target < 1024 MB)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
