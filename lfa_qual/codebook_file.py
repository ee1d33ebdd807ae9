"""The codebook file as the codebook editor and undo write it: a backup of the old text in
`codebooks/.backup/`, the store's codes brought up to the new text, then the text put in place
(a temporary file and a rename). Below `history`, which replays a codebook edit through
`apply_codebook`; the edits themselves are made in `codebook_edit`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from lfa_qual.codebook import Codebook, parse_codebook
from lfa_qual.codebook_sync import sync_codebook
from lfa_qual.outputs import replacing_text
from lfa_qual.store import now
from lfa_qual.textfile import read_text_file

BACKUP_DIR = ".backup"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def backup_codebook(path: Path, text: str) -> Path:
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    stamp = now().replace(":", "").replace("-", "")[:15]
    target = folder / f"{path.stem}.{stamp}{path.suffix}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{path.stem}.{stamp}-{n}{path.suffix}"
    target.write_text(text, encoding="utf-8")
    return target


def install_codebook(store, path: Path, text: str, codebook: Codebook | None = None) -> None:
    """Bring the store's codes up to the new text, then put the text in place (inside the
    caller's transaction: a refusal of the sync leaves the file as it was)."""
    sync_codebook(store, codebook or parse_codebook(text, str(path)), text)
    with replacing_text(path, newline="") as stream:
        stream.write(text)


def apply_codebook(store, path: str, expected: dict, want: dict, why) -> None:
    """Undo/redo of a codebook edit: the file back to `want` if it still reads `expected`."""
    current, _ = read_text_file(Path(path))
    if digest(current) != digest(expected["yaml"]):
        raise why("the codebook file has been edited since")
    backup_codebook(Path(path), current)
    install_codebook(store, Path(path), want["yaml"])
