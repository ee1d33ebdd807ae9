"""Intercoder agreement speed: 2 coders × 100,000 codings each on the 200-transcript project of
`bench_export.py`.

Coder "a" has the 100,000 generated codings; coder "b" is "a" with 10 % of the spans shifted by
up to 40 characters, 10 % re-labelled, 5 % dropped and as many added elsewhere. Prints, from one
run, the time to read both coders' codings into DataFrames (the floor: the fastest of the floor
runs made before each measurement) and the time of `agreement` for each unit through the Python
API (a fresh Project each time, so reading the codings and the speech is included; the faster
of two runs) with its ratio to the floor. The issue's target: under 5× the floor.

    .venv/bin/python benchmarks/bench_agreement.py [--transcripts 200] [--codings 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from bench_export import CODES, ensure_generated, project_options

from lfa_qual.agreement import Comparison, compare
from lfa_qual.project import Project
from lfa_qual.store import new_guid


def second_coder(root: Path, seed: int = 12) -> None:
    """All generated codings become coder a's; coder b is a perturbed copy of them."""
    rng = random.Random(seed)
    with Project(root) as project:
        store = project.store
        rows = store.read("SELECT transcript_id, start, end, code_id, created FROM codings")
        lengths = {
            r[0]: len(r[1]) for r in store.read("SELECT id, text FROM transcripts ORDER BY id")
        }
        copies = []
        for tid, start, end, code, created in rows:
            r = rng.random()
            if r < 0.05:  # dropped; one added elsewhere in the same transcript instead
                start = rng.randrange(0, max(1, lengths[tid] - 400))
                end = start + rng.randint(30, 400)
            elif r < 0.15:
                start = max(0, start + rng.randint(-40, 40))
                end = max(start + 1, end + rng.randint(-40, 40))
            elif r < 0.25:
                code = rng.choice([c for c in CODES if c != code])
            copies.append((new_guid(), tid, start, min(end, lengths[tid]), code, "b", created))
        with store.transaction() as conn:
            conn.execute("UPDATE codings SET coder = 'a'")
            conn.executemany(
                "INSERT INTO codings(guid, transcript_id, start, end, code_id, coder, created,"
                " source) VALUES (?,?,?,?,?,?,?,'manual')",
                copies,
            )


def floor(root: Path) -> None:
    with Project(root) as project:
        for coder in ("a", "b"):
            pd.read_sql_query(
                "SELECT c.id, t.interview, c.start, c.end, c.code_id, c.coder FROM codings c"
                " JOIN transcripts t ON t.id = c.transcript_id WHERE c.coder = ?",
                project.store.conn,
                params=(coder,),
            )


def task(root: Path, unit: str, **kw) -> Callable[[], object]:
    def run() -> object:
        with Project(root) as project:
            return compare(project, Comparison(coders=("a", "b")), unit, **kw)

    return run


def timed(fn: Callable[[], object]) -> float:
    gc.collect()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    project_options(ap, 200, 100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "project"
        if ensure_generated(root, args):
            second_coder(root)
        with Project(root) as p:
            counts = dict(
                p.store.read("SELECT coder, count(*) FROM codings GROUP BY coder ORDER BY coder")
            )
        print(f"project: {args.transcripts} transcripts, codings per coder {counts}", flush=True)
        tasks = {
            "char": task(root, "char"),
            "paragraph": task(root, "paragraph"),
            "segment (90 %)": task(root, "segment"),
            "char, per interview": task(root, "char", per_interview=True),
            "paragraph, bootstrap 200": task(root, "paragraph", bootstrap=200),
        }
        floors, times = [], {}
        for name, fn in tasks.items():
            floors.append(timed(lambda: floor(root)))
            times[name] = min(timed(fn) for _ in range(2))
        floor_s = min(floors)
        print(f"{'floor: both coders into DataFrames':36} {floor_s:7.2f} s", flush=True)
        for name, seconds in times.items():
            print(f"{'agreement ' + name:36} {seconds:7.2f} s {seconds / floor_s:6.1f}×")
        rows = task(root, "char")()
        overall = [r for r in rows if r.code == "*"][0]
        print(f"\nchar, all codes: agreement {overall.agreement:.3f}, κ {overall.kappa:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
