"""Export speed on a generated project: 200 transcripts, 100,000 codings.

Codings fall on random passages within paragraphs, 30–400 characters long; 90 % of them start
and end at word boundaries (as a selection of words does), the rest start or end inside a word.

Prints, from one run, the time to read all codings into a DataFrame straight from SQLite (the
floor: the fastest of the floor runs made before each export), then the time of each export
through the Python API (a fresh Project each time, so loading transcripts is included; the
faster of two runs) and its ratio to the floor and to `codings_frame()` (all codings through the
API, with text and citation), then the peak memory of each (tracemalloc, in a separate pass so
that tracing does not distort the times).

    .venv/bin/python benchmarks/bench_export.py [--transcripts 200] [--codings 100000] [--keep DIR]
        [--no-memory] [--no-writers]

With 5,000 codings or fewer (a report-sized project: `--transcripts 16 --codings 5000`) each
export is held to the target of one second. Then our XLSX writer is timed against openpyxl
(write-only) and XlsxWriter (constant memory) writing the same cells themselves.
"""

from __future__ import annotations

import argparse
import gc
import io
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from lfa_qual.analysis import codings_frame, cooccurrence, frequency_table, quotes_frame
from lfa_qual.codebook import load_codebook
from lfa_qual.export.figures import write_figures
from lfa_qual.export.to_csv import write_csv
from lfa_qual.export.to_docx import write_docx
from lfa_qual.export.to_json import write_json
from lfa_qual.export.to_md import write_md
from lfa_qual.export.to_xlsx import write_xlsx
from lfa_qual.project import Project
from lfa_qual.store import new_guid, now

WORDS = [
    "altså",
    "vi",
    "har",
    "jo",
    "arbejdet",
    "med",
    "PIT",
    "og",
    "sparring",
    "i",
    "teamene",
    "og",
    "det",
    "er",
    "ikke",
    "altid",
    "let",
    "at",
    "finde",
    "tiden",
    "men",
    "læringsmiljøet",
    "i",
    "klassen",
    "betyder",
    "meget",
    "for",
    "eleverne",
    "og",
    "forældrene",
    "skal",
    "have",
    "en",
    "kontaktperson",
    "hvis",
    "der",
    "er",
    "noget",
    "så",
    "tager",
    "vi",
    "en",
    "snak",
    "med",
    "lederen",
    "om",
    "indsatser",
    "på",
    "niveau",
    "to",
    "holdet",
    "i",
    "båndet",
    "fungerer",
    "godt",
    "synes",
    "jeg",
    "fordi",
    "der",
    "er",
    "ro",
    "og",
    "børnene",
    "trives",
    "bedre",
    "nu",
    "øh",
    "ja",
]
ROLES = ["Skoleleder", "Skolemedarbejder", "PIT-medarbejder", "Forælder 1", "Elev 2"]
KINDS = ["individuelt interview", "gruppeinterview", "elevinterview", "forældreinterview"]
CODEBOOK = Path(__file__).resolve().parents[1] / "codebooks" / "lfa.yaml"
CODES = [code.id for code in load_codebook(CODEBOOK).codes]


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 18))
    return words[0].capitalize() + " " + " ".join(words[1:]) + rng.choice([".", ".", "?"])


def transcript_text(rng: random.Random, n: int) -> str:
    speakers = {"I": "{role: Interviewer, interviewer: true}"}
    for i, role in enumerate(rng.sample(ROLES, 3)):
        speakers[f"S{i}"] = f"{{role: {role}}}"
    head = [
        "---",
        f"interview: gen-{n:03d}",
        f"school: Skole {n % 3 + 1}",
        f"date: 2021-{n % 12 + 1:02d}",
        f"kind: {KINDS[n % len(KINDS)]}",
        "speakers:",
        *[f"  {label}: {spec}" for label, spec in speakers.items()],
        "---",
    ]
    body, page = [], 1
    for turn in range(60):
        if turn % 8 == 0:
            body.append(f"[side {page}]")
            page += 1
        if turn % 2 == 0:
            body.append(f"I: {sentence(rng)}\n")
            continue
        label = rng.choice([k for k in speakers if k != "I"])
        paragraphs = [
            " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
            for _ in range(rng.randint(1, 3))
        ]
        body.append(f"{label}: " + "\n\n".join(paragraphs) + "\n")
    return "\n".join(head) + "\n" + "\n".join(body)


