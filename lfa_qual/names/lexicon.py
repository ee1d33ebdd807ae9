"""The shipped name data: name lists, common Danish words and the person-name model's weights.

One gzip'd JSON file, `lfa_qual/data/names_da.json.gz`, built by `scripts/train_names.py`:
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

DATA_FILE = "names_da.json.gz"


@dataclass(frozen=True)
class NameModel:
    lexicon: Lexicon
    weights: dict[str, float]
    threshold: float
    info: dict


@lru_cache(maxsize=1)
def load_model() -> NameModel:
    ref = resources.files("lfa_qual") / "data" / DATA_FILE
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        data = json.load(f)
    lexicon = Lexicon(
        first=frozenset(data["first"]),
        last=frozenset(data["last"]),
        common=frozenset(data["common"]),
    )
    return NameModel(lexicon, data["weights"], float(data["threshold"]), data["info"])
