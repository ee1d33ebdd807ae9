"""Small JSON results kept in the user's cache folder between runs (the parsed codebook, the
lemmas of the codebook's own texts), so that a command does not redo work whose inputs have
not changed.

An entry is named by a key that hashes everything its content depends on: the input (e.g. the
codebook file's text), lfa-qual's version, the versions of the libraries involved and the
source of the modules that compute it, so an upgrade or an edited module builds a fresh entry
instead of reading a stale one. Entries are written to a temporary file in the same folder and
renamed into place (two processes never read half an entry). The cache is only a shortcut:
where it cannot be read or written, the work is simply done again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

from lfa_qual.version import __version__

KEEP = 16  # entries kept per kind: older ones (other codebooks, other versions) are removed


def cache_root() -> Path:
    """Where lfa-qual's caches live: $LFA_QUAL_CACHE_DIR, else the XDG cache folder."""
    explicit = os.environ.get("LFA_QUAL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lfa-qual"


@cache
def package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "missing"


@cache
def _source_hash(module_file: str) -> str:
    try:
        return hashlib.sha256(Path(module_file).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def make_key(*parts: str, modules: tuple[str, ...] = ()) -> str:
    """A key for an entry: lfa-qual's version, the given parts (inputs, library versions) and
    the source of the modules (their `__file__`) whose code computes the entry."""
    digest = hashlib.sha256(__version__.encode())
    for part in (*parts, *(_source_hash(m) for m in modules)):
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def _folder() -> Path:
    return cache_root() / "results"


def read_entry(kind: str, key: str) -> object | None:
    """The entry's JSON value, or None when there is none (or it cannot be read)."""
    try:
        return json.loads((_folder() / f"{kind}-{key}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None


def write_entry(kind: str, key: str, value: object) -> None:
    """Keep `value` (JSON) under the key; a failure to write is not an error."""
    folder = _folder()
    target = folder / f"{kind}-{key}.json"
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(value, out, ensure_ascii=False)
        os.replace(tmp, target)
        tmp = None
        _prune(folder, kind, target)
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(folder: Path, kind: str, keep: Path) -> None:
    entries = []
    for path in folder.glob(f"{kind}-*.json"):
        with contextlib.suppress(OSError):
            entries.append((path.stat().st_mtime, path))
    entries.sort(reverse=True)
    for _, path in entries[KEEP:]:
        if path != keep:
            with contextlib.suppress(OSError):
                path.unlink()
