"""Quality of code suggestions on a set of coded passages (by default the gold set).

Development sets: `tests/data/dev_passages.yaml` and `tests/data/dev2_passages.yaml` (tune on
them: `--gold` each one to pool them, and `--misses`/`--confusion` show where the suggester goes
wrong). `tests/data/gold_passages.yaml` is held out (run it for the aggregate figures only: the
per-passage options refuse it), and so is `tests/data/gold2_passages.yaml`.

Prints, for the keyword rules alone and for the learned model in k-fold cross-validation:
- top-1:        the best-scored code is the passage's primary code (first listed);
- top-1 any:    the best-scored code is one of the passage's codes;
- recall@3:     the primary code is among the three best;
- recall@3 all: share of all (passage, code) pairs found among the three best;
- micro P/R/F1: of what `lfa-qual suggest` would show with its defaults (min score, top K).

With `--tiers` (development sets only), the suggestions shown by default are split by their
evidence: a keyword (or phrase, compound, spelling variant), only anchor-example words, or only
the learned model's words; for each, how many are shown and how many are right, by score band,
and what precision, recall and F1 would be with the model-only ones hidden or held to a higher
threshold.

    .venv/bin/python benchmarks/bench_suggest_quality.py [--codebook PATH] [--folds K]
        [--gold PATH]... [--misses] [--confusion]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lfa_qual.codebook import load_codebook  # noqa: E402
from lfa_qual.nlp.suggest import MODEL_KINDS, Options, Suggester  # noqa: E402

HELD_OUT = ROOT / "tests" / "data" / "gold_passages.yaml"
HELD_OUT_SETS = (HELD_OUT, ROOT / "tests" / "data" / "gold2_passages.yaml")


def ranked(suggestions) -> list[str]:
    return [s.code for s in sorted(suggestions, key=lambda s: (-s.score, s.code))]


def figures(gold: list[dict], rankings: list[list[str]], shown: list[list[str]]) -> dict:
    n = len(gold)
    top1 = sum(1 for g, r in zip(gold, rankings, strict=True) if r[:1] == g["codes"][:1])
    top1_any = sum(1 for g, r in zip(gold, rankings, strict=True) if r[:1] and r[0] in g["codes"])
    r3 = sum(1 for g, r in zip(gold, rankings, strict=True) if g["codes"][0] in r[:3])
    pairs = sum(len(g["codes"]) for g in gold)
    r3_all = sum(len(set(g["codes"]) & set(r[:3])) for g, r in zip(gold, rankings, strict=True))
    tp = sum(len(set(g["codes"]) & set(s)) for g, s in zip(gold, shown, strict=True))
    n_shown = sum(len(s) for s in shown)
    p = tp / n_shown if n_shown else 0.0
    rec = tp / pairs
    f1 = 2 * p * rec / (p + rec) if p + rec else 0.0
    return {
        "top-1": top1 / n,
        "top-1 any": top1_any / n,
        "recall@3": r3 / n,
        "recall@3 all": r3_all / pairs,
        "P": p,
        "R": rec,
        "F1": f1,
    }


def confusion(gold: list[dict], rankings: list[list[str]]) -> str:
    """Per primary code: how often it is ranked first, in the top 3, and what beat it."""
    rows = {}
    for g, r in zip(gold, rankings, strict=True):
        code = g["codes"][0]
        row = rows.setdefault(code, {"n": 0, "top1": 0, "r3": 0, "instead": Counter()})
        row["n"] += 1
        row["top1"] += r[:1] == [code]
        row["r3"] += code in r[:3]
        if r[:1] != [code]:
            row["instead"][r[0] if r else "-"] += 1
    lines = [f"{'primary code':<16}{'n':>3}{'top1':>6}{'top3':>6}  ranked first instead"]
    for code, row in sorted(rows.items()):
        instead = ", ".join(f"{c} {n}" for c, n in row["instead"].most_common())
        lines.append(f"{code:<16}{row['n']:>3}{row['top1']:>6}{row['r3']:>6}  {instead}")
    return "\n".join(lines)


def line(name: str, f: dict) -> str:
    return f"{name:<44}" + "  ".join(f"{k} {v:.3f}" for k, v in f.items())


def run_rules(
    codebook, gold, model=None, codebook_texts: bool = True
) -> tuple[list[list[str]], list[list[str]]]:
    opts = {"codebook_texts": codebook_texts}
    everything = Suggester(codebook, model=model, options=Options(min_score=0.0, top=0, **opts))
    default = Suggester(codebook, model=model, options=Options(**opts))
    items = [(g["text"], g["role"]) for g in gold]
    rankings = [ranked(s) for s in everything.suggest_passages(items)]
    shown = [ranked(s) for s in default.suggest_passages(items)]
    return rankings, shown


def tier(suggestion) -> str:
    """'keyword' (any keyword evidence), 'example' (anchor-example words, no keyword) or
    'model' (only the learned model's words; a role alone never suggests)."""
    kinds = {e.kind for e in suggestion.evidence} - {"role"}
    if kinds - set(MODEL_KINDS):
        return "keyword"
    return "example" if "example" in kinds else "model"


def tiers(codebook, gold, model) -> str:
    """Precision of the default-shown suggestions per evidence tier and score band, and the
    figures with the model-only tier hidden or thresholded higher."""
    default = Suggester(codebook, model=model, options=Options())
    items = [(g["text"], g["role"]) for g in gold]
    shown = [sorted(s, key=lambda x: (-x.score, x.code)) for s in default.suggest_passages(items)]
    bands = (0.3, 0.4, 0.5, 0.6, 0.7)
    lines = [
        f"{'tier':<9}{'shown':>6}{'right':>6}{'prec':>7}   per band "
        + " ".join(f"≥{b:.1f}" for b in bands)
    ]
    for name in ("keyword", "example", "model"):
        picked = [
            (s.score, s.code in g["codes"])
            for g, ss in zip(gold, shown, strict=True)
            for s in ss
            if tier(s) == name
        ]
        right = sum(ok for _, ok in picked)
        per_band = []
        for lo, hi in zip(bands, bands[1:] + (1.01,), strict=True):
            band = [ok for sc, ok in picked if lo <= sc < hi]
            per_band.append(f"{sum(band)}/{len(band)}")
        prec = right / len(picked) if picked else 0.0
        lines.append(f"{name:<9}{len(picked):>6}{right:>6}{prec:>7.3f}   " + " ".join(per_band))
    pairs = sum(len(g["codes"]) for g in gold)
    for label, keep in [
        ("all shown (default)", lambda s: True),
        ("model-only hidden", lambda s: tier(s) != "model"),
        *[
            (f"model-only at ≥ {t:.1f}", lambda s, t=t: tier(s) != "model" or s.score >= t)
            for t in (0.4, 0.5, 0.6)
        ],
    ]:
        kept = [[s for s in ss if keep(s)] for ss in shown]
        tp = sum(
            len({s.code for s in ss} & set(g["codes"])) for g, ss in zip(gold, kept, strict=True)
        )
        n = sum(len(ss) for ss in kept)
        p, r = (tp / n if n else 0.0), tp / pairs
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"{label:<24} shown {n:>4}  P {p:.3f}  R {r:.3f}  F1 {f1:.3f}")
    return "\n".join(lines)


