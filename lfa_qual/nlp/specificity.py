"""How specific a keyword is: a word shared by several codes, or common in interview talk about
the reform at all, says less about which theme a passage has than a rare word of one theme.

Two measures, both computed once per codebook (nothing here runs per word):
- shared: the number of codes that list the word (a word of three codes counts a third);
- common: the word's document frequency among the paragraphs of unlabelled example
  transcripts (`word_df.py`, made by `python -m lfa_qual.nlp.specificity transcripts/*.md`):
  a word in a tenth of all paragraphs is not a theme's word, whatever the codebook says.
"""

from __future__ import annotations

import math
import sys
from functools import lru_cache
from pathlib import Path

# A keyword whose inverse document frequency is at least IDF_FULL counts in full; more common
# words count less, down to COMMON_FLOOR (the codebook chose them: never nothing).
IDF_FULL = 3.0
COMMON_FLOOR = 0.5


@lru_cache(maxsize=1)
def document_frequencies() -> tuple[int, dict[str, int]]:
    """(number of paragraphs, lemma → paragraphs containing it) of the example transcripts."""
    from lfa_qual.nlp.word_df import DF, N

    table: dict[str, int] = {}
    for line in DF.split("\n"):
        if line:
            lemma, _, n = line.rpartition(" ")
            table[lemma] = int(n)
    return N, table


def common_weight(lemmas: list[str], n_docs: int, df: dict[str, int]) -> float:
    """The weight of a keyword by how common its rarest word is (1.0 for specific words); a
    function word ("sammen") is common by definition."""
    from lfa_qual.nlp.learned import STOP

    if all(lemma in STOP for lemma in lemmas) and lemmas:
        return COMMON_FLOOR
    if not n_docs or not lemmas:
        return 1.0
    rarest = min(df.get(lemma, 0) for lemma in lemmas)
    idf = math.log((n_docs + 1) / (rarest + 1))
    return max(COMMON_FLOOR, min(1.0, idf / IDF_FULL))


def shared_weight(n_codes: int) -> float:
    """The weight of a keyword listed by `n_codes` codes."""
    return 1.0 / max(n_codes, 1)


def build(paths: list[Path]) -> tuple[int, dict[str, int]]:
    """Paragraph document frequencies of content lemmas in transcript files."""
    from lfa_qual.codebook import parse_codebook
    from lfa_qual.nlp.learned import features
    from lfa_qual.nlp.suggest import Suggester
    from lfa_qual.nlp.units import paragraph_units
    from lfa_qual.readers import read_transcript

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
    out = Path(__file__).with_name("word_df.py")
    rows = "\n".join(f"{w} {c}" for w, c in sorted(df.items()) if c >= 2)
    out.write_text(
        '"""Paragraph document frequencies of lemmas in the example transcripts (made by\n'
        "`python -m lfa_qual.nlp.specificity transcripts/*.md`; words in one paragraph only are\n"
        'left out)."""\n\n'
        f"N = {n}\n"
        f'DF = """\n{rows}\n"""\n',
        encoding="utf-8",
    )
    print(f"{out}: {n} paragraphs, {len(df)} lemmas", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
