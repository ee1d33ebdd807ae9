"""Keeping the store's codes in step with the codebook file without losing a coding."""

from __future__ import annotations

from dataclasses import dataclass, field

from lfa_qual.codebook import Codebook
from lfa_qual.errors import CodebookError, LfaError
from lfa_qual.store import Store, new_guid, now


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.renamed or self.removed)


def sync_codebook(store: Store, codebook: Codebook, yaml_text: str = "") -> SyncReport:
    """Make the store's codes those of `codebook`, in one transaction.

    A code renamed with `renamed_from` takes its codings along; a removed code that still has
    codings is refused, listing them, so that nothing is dropped silently.
    """
    report = SyncReport()
    with store.transaction() as conn:
        existing = {r["id"] for r in conn.execute("SELECT id FROM codes")}
        for code in codebook.codes:
            if code.id in existing:
                continue
            old = next((o for o in code.renamed_from if o in existing), None)
            if old is not None:
                conn.execute("UPDATE codes SET id = ? WHERE id = ?", (code.id, old))
                existing.discard(old)
                existing.add(code.id)
                report.renamed.append((old, code.id))
        gone = existing - set(codebook.by_id)
        blocked: list[LfaError] = []
        for code_id in sorted(gone):
            rows = conn.execute(
                "SELECT c.id, t.interview, c.start, c.end, substr(t.text, c.start + 1, min(c.end - c.start, 60)) AS snippet"
                " FROM codings c JOIN transcripts t ON t.id = c.transcript_id WHERE c.code_id = ?"
                " ORDER BY t.interview, c.start",
                (code_id,),
            ).fetchall()
            for r in rows:
                blocked.append(
                    LfaError(
                        f"coding {r['id']} in {r['interview']} [{r['start']}:{r['end']}] "
                        f"{r['snippet']!r} uses code {code_id!r}"
                    )
                )
            # A summary in the summary grid is written work too (lfa_qual.grid).
            for r in conn.execute(
                "SELECT row FROM grid_summaries WHERE code_id = ? ORDER BY row", (code_id,)
            ).fetchall():
                blocked.append(LfaError(f"the summary grid's cell {r['row']} × {code_id!r}"))
        if blocked:
            raise CodebookError(
                f"the codebook removes code(s) that still have codings ({len(blocked)}): keep the "
                "code, rename it with 'renamed_from', or remove those codings first",
                blocked,
                path=codebook.path or None,
            )
        for code_id in sorted(gone):
            conn.execute("DELETE FROM suggestions WHERE code_id = ?", (code_id,))
            conn.execute("DELETE FROM codes WHERE id = ?", (code_id,))
            report.removed.append(code_id)
        for code in codebook.codes:
            cur = conn.execute(
                "UPDATE codes SET parent=?, label=?, description=?, color=?, position=? WHERE id=?",
                (code.parent, code.label, code.description, code.color, code.position, code.id),
            )
            if cur.rowcount == 0:
                conn.execute(
                    "INSERT INTO codes(id, guid, parent, label, description, color, position)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (
                        code.id,
                        new_guid(),
                        code.parent,
                        code.label,
                        code.description,
                        code.color,
                        code.position,
                    ),
                )
                report.added.append(code.id)
        for key, value in (
            ("codebook.name", codebook.name),
            ("codebook.version", codebook.version),
            ("codebook.path", codebook.path),
            ("codebook.yaml", yaml_text),
            ("codebook.synced", now()),
        ):
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
    return report
