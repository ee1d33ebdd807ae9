"""Build `lfa_qual/data/names_da.txt.gz`: name lists, common words and the person-name model.

    python scripts/train_names.py [--uner ../shared/data/uner-da]

The model is a logistic regression over `lfa_qual.names.features.token_features`, trained on the
UNER Danish-DDT train split (PER tokens against everything else). The decision threshold is
chosen with the train-only model and the full detector (`choose_threshold`: dev mention recall
0.96, clean example transcripts at most 1 suspect per 1,000 words), then the weights are fitted
again on train + dev; the test split is never read here (benchmarks/bench_names.py reports it;
`--train-only` ships the train-only model, whose dev figures are then unbiased).
Build-time packages: faker (name lists, MIT) and wordfreq (Danish frequencies, CC BY-SA 4.0).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
from dataclasses import replace
from pathlib import Path

from lfa_qual.names.detect import NameContext, find_suspects
from lfa_qual.names.features import BOUNDARY, Lexicon, headline_case, token_features
from lfa_qual.names.lexicon import NameModel
from lfa_qual.names.scan import scanned_spans, transcript_context
from lfa_qual.readers import read_transcript

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "lfa_qual" / "data" / "names_da.txt.gz"
DEFAULT_UNER = Path("/work/shared/data/uner-da")
# Danish schools have pupils and staff with names from many countries.
LOCALES = (
    "da_DK", "no_NO", "sv_SE", "fi_FI", "is_IS", "de_DE", "nl_NL", "en_GB", "en_US", "fr_FR",
    "es_ES", "it_IT", "pl_PL", "tr_TR", "ar_AA", "fa_IR", "uk_UA", "lt_LT", "hr_HR", "ro_RO",
    "cs_CZ", "sk_SK", "sl_SI", "hu_HU", "et_EE", "lv_LV", "en_IE", "ga_IE", "pt_PT", "pt_BR",
    "es_MX", "en_IN", "en_NG", "en_KE", "en_PK", "id_ID", "vi_VN", "az_AZ", "sw", "yo_NG",
)  # fmt: skip
# Only these lists' first names are looked for in lower case ("karina"): the wider lists hold
# words of other languages ("corona") that a Danish transcript uses in lower case.
NORDIC = ("da_DK", "no_NO", "sv_SE")
# The threshold criterion (see choose_threshold): dev mention recall of 0.96, one point above
# the 0.95 asked of the planted set, as a margin for the drop from dev to unseen text (the
# previous model went from 0.940 on dev to 0.892 on test); at most 1 false suspect per 1,000
# words of the clean example transcripts, half the 2 allowed.
MIN_RECALL = 0.96
FP_BUDGET = 1.0


def read_iob2(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences as (token, "B" or "I" inside a person name, "" outside)."""
    sentences, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                sentences.append(cur)
            cur = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            cur.append((cols[1], cols[2][0] if cols[2].endswith("PER") else ""))
    if cur:
        sentences.append(cur)
    return sentences


def name_lists() -> tuple[set[str], set[str], set[str]]:
    import importlib

    first: set[str] = set()
    last: set[str] = set()
    nordic_first: set[str] = set()
    for loc in LOCALES:
        try:
            p = importlib.import_module(f"faker.providers.person.{loc}").Provider
        except ModuleNotFoundError:
            continue
        for attr in ("first_names", "first_names_male", "first_names_female"):
            names = getattr(p, attr, ())
            lowered = {n.lower() for n in (names.keys() if isinstance(names, dict) else names)}
            first |= lowered
            if loc in NORDIC:
                nordic_first |= lowered
        names = getattr(p, "last_names", ())
        last.update(n.lower() for n in (names.keys() if isinstance(names, dict) else names))
    first = {n for n in first if n.isalpha() and len(n) > 1}
    nordic = {n for n in first if n in nordic_first}
    last = {n for n in last if n.replace("-", "").isalpha() and len(n) > 1}
    return first, last, nordic


def common_words(min_zipf: float = 2.5) -> set[str]:
    import wordfreq
    from spacy.lookups import load_lookups

    table = load_lookups("da", ["lemma_lookup"]).get_table("lemma_lookup")
    freq = wordfreq.get_frequency_dict("da")
    floor = 10 ** (min_zipf - 9)
    frequent = {w for w, f in freq.items() if f >= floor and w.isalpha() and w in table}
    # The table's lemmas add the rarer words a transcript uses ("koordinator", "forælder");
    # it lists few names as lemmas, and the model sees the name lists beside this feature.
    lemmas = {v for v in table.values() if isinstance(v, str) and v.isalpha() and len(v) > 2}
    return frequent | lemmas


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
            tokens = headline_case([t for t, _ in s], lexicon)
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


def prune(w: dict[str, float]) -> dict[str, float]:
    """The weights as shipped: two decimals, the near-zero ones left out."""
    return {f: round(v, 2) for f, v in w.items() if abs(v) >= 0.05}


