"""What the input hardening of issue 18 costs and saves, from one run on generated files.

1. A .docx "zip bomb" (about 60 MB of XML in a few hundred KB) is refused: time and memory.
2. A large valid .docx just under the XML cap (about 42 MB of XML): time and memory to read it.
3. Decoding a 20 MB text file: all UTF-8 (the fast path, unchanged) versus one latin-1 line in
   it (decoded line by line).
4. The CSV formula rule on a quotes-like table of 100,000 rows: `to_csv` with and without
   `safe_frame`, as a ratio, when 1 % and when half of the rows start like a formula.

Figures come from a shared 2-core machine and are noisy; compare the ratios within one run.

    .venv/bin/python benchmarks/bench_hostile_input.py
"""

from __future__ import annotations

import io
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

CHILD = """
import sys, time
from lfa_qual.errors import LfaError
from lfa_qual.readers import read_transcript
t = time.perf_counter()
try:
    words = read_transcript(sys.argv[1]).words
    result = f"read, {words:,} words"
except LfaError as exc:
    result = "refused: " + exc.message[:60] + "…"
took = time.perf_counter() - t
# VmHWM, not ru_maxrss: the latter is inherited from the parent across fork and exec.
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
peak = int(hwm.split()[1]) / 1024
print(f"{took:.2f} s, peak {peak:.0f} MB, {result}")
"""


def docx_with(paragraphs: list[str], repeat: int, path: Path) -> int:
    """A .docx from python-docx's template whose body is `paragraphs` then the last one repeated;
    returns the size of its document.xml."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(buffer)
    document = source.read("word/document.xml").decode("utf-8")
    start = document.index("<w:body>") + len("<w:body>")
    para = '<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>'
    body = "".join(para.format(p) for p in paragraphs[:-1]) + para.format(paragraphs[-1]) * repeat
    xml = (document[:start] + body + "</w:body></w:document>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = xml if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info, part)
    return len(xml)


def read_in_child(path: Path) -> str:
    """Read in a fresh interpreter, so that peak memory is the reader's own."""
    run = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
    )
    return run.stdout.strip()


def main() -> None:
    from lfa_qual.text import decode_bytes

    header = ["---", "school: Skole 1", "date: 2021-06", "speakers:", "  E1: {role: Elev 1}", "---"]
    line = "E1: jeg læser langsomt og det er svært at følge med i timerne. " * 3
    print(f"lfa-qual hostile input benchmark (peak memory of this process so far: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        bomb = Path(tmp) / "bombe.docx"
        xml = docx_with([*header, "E1: ja"], 1_000_000, bomb)  # a million short paragraphs
        print(f"1. zip bomb: {bomb.stat().st_size / 1e3:.0f} KB file, {xml / 1e6:.0f} MB XML")
        print(f"   {read_in_child(bomb)}")
        big = Path(tmp) / "stor.docx"
        xml = docx_with([*header, line], 150_000, big)
        print(f"2. large valid .docx: {big.stat().st_size / 1e3:.0f} KB, {xml / 1e6:.0f} MB XML")
        print(f"   {read_in_child(big)}")

    text = ("\n".join(header) + "\n" + (line + "\n\n") * 100_000).encode("utf-8")
    mixed = text + "E1: Især når vi får æbler.\n".encode("cp1252")
    times = {}
    for name, data in (("all UTF-8", text), ("one latin-1 line", mixed)):
        t = time.perf_counter()
        decode_bytes(data, "x.md")
        times[name] = time.perf_counter() - t
    print(f"3. decoding {len(text) / 1e6:.0f} MB: all UTF-8 {times['all UTF-8'] * 1e3:.0f} ms, "
          f"with one latin-1 line {times['one latin-1 line'] * 1e3:.0f} ms "
          f"({times['one latin-1 line'] / times['all UTF-8']:.1f}x)")  # fmt: skip

    import pandas as pd

    from lfa_qual.export.cells import safe_frame

    n = 100_000
    for every, case in ((100, "1 % of rows formula-like"), (2, "half the rows formula-like")):
        frame = pd.DataFrame(
            {
                "school": ["Skole 1"] * n,
                "role": ["=HYPERLINK(1)" if i % every == 0 else "Elev 1" for i in range(n)],
                "text": ["-" + line if i % every == 0 else line for i in range(n)],
                "memo": ["@note" if i % every == 0 else "" for i in range(n)],
                "words": list(range(n)),
            }
        )
        out: dict[str, float] = {}
        for name, prepare in (("plain", lambda f: f), ("safe", safe_frame)):
            best = float("inf")
            for _ in range(3):
                t = time.perf_counter()
                prepare(frame).to_csv(io.StringIO(), index=False)
                best = min(best, time.perf_counter() - t)
            out[name] = best
        print(f"4. CSV of {n:,} rows, {case}: to_csv {out['plain'] * 1e3:.0f} ms, with "
              f"safe_frame {out['safe'] * 1e3:.0f} ms ({out['safe'] / out['plain']:.2f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
