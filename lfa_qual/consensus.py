"""Disagreements between two coders and their resolution into a consensus coder.

A disagreement is a passage of one transcript and code where the two coders' codings (merged
where they overlap) do not cover the same characters of speech: one coded it and the other did
not, or they drew its bounds differently. A re-labelled passage is two disagreements, one per
code. Resolving one codes the passage for the consensus coder with A's spans, B's spans, both
(their union) or neither; it is one undoable action in `lfa_qual.history` (a "neither" is logged
too, with no change, so that the passage counts as resolved until it is undone).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from lfa_qual import codings as ops
from lfa_qual import history
from lfa_qual.agreement import Comparison, material
from lfa_qual.errors import LfaError

if TYPE_CHECKING:
    from lfa_qual.project import Project

CHOICES = ("first", "second", "both", "neither")
EXCERPT_CHARS = 240
Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Disagreement:
    interview: str
    code: str
    start: int
    end: int
    coders: tuple[str, str]
    first: Spans  # the first coder's spans in the passage (merged)
    second: Spans
    citation: str = ""
    excerpt: str = ""

    @property
    def key(self) -> str:
        return f"{self.interview} {self.code} {self.start}..{self.end}"

    def who(self) -> str:
        a, b = self.coders
        if not self.second:
            return f"kun {a}"
        if not self.first:
            return f"kun {b}"
        return f"{a} og {b}, forskellig afgrænsning"

    def as_json(self) -> dict:
        return {
            "interview": self.interview,
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "coders": list(self.coders),
            self.coders[0]: [list(s) for s in self.first],
            self.coders[1]: [list(s) for s in self.second],
            "who": self.who(),
            "citation": self.citation,
            "excerpt": self.excerpt,
        }


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _clip(spans: list[tuple[int, int]], speech: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The pieces of `spans` that are speech (what the agreement figures count)."""
    out = set()
    starts = [a for a, _ in speech]
    for s, e in spans:
        # Paragraphs are sorted and disjoint: start from the last one beginning before `s`.
        i = max(bisect.bisect_right(starts, s) - 1, 0)
        while i < len(speech) and speech[i][0] < e:
            a, b = speech[i]
            if s < b:
                out.add((max(a, s), min(b, e)))
            i += 1
    return out


