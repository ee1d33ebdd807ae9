"""The Danish lemma lookup table, prepared once and loaded in milliseconds.

spacy-lookups-data ships the table as gzipped JSON of 553,000 word forms; spaCy reads it into a
hashed dict on every start (about 1.5 s of a 2.6 s `suggest`). We read it once, apply our
repairs (`lemma_overrides.OVERRIDES`) and keep it in the user's cache folder as three sorted
numpy arrays (forms, lemma numbers, lemmas) that are memory-mapped: opening costs a few
milliseconds and a lookup a binary search (a few microseconds; the lemmatizer caches per form).

The cache folder's name carries a hash of the spaCy and spacy-lookups-data versions, the
overrides and the format, so an upgrade or a new override builds a fresh one; it is written to
a temporary folder and renamed into place, so two processes starting at once never read half a
table. Where no cache can be written, the table is built in memory for the process.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from lfa_qual.errors import LfaError
from lfa_qual.nlp.lemma_overrides import OVERRIDES
from lfa_qual.usercache import cache_root, package_version

FORMAT = 1  # bump when the files' layout changes
FILES = ("forms.npy", "lemma_ids.npy", "lemmas.npy")
MEMO_LIMIT = 200_000  # looked-up forms kept per process (hits and misses); memory stays flat


def versions() -> tuple[str, str]:
    """spaCy's and spacy-lookups-data's versions, without importing spaCy."""
    return package_version("spacy"), package_version("spacy-lookups-data")


def cache_key() -> str:
    spacy_v, lookups_v = versions()
    overrides = "\n".join(f"{k}\t{v}" for k, v in sorted(OVERRIDES.items()))
    text = f"{FORMAT}|{spacy_v}|{lookups_v}|{overrides}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class LemmaTable:
    """Word form → lemma as the lookup table (with our overrides) has it, or None."""

    def __init__(self, forms: np.ndarray, lemma_ids: np.ndarray, lemmas: np.ndarray) -> None:
        self._forms, self._ids, self._lemmas = forms, lemma_ids, lemmas
        self._n = len(forms)
        self._width = forms.dtype.itemsize
        self._memo: dict[str, str | None] = {}

    def __len__(self) -> int:
        return self._n

    def get(self, word: str) -> str | None:
        try:
            return self._memo[word]
        except KeyError:
            pass
        key = word.encode()
        found = None
        # A longer key would be cut to the array's width and could match a stored prefix.
        if len(key) <= self._width:
            i = int(self._forms.searchsorted(key))
            if i < self._n and self._forms[i] == key:
                found = self._lemmas[self._ids[i]].decode()
        if len(self._memo) < MEMO_LIMIT:
            self._memo[word] = found
        return found


def lookup_data() -> dict[str, str]:
    """The raw table of spacy-lookups-data (form → lemma), read through spaCy's registry."""
    from spacy.util import load_language_data, registry

    try:
        path = registry.lookups.get("da")["lemma_lookup"]
        return dict(load_language_data(path))
    except Exception as exc:  # spacy-lookups-data missing, or its files broken
        raise LfaError(
            f"the Danish lemma tables cannot be loaded ({exc}); "
            "install spacy-lookups-data with pip",
            field="pipeline",
        ) from None


def build_arrays(data: dict[str, str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted forms, each form's lemma number, and the distinct lemmas (all UTF-8)."""
    merged = {**data, **OVERRIDES}
    forms = np.array([f.encode() for f in merged])
    order = np.argsort(forms, kind="stable")
    lemmas = sorted({v.encode() for v in merged.values()})
    number = {lemma: i for i, lemma in enumerate(lemmas)}
    ids = np.array([number[v.encode()] for v in merged.values()], dtype=np.uint32)
    return forms[order], ids[order], np.array(lemmas)


def _open(folder: Path) -> LemmaTable:
    arrays = [np.load(folder / name, mmap_mode="r", allow_pickle=False) for name in FILES]
    return LemmaTable(*arrays)


def _write(root: Path, folder: Path, arrays: tuple[np.ndarray, ...]) -> None:
    """Write the arrays to `folder` through a temporary folder renamed into place."""
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".lemmas-", dir=root))
    try:
        for name, array in zip(FILES, arrays, strict=True):
            np.save(tmp / name, array, allow_pickle=False)
        # If another process was quicker, the rename fails: its table is the same.
        with contextlib.suppress(OSError):
            tmp.rename(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for old in root.glob("lemmas-*"):  # tables of older versions are never read again
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)


@lru_cache(maxsize=1)
def load_table() -> LemmaTable:
    """The prepared table: from the cache, building it there on first use."""
    root = cache_root()
    folder = root / f"lemmas-{cache_key()}"
    try:
        return _open(folder)
    except (OSError, ValueError):  # not built yet, or damaged: (re)build it
        shutil.rmtree(folder, ignore_errors=True)
    arrays = build_arrays(lookup_data())
    try:
        _write(root, folder, arrays)
        return _open(folder)
    except (OSError, ValueError):  # no writable cache: keep the table in memory
        return LemmaTable(*arrays)
