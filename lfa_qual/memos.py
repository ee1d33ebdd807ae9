"""Every memo of a project in one list: on codings, codes, transcripts and the project itself.

A coding's memo is a column of its coding (signed by the coder, dated by the coding); the others
are rows of the store's `memos` table (`target_kind` code, transcript or project; author and time
of the last edit). `list_memos` filters them as a researcher looks for them (kind, code,
transcript, author, words in the text) and names the place each belongs to, so that a memo list
can say where it is and jump there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from lfa_qual.errors import LfaError

if TYPE_CHECKING:
    from lfa_qual.project import Project

KINDS = ("project", "code", "transcript", "coding")
KIND_LABELS = {"project": "Projekt", "code": "Kode", "transcript": "Interview", "coding": "Kodning"}
PROJECT_TARGET = "project"  # the `target` of the project memo in the store


@dataclass(frozen=True)
class Memo:
    kind: str  # one of KINDS
    target: str  # coding id, code id, interview id, or "project"
    text: str
    author: str
    updated: str  # ISO time of the last edit (a coding memo: the coding's time)
    place: str  # where it belongs, for people: a citation, a code label, an interview
    code: str = ""  # the code of a coding or code memo
    interview: str = ""  # the interview of a coding or transcript memo
    start: int | None = None  # a coding memo's passage, to jump to
    end: int | None = None

    def record(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class MemoFilter:
    """None means all; `search` keeps memos whose text (or place) holds every word of it."""

    kinds: tuple[str, ...] | None = None
    codes: tuple[str, ...] | None = None
    interviews: tuple[str, ...] | None = None
    authors: tuple[str, ...] | None = None
    search: str | None = None


def _check(values: Sequence[str] | None, known: Sequence[str], what: str, field: str) -> None:
    for value in values or ():
        if value not in known:
            listed = ", ".join(known) or "none"
            raise LfaError(f"no {what} {value!r} in this project; known: {listed}", field=field)


def all_memos(project: Project) -> list[Memo]:
    """Every memo: the project's first, then codes in codebook order, transcripts, codings."""
    codebook = project.codebook()
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    labels = {c.id: c.label for c in codebook.codes}
    rows = project.store.read(
        "SELECT target_kind, target, text, author, updated FROM memos"
        " ORDER BY CASE target_kind WHEN 'project' THEN 0 WHEN 'code' THEN 1 ELSE 2 END, target"
    )
    out: list[Memo] = []
    for r in rows:
        kind, target = r["target_kind"], r["target"]
        if kind == "project":
            place, code, interview = KIND_LABELS["project"], "", ""
        elif kind == "code":
            place, code, interview = labels.get(target, target), target, ""
        else:
            place, code, interview = target, "", target
        out.append(Memo(kind, target, r["text"], r["author"], r["updated"], place, code, interview))
    out.sort(key=lambda m: (KINDS.index(m.kind), order.get(m.code, len(order))))
    for coding in project.codings():
        if coding.memo.strip():
            out.append(
                Memo(
                    "coding",
                    str(coding.id),
                    coding.memo,
                    coding.coder,
                    coding.created,
                    f"{labels.get(coding.code, coding.code)} {project.cite(coding)}",
                    coding.code,
                    coding.interview,
                    coding.start,
                    coding.end,
                )
            )
    return out


def list_memos(project: Project, which: MemoFilter | None = None) -> list[Memo]:
    """The memos `which` selects; an unknown kind, code, interview or author is refused (a typo
    would list nothing). A code selects the memos of its sub-codes too."""
    which = which or MemoFilter()
    memos = all_memos(project)
    _check(which.kinds, KINDS, "memo kind", "kind")
    codes: set[str] | None = None
    if which.codes is not None:
        codebook = project.codebook()
        _check(which.codes, [c.id for c in codebook.codes], "code", "code")
        codes = {d.id for c in which.codes for d in [codebook.get(c), *codebook.descendants(c)]}
    if which.interviews is not None:
        known = [r.interview for r in project.transcript_rows()]
        _check(which.interviews, known, "interview", "transcript")
    if which.authors is not None:
        _check(which.authors, sorted({m.author for m in memos}), "memo author", "coder")
    words = (which.search or "").casefold().split()
    return [
        m
        for m in memos
        if (which.kinds is None or m.kind in which.kinds)
        and (codes is None or m.code in codes)
        and (which.interviews is None or m.interview in which.interviews)
        and (which.authors is None or m.author in which.authors)
        and all(w in f"{m.text} {m.place}".casefold() for w in words)
    ]