def disagreements(
    project: Project, request: Comparison, *, with_text: bool = True
) -> list[Disagreement]:
    """Disagreements of the first two compared coders, in interview and text order."""
    m = material(project, request, project.config.consensus)
    first, second = m.coders[:2]
    by_key: dict[tuple[int, int], list[list[tuple[int, int]]]] = {}
    for t, k, c, s, e in zip(m.t, m.k, m.c, m.start, m.end, strict=True):
        if c < 2:
            by_key.setdefault((int(t), int(k)), [[], []])[int(c)].append((int(s), int(e)))
    found: list[Disagreement] = []
    for (t, k), (mine, theirs) in sorted(by_key.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        interview = m.interviews[t]
        lo, hi = np.searchsorted(m.para_t, [t, t + 1])
        paras = list(zip(m.para_start[lo:hi].tolist(), m.para_end[lo:hi].tolist(), strict=True))
        # Passages: overlapping codings of either coder, merged.
        for s, e in _union(mine + theirs):
            a = _union([x for x in mine if x[0] < e and s < x[1]])
            b = _union([x for x in theirs if x[0] < e and s < x[1]])
            if _clip(a, paras) == _clip(b, paras):
                continue
            found.append(
                Disagreement(interview, m.codes[k], s, e, (first, second), tuple(a), tuple(b))
            )
    found.sort(key=lambda d: (d.interview, d.start, d.code))
    if with_text:
        found = [_with_text(project, d) for d in found]
    return found


def _with_text(project: Project, d: Disagreement) -> Disagreement:
    t = project.transcript(d.interview)
    text = " ".join(t.text[d.start : d.end].split())
    if len(text) > EXCERPT_CHARS:
        text = text[: EXCERPT_CHARS - 1].rstrip() + "…"
    from lfa_qual.citation import cite

    return Disagreement(
        d.interview,
        d.code,
        d.start,
        d.end,
        d.coders,
        d.first,
        d.second,
        cite(t, d.start, project.config.citation),
        text,
    )


def disagreements_frame(project: Project, found: list[Disagreement]):
    import pandas as pd

    from lfa_qual.analysis import code_labels

    labels = code_labels(project)

    def spans(spans: Spans) -> str:
        return "; ".join(f"{s}–{e}" for s, e in spans) or "—"

    records = [
        {
            "Interview": d.interview,
            "Kode": labels.get(d.code, d.code),
            "Henvisning": d.citation,
            "Uddrag": d.excerpt,
            "Hvem": d.who(),
            f"Kodet af {d.coders[0]}": spans(d.first),
            f"Kodet af {d.coders[1]}": spans(d.second),
        }
        for d in found
    ]
    columns = ["Interview", "Kode", "Henvisning", "Uddrag", "Hvem"]
    return pd.DataFrame.from_records(records, columns=None if records else columns)


def segments_frame(project: Project, rows):
    """MAXQDA's segment table (`agreement.segments.segment_table`) with Danish labels."""
    import pandas as pd

    from lfa_qual.analysis import code_labels
    from lfa_qual.citation import cite

    labels = code_labels(project)
    records = []
    for r in rows:
        t = project.transcript(r.interview)
        text = " ".join(t.text[r.start : r.end].split())
        records.append(
            {
                "Interview": r.interview,
                "Kode": labels.get(r.code, r.code),
                "Koder": r.coder,
                "Henvisning": cite(t, r.start, project.config.citation),
                "Uddrag": text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…",
                "Overlap (%)": round(100 * r.overlap, 1),
                "Enig": "ja" if r.agrees else "nej",
                "Start": r.start,
                "Slut": r.end,
            }
        )
    columns = ["Interview", "Kode", "Koder", "Henvisning", "Uddrag", "Overlap (%)", "Enig"]
    return pd.DataFrame.from_records(records, columns=None if records else columns)


# -- resolving ----------------------------------------------------------------------------
LABEL_RE = re.compile(r"^konsensus (\w+): (.+)$")


def resolved_keys(project: Project) -> set[str]:
    """Passages with a consensus decision that has not been undone."""
    out = set()
    rows = project.store.read("SELECT payload FROM actions WHERE kind = 'consensus' AND undone = 0")
    for row in rows:
        match = LABEL_RE.match(json.loads(row["payload"]).get("label", ""))
        if match:
            out.add(match.group(2))
    return out


def resolve(project: Project, d: Disagreement, choice: str, actor: str | None = None):
    """Code the passage for the consensus coder as `choice` says; one undoable action of
    `actor` (the coder at the keyboard). Returns the history action."""
    if choice not in CHOICES:
        raise LfaError(f"choose one of {', '.join(CHOICES)}", field="choice")
    consensus = project.config.consensus
    if consensus in d.coders:
        raise LfaError(f"the consensus coder {consensus!r} is one of the compared coders")
    spans = {
        "first": list(d.first),
        "second": list(d.second),
        "both": _union([*d.first, *d.second]),
        "neither": [],
    }[choice]
    actor = actor or project.coder
    store = project.store
    with store.transaction():
        changes = []
        for s, e in spans:
            try:
                coding = ops.add_coding(store, d.interview, s, e, d.code, consensus)
            except LfaError as exc:
                if "already has code" in exc.message:
                    continue  # the consensus coder has this span already
                raise
            changes.append(
                history.Change("coding", coding.guid, None, history.coding_state(coding))
            )
        return history.record(store, "consensus", f"konsensus {choice}: {d.key}", actor, changes)
