"""Build `lfa_qual/data/word_df.tsv`: paragraph document frequencies of content lemmas.

Run from the repository root on unlabelled example transcripts:

    .venv/bin/python scripts/build_word_df.py transcripts/*.md

The suggester uses the table to discount keywords that are common in interview talk about the
reform (`lfa_qual.nlp.specificity`). Words found in one paragraph only are left out. The scores,
and so every suggestion figure in docs/, depend on this file: re-measure after rebuilding it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lfa_qual.codebook import parse_codebook
from lfa_qual.nlp.learned import features
from lfa_qual.nlp.specificity import WORD_DF
from lfa_qual.nlp.suggest import Suggester
from lfa_qual.nlp.units import paragraph_units
from lfa_qual.readers import read_transcript

OUT = Path(__file__).resolve().parents[1] / "lfa_qual" / "data" / WORD_DF


def build(paths: list[Path]) -> tuple[int, dict[str, int]]:
    """Paragraph document frequencies of content lemmas in transcript files."""
    empty = parse_codebook("name: x\ncodes:\n  - id: x\n    label: x\n")
    helper = Suggester(empty, options=None)
    texts = []
    for path in paths:
        t = read_transcript(path)
        texts += [t.text[u.start : u.end] for u in paragraph_units(t, include_interviewer=True)]
    df: dict[str, int] = {}
    for lemmas in helper.lemmas(texts):
        for lemma in features(lemmas):
            df[lemma] = df.get(lemma, 0) + 1
    return len(texts), df


def main(argv: list[str]) -> int:
    n, df = build([Path(a) for a in argv])
    rows = "".join(f"{w}\t{c}\n" for w, c in sorted(df.items()) if c >= 2)
    OUT.write_text(
        "# Paragraph document frequencies of content lemmas in the example transcripts\n"
        "# (made by `python scripts/build_word_df.py transcripts/*.md`; words in one paragraph "
        "only are left out).\n"
        f"paragraphs\t{n}\n{rows}",
        encoding="utf-8",
    )
    print(f"{OUT}: {n} paragraphs, {len(df)} lemmas", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
