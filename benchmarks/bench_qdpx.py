"""REFI-QDA speed on the generated project of bench_export.py (200 transcripts, 100,000 codings).

Prints, from one run, the time of the quotes CSV export (`quotes_frame` + `write_csv`, a fresh
Project each time, as bench_export.py times it), of `export_qdpx` to a file, and of importing
that archive into a fresh project (`lfa-qual init` + `import --codebook replace`: parsing,
checking every selection, writing 200 transcript files, one transaction), each the faster of
two runs, with the ratio of the qdpx export to the CSV export (target: at most 2×).

    .venv/bin/python benchmarks/bench_qdpx.py [--transcripts 200] [--codings 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_export import ensure_generated, project_options, timed  # noqa: E402

from lfa_qual.analysis import quotes_frame  # noqa: E402
from lfa_qual.export.to_csv import write_csv  # noqa: E402
from lfa_qual.project import Project  # noqa: E402
from lfa_qual.refiqda.export import export_qdpx  # noqa: E402
from lfa_qual.refiqda.importer import import_qdpx  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    project_options(ap, 200, 100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "project"
        ensure_generated(root, args)
        with Project(root) as p:
            n = p.store.read_one("SELECT count(*) FROM codings")[0]
        print(f"project: {args.transcripts} transcripts, {n:,} codings", flush=True)
        archive = Path(tmp) / "projekt.qdpx"

        def csv() -> None:
            with Project(root) as p:
                write_csv(quotes_frame(p, by=["theme", "school"]), io.StringIO())

        def export() -> None:
            with Project(root) as p:
                export_qdpx(p, archive)

        def import_() -> None:
            target = Path(tmp) / "import"
            shutil.rmtree(target, ignore_errors=True)
            Project.init(target, coder="bench").close()
            with Project(target) as p:
                report = import_qdpx(p, archive, codebook_mode="replace")
            assert report.codings + report.duplicates == n, report.lines()

        times = {}
        for name, fn in (("quotes csv", csv), ("export qdpx", export), ("import qdpx", import_)):
            times[name] = min(timed(fn) for _ in range(2))
        size = archive.stat().st_size / 2**20
        for name, seconds in times.items():
            print(f"{name:14} {seconds:6.2f} s", flush=True)
        ratio = times["export qdpx"] / times["quotes csv"]
        print(f"export qdpx / quotes csv: {ratio:.2f}× (target ≤ 2×); archive {size:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