def self_trained(codebook, transcripts, model=None):
    """The model after self-training on uncoded transcripts, as `suggest` does in a project."""
    helper = Suggester(codebook, model=model)
    helper.self_train(transcripts)
    return helper.model


def cross_validate(codebook, gold, folds: int, transcripts=()) -> tuple[dict, dict, float]:
    """Train on k-1 folds, predict the held-out fold: the learned model alone, and combined
    (with self-training on `transcripts` when given, as in a project)."""
    helper = Suggester(codebook)
    lemmas = list(helper.lemmas(g["text"] for g in gold))
    alone: list[list[str]] = [[] for _ in gold]
    alone_shown: list[list[str]] = [[] for _ in gold]
    combined: list[list[str]] = [[] for _ in gold]
    combined_shown: list[list[str]] = [[] for _ in gold]
    train_time = 0.0
    for k in range(folds):
        test = [i for i in range(len(gold)) if i % folds == k]
        model = helper.seeded_model()  # as `suggest` does: codebook texts, then codings
        t0 = time.perf_counter()
        for i in range(len(gold)):
            if i % folds != k:
                model.add(lemmas[i], gold[i]["codes"])
        model.explain([])  # builds the scoring table: part of training
        train_time += time.perf_counter() - t0
        if transcripts:
            model = self_trained(codebook, transcripts, model)
        for i in test:
            scores = model.explain(lemmas[i])
            order = sorted(scores, key=lambda c: (-scores[c][0], c))
            alone[i] = order
            alone_shown[i] = [c for c in order if scores[c][0] >= 0.3][:3]
        sub = [gold[i] for i in test]
        r, s = run_rules(codebook, sub, model)
        for j, i in enumerate(test):
            combined[i], combined_shown[i] = r[j], s[j]
    return (
        figures(gold, alone, alone_shown),
        figures(gold, combined, combined_shown),
        train_time / folds,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--codebook", type=Path, default=ROOT / "codebooks" / "lfa.yaml")
    ap.add_argument(
        "--gold",
        type=Path,
        action="append",
        help="a file of coded passages (repeat to pool several; default: the held-out gold set)",
    )
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument(
        "--unlabelled",
        type=Path,
        default=ROOT / "transcripts",
        help="uncoded transcripts to self-train on, as in a project ('' for none)",
    )
    ap.add_argument("--misses", action="store_true", help="list passages whose top-1 is wrong")
    ap.add_argument(
        "--confusion", action="store_true", help="per code: primary code → best-scored code"
    )
    ap.add_argument(
        "--tiers", action="store_true", help="precision by evidence tier (keyword/example/model)"
    )
    args = ap.parse_args()
    paths = args.gold or [HELD_OUT]
    held_out = any(p.resolve() == h.resolve() for p in paths for h in HELD_OUT_SETS)
    if (args.misses or args.confusion or args.tiers) and held_out:
        ap.error(
            "the gold sets are held out: --misses/--confusion/--tiers only on the development sets"
        )
    gold = [g for p in paths for g in yaml.safe_load(p.read_text(encoding="utf-8"))]
    codebook = load_codebook(args.codebook)
    names = " + ".join(p.name for p in paths)
    print(f"{names}: {len(gold)} passages, {sum(len(g['codes']) for g in gold)} codes")
    rankings, shown = run_rules(codebook, gold, codebook_texts=False)
    print(line("keywords and roles only", figures(gold, rankings, shown)))
    rankings, shown = run_rules(codebook, gold)
    print(line("+ codebook-text model", figures(gold, rankings, shown)))
    transcripts = []
    if str(args.unlabelled) not in ("", "."):
        from lfa_qual.readers import read_transcript

        transcripts = [read_transcript(p) for p in sorted(args.unlabelled.glob("*.md"))]
        model = self_trained(codebook, transcripts)
        rankings, shown = run_rules(codebook, gold, model)
        name = f"+ self-trained on {len(transcripts)} transcripts"
        print(line(f"{name} (default)", figures(gold, rankings, shown)))
        if args.tiers:
            print(tiers(codebook, gold, model))
    alone, combined, t = cross_validate(codebook, gold, args.folds, transcripts)
    print(line(f"learned alone, {args.folds}-fold CV", alone))
    print(line(f"rules + learned, {args.folds}-fold CV", combined))
    print(
        f"learned model: {t * 1000:.1f} ms to train on {len(gold) * (args.folds - 1) // args.folds} passages"
    )
    if args.misses:
        for g, r in zip(gold, rankings, strict=True):
            if r[:1] != g["codes"][:1]:
                print(f"  {g['id']} gold {g['codes']} got {r[:3]}")
    if args.confusion:
        print(confusion(gold, rankings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
