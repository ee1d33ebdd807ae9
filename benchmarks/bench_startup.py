"""Whole-process start-up of the commands a user types most, next to their targets.

Runs each command as its own process (`python -m lfa_qual ...`) in a fresh copy of the example
project (the repository's transcripts/, codebooks/ and lfa-qual.yaml), after one warm-up run
(which creates the store and, for `suggest`, the prepared lemma table in a cache folder of its
own), and prints the median and the spread of the timed runs, and the median CPU time (user + system) of
the process, which other load on a shared machine changes much less than the wall time. Compare
the figures of one run with each other, not with another day's.

`suggest` is timed twice: on a transcript whose words are in the token cache (suggested before)
and on a transcript never seen (the token cache emptied before each run: the text is tokenised
by the rules the warm-up read from spaCy, `lfa_qual/nlp/rule_tokenizer.py`). Neither imports
spaCy; the warm-up, the first run ever, does.

Python's bytecode of lfa-qual's modules is cached as in a user's shell (the warm-up writes it
to `__pycache__/`, as a first run after `make run` does). Some environments, this workplace's
among them, set PYTHONDONTWRITEBYTECODE=1, and then every run compiles lfa-qual's sources again
(about 0.05–0.1 s of each command): `--no-bytecode-cache` times that.

    .venv/bin/python benchmarks/bench_startup.py [--runs 7] [--file transcripts/skole1-elev1.md]
        [--no-bytecode-cache]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NON_NLP_TARGET = 0.4
SUGGEST_TARGET, SUGGEST_GOAL = 1.0, 0.6


CPU: list[float] = []  # CPU seconds of each timed child, in order


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "lfa_qual", *argv],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"lfa-qual {' '.join(argv)} failed: {done.stderr.strip()}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--file", default="transcripts/skole1-elev1.md")
    ap.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="run the commands with PYTHONDONTWRITEBYTECODE=1 (sources compiled on every run)",
    )
    args = ap.parse_args()
    commands = [
        (["--version"], NON_NLP_TARGET, None),
        (["--help"], NON_NLP_TARGET, None),
        (["transcripts"], NON_NLP_TARGET, None),
        (["codings"], NON_NLP_TARGET, None),
        (["suggest", "--format", "jsonl", args.file], SUGGEST_TARGET, SUGGEST_GOAL),
        (["suggest", "--format", "jsonl", args.file], SUGGEST_TARGET, SUGGEST_GOAL),
    ]
    seen = {0: "", 1: "", 2: "", 3: "", 4: " (seen)", 5: " (new)"}
    with tempfile.TemporaryDirectory(prefix="lfa-startup-") as tmp:
        root = Path(tmp)
        for name in ("transcripts", "codebooks"):
            shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "lfa-qual.yaml", root / "lfa-qual.yaml")
        cache = root / "cache"
        # A copy of the package without __pycache__/, so that each mode starts from sources.
        code = root / "code"
        shutil.copytree(
            REPO / "lfa_qual", code / "lfa_qual", ignore=shutil.ignore_patterns("__pycache__")
        )
        env = {**os.environ, "PYTHONPATH": str(code), "LFA_QUAL_CACHE_DIR": str(cache)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if args.no_bytecode_cache:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        print(
            "bytecode: "
            + ("compiled on every run" if args.no_bytecode_cache else "cached (a user's shell)")
        )
        print(f"{'command':<52} {'median':>8} {'min':>7} {'max':>7} {'CPU':>7}  target")
        for n, (argv, target, goal) in enumerate(commands):
            timed(argv, root, env)  # warm-up: store, lemma cache, file system cache
            times = []
            for _ in range(args.runs):
                if seen[n] == " (new)":
                    shutil.rmtree(cache / "tokens", ignore_errors=True)
                times.append(timed(argv, root, env))
            cpu = statistics.median(CPU[-args.runs :])
            med = statistics.median(times)
            verdict = "ok" if med <= target else "OVER"
            aim = f" (goal {goal:.1f} s)" if goal else ""
            label = "lfa-qual " + " ".join(argv) + seen[n]
            print(
                f"{label:<52} {med:7.2f}s {min(times):6.2f}s {max(times):6.2f}s {cpu:6.2f}s"
                f"  ≤ {target:.1f} s{aim}: {verdict}"
            )
    for name, code in (("bare Python", "pass"), ("`import spacy`", "import spacy")):
        wall, cpu = timed_python(["-c", code])
        print(f"(reference: {name} {wall:.2f} s, CPU {cpu:.2f} s)")


def timed_python(argv: list[str], runs: int = 5) -> tuple[float, float]:
    times, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, *argv], check=True)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times), statistics.median(cpus)


if __name__ == "__main__":
    main()
