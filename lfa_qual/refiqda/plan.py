"""What a REFI-QDA import will write (`Plan`, made by `importer`, written by `apply`) and what
it reports to the user (`QdpxReport`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lfa_qual.refiqda.codebook_merge import CodeMerge
from lfa_qual.transcript import Transcript


@dataclass
class QdpxReport:
    archive: Path
    codes: list[str] = field(default_factory=list)  # the code mapping, one line each
    new_codes: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # new transcripts
    matched: list[str] = field(default_factory=list)  # sources that are project transcripts
    codings: int = 0
    known: int = 0  # codings already in the project (same GUID)
    duplicates: int = 0  # same passage, code and coder as a coding already there
    empty: int = 0  # selections of white space only
    memos: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    backup: Path | None = None
    codebook_backup: Path | None = None

    def lines(self) -> list[str]:
        out = [f"codes (archive name → code id): {len(self.codes)}"]
        out += [f"  {line}" for line in self.codes]
        if self.matched:
            out.append(f"codings added to existing transcripts: {', '.join(self.matched)}")
        out.append(
            f"imported {len(self.added)} new transcript(s), {self.codings} coding(s), "
            f"{self.memos} memo(s); {self.known} coding(s) were already there"
        )
        if self.duplicates:
            out.append(f"{self.duplicates} coding(s) repeat a coding by the same coder: skipped")
        if self.empty:
            out.append(f"{self.empty} selection(s) hold only white space: skipped")
        out += [f"skipped: {s}" for s in self.skipped]
        out += [f"warning: {w}" for w in self.warnings]
        if self.backup:
            out.append(f"the store was backed up first to {self.backup}")
        if self.codebook_backup:
            out.append(f"the codebook gained codes; its previous version is {self.codebook_backup}")
        return out


@dataclass
class Plan:
    merge: CodeMerge
    new: list[Transcript] = field(default_factory=list)
    guids: dict[str, str] = field(default_factory=dict)  # interview → source guid (new ones)
    codings: list[tuple] = field(
        default_factory=list
    )  # guid, interview, start, end, code, coder, created, memo
    memos: list[tuple[str, str, str, str, str]] = field(
        default_factory=list
    )  # guid, kind, target, text, author
