"""Editing the codebook: create, relabel, move and merge codes, written back to its YAML file.

The file is the codebook's truth, so an edit changes the file and then brings the store up to
date with it, in one transaction with its entry in the undo history (change target
"codebook": the file's text before and after). Writing keeps the file as its author wrote it:
ruamel.yaml's round-trip mode keeps comments, key order, quoting and folded texts (PyYAML still
reads and validates it, as everywhere else). Before the file is replaced, it is copied into
`.backup/` beside it; an edit is refused when the file changed on disk since the editor read it
(someone else's edit is never overwritten), and the new text must pass the codebook's own
validation before it is written.
"""

from __future__ import annotations

import io
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from lfa_qual.codebook import COLOR_RE, ID_RE, PALETTE, Codebook, parse_codebook_cached
from lfa_qual.codebook_file import backup_codebook, digest, install_codebook
from lfa_qual.errors import LfaError
from lfa_qual.textfile import read_text_file

if TYPE_CHECKING:
    from lfa_qual.project import Project


@dataclass
class EditResult:
    message: str  # what was done, for the user
    backup: Path | None = None
    moved: int = 0  # codings moved by a merge
    notes: list[str] = field(default_factory=list)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line the author wrote
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


class CodebookEditor:
    """The project's codebook file as loaded now; each operation writes it back at once."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.path = project.codebook_path
        self.reload()

    def reload(self) -> None:
        self.text, _ = read_text_file(self.path)
        self.loaded = digest(self.text)
        # From the user's cache when this text was parsed before (a sixth of a second of the
        # codebook screen's opening was parsing it again).
        self.codebook: Codebook = parse_codebook_cached(self.text, str(self.path))

    # -- the operations ------------------------------------------------------------------
    def create(
        self,
        code_id: str,
        label: str,
        parent: str | None = None,
        color: str | None = None,
        description: str = "",
    ) -> EditResult:
        if not ID_RE.match(code_id or ""):
            raise LfaError(
                f"bad id {code_id!r}: use lower-case ASCII letters, digits and '_'", field="id"
            )
        if code_id in self.codebook:
            where = self.codebook.get(code_id)
            raise LfaError(
                f"the codebook already has a code {code_id!r} ({where.label}); choose another id",
                field="id",
            )
        if not label.strip():
            raise LfaError("a code needs a label", field="label")
        if color and not COLOR_RE.match(color):
            raise LfaError(f'bad colour {color!r}: write it as "#rrggbb"', field="color")
        if parent is not None:
            self.codebook.get(parent)
        doc = self._doc()
        node = CommentedMap()
        node["id"] = code_id
        node["label"] = label.strip()
        # Quoted as the codebooks write colours: a bare # would start a comment.
        node["color"] = DoubleQuotedScalarString(
            color or PALETTE[len(self.codebook.codes) % len(PALETTE)]
        )
        if description.strip():
            node["description"] = description.strip()
        self._siblings(doc, parent, create=True).append(node)
        under = f" under {parent}" if parent else ""
        return self._write(doc, f"created {code_id} ({label.strip()}){under}")

    def relabel(self, code_id: str, label: str) -> EditResult:
        old = self.codebook.get(code_id).label
        if not label.strip():
            raise LfaError("a code needs a label", field="label")
        doc = self._doc()
        self._find(doc, code_id)[2]["label"] = label.strip()
        return self._write(doc, f"relabelled {code_id}: {old} → {label.strip()}")

    def move(self, code_id: str, parent: str | None) -> EditResult:
        code = self.codebook.get(code_id)
        if parent is not None:
            self.codebook.get(parent)
            inside = {c.id for c in self.codebook.descendants(code_id)} | {code_id}
            if parent in inside:
                raise LfaError(
                    f"cannot move {code_id} under {parent}: {parent} is {code_id} itself or "
                    "one of its sub-codes",
                    field="parent",
                )
        if code.parent == parent:
            where = f"under {parent}" if parent else "at the top level"
            raise LfaError(f"{code_id} is already {where}", field="parent")
        doc = self._doc()
        node = self._detach(doc, code_id)
        self._siblings(doc, parent, create=True).append(node)
        where = f"under {parent}" if parent else "to the top level"
        return self._write(doc, f"moved {code_id} {where}")

    def merge(self, source: str, target: str, coder: str) -> EditResult:
        """Codings of `source` become codings of `target`, and `source` leaves the codebook
        (its sub-codes move under `target`). A passage coded with both keeps one coding."""
        self.codebook.get(source)
        self.codebook.get(target)
        if source == target:
            raise LfaError(f"cannot merge {source} into itself", field="target")
        if target in {c.id for c in self.codebook.descendants(source)}:
            raise LfaError(
                f"cannot merge {source} into its own sub-code {target}: move {target} out first",
                field="target",
            )
        store = self.project.store
        summaries = store.read_one(
            "SELECT count(*) AS n FROM grid_summaries WHERE code_id = ?", (source,)
        )["n"]
        if summaries:
            raise LfaError(
                f"{source} has {summaries} summary(ies) in the summary grid; move them to "
                f"{target} or delete them first (`lfa-qual grid show`, `grid set … --text ''`)",
                field="source",
            )
        doc = self._doc()
        node = self._detach(doc, source)
        children = node.get("children") or []
        if children:
            self._siblings(doc, target, create=True).extend(children)
        return self._write(doc, f"merged {source} into {target}", merge=(source, target, coder))

    # -- the YAML tree -------------------------------------------------------------------
    def _doc(self) -> CommentedMap:
        return _yaml().load(self.text)

    def _find(self, doc, code_id: str) -> tuple[CommentedSeq, int, CommentedMap]:
        def walk(seq):
            for i, node in enumerate(seq or []):
                if node.get("id") == code_id:
                    return seq, i, node
                found = walk(node.get("children"))
                if found:
                    return found
            return None

        found = walk(doc["codes"])
        if found is None:
            raise LfaError(f"unknown code {code_id!r}", path=self.path)
        return found

    def _detach(self, doc, code_id: str) -> CommentedMap:
        seq, i, node = self._find(doc, code_id)
        del seq[i]
        if not seq and seq is not doc["codes"]:
            self._remove_empty_children(doc["codes"])
        return node

    def _remove_empty_children(self, seq) -> None:
        for node in seq or []:
            children = node.get("children")
            if children is not None and not children:
                del node["children"]
            else:
                self._remove_empty_children(children)

    def _siblings(self, doc, parent: str | None, create: bool = False) -> CommentedSeq:
        if parent is None:
            return doc["codes"]
        node = self._find(doc, parent)[2]
        if "children" not in node and create:
            node["children"] = CommentedSeq()
        return node["children"]

    # -- writing -------------------------------------------------------------------------
    def _write(self, doc, message: str, merge: tuple[str, str, str] | None = None) -> EditResult:
        from lfa_qual import history

        out = io.StringIO()
        _yaml().dump(doc, out)
        new = out.getvalue()
        # The edit must leave a valid codebook; cached, so that the next opening finds it.
        codebook = parse_codebook_cached(new, str(self.path))
        current, _ = read_text_file(self.path)
        if digest(current) != self.loaded:
            self.reload()
            raise LfaError(
                "the codebook file changed on disk since it was loaded (an edit in another "
                "program?); it has been read again: nothing was written, check it and try again",
                path=self.path,
            )
        store = self.project.store
        coder = merge[2] if merge else self.project.coder
        result = EditResult(message)
        with store.transaction():
            changes = []
            if merge:
                changes, result.notes = _move_codings(store, *merge[:2])
                result.moved = sum(1 for c in changes if c.after is not None)
            changes.append(
                history.Change("codebook", str(self.path), {"yaml": self.text}, {"yaml": new})
            )
            result.backup = backup_codebook(self.path, self.text)
            install_codebook(store, self.path, new, codebook)
            history.record(store, "codebook", message, coder, changes)
        # The file as written is what the editor and the project hold now (parsed once: the
        # LFA codebook takes a fifth of a second to parse).
        self.text, self.loaded, self.codebook = new, digest(new), codebook
        self.project._codebook = (self.path.stat().st_mtime, codebook)
        if merge:
            result.message += f" ({result.moved} coding(s) moved)"
        return result


def _move_codings(store, source: str, target: str):
    """Move `source`'s codings to `target` (a passage that has both keeps the target's), and
    its code memo; the history changes of the codings, and notes for the user."""
    from lfa_qual import history
    from lfa_qual.codings import get_coding

    changes: list = []
    notes: list[str] = []
    rows = store.read(
        "SELECT c.id, EXISTS (SELECT 1 FROM codings d WHERE d.transcript_id = c.transcript_id"
        " AND d.start = c.start AND d.end = c.end AND d.code_id = ?) AS dup"
        " FROM codings c WHERE c.code_id = ? ORDER BY c.id",
        (target, source),
    )
    with store.transaction() as conn:
        for row in rows:
            before = get_coding(store, row["id"])
            if row["dup"]:
                conn.execute("DELETE FROM codings WHERE id = ?", (row["id"],))
                changes.append(
                    history.Change("coding", before.guid, history.coding_state(before), None)
                )
                continue
            conn.execute("UPDATE codings SET code_id = ? WHERE id = ?", (target, row["id"]))
            after = get_coding(store, row["id"])
            changes.append(
                history.Change(
                    "coding",
                    before.guid,
                    history.coding_state(before),
                    history.coding_state(after),
                )
            )
        dups = sum(1 for c in changes if c.after is None)
        if dups:
            notes.append(f"{dups} passage(s) had both codes: the {source} coding was dropped")
        memo = conn.execute(
            "SELECT text FROM memos WHERE target_kind = 'code' AND target = ?", (source,)
        ).fetchone()
        if memo is not None:
            _append_memo(conn, source, target, memo["text"])
            notes.append(f"the memo of {source} was added to the memo of {target}")
    return changes, notes


def _append_memo(conn: sqlite3.Connection, source: str, target: str, text: str) -> None:
    found = conn.execute(
        "SELECT text FROM memos WHERE target_kind = 'code' AND target = ?", (target,)
    ).fetchone()
    if found is None:
        conn.execute(
            "UPDATE memos SET target = ? WHERE target_kind = 'code' AND target = ?",
            (target, source),
        )
        return
    merged = f"{found['text']}\n\n(fra {source}) {text}"
    conn.execute(
        "UPDATE memos SET text = ? WHERE target_kind = 'code' AND target = ?", (merged, target)
    )
    conn.execute("DELETE FROM memos WHERE target_kind = 'code' AND target = ?", (source,))