def mentions(sentences) -> list[tuple[str, list[tuple[int, int]]]]:
    """Each sentence as the detector sees it (tokens joined by spaces) with its person mentions
    as character spans, as benchmarks/bench_names.py counts them."""
    out = []
    for sent in sentences:
        text, spans, pos = "", [], 0
        for tok, tag in sent:
            if tag == "B" or (tag == "I" and not (spans and spans[-1][1] == pos - 1)):
                spans.append((pos, pos + len(tok)))
            elif tag == "I":
                spans[-1] = (spans[-1][0], pos + len(tok))
            text += tok + " "
            pos += len(tok) + 1
        out.append((text, spans))
    return out


def person_counts(model: NameModel, sentences) -> tuple[int, int, int, int]:
    """Mentions found, mentions, suspects overlapping a mention, person suspects."""
    found = total = ok = pred_n = 0
    for text, gold in sentences:
        pred = [s for s in find_suspects(text, NameContext(), model=model) if s.kind == "person"]
        total += len(gold)
        pred_n += len(pred)
        found += sum(1 for a, b in gold if any(p.start < b and a < p.end for p in pred))
        ok += sum(1 for p in pred if any(p.start < b and a < p.end for a, b in gold))
    return found, total, ok, pred_n


def clean_suspects(model: NameModel) -> tuple[int, int]:
    """Suspects and words in the example transcripts, which hold no names."""
    n = words = 0
    for path in sorted((ROOT / "transcripts").glob("*.md")):
        t = read_transcript(path)
        n += len(find_suspects(t.text, transcript_context(t), scanned_spans(t), model=model))
        words += t.words
    return n, words


def choose_threshold(
    model: NameModel, dev_s, min_recall: float = MIN_RECALL, fp_budget: float = FP_BUDGET
) -> tuple[float, dict]:
    """The highest threshold at which the full detector finds `min_recall` of the dev split's
    person mentions (a missed name is a breach, a false suspect costs a key press), raised
    again while the clean example transcripts get more than `fp_budget` suspects per 1,000
    words."""
    dev = mentions(dev_s)
    with_names = [x for x in dev if x[1]]  # recall depends only on these sentences
    grid = [x / 100 for x in range(50, 0, -1)]
    k = 0
    while k + 1 < len(grid):
        found, total, _, _ = person_counts(replace(model, threshold=grid[k]), with_names)
        if found / total >= min_recall:
            break
        k += 1
    while True:
        m = replace(model, threshold=grid[k])
        n, words = clean_suspects(m)
        if 1000 * n / words <= fp_budget or k == 0:
            break
        k -= 1
    found, total, ok, pred_n = person_counts(m, dev)
    return grid[k], {
        "dev_recall": round(found / total, 3),
        "dev_precision": round(ok / pred_n, 3),
        "clean_per_1000_words": round(1000 * n / words, 2),
    }


def write_data(out: Path, threshold, info, first, last, nordic, common, weights) -> None:
    """A gzip'd text file of sections (`@name`, then one entry a line): parsed with split()
    in a fraction of the time JSON takes, which the CLI's start-up notices."""
    lines = [
        "# lfa-qual name data. Licence: CC BY-SA 4.0; see lfa_qual/data/NAMES-LICENCE.md",
        f"@threshold {threshold}",
        "@info " + json.dumps(info, ensure_ascii=False),
    ]
    for name, words in (("first", first), ("last", last), ("nordic", nordic), ("common", common)):
        lines += [f"@{name}", *sorted(words)]
    lines += ["@weights", *(f"{f}\t{v}" for f, v in sorted(weights.items()))]
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("\n".join(lines) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--uner", type=Path, default=DEFAULT_UNER)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument(
        "--train-only", action="store_true", help="ship the train-only model (to measure on dev)"
    )
    args = ap.parse_args()
    first, last, nordic = name_lists()
    common = common_words()
    lexicon = Lexicon(frozenset(first), frozenset(last), frozenset(common))
    rng = random.Random(7)
    train_s = read_iob2(args.uner / "da_ddt-ud-train.iob2")
    dev_s = read_iob2(args.uner / "da_ddt-ud-dev.iob2")
    w = train(examples(train_s, lexicon, 0.3, rng))
    model = NameModel(lexicon, frozenset(nordic), prune(w), 0.5, {})
    threshold, info = choose_threshold(model, dev_s)
    print(f"train-only model on dev: threshold {threshold} {info}")
    if not args.train_only:
        # The threshold is chosen with the train-only model on dev; the shipped weights are
        # fitted on train + dev with the same settings (more names seen; test never read).
        w = train(examples(train_s + dev_s, lexicon, 0.3, random.Random(7)))
        info["fitted_on"] = "train+dev"
    kept = prune(w)
    info.update(
        {
            "trained_on": "UNER Danish-DDT (CC BY-SA 4.0)",
            "features": len(kept),
            "first_names": len(first),
            "surnames": len(last),
            "common_words": len(common),
        }
    )
    write_data(args.out, threshold, info, first, last, nordic, common, kept)
    print(f"threshold {threshold} {info}; wrote {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
