"""Speed of the everyday-analysis features (issue 15) on a generated project (see
bench_export.py): the summary grid by school and by role group (with and without citations)
and its Word and Excel exports, the memo list (10 % of the codings with a memo), the passages
behind a frequency-table cell and a co-occurrence pair, and the role-group frequency table
next to the role one. Each figure is the faster of two runs in one process, with its ratio to
`codings_frame()` (all codings with text and citation) measured in the same run; the machine
is shared, so compare ratios rather than seconds.

    .venv/bin/python benchmarks/bench_analysis.py [--transcripts 50] [--codings 20000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_export import ensure_generated, project_options, timed  # noqa: E402

from lfa_qual.analysis import codings_frame, frequency_table  # noqa: E402
from lfa_qual.drill import cell_codings, pair_codings  # noqa: E402
from lfa_qual.export.grid import write_grid_docx, write_grid_xlsx  # noqa: E402
from lfa_qual.grid import build_grid, set_summary  # noqa: E402
from lfa_qual.memos import MemoFilter, list_memos  # noqa: E402
from lfa_qual.project import Project  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    project_options(ap, 50, 20_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "project"
        ensure_generated(root, args)
        out = Path(tmp)
        with Project(root) as p:
            with p.store.transaction() as conn:
                conn.execute("UPDATE codings SET memo = 'notat om ' || id WHERE id % 10 = 0")
            grid = build_grid(p)
            for row in grid.rows:
                for code in grid.codes[:3]:
                    set_summary(p, "school", row, code, f"Sammenfatning af {code}", "bench")
            n = p.store.read_one("SELECT count(*) FROM codings")[0]
            school, code = grid.rows[0], grid.codes[0]
            a, b = grid.codes[0], grid.codes[1]
            tasks = {
                "codings_frame()": lambda: codings_frame(p),
                "grid, schools": lambda: build_grid(p),
                "grid, role groups": lambda: build_grid(p, "role_group"),
                "grid, schools, citations": lambda: build_grid(p, citations=True),
                "export grid docx (citations)": lambda: write_grid_docx(
                    build_grid(p, citations=True), out / "g.docx"
                ),
                "export grid xlsx": lambda: write_grid_xlsx(build_grid(p), out / "g.xlsx"),
                "memo list, all": lambda: list_memos(p),
                "memo list, search": lambda: list_memos(p, MemoFilter(search="notat 1")),
                f"cell passages ({code} × {school})": lambda: cell_codings(
                    p, "code", code, "school", school
                ),
                f"pair passages ({a} × {b})": lambda: pair_codings(p, a, b),
                "frequencies code × role": lambda: frequency_table(p, "code", "role"),
                "frequencies code × role_group": lambda: frequency_table(p, "code", "role_group"),
            }
            print(f"project: {len(grid.rows)} schools, {n:,} codings", flush=True)
            times = {name: min(timed(fn) for _ in range(2)) for name, fn in tasks.items()}
        base = times["codings_frame()"]
        for name, seconds in times.items():
            print(f"{name:42} {seconds:7.2f} s {seconds / base:6.2f}× codings_frame()")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
