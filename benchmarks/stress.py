"""Stress test of lfa-qual's reliability; prints figures (it asserts nothing).

1. Crash rounds: a child process codes in a loop through `Project.code` and prints each coding
   only after the call returned; it is killed with SIGKILL at a random moment. Reports rounds
   killed, codings acknowledged, acknowledged codings found in the store (must be equal), and
   codings committed but killed before they were acknowledged.
2. Concurrency: two writer processes code at the same time; rows expected versus found.
3. Re-anchoring on a generated edit set: the example transcripts are coded at random passages,
   then edited at random (sentence inserted before a passage, a typo fixed elsewhere, a word
   inserted inside a passage, a coded paragraph deleted, two turns swapped, a turn's speaker
   label changed) and re-imported. Every coding is checked against the truth of the edit.
4. A large transcript: alignment and anchoring time.
5./6. Export kills and full-disk exports (`benchmarks/stress_exports.py`): the earlier export
   must be intact after every failed or killed overwrite.

    .venv/bin/python benchmarks/stress.py [--rounds 20] [--trials 8] [--seed 6]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from lfa_qual.project import Project
from lfa_qual.reanchor import Alignment, anchor_span
from lfa_qual.transcript import parse_markdown

REPO = Path(__file__).resolve().parent.parent

# The same child processes the tests run: a coder killed at random moments, and two writers.
sys.path.insert(0, str(REPO / "tests"))
import stress_exports  # noqa: E402  (beside this file)
from test_concurrency import release, start_writers  # noqa: E402
from test_crash import CHILD  # noqa: E402


def make_project(root: Path, names: list[str]) -> Path:
    (root / "transcripts").mkdir(parents=True)
    (root / "codebooks").mkdir()
    shutil.copy(REPO / "codebooks" / "lfa.yaml", root / "codebooks" / "lfa.yaml")
    for name in names:
        shutil.copy(REPO / "transcripts" / f"{name}.md", root / "transcripts")
    (root / "lfa-qual.yaml").write_text("coder: stress\n", encoding="utf-8")
    with Project(root) as project:
        project.sync()
    return root


# -- 1. crash rounds -------------------------------------------------------------------------
def crash_rounds(base: Path, rounds: int, rng: random.Random) -> None:
    root = make_project(base / "crash", ["skole1-elev1", "skole3-skoleleder"])
    acknowledged: list[str] = []
    killed = 0
    t0 = time.perf_counter()
    for round_no in range(rounds):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(root), str(round_no)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        if round_no % 5 != 4:  # every fifth round is killed during start-up
            child.stdout.readline()
        time.sleep(rng.uniform(0.02, 0.8))
        child.send_signal(signal.SIGKILL)
        child.wait()
        out = child.stdout.read()  # not communicate(): it would miss what readline buffered
        child.stdout.close()
        child.stderr.close()
        killed += child.returncode == -signal.SIGKILL
        acknowledged += [x for x in out.split("\n")[:-1] if x and x != "ready"]
    with Project(root) as project:
        found = {r[0] for r in project.store.read("SELECT guid FROM codings")}
        ok = project.store.integrity_ok()
        project.sync()
    acked = set(acknowledged)
    print("1. Crash rounds (SIGKILL at random moments)")
    print(f"   rounds killed             {killed} of {rounds}")
    print(f"   codings acknowledged      {len(acked)}")
    print(f"   acknowledged and found    {len(acked & found)}")
    print(f"   acknowledged but missing  {len(acked - found)}")
    print(f"   committed, not yet acked  {len(found - acked)}")
    print(f"   integrity_check           {'ok' if ok else 'FAILED'}; project opens: yes")
    print(f"   time                      {time.perf_counter() - t0:.1f} s")


# -- 2. concurrency --------------------------------------------------------------------------
def concurrency(base: Path, n: int) -> None:
    root = make_project(base / "conc", ["skole1-elev1"])
    procs = start_writers(root, n)
    t0 = time.perf_counter()
    release(procs)
    failures = 0
    for p in procs:
        _, err = p.communicate()
        failures += p.returncode != 0
    elapsed = time.perf_counter() - t0
    with Project(root) as project:
        found = project.store.read_one("SELECT count(*) AS n FROM codings")["n"]
    print("2. Two writers at once")
    print(f"   rows expected / found     {2 * n} / {found}  (writers failed: {failures})")
    print(f"   time                      {elapsed:.2f} s, {2 * n / elapsed:.0f} codings/s")


# -- 3. re-anchoring -------------------------------------------------------------------------
EDITS = (
    "insert_before",
    "typo_elsewhere",
    "insert_inside",
    "delete_paragraph",
    "swap_turns",
    "relabel",
)


@dataclass
class Tally:
    codings: int = 0
    untouched_right: int = 0  # unchanged passage, landed on the same words, status ok
    needless_review: int = 0  # unchanged passage, right words, but marked for review
    touched_flagged: int = 0  # edited/deleted/relabelled passage marked "needs review"
    silent_shift: int = 0  # status ok but the text under the coding differs (must be 0)
    dropped: int = 0  # (must be 0)
    by_edit: dict[str, int] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _edit_once(text: str, rng: random.Random, coded: list[tuple[int, int]], kinds: list[str]):
    """Apply up to three random edits in distinct turns; return new text and touched spans."""
    t = parse_markdown(text, "x.md")
    turns = [u for u in t.turns if u.paragraphs]
    rng.shuffle(turns)
    used: set[int] = set()
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in old coordinates
    touched: set[tuple[int, int]] = set()
    others = [lab for lab, s in t.speakers.items() if not s.interviewer]
    for turn in turns:
        if len(edits) >= 3:
            break
        if turn.index in used:
            continue
        kind = rng.choice(EDITS)
        in_turn = [c for c in coded if turn.start <= c[0] < turn.end]
        para = rng.choice(turn.paragraphs)
        with_codings = [p for p in turn.paragraphs if any(p.start <= c[0] < p.end for c in coded)]
        if kind in ("insert_inside", "delete_paragraph") and with_codings:
            para = rng.choice(with_codings)
        in_para = [c for c in coded if para.start <= c[0] < para.end]
        if kind == "insert_before":
            edits.append((para.start, para.start, "Ja, altså. "))
        elif kind == "typo_elsewhere":
            free = [
                i
                for i in range(para.start, para.end - 4)
                if text[i] == " " and not any(s - 1 <= i < e + 1 for s, e in coded)
            ]
            if not free:
                continue
            i = rng.choice(free)
            edits.append((i, i + 1, " øh "))
        elif kind == "insert_inside":
            if not in_para:
                continue
            s, e = rng.choice(in_para)
            spaces = [i for i in range(s + 1, e - 1) if text[i] == " "]
            if not spaces:
                continue
            i = rng.choice(spaces)
            edits.append((i, i, " faktisk"))
            touched.add((s, e))
        elif kind == "delete_paragraph":
            if not in_para:
                continue
            start = para.start if para is not turn.paragraphs[0] else _line_start(text, para.start)
            end = para.end + 1 if text[para.end : para.end + 1] == "\n" else para.end
            edits.append((start, end, ""))
            touched.update(c for c in coded if start <= c[0] < end)
        elif kind == "swap_turns":
            nxt = next((u for u in t.turns if u.index == turn.index + 1 and u.paragraphs), None)
            if nxt is None or nxt.index in used:
                continue
            a0, b0 = _line_start(text, turn.start), _line_start(text, nxt.start)
            between = text[turn.end : b0]
            if "[side" in between or "\f" in between:
                continue
            block_a, block_b = text[a0 : turn.end], text[b0 : nxt.end]
            edits.append((a0, nxt.end, block_b + between + block_a))
            used.add(nxt.index)
        elif kind == "relabel":
            choices = [
                lab
                for lab in others
                if lab != turn.label and t.speakers[lab].role != t.speakers[turn.label].role
            ]
            if not choices:
                continue
            ls = _line_start(text, turn.start)
            label_end = text.index(":", ls)
            edits.append((ls, label_end, rng.choice(choices)))
            touched.update(in_turn)
        used.add(turn.index)
        kinds.append(kind)
    new = text
    for s, e, r in sorted(edits, reverse=True):
        new = new[:s] + r + new[e:]
    return new, touched


def reanchoring(base: Path, trials: int, rng: random.Random) -> None:
    tally = Tally()
    names = sorted(p.stem for p in (REPO / "transcripts").glob("*.md"))
    for trial in range(trials):
        for name in names:
            root = make_project(base / f"re-{trial}-{name}", [name])
            with Project(root) as project:
                t = project.transcript(name)
                paras = [p for u in t.turns for p in u.paragraphs if p.end - p.start > 40]
                coded: dict[int, tuple[int, int, str]] = {}
                for p in rng.sample(paras, min(8, len(paras))):
                    s = rng.randint(p.start, max(p.start, p.end - 40))
                    while s > p.start and not t.text[s - 1].isspace():
                        s -= 1
                    e = min(p.end, s + rng.randint(25, 160))
                    c = project.code(name, "mindset", start=s, end=e)
                    coded[c.id] = (c.start, c.end, t.text[c.start : c.end])
                kinds: list[str] = []
                new, touched = _edit_once(t.text, rng, [v[:2] for v in coded.values()], kinds)
                for k in kinds:
                    tally.by_edit[k] = tally.by_edit.get(k, 0) + 1
                (root / "transcripts" / f"{name}.md").write_text(new, encoding="utf-8")
                t0 = time.perf_counter()
                project.sync()
                tally.seconds.append(time.perf_counter() - t0)
                text = project.transcript(name).text
                rows = {
                    r["id"]: r
                    for r in project.store.read("SELECT id, start, end, status FROM codings")
                }
                for cid, (s, e, passage) in coded.items():
                    tally.codings += 1
                    r = rows.get(cid)
                    if r is None:
                        tally.dropped += 1
                        continue
                    now = text[r["start"] : r["end"]]
                    ok = r["status"] == "ok"
                    if (s, e) in touched:
                        tally.touched_flagged += not ok
                        tally.silent_shift += ok and now != passage
                    elif now == passage:
                        tally.untouched_right += ok
                        tally.needless_review += not ok
                    else:
                        tally.silent_shift += ok
                        tally.needless_review += not ok
    touched = tally.codings - tally.untouched_right - tally.needless_review
    print("3. Re-anchoring on a generated edit set")
    print(f"   transcripts x trials      {len(names)} x {trials}")
    print(
        "   edits                     "
        + ", ".join(f"{k} {v}" for k, v in sorted(tally.by_edit.items()))
    )
    print(f"   codings                   {tally.codings}")
    print(f"   unchanged, placed right   {tally.untouched_right}")
    print(f"   unchanged, needless review {tally.needless_review}")
    print(
        f"   edited/deleted/relabelled {touched}, of which marked for review {tally.touched_flagged}"
    )
    print(f"   silently shifted          {tally.silent_shift}")
    print(f"   dropped                   {tally.dropped}")
    secs = sorted(tally.seconds)
    print(
        f"   sync with re-anchoring    median {secs[len(secs) // 2] * 1000:.0f} ms, "
        f"max {secs[-1] * 1000:.0f} ms per transcript (9-20 kB)"
    )


def big_alignment(rng: random.Random) -> None:
    """Alignment time on a 1 MB transcript with 500 codings and 20 scattered edits."""
    words = (REPO / "transcripts" / "skole2-personale.md").read_text(encoding="utf-8").split()
    head = "---\nschool: Skole 2\ndate: 2021-04\nspeakers:\n  I: {role: Interviewer}\n"
    head += "  PIT1: {role: PIT-medarbejder}\n---\n"
    parts, size, k = [head], len(head), 0
    while size < 1_000_000:
        k += 1
        para = f"I: Spørgsmål {k}?\n\nPIT1: " + " ".join(rng.choices(words, k=80)) + "\n\n"
        parts.append(para)
        size += len(para)
    old = "".join(parts)
    new = old
    for _ in range(20):
        i = rng.randrange(len(head) + 10, len(new) - 10)
        while new[i] != " ":
            i += 1
        new = new[:i] + " altså" + new[i:]
    old_t, new_t = parse_markdown(old, "old.md"), parse_markdown(new, "new.md")
    paras = [p for u in old_t.turns for p in u.paragraphs if p.end - p.start > 100]
    spans = [(p.start, p.start + 100) for p in rng.sample(paras, 500)]
    t0 = time.perf_counter()
    al = Alignment(old, new)
    t1 = time.perf_counter()
    outcomes: dict[str, int] = {}
    for s, e in spans:
        a = anchor_span(al, s, e, new_t, old_t)
        outcomes[a.outcome] = outcomes.get(a.outcome, 0) + 1
    t2 = time.perf_counter()
    print(f"4. A {len(old) / 1e6:.1f} MB transcript, 20 inserted words, 500 codings")
    print(
        f"   alignment {1000 * (t1 - t0):.0f} ms, anchoring 500 codings {1000 * (t2 - t1):.0f} ms"
    )
    print("   outcomes  " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--writers-n", type=int, default=200)
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--kill-rounds", type=int, default=16)
    parser.add_argument("--disk-rounds", type=int, default=8)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"lfa-qual stress test (seed {args.seed}, {os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        crash_rounds(base, args.rounds, rng)
        concurrency(base, args.writers_n)
        reanchoring(base, args.trials, rng)
    big_alignment(rng)
    with tempfile.TemporaryDirectory() as tmp:
        stress_exports.run(Path(tmp), args.kill_rounds, args.disk_rounds, rng)


if __name__ == "__main__":
    main()
