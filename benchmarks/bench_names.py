"""Figures of the pseudonymisation guard (lfa_qual.names): speed and quality.

    PYTHONPATH=. python benchmarks/bench_names.py [--uner /work/shared/data/uner-da]

Prints: words/s of the detector on the example transcripts (one core, repeated), recall per
kind on the planted set (tests/data/names), false suspects per 1,000 words on the clean example
transcripts (transcripts/), and person recall/precision on the UNER Danish-DDT test split
(never used for training or tuning). Timing figures vary with the machine's load.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lfa_qual.names.detect import NameContext, find_suspects  # noqa: E402
from lfa_qual.names.lexicon import load_model  # noqa: E402
from lfa_qual.names.scan import transcript_suspects  # noqa: E402
from lfa_qual.readers import read_transcript  # noqa: E402


def planted_recall(folder: Path) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """Per kind: (found, planted); and the misses."""
    manifest = yaml.safe_load((folder / "planted.yaml").read_text(encoding="utf-8"))["planted"]
    per: dict[str, list[int]] = {}
    misses = []
    cache: dict[str, tuple[str, list]] = {}
    for item in manifest:
        if item["file"] not in cache:
            t = read_transcript(folder / item["file"])
            cache[item["file"]] = (t.text, transcript_suspects(t))
        text, suspects = cache[item["file"]]
        pos = text.find(item["text"])
        end = pos + len(item["text"])
        hit = any(s.start < end and pos < s.end for s in suspects)
        found, total = per.setdefault(item["kind"], [0, 0])
        per[item["kind"]] = [found + hit, total + 1]
        if not hit:
            misses.append(f"{item['kind']}: {item['text']!r} ({item['file']})")
    return {k: (v[0], v[1]) for k, v in per.items()}, misses


def clean_false_positives(folder: Path) -> tuple[int, int, list[str]]:
    n, words, shown = 0, 0, []
    for path in sorted(folder.glob("*.md")):
        t = read_transcript(path)
        found = transcript_suspects(t)
        n += len(found)
        words += t.words
        shown += [f"{path.name}: {s.text!r} ({s.kind}, {s.reason})" for s in found]
    return n, words, shown


def read_iob2(path: Path):
    sentences, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                sentences.append(cur)
            cur = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            cur.append((cols[1], cols[2]))
    if cur:
        sentences.append(cur)
    return sentences


def uner_person(path: Path) -> dict[str, float]:
    """Mention-level person recall/precision: a gold mention counts as found when a person
    (or key) suspect overlaps it; a suspect is correct when it overlaps a gold mention."""
    gold_n = gold_found = pred_n = pred_ok = 0
    exact = 0
    for sent in read_iob2(path):
        text, offsets, pos = "", [], 0
        for tok, _ in sent:
            offsets.append((pos, pos + len(tok)))
            text += tok + " "
            pos += len(tok) + 1
        gold = []
        for i, (_, tag) in enumerate(sent):
            if tag == "B-PER" or (
                tag == "I-PER" and (not gold or gold[-1][1] != offsets[i - 1][1])
            ):
                gold.append(list(offsets[i]))
            elif tag == "I-PER":
                gold[-1][1] = offsets[i][1]
        pred = [s for s in find_suspects(text, NameContext()) if s.kind == "person"]
        gold_n += len(gold)
        pred_n += len(pred)
        gold_found += sum(1 for g in gold if any(p.start < g[1] and g[0] < p.end for p in pred))
        pred_ok += sum(1 for p in pred if any(p.start < g[1] and g[0] < p.end for g in gold))
        exact += sum(1 for g in gold if any(p.start == g[0] and p.end == g[1] for p in pred))
    return {
        "mentions": gold_n,
        "recall": gold_found / gold_n,
        "precision": pred_ok / pred_n if pred_n else 0.0,
        "exact_span_recall": exact / gold_n,
    }


def speed(folder: Path, repeat: int = 5) -> float:
    ts = [read_transcript(p) for p in sorted(folder.glob("*.md"))]
    transcript_suspects(ts[0])  # load the model outside the timing
    words = sum(t.words for t in ts) * repeat
    t0 = time.perf_counter()
    for _ in range(repeat):
        for t in ts:
            transcript_suspects(t)
    return words / (time.perf_counter() - t0)


def corpus_speed(folder: Path) -> None:
    """Detector words/s over a generated corpus (benchmarks/gen_corpus.py), reading excluded,
    and the whole `lfa-qual names FILE…` command (start-up, reading, output) in a subprocess."""
    import subprocess

    paths = sorted(folder.glob("*.md"))
    ts = [read_transcript(p) for p in paths]
    words = sum(t.words for t in ts)
    transcript_suspects(ts[0])
    t0 = time.perf_counter()
    n = sum(len(transcript_suspects(t)) for t in ts)
    took = time.perf_counter() - t0
    print(f"corpus {folder}: {words:,} words, {n} suspects, {words / took:,.0f} words/s (one core)")
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "lfa_qual", "names", "--format", "jsonl", *map(str, paths)],
        capture_output=True,
        cwd=folder,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )
    took = time.perf_counter() - t0
    print(
        f"  `lfa-qual names` on the {len(paths)} files: {took:.2f} s = {words / took:,.0f} words/s"
    )


def gate_speed(root: Path) -> None:
    """The export gate on every quote of a project (e.g. one kept by
    `benchmarks/bench_export.py --keep DIR`), beside the time to build the quotes."""
    from lfa_qual import Project
    from lfa_qual.names.gate import NamesInExport, check_export, quote_items

    with Project(root) as project:
        t0 = time.perf_counter()
        quotes = project.quotes_frame()
        t1 = time.perf_counter()
        try:
            check_export(project, quote_items(quotes))
            hits = 0
        except NamesInExport as exc:
            hits = len(exc.hits)
        t2 = time.perf_counter()
    words = int(quotes["words"].sum())
    print(
        f"gate on {len(quotes):,} quotes ({words:,} words): {t2 - t1:.2f} s "
        f"({words / (t2 - t1):,.0f} words/s), {hits} suspects; building the quotes: {t1 - t0:.2f} s"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--uner", type=Path, default=Path("/work/shared/data/uner-da"))
    ap.add_argument("--split", default="test", choices=["dev", "test"])
    ap.add_argument("--corpus", type=Path, help="also time a generated corpus folder")
    ap.add_argument("--gate", type=Path, help="also time the export gate on this project")
    args = ap.parse_args()
    t0 = time.perf_counter()
    load_model()
    print(f"model load: {1000 * (time.perf_counter() - t0):.0f} ms")
    print(f"speed: {speed(ROOT / 'transcripts'):,.0f} words/s (one core)")
    per, misses = planted_recall(ROOT / "tests" / "data" / "names")
    found = sum(f for f, _ in per.values())
    total = sum(t for _, t in per.values())
    print(f"planted recall: {found}/{total} = {found / total:.3f}")
    for kind, (f, t) in sorted(per.items()):
        print(f"  {kind}: {f}/{t} = {f / t:.2f}")
    for m in misses:
        print(f"  missed {m}")
    n, words, shown = clean_false_positives(ROOT / "transcripts")
    print(f"clean transcripts: {n} suspects in {words} words = {1000 * n / words:.2f} per 1,000")
    for s in shown:
        print(f"  {s}")
    if args.corpus:
        corpus_speed(args.corpus)
    if args.gate:
        gate_speed(args.gate)
    path = args.uner / f"da_ddt-ud-{args.split}.iob2"
    if path.exists():
        r = uner_person(path)
        print(
            f"UNER {args.split} person mentions {r['mentions']}: recall {r['recall']:.3f}, "
            f"precision {r['precision']:.3f}, exact-span recall {r['exact_span_recall']:.3f}"
        )


if __name__ == "__main__":
    main()