def generate(root: Path, transcripts: int, codings: int, seed: int = 5) -> Project:
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    Project.init(root, coder="bench").close()
    codebook = CODEBOOK
    (root / "codebooks" / "lfa.yaml").write_text(codebook.read_text("utf-8"), "utf-8")
    for n in range(transcripts):
        (root / "transcripts" / f"gen-{n:03d}.md").write_text(transcript_text(rng, n), "utf-8")
    project = Project(root)
    project.sync()
    rows = []
    ids = project.store.read("SELECT id, interview FROM transcripts ORDER BY id")
    per = codings // len(ids)
    for k, row in enumerate(ids):
        t = project.transcript(row["interview"])
        paras = [p for turn in t.turns for p in turn.paragraphs]
        count = per + (1 if k < codings - per * len(ids) else 0)
        for _ in range(count):
            p = rng.choice(paras)
            a = rng.randint(p.start, max(p.start, p.end - 40))
            b = min(p.end, a + rng.randint(30, 400))
            if rng.random() < 0.9:  # most selections are whole words; the rest cut a word
                a = max(t.text.rfind(" ", p.start, a) + 1, p.start)
                space = t.text.find(" ", b, p.end)
                b = p.end if space < 0 else space
            rows.append(
                (new_guid(), row["id"], a, b, rng.choice(CODES), rng.choice(["a", "b", "c"]))
            )
    with project.store.transaction() as conn:
        conn.executemany(
            "INSERT INTO codings(guid, transcript_id, start, end, code_id, coder, created, source)"
            f" VALUES (?,?,?,?,?,?,'{now()}','manual')",
            rows,
        )
    project.close()
    return Project(root)


def floor(root: Path) -> None:
    with Project(root) as project:
        pd.read_sql_query(
            "SELECT c.id, c.guid, t.interview, t.school, c.start, c.end, c.code_id, c.coder,"
            " c.source, c.created, c.memo FROM codings c JOIN transcripts t"
            " ON t.id = c.transcript_id",
            project.store.conn,
        )


def tasks(root: Path, out: Path) -> dict[str, Callable[[], object]]:
    keys = ["theme", "school"]

    def quotes(project: Project):
        return quotes_frame(project, by=keys)

    def with_project(fn: Callable[[Project], object]) -> Callable[[], object]:
        def run() -> object:
            with Project(root) as project:
                return fn(project)

        return run

    return {
        "codings_frame()": with_project(codings_frame),
        "quotes_frame()": with_project(quotes),
        "quotes md": with_project(lambda p: write_md(quotes(p), keys, io.StringIO())),
        "quotes md --max-words 40": with_project(
            lambda p: write_md(quotes_frame(p, by=keys, max_words=40), keys, io.StringIO())
        ),
        "quotes csv": with_project(lambda p: write_csv(quotes(p), io.StringIO())),
        "quotes json": with_project(lambda p: write_json(quotes(p), io.StringIO())),
        "quotes docx": with_project(lambda p: write_docx(quotes(p), keys, out / "q.docx")),
        "quotes xlsx": with_project(lambda p: write_xlsx(quotes(p), out / "q.xlsx")),
        "frequencies codings": with_project(lambda p: frequency_table(p)),
        "frequencies passages": with_project(lambda p: frequency_table(p, count="passages")),
        "frequencies interviews %": with_project(
            lambda p: frequency_table(p, count="interviews", percent=True)
        ),
        "frequencies words % (coverage)": with_project(
            lambda p: frequency_table(p, count="words", percent=True)
        ),
        "co-occurrence (turn)": with_project(lambda p: cooccurrence(p)),
        "co-occurrence (overlap)": with_project(lambda p: cooccurrence(p, "overlap")),
        "figures (png+svg)": with_project(lambda p: write_figures(p, out / "fig")),
    }


