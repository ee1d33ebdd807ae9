"""The shipped name data: name lists, common Danish words and the person-name model's weights.

One gzip'd text file, `lfa_qual/data/names_da.txt.gz`, built by `scripts/train_names.py`:
- first names and surnames from Faker's person providers (MIT licence);
- common words: Danish words of the `wordfreq` list (CC BY-SA 4.0) that the spaCy lookup
  lemmatiser also knows (so a name that is frequent in text, like "Mette", is not "common");
- weights of a logistic token model trained on the train split of UNER Danish-DDT
  (CC BY-SA 4.0, derived from DaN+ by Plank, Jensen and van der Goot, COLING 2020; released with
  Universal NER v1, Mayhew et al., NAACL 2024).
The file as a whole is therefore distributed under CC BY-SA 4.0; see
`lfa_qual/data/NAMES-LICENCE.md`. It is loaded once per process, on first use.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from lfa_qual.names.features import Lexicon

DATA_FILE = "names_da.txt.gz"


@dataclass(frozen=True)
class NameModel:
    lexicon: Lexicon
    nordic: frozenset[str]  # first names looked for in lower case too
    weights: dict[str, float]
    threshold: float
    info: dict


@lru_cache(maxsize=1)
def load_model() -> NameModel:
    ref = resources.files("lfa_qual") / "data" / DATA_FILE
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        text = f.read()
    sections: dict[str, list[str]] = {}
    header: dict[str, str] = {}
    current: list[str] | None = None
    for chunk in text.split("\n@")[1:]:
        name, _, rest = chunk.partition("\n")
        if " " in name:  # a one-line entry: "@threshold 0.09"
            key, _, value = name.partition(" ")
            header[key] = value
            current = None
            continue
        current = rest.split("\n")
        if current and not current[-1]:
            current.pop()
        sections[name] = current
    weights = {}
    for line in sections["weights"]:
        feature, _, value = line.rpartition("\t")
        weights[feature] = float(value)
    lexicon = Lexicon(
        first=frozenset(sections["first"]),
        last=frozenset(sections["last"]),
        common=frozenset(sections["common"]),
    )
    return NameModel(
        lexicon,
        frozenset(sections["nordic"]),
        weights,
        float(header["threshold"]),
        json.loads(header.get("info", "{}")),
    )
