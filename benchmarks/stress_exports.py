"""Stress rounds for exports (part of `benchmarks/stress.py`; prints figures, asserts nothing).

5. Export kills: an export overwrites an earlier export of ours and is killed with SIGKILL at a
   random moment. Afterwards the file must be either the earlier export, byte for byte, or the
   complete new one; never a truncated mix.
6. Full disk: the output folder is a small tmpfs (its own mount namespace, `unshare -rm`), or,
   where that cannot be mounted, the child's file size limit (RLIMIT_FSIZE, as `ulimit -f`)
   is set below the new export's size. The export must fail with exit 2 and "the disk is
   full" (or the size limit's message), the earlier export unchanged, no temporary file left.

    .venv/bin/python benchmarks/stress_exports.py [--kill-rounds 16] [--disk-rounds 8]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from lfa_qual import codings as ops
from lfa_qual.project import Project

REPO = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "import sys; from lfa_qual.cli import main; sys.exit(main())"]
FORMATS = ("md", "csv", "xlsx", "docx")
# The overwriting export differs from the earlier one (shorter quotes), so a mix would show.
SECOND = ["--max-words", "12"]


def coded_project(root: Path) -> Path:
    """All example transcripts, every paragraph coded (about 700 quotes): an export that
    takes long enough to be killed while it writes."""
    (root / "codebooks").mkdir(parents=True)
    shutil.copytree(REPO / "transcripts", root / "transcripts")
    shutil.copy(REPO / "codebooks" / "lfa.yaml", root / "codebooks" / "lfa.yaml")
    (root / "lfa-qual.yaml").write_text("coder: stress\n", encoding="utf-8")
    with Project(root) as project:
        project.sync()
        codes = [c.id for c in project.codebook().codes][:8]
        rows = project.store.read(
            "SELECT t.interview, p.start, p.end FROM paragraphs p"
            " JOIN transcripts t ON t.id = p.transcript_id ORDER BY t.interview, p.start"
        )
        with project.store.transaction():
            for i, r in enumerate(rows):
                ops.add_coding(project.store, r[0], r[1], r[2], codes[i % len(codes)], "stress")
    return root


def sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def complete(path: Path, fmt: str, reference: str | None) -> bool:
    """The file is a whole export: the reference bytes (text formats, which are
    deterministic), or a zip archive that reads back without error (xlsx, docx, which carry
    a time stamp)."""
    if fmt in ("md", "csv"):
        return sha(path) == reference
    try:
        with zipfile.ZipFile(path) as z:
            return z.testzip() is None
    except (OSError, zipfile.BadZipFile):
        return False


def export(root: Path, out: Path, *extra: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, "export", "quotes", "--out", str(out), *extra],
        cwd=root,
        capture_output=True,
        text=True,
        **kw,
    )


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and p.suffix == ".tmp"]


# -- 5. export kills -----------------------------------------------------------------------------
def export_kills(base: Path, root: Path, rounds: int, rng: random.Random) -> None:
    out_dir = base / "kill-out"
    out_dir.mkdir()
    durations, references = {}, {}
    for fmt in FORMATS:  # how long an overwrite takes, and what it writes
        ref = out_dir / f"ref.{fmt}"
        t0 = time.perf_counter()
        export(root, ref, *SECOND, check=True)
        durations[fmt] = time.perf_counter() - t0
        references[fmt] = sha(ref)
        ref.unlink()
    intact = new_complete = broken = mid_write = 0
    t0 = time.perf_counter()
    for n in range(rounds):
        fmt = FORMATS[n % len(FORMATS)]
        out = out_dir / f"q.{fmt}"
        out.unlink(missing_ok=True)
        export(root, out, check=True)
        before = sha(out)
        child = subprocess.Popen(
            [*CLI, "export", "quotes", "--out", str(out), *SECOND],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if n % 2:
            # Every second round is aimed at the write itself: killed a moment after the
            # temporary file appears (the write is a small part of an export's time).
            deadline = time.perf_counter() + 2 * durations[fmt]
            while not temporaries(out_dir) and time.perf_counter() < deadline:
                time.sleep(0.0005)
            time.sleep(rng.uniform(0, 0.03))
        else:
            time.sleep(durations[fmt] * rng.uniform(0.3, 1.05))
        child.send_signal(signal.SIGKILL)
        child.wait()
        left = temporaries(out_dir)
        mid_write += bool(left)
        for tmp in left:  # what a killed export leaves: a hidden temporary file
            tmp.unlink()
        if sha(out) == before:
            intact += 1
        elif complete(out, fmt, references[fmt]):
            new_complete += 1
        else:
            broken += 1
    print("5. Export kills (SIGKILL while an export overwrites an earlier one)")
    print(f"   rounds                    {rounds} ({', '.join(FORMATS)})")
    print(f"   killed while writing      {mid_write} (a hidden .NAME.*.tmp file was left)")
    print(f"   previous file intact      {intact} of {intact + broken} killed before the rename")
    print(f"   new file complete         {new_complete} (killed after the rename)")
    print(f"   truncated or mixed        {broken}")
    print(f"   time                      {time.perf_counter() - t0:.1f} s")


# -- 6. full disk --------------------------------------------------------------------------------
def tmpfs_available() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"]
    return subprocess.run(probe, capture_output=True).returncode == 0


DISK_CHILD = r"""
import os, subprocess, sys
folder, root, free, fmt = sys.argv[1:5]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", folder], check=True)
out = os.path.join(folder, "q." + fmt)
cli = "import sys; from lfa_qual.cli import main; sys.exit(main())"
subprocess.run([sys.executable, "-c", cli, "export", "quotes", "--out", out], cwd=root,
               check=True, capture_output=True)
