"""Quick slots: the codes on the number keys 1–9, per coder, kept in the store's meta table."""

from __future__ import annotations

import json

from lfa_qual.codebook import Codebook
from lfa_qual.store import Store

SLOTS = 9


def _key(coder: str) -> str:
    return f"tui.slots.{coder}"


def quick_slots(store: Store, codebook: Codebook, coder: str) -> list[str | None]:
    """Nine code ids (None for an empty slot); the codebook's first codes until pinned."""
    row = store.read_one("SELECT value FROM meta WHERE key = ?", (_key(coder),))
    if row is None:
        ids: list[str | None] = [c.id for c in codebook.codes[:SLOTS]]
    else:
        try:
            ids = list(json.loads(row["value"]))
        except (ValueError, TypeError):
            ids = []
    ids = [i if i in codebook.by_id else None for i in ids[:SLOTS]]
    return ids + [None] * (SLOTS - len(ids))


def slot_label(label: str, width: int = 30) -> str:
    """A quick slot as the coder reads it: the code's label, cut with … to fit the panel."""
    label = " ".join(label.split())
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def pin(store: Store, codebook: Codebook, coder: str, slot: int, code_id: str) -> list[str | None]:
    """Put `code_id` on key `slot` (1–9); a code sits on one key only."""
    ids = [None if i == code_id else i for i in quick_slots(store, codebook, coder)]
    ids[slot - 1] = code_id
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (_key(coder), json.dumps(ids)),
        )
    return ids
