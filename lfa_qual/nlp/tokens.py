"""Words of a text as the pipeline splits them, kept between runs for the fallback pipeline.

With the fallback pipeline (blank Danish, lookup lemmas) the suggester reads nothing of spaCy's
analysis but where each word is and, in a long paragraph, where its sentences start: lemmas
are ours (`lemmatize`). So the tokenisation of a text is all that spaCy contributes, and it is
kept in the user's cache folder, in a small SQLite file keyed by a hash of the text. A run whose
texts were all seen before (the same transcripts suggested again after a codebook edit, the
project's other transcripts learned from again in the TUI) neither imports spaCy nor loads a
pipeline: spaCy's import alone is most of a one-file `suggest` (benchmarks/bench_startup.py).

The file's name carries a key of spaCy's version and the source of the modules that make the
entries, so an upgrade reads a fresh file rather than a stale one. The cache is only a shortcut:
where it cannot be opened, read or written, the texts are tokenised again.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import sqlite3
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lfa_qual.nlp.units import LONG_PARAGRAPH_TOKENS

FORMAT = 1  # bump when an entry's layout changes
KEEP_FILES = 2  # cache files of other versions kept beside the current one's
MAX_ENTRIES = 50_000  # texts (paragraphs) kept: about 5 million words, 60 MB; oldest go first
_QUERY_CHUNK = 500  # hashes per SELECT (SQLite's limit on parameters is higher)


@dataclass(frozen=True)
class Tokens:
    """The words of a text (tokens that are not white space), with where sentences start."""

    offsets: list[int]  # where each word starts in the text
    lengths: list[int]
    # Word positions where sentences start (the first is 0): only for a text of more than
    # LONG_PARAGRAPH_TOKENS words, the only ones split into windows of sentences.
    sentences: list[int] | None
    lemmas: list[str] | None = None  # a trained pipeline's own lemmas (never cached)

    def words(self, text: str) -> list[str]:
        return [text[o : o + n] for o, n in zip(self.offsets, self.lengths, strict=True)]


def tokens_of_doc(doc, sentencizer=None, *, lemmas: bool = False) -> Tokens:
    """A spaCy Doc's words; `sentencizer` sets sentence starts when the pipeline ran none."""
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    offsets, lengths = [], []
    for idx, length, space in doc.to_array([IDX, LENGTH, IS_SPACE]).tolist():
        if not space:
            offsets.append(idx)
            lengths.append(length)
    sentences = None
    if len(offsets) > LONG_PARAGRAPH_TOKENS:
        sentences = _sentence_starts(doc, offsets, sentencizer)
    found = [t.lemma_.lower() for t in doc if not t.is_space] if lemmas else None
    return Tokens(offsets, lengths, sentences, found)


def _sentence_starts(doc, offsets: list[int], sentencizer) -> list[int]:
    """Positions (in the list of words) where sentences start; the first is 0."""
    from spacy.attrs import IDX, SENT_START

    if sentencizer is not None and not doc.has_annotation("SENT_START"):
        doc = sentencizer(doc)
    rows = doc.to_array([IDX, SENT_START]).tolist()
    return sentence_positions(offsets, (idx for idx, start in rows if start == 1))


def sentence_positions(offsets: list[int], starts: Iterable[int]) -> list[int]:
    """Positions in the list of words where sentences start (the first is 0), from where the
    tokens that start one begin in the text (a white-space token's go to the next word)."""
    found = {bisect.bisect_left(offsets, idx) for idx in starts}
    return [0, *sorted(i for i in found if 0 < i < len(offsets))]


def _encode(tokens: Tokens) -> bytes:
    sentences = tokens.sentences
    values = array("i", [len(tokens.offsets), *tokens.offsets, *tokens.lengths])
    values.append(-1 if sentences is None else len(sentences))
    values.extend(sentences or ())
    return values.tobytes()


def _decode(data: bytes) -> Tokens:
    values = array("i")
    values.frombytes(data)
    n = values[0]
    offsets, lengths = values[1 : 1 + n].tolist(), values[1 + n : 1 + 2 * n].tolist()
    m = values[1 + 2 * n]
    sentences = None if m < 0 else values[2 + 2 * n : 2 + 2 * n + m].tolist()
    if len(offsets) != n or len(lengths) != n or (m >= 0 and len(sentences) != m):
        raise ValueError("truncated entry")
    return Tokens(offsets, lengths, sentences)


def text_hash(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class TokenCache:
    """Tokens of texts by the hash of the text, in one SQLite file of the user's cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._failed = False

    @classmethod
    def for_fallback(cls) -> TokenCache:
        from lfa_qual import usercache
        from lfa_qual.nlp import pipeline

        key = usercache.make_key(
            str(FORMAT),
            usercache.package_version("spacy"),
            pipeline.FALLBACK,
            modules=(__file__, pipeline.__file__),
        )
        return cls(usercache.cache_root() / "tokens" / f"{key}.sqlite")

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is None and not self._failed:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fresh = not self.path.exists()
                conn = sqlite3.connect(self.path, timeout=2, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS tokens (hash BLOB PRIMARY KEY, data BLOB NOT NULL)"
                )
                self._conn = conn
                if fresh:
                    _prune_files(self.path)
            except (OSError, sqlite3.Error):
                self._failed = True  # no cache here: tokenise every time
        return self._conn

    def get_many(self, texts: Iterable[str]) -> dict[str, Tokens]:
        """The cached tokens of those texts that have them."""
        by_hash = {text_hash(t): t for t in texts}
        conn = self._connect()
        found: dict[str, Tokens] = {}
        if conn is None or not by_hash:
            return found
        keys = list(by_hash)
        try:
            for i in range(0, len(keys), _QUERY_CHUNK):
                chunk = keys[i : i + _QUERY_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT hash, data FROM tokens WHERE hash IN ({marks})", chunk
                ).fetchall()
                for h, data in rows:
                    with contextlib.suppress(ValueError, IndexError):
                        found[by_hash[h]] = _decode(data)
        except sqlite3.Error:
            pass
        return found

    def put_many(self, entries: dict[str, Tokens]) -> None:
        conn = self._connect()
        if conn is None or not entries:
            return
        rows = [(text_hash(t), _encode(tok)) for t, tok in entries.items() if tok.lemmas is None]
        try:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT OR REPLACE INTO tokens (hash, data) VALUES (?, ?)", rows)
                lo, hi = conn.execute("SELECT min(rowid), max(rowid) FROM tokens").fetchone()
                if lo is not None and hi - lo + 1 > MAX_ENTRIES:
                    conn.execute("DELETE FROM tokens WHERE rowid <= ?", (hi - MAX_ENTRIES,))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _prune_files(current: Path) -> None:
    """Remove the cache files of older versions, but for the KEEP_FILES newest."""
    others = []
    for path in current.parent.glob("*.sqlite"):
        if path != current:
            with contextlib.suppress(OSError):
                others.append((path.stat().st_mtime, path))
    others.sort(reverse=True)
    for _, path in others[KEEP_FILES:]:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{path}{suffix}").unlink()
