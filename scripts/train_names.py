"""Build `lfa_qual/data/names_da.json.gz`: name lists, common words and the person-name model.

    python scripts/train_names.py [--uner ../shared/data/uner-da]

The model is a logistic regression over `lfa_qual.names.features.token_features`, trained on the
UNER Danish-DDT train split (PER tokens against everything else). The decision threshold is
chosen on the dev split; the test split is never read here (benchmarks/bench_names.py reports it).
Build-time packages: faker (name lists, MIT) and wordfreq (Danish frequencies, CC BY-SA 4.0).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
from pathlib import Path

from lfa_qual.names.features import Lexicon, token_features

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "lfa_qual" / "data" / "names_da.json.gz"
DEFAULT_UNER = Path("/work/shared/data/uner-da")
LOCALES = ("da_DK", "no_NO", "sv_SE", "de_DE", "en_GB", "tr_TR", "ar_AA", "pl_PL", "fa_IR")
BOUNDARY = {".", "!", "?", ":", "…", '"', "«", "»", "–", "-", "(", "<s>"}


def read_iob2(path: Path) -> list[list[tuple[str, bool]]]:
    """Sentences as (token, is part of a person name)."""
    sentences, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                sentences.append(cur)
            cur = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            cur.append((cols[1], cols[2].endswith("PER")))
    if cur:
        sentences.append(cur)
    return sentences


def name_lists() -> tuple[set[str], set[str]]:
    import importlib

    first: set[str] = set()
    last: set[str] = set()
    for loc in LOCALES:
        try:
            p = importlib.import_module(f"faker.providers.person.{loc}").Provider
        except ModuleNotFoundError:
            continue
        for attr in ("first_names", "first_names_male", "first_names_female"):
            names = getattr(p, attr, ())
            first.update(n.lower() for n in (names.keys() if isinstance(names, dict) else names))
        names = getattr(p, "last_names", ())
        last.update(n.lower() for n in (names.keys() if isinstance(names, dict) else names))
    first = {n for n in first if n.isalpha() and len(n) > 1}
    last = {n for n in last if n.replace("-", "").isalpha() and len(n) > 1}
    return first, last


def common_words(min_zipf: float = 2.5) -> set[str]:
    import wordfreq
    from spacy.lookups import load_lookups

    table = load_lookups("da", ["lemma_lookup"]).get_table("lemma_lookup")
    freq = wordfreq.get_frequency_dict("da")
    floor = 10 ** (min_zipf - 9)
    return {w for w, f in freq.items() if f >= floor and w.isalpha() and w in table}


def initial_flags(tokens: list[str]) -> list[bool]:
    return [i == 0 or tokens[i - 1] in BOUNDARY for i in range(len(tokens))]


def examples(sentences, lexicon: Lexicon, lower_share: float, rng: random.Random):
    out = []
    for sent in sentences:
        variants = [sent]
        # Transcribers sometimes write a name in lower case: teach the model what that
        # looks like with lower-cased copies of a share of the sentences that hold names.
        if any(p for _, p in sent) and rng.random() < lower_share:
            variants.append([(t.lower(), p) for t, p in sent])
        for s in variants:
            tokens = [t for t, _ in s]
            flags = initial_flags(tokens)
            for i, (_, label) in enumerate(s):
                out.append((token_features(tokens, i, flags[i], lexicon), label))
    return out


def train(data, epochs: int = 12, rate: float = 0.2, l2: float = 1e-6, seed: int = 1):
    rng = random.Random(seed)
    w: dict[str, float] = {}
    g2: dict[str, float] = {}
    for _ in range(epochs):
        rng.shuffle(data)
        for feats, label in data:
            z = sum(w.get(f, 0.0) for f in feats)
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            grad = p - (1.0 if label else 0.0)
            for f in feats:
                g = grad + l2 * w.get(f, 0.0)
                g2[f] = g2.get(f, 0.0) + g * g
                w[f] = w.get(f, 0.0) - rate * g / math.sqrt(g2[f] + 1e-8)
    return w


def score(w, feats) -> float:
    z = sum(w.get(f, 0.0) for f in feats)
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def choose_threshold(w, dev) -> tuple[float, dict]:
    """The threshold with the best F2 on dev (recall weighs more: a missed name is a breach)."""
    scored = [(score(w, f), y) for f, y in dev]
    best = (0.5, -1.0, {})
    for t in [x / 100 for x in range(5, 95)]:
        tp = sum(1 for s, y in scored if s >= t and y)
        fp = sum(1 for s, y in scored if s >= t and not y)
        fn = sum(1 for s, y in scored if s < t and y)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f2 = 5 * p * r / (4 * p + r) if p + r else 0.0
        if f2 > best[1]:
            best = (t, f2, {"dev_precision": round(p, 3), "dev_recall": round(r, 3)})
    return best[0], best[2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--uner", type=Path, default=DEFAULT_UNER)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    first, last = name_lists()
    common = common_words()
    lexicon = Lexicon(frozenset(first), frozenset(last), frozenset(common))
    rng = random.Random(7)
    train_s = read_iob2(args.uner / "da_ddt-ud-train.iob2")
    dev_s = read_iob2(args.uner / "da_ddt-ud-dev.iob2")
    w = train(examples(train_s, lexicon, 0.3, rng))
    dev = examples(dev_s, lexicon, 0.0, rng)
    threshold, info = choose_threshold(w, dev)
    kept = {f: round(v, 3) for f, v in w.items() if abs(v) >= 0.02}
    info.update(
        {
            "trained_on": "UNER Danish-DDT train (CC BY-SA 4.0)",
            "features": len(kept),
            "first_names": len(first),
            "surnames": len(last),
            "common_words": len(common),
        }
    )
    doc = {
        "licence": "CC BY-SA 4.0; see lfa_qual/data/NAMES-LICENCE.md",
        "info": info,
        "threshold": threshold,
        "first": sorted(first),
        "last": sorted(last),
        "common": sorted(common),
        "weights": kept,
    }
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
    print(f"threshold {threshold} {info}; wrote {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