previous = open(out, "rb").read()
st = os.statvfs(folder)
fill = st.f_bavail * st.f_frsize - int(free)
with open(os.path.join(folder, "filler"), "wb") as f:
    try:
        f.write(bytes(max(fill, 0)))
    except OSError:
        pass
proc = subprocess.run([sys.executable, "-c", cli, "export", "quotes", "--out", out,
                       "--max-words", "12"], cwd=root, capture_output=True, text=True)
print(proc.returncode)
print(proc.stderr.strip().replace("\n", " | "))
print(open(out, "rb").read() == previous)
print(" ".join(sorted(os.listdir(folder))))
"""


def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def full_disk(base: Path, root: Path, rounds: int, rng: random.Random, tmpfs: bool = True) -> None:
    out_dir = base / "disk-out"
    out_dir.mkdir()
    use_tmpfs = tmpfs and tmpfs_available()
    sizes = {}
    for fmt in FORMATS:
        ref = out_dir / f"ref.{fmt}"
        export(root, ref, *SECOND, check=True)
        sizes[fmt] = ref.stat().st_size
        ref.unlink()
    intact = clean = leftovers = 0
    messages: dict[str, int] = {}
    t0 = time.perf_counter()
    for n in range(rounds):
        fmt = FORMATS[n % len(FORMATS)]
        room = rng.randint(1024, sizes[fmt] - 1)  # less than the new export needs
        if use_tmpfs:
            folder = out_dir / f"disk{n}"
            folder.mkdir()
            proc = subprocess.run(
                ["unshare", "-rm", sys.executable, "-c", DISK_CHILD, str(folder), str(root)]
                + [str(room), fmt],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
            )
            status, err, same, listing = (proc.stdout.splitlines() + ["", "", "", ""])[:4]
            ok_status, ok_same = status == "2", same == "True"
            left = [x for x in listing.split() if x.endswith(".tmp")]
        else:
            out = out_dir / f"q.{fmt}"
            out.unlink(missing_ok=True)
            export(root, out, check=True)
            before = sha(out)
            # The limit counts from the start of a file: the new export may not exceed `room`.
            proc = subprocess.run(
                [*CLI, "export", "quotes", "--out", str(out), *SECOND],
                cwd=root,
                capture_output=True,
                text=True,
                preexec_fn=_limit_file_size(room),
            )
            ok_status, ok_same = proc.returncode == 2, sha(out) == before
            err = proc.stderr.strip()
            left = temporaries(out_dir)
        intact += ok_same
        clean += ok_status and "Traceback" not in err
        leftovers += bool(left)
        key = err.split(": ", 3)[-1][:70] if err else "(no message)"
        messages[key] = messages.get(key, 0) + 1
    how = "tmpfs with too little room" if use_tmpfs else "RLIMIT_FSIZE below the export's size"
    print(f"6. Full disk ({how})")
    print(f"   rounds                    {rounds} ({', '.join(FORMATS)})")
    print(f"   exit 2 with a message     {clean} of {rounds}")
    print(f"   previous file intact      {intact} of {rounds}")
    print(f"   temporary files left      {leftovers}")
    for text, count in sorted(messages.items()):
        print(f"   message ({count}x)             {text}…")
    print(f"   time                      {time.perf_counter() - t0:.1f} s")


def run(
    base: Path, kill_rounds: int, disk_rounds: int, rng: random.Random, tmpfs: bool = True
) -> None:
    root = coded_project(base / "exports")
    export_kills(base, root, kill_rounds, rng)
    full_disk(base, root, disk_rounds, rng, tmpfs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kill-rounds", type=int, default=16)
    parser.add_argument("--disk-rounds", type=int, default=8)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--no-tmpfs",
        action="store_true",
        help="full disk by RLIMIT_FSIZE even where a tmpfs mounts",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rng = random.Random(args.seed)
        run(Path(tmp), args.kill_rounds, args.disk_rounds, rng, not args.no_tmpfs)


if __name__ == "__main__":
    main()
