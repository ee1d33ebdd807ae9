"""How specific a keyword is: a word shared by several codes, or common in interview talk about
the reform at all, says less about which theme a passage has than a rare word of one theme.

Two measures, both computed once per codebook (nothing here runs per word):
- shared: the number of codes that list the word (a word of three codes counts a third);
- common: the word's document frequency among the paragraphs of unlabelled example
  transcripts (`lfa_qual/data/word_df.tsv`, made by `python scripts/build_word_df.py
  transcripts/*.md`): a word in a tenth of all paragraphs is not a theme's word, whatever the
  codebook says.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources

from lfa_qual.nlp.learned import STOP

# A keyword whose inverse document frequency is at least IDF_FULL counts in full; more common
# words count less, down to COMMON_FLOOR (the codebook chose them: never nothing).
IDF_FULL = 3.0
COMMON_FLOOR = 0.5
# Lemma and count a line, tab-separated, after a first line "paragraphs<TAB>N".
WORD_DF = "word_df.tsv"


@lru_cache(maxsize=1)
def document_frequencies() -> tuple[int, dict[str, int]]:
    """(number of paragraphs, lemma → paragraphs containing it) of the example transcripts."""
    text = (resources.files("lfa_qual") / "data" / WORD_DF).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    (_, n_docs), *words = rows
    return int(n_docs), {lemma: int(n) for lemma, n in words}


def common_weight(lemmas: list[str], n_docs: int, df: dict[str, int]) -> float:
    """The weight of a keyword by how common its rarest word is (1.0 for specific words); a
    function word ("sammen") is common by definition."""
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