def writers(root: Path, out: Path, rounds: int = 3) -> None:
    """XLSX: our write_xlsx against the writers' own time on the same cells (the quotes
    frame's values, the text column wrapped, a bold header): openpyxl in write-only mode and
    XlsxWriter in constant-memory mode, interleaved, the fastest of `rounds` runs each."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    with Project(root) as project:
        frame = quotes_frame(project, by=["theme", "school"])
    columns = [str(c) for c in frame.columns]
    rows = [
        [None if isinstance(v, float) and v != v else v for v in row]
        for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False)
    ]
    text = columns.index("text")

    def openpyxl_raw() -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Citater")
        wrap, bold = Alignment(wrap_text=True, vertical="top"), Font(bold=True)
        header = []
        for name in columns:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in rows:
            row = list(row)
            cell = WriteOnlyCell(ws, value=row[text])
            cell.data_type, cell.alignment = "s", wrap
            row[text] = cell
            ws.append(row)
        wb.save(out / "raw-openpyxl.xlsx")

    def xlsxwriter_raw() -> None:
        import xlsxwriter

        options = {"constant_memory": True, "strings_to_formulas": False}
        options.update(strings_to_numbers=False, strings_to_urls=False)
        wb = xlsxwriter.Workbook(str(out / "raw-xlsxwriter.xlsx"), options)
        ws = wb.add_worksheet("Citater")
        wrap, bold = (
            wb.add_format({"text_wrap": True, "valign": "top"}),
            wb.add_format({"bold": True}),
        )
        ws.write_row(0, 0, columns, bold)
        for i, row in enumerate(rows, start=1):
            for j, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(i, j, v, wrap if j == text else None)
                else:
                    ws.write_number(i, j, v)
        wb.close()

    def ours() -> None:
        write_xlsx(frame, out / "ours.xlsx")

    runs = {"openpyxl write-only": openpyxl_raw, "XlsxWriter constant_memory": xlsxwriter_raw}
    runs["write_xlsx (ours, XlsxWriter)"] = ours
    # CPU time of this process (the writers are single-threaded): on a shared machine the wall
    # time of one run here varied by 2× and more with the other load, the CPU time far less.
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, fn in runs.items():
            gc.collect()
            start = time.process_time()
            fn()
            best[name] = min(best[name], time.process_time() - start)
    fastest = min(v for k, v in best.items() if not k.startswith("write_xlsx"))
    print(
        f"\nXLSX writers on the same {len(rows):,} rows × {len(columns)} columns (CPU time)",
        flush=True,
    )
    for name, seconds in best.items():
        print(f"{name:34} {seconds:7.2f} s {seconds / fastest:6.2f}× fastest writer", flush=True)
    ok = best["write_xlsx (ours, XlsxWriter)"] <= 1.2 * fastest
    print(f"target: ours ≤ 1.2× the fastest writer's own time: {'ok' if ok else 'OVER'}")


def project_options(ap: argparse.ArgumentParser, transcripts: int, codings: int) -> None:
    """The options of every benchmark on a generated project: its size, and a folder to keep."""
    ap.add_argument("--transcripts", type=int, default=transcripts)
    ap.add_argument("--codings", type=int, default=codings)
    ap.add_argument("--keep", type=Path, help="generate into (or reuse) this folder")


def ensure_generated(root: Path, args: argparse.Namespace) -> bool:
    """Generate the project into `root` unless a kept one is there; True when generated."""
    if (root / "lfa-qual.db").exists():
        return False
    generate(root, args.transcripts, args.codings).close()
    return True


def timed(fn: Callable[[], object]) -> float:
    gc.collect()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def peak_mb(fn: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    project_options(ap, 200, 100_000)
    ap.add_argument("--no-memory", action="store_true", help="skip the memory pass")
    ap.add_argument("--no-writers", action="store_true", help="skip the XLSX writer comparison")
    args = ap.parse_args()
    # The target of a report-sized project (issue 14): every export within a second.
    target = 1.0 if args.codings <= 5_000 else None
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "project"
        t0 = time.perf_counter()
        ensure_generated(root, args)
        with Project(root) as p:
            n = p.store.read_one("SELECT count(*) FROM codings")[0]
            m = p.store.read_one("SELECT count(*), sum(words) FROM transcripts")
        print(f"project: {m[0]} transcripts, {m[1]:,} words, {n:,} codings", flush=True)
        print(f"generated/opened in {time.perf_counter() - t0:.1f} s\n", flush=True)
        out = Path(tmp)
        # The machine is shared: the floor is measured again before every export and the
        # fastest of all floor runs is used; each export is the faster of two runs.
        floors, times = [], {}
        for name, fn in tasks(root, out).items():
            floors.append(timed(lambda: floor(root)))
            times[name] = min(timed(fn) for _ in range(2))
            print(f"  {name}: {times[name]:.2f} s", file=sys.stderr, flush=True)
        floor_s = min(floors)
        api_s = times["codings_frame()"]
        # Two readings of "all codings in a DataFrame": the bare rows straight from SQLite, and
        # the API's codings_frame() (with text and citation), which an analyst would call.
        print(f"{'floor: codings into a DataFrame':34} {floor_s:7.2f} s", flush=True)
        print(f"{'':34} {'':9} {'× floor':>7} {'× codings_frame()':>18}", flush=True)
        for name, seconds in times.items():
            verdict = ""
            if target is not None:
                verdict = f"  ≤ {target:.0f} s: {'ok' if seconds <= target else 'OVER'}"
            print(
                f"{name:34} {seconds:7.2f} s {seconds / floor_s:6.1f}× {seconds / api_s:17.1f}×"
                + verdict,
                flush=True,
            )
        if not args.no_writers:
            writers(root, out)
        if not args.no_memory:
            print("\npeak memory (tracemalloc, second pass)", flush=True)
            for name, fn in tasks(root, out).items():
                print(f"{name:34} {peak_mb(fn):7.0f} MB", flush=True)
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{'process peak RSS (whole run)':34} {peak_rss:7.0f} MB", flush=True)
        sizes = {p.name: p.stat().st_size for p in out.glob("q.*")}
        print(
            "\nfile sizes: " + ", ".join(f"{k} {v / 2**20:.1f} MB" for k, v in sizes.items()),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
