"""The export gate: an export that writes transcript text checks that text first.

Any export calls `check_export(project, items, allow_names)` with the texts it is about to
write. Unresolved suspects stop it (`NamesInExport`, exit 2 in the CLI) with the list; with
`allow_names` it goes on, and the returned note must be written in the output's header.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from lfa_qual.errors import LfaError
from lfa_qual.names.detect import find_suspects
from lfa_qual.names.review import name_key, project_context
from lfa_qual.names.scan import transcript_context

SHOWN = 20  # suspects listed in the message; the rest are counted


@dataclass(frozen=True)
class ExportItem:
    interview: str  # whose speakers' roles are never names ("" when none)
    where: str  # how the message names the place: "skole1-elev1 [120:245]"
    text: str


@dataclass(frozen=True)
class GateHit:
    where: str
    text: str
    kind: str
    reason: str


class NamesInExport(LfaError):
    """Suspected names or identifiers in the text an export would write."""

    def __init__(self, message: str, hits: list[GateHit]) -> None:
        super().__init__(message)
        self.hits = hits


def find_in_export(project, items: Iterable[ExportItem]) -> list[GateHit]:
    """Suspects in the items' texts. The texts of one interview are scanned as one text (each
    its own span), so that a large export pays the detector's set-up once per interview."""
    base = project_context(project, name_key(project))
    by_interview: dict[str, list[ExportItem]] = {}
    for item in items:
        by_interview.setdefault(item.interview, []).append(item)
    hits: list[GateHit] = []
    for interview, group in by_interview.items():
        ctx = base
        if interview:
            try:
                ctx = transcript_context(project.transcript(interview), base)
            except LfaError:
                ctx = base
        # A passage quoted under two themes is checked once.
        texts = list(dict.fromkeys(item.text for item in group))
        starts, spans, pos = [], [], 0
        for text in texts:
            starts.append(pos)
            spans.append((pos, pos + len(text)))
            pos += len(text) + 2
        joined = "\n\n".join(texts)
        found: dict[str, list] = {}
        for s in find_suspects(joined, ctx, spans):
            text = texts[bisect.bisect_right(starts, s.start) - 1]
            found.setdefault(text, []).append(s)
        for item in group:
            hits += [
                GateHit(item.where, s.text, s.kind, s.reason) for s in found.get(item.text, [])
            ]
    return hits


def quote_items(quotes) -> list[ExportItem]:
    """The export items of a quotes frame (lfa_qual.analysis.quotes): text, interview, span."""
    return [
        ExportItem(iv, f"{iv} [{start}:{end}]", text)
        for iv, start, end, text in zip(
            quotes["interview"], quotes["start"], quotes["end"], quotes["text"], strict=True
        )
    ]


def allow_note(n: int) -> str:
    """The header line of an export written with --allow-names (Danish, as the reports are)."""
    return (
        f"Navnekontrol tilsidesat (--allow-names): {n} mistænkt(e) navn(e) eller "
        "identifikator(er) er ikke gennemgået."
    )


def check_export(project, items: Iterable[ExportItem], allow_names: bool = False) -> str | None:
    """None when the texts hold no unresolved suspect; with suspects, raise `NamesInExport`,
    or with `allow_names` return the note the export must put in its header."""
    return _verdict(find_in_export(project, items), allow_names)


def check_transcripts(project, interviews: list[str], allow_names: bool = False) -> str | None:
    """As `check_export`, for an export that carries whole transcripts (a REFI-QDA archive):
    their speech is checked as `lfa-qual names` checks it."""
    from lfa_qual.names.review import project_suspects

    found = project_suspects(project, interviews, name_key(project)) if interviews else []
    hits = [GateHit(f"{r.interview}:{r.line}", r.text, r.kind, r.reason) for r in found]
    return _verdict(hits, allow_names)


def _verdict(hits: list[GateHit], allow_names: bool) -> str | None:
    if not hits:
        return None
    if allow_names:
        return allow_note(len(hits))
    lines = [f"  {h.where}: {h.text!r} ({h.kind}, {h.reason})" for h in hits[:SHOWN]]
    if len(hits) > SHOWN:
        lines.append(f"  … and {len(hits) - SHOWN} more")
    raise NamesInExport(
        f"the export holds {len(hits)} suspected name(s) or identifier(s); nothing was written. "
        "Review them with `lfa-qual names` (--accept N / --replace N PSEUDONYM), or write the "
        "export anyway with --allow-names (its header will say so):\n" + "\n".join(lines),
        hits,
    )
