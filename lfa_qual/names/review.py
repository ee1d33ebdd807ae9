"""Suspects in a project, and the researcher's decisions on them: "not a name" (an allow-list
entry in the store, with who and when) or a replacement by a pseudonym (the transcript file is
edited after a backup, and its codings are re-anchored as after any edit)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from lfa_qual.errors import LfaError
from lfa_qual.names.detect import PSEUDONYM_WORDS, NameContext, vocabulary
from lfa_qual.names.key import NameKey, load_key
from lfa_qual.names.scan import SuspectRecord, records, transcript_suspects
from lfa_qual.store import now

TEXT_SUFFIXES = (".md", ".txt", ".markdown")


@dataclass(frozen=True)
class Replaced:
    record: SuspectRecord
    pseudonym: str
    file: Path
    original: Path  # the file as it was, kept beside the store
    report: object  # the ImportReport of the re-import (re-anchored codings)


def name_key(project) -> NameKey | None:
    """The project's name key (pseudonym_key in lfa-qual.yaml), or None when none is set."""
    if not project.config.pseudonym_key:
        return None
    return load_key(project.root / project.config.pseudonym_key)


def accepted(store) -> set[str]:
    return {r["text"] for r in store.read("SELECT text FROM names_allowed")}


def project_context(project, key: NameKey | None = None) -> NameContext:
    """Words that are never names in this project: the pseudonyms' words, the codebook's
    vocabulary (ids, labels, keywords), the key's pseudonyms and the accepted texts."""
    allowed = set(PSEUDONYM_WORDS) | accepted(project.store)
    try:
        codebook = project.codebook()
    except LfaError:
        codebook = None
    if codebook is not None:
        for code in codebook.codes:
            allowed |= vocabulary([code.id.replace("_", " "), code.label, *code.keywords])
    entries = key.entries if key else {}
    allowed |= vocabulary(entries.values())
    allowed -= {k.lower() for k in entries}  # a key name is a name, whatever else it is
    return NameContext(allowed=allowed, key=dict(entries))


def project_suspects(
    project, interviews: list[str] | None = None, key: NameKey | None = None
) -> list[SuspectRecord]:
    """Unresolved suspects of the imported transcripts, by interview and position."""
    from lfa_qual.importer import recorded_file

    context = project_context(project, key)
    rows = project.store.read("SELECT interview, source FROM transcripts ORDER BY interview")
    out: list[SuspectRecord] = []
    for row in rows:
        if interviews and row["interview"] not in interviews:
            continue
        t = project.transcript(row["interview"])
        file = str(recorded_file(row["source"], project.root)) if row["source"] else ""
        out += records(t, transcript_suspects(t, context), file)
    return out


def pick(found: list[SuspectRecord], number: int) -> SuspectRecord:
    if not 1 <= number <= len(found):
        raise LfaError(
            f"no suspect number {number}: the listing has {len(found)} (see `lfa-qual names`)",
            field="N",
        )
    return found[number - 1]


def accept(project, record: SuspectRecord, coder: str) -> None:
    """Mark the suspect's text as "not a name" for the whole project."""
    if record.kind == "key":
        raise LfaError(
            f"{record.text!r} is in the name key: a certain leak, not a false alarm; replace it "
            "with --replace N PSEUDONYM",
            field="N",
        )
    text = " ".join(record.text.lower().split())
    with project.store.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO names_allowed(text, kind, interview, accepted_by, accepted_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (text, record.kind, record.interview, coder, now()),
        )


def unaccept(project, text: str) -> None:
    """Undo `accept`: the text is a suspect again."""
    with project.store.transaction() as conn:
        conn.execute("DELETE FROM names_allowed WHERE text = ?", (" ".join(text.lower().split()),))


def replaced_names(store) -> dict[str, str]:
    """Names replaced earlier (`replace`), as written, → their pseudonyms."""
    return {
        r["text"]: r["pseudonym"] for r in store.read("SELECT text, pseudonym FROM names_replaced")
    }


def replace(project, record: SuspectRecord, pseudonym: str, coder: str) -> Replaced:
    """Replace the suspect's text by `pseudonym` in the transcript file, keeping the file as it
    was beside the store, then re-import it (codings are re-anchored, after a store backup)."""
    from lfa_qual.backup import default_backup_path
    from lfa_qual.outputs import replacing_text
    from lfa_qual.textfile import read_text_file

    pseudonym = " ".join(pseudonym.split())
    if not pseudonym:
        raise LfaError("the pseudonym is empty", field="PSEUDONYM")
    path = Path(record.file)
    if not path.exists():
        raise LfaError("the transcript file is gone; cannot replace in it", path=path)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise LfaError(
            f"only text transcripts ({', '.join(TEXT_SUFFIXES)}) can be edited here; replace "
            f"{record.text!r} in the file by hand",
            path=path,
        )
    text, _ = read_text_file(path)
    stored = project.transcript(record.interview).text
    if text != stored or text[record.start : record.end] != record.text:
        raise LfaError(
            "the file differs from the imported transcript; run `lfa-qual transcripts` "
            "and list the suspects again",
            path=path,
        )
    stamp = default_backup_path(project.db_path, "names").stem
    original = project.db_path.with_name(f"{stamp}.{path.name}")
    try:
        shutil.copy2(path, original)
    except OSError as exc:
        raise LfaError(f"cannot back up the transcript: {exc.strerror}", path=original) from None
    new_text = text[: record.start] + pseudonym + text[record.end :]
    with replacing_text(path, newline="") as stream:
        stream.write(new_text)
    with project.store.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO names_replaced(text, pseudonym, kind, interview, replaced_by,"
            " replaced_at) VALUES (?, ?, ?, ?, ?, ?)",
            (record.text, pseudonym, record.kind, record.interview, coder, now()),
        )
    _, report = project.sync()
    return Replaced(record, pseudonym, path, original, report)


def undo_replace(project, done: Replaced) -> None:
    """Put the replaced text back (the TUI's undo), re-anchoring as after any edit."""
    from lfa_qual.outputs import replacing_text
    from lfa_qual.textfile import read_text_file

    text, _ = read_text_file(done.file)
    start, end = done.record.start, done.record.start + len(done.pseudonym)
    if text[start:end] != done.pseudonym:
        raise LfaError(
            "the file changed since the replacement; undo it by hand (the original is kept in "
            f"{done.original})",
            path=done.file,
        )
    with replacing_text(done.file, newline="") as stream:
        stream.write(text[:start] + done.record.text + text[end:])
    with project.store.transaction() as conn:
        conn.execute("DELETE FROM names_replaced WHERE text = ?", (done.record.text,))
    project.sync()
