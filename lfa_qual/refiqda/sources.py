"""A REFI-QDA text source turned into an lfa-qual transcript, with its positions' way there.

A source whose text is already an lfa-qual transcript (an lfa-qual export: front matter and
speaker labels) is imported as it is. Any other text gets a front matter built from the
source's variables (Interview, Skole/School, Dato/Date, Type/Kind, Talere/Speakers) or from the
sidecar file; line-start labels in capitals (`I:`, `SL:`, `INT:`) become its speakers, and text
before the first of them becomes the turn of a speaker `TEKST`. Positions move by what was put
in front; nothing inside the text changes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

from lfa_qual.errors import TranscriptError
from lfa_qual.refiqda.archive import RefiError
from lfa_qual.refiqda.positions import Mapped
from lfa_qual.transcript import LABEL_LIKE_RE, LABEL_RE, Transcript, parse_date, parse_markdown

NAMES = {
    "interview": ("interview", "interview-id", "interview id", "interviewid"),
    "school": ("skole", "school"),
    "date": ("dato", "date", "interviewdato"),
    "kind": ("type", "kind", "interviewtype"),
    "speakers": ("talere", "speakers"),
}
FIRST_LABEL = "TEKST"
INTERVIEWER_LABELS = {"I", "INT", "INTERVIEWER"}
WORD_LABEL_RE = re.compile(r"^([A-ZÆØÅ][\wæøå]{0,20}):\s", re.MULTILINE)


@dataclass
class Placed:
    """A source as a transcript, and how a normalised source offset becomes a transcript one."""

    transcript: Transcript
    mapped: Mapped
    prefix: int = 0
    insert_at: int = 0
    inserted: int = 0

    def offset(self, position: int) -> int:
        p = self.mapped.offset(position)
        return p + self.prefix + (self.inserted if self.inserted and p >= self.insert_at else 0)


def header_fields(variables: dict[str, str], sidecar: dict) -> dict:
    lower = {k.lower(): v for k, v in variables.items()}
    fields: dict = {}
    for key, names in NAMES.items():
        for name in names:
            if name in lower:
                fields[key] = lower[name]
                break
    fields.update({k: v for k, v in sidecar.items() if v not in (None, "")})
    return fields


def parse_speakers(value) -> dict[str, dict]:
    """The `Talere` variable (`I=Interviewer (interviewer); SL=Skoleleder`) or a sidecar mapping."""
    if isinstance(value, dict):
        return {
            str(k): (dict(v) if isinstance(v, dict) else {"role": str(v)}) for k, v in value.items()
        }
    out: dict[str, dict] = {}
    for part in str(value or "").split(";"):
        label, _, role = part.partition("=")
        if not label.strip() or not role.strip():
            continue
        spec: dict = {}
        if "(interviewer)" in role:
            spec["interviewer"] = True
            role = role.replace("(interviewer)", "")
        role, _, grade = role.partition(",")
        spec["role"] = role.strip()
        if grade.strip():
            spec["grade"] = grade.strip()
        out[label.strip()] = spec
    return out


def interview_id(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "-", name).strip("-.") or "kilde"


def own_format(mapped: Mapped, name: str) -> Transcript | None:
    """The text as an lfa-qual transcript, if it is one."""
    if not mapped.text.startswith("---\n"):
        return None
    try:
        return parse_markdown(mapped.text, f"{name}.md")
    except TranscriptError:
        return None


def wrap(mapped: Mapped, name: str, fields: dict, archive: str, element: str) -> Placed:
    """A transcript around a text that has no front matter of its own."""
    text = mapped.text
    speakers = parse_speakers(fields.get("speakers"))
    found = Counter(m[1] for m in WORD_LABEL_RE.finditer(text))
    for line in text.split("\n"):
        m = LABEL_RE.match(line.rsplit("\f", 1)[-1])  # a label may follow a page break
        if m and (LABEL_LIKE_RE.match(m[1]) or found[m[1]] >= 2):
            speakers.setdefault(m[1], {"role": m[1]})
    for label, spec in speakers.items():
        if label.upper() in INTERVIEWER_LABELS and spec.get("role") == label:
            spec.update(role="Interviewer", interviewer=True)
    first = re.search(r"\S", text)
    insert_at, inserted = 0, ""
    if first is not None:
        insert_at = text.rfind("\n", 0, first.start()) + 1
        m = LABEL_RE.match(text, insert_at)
        if not (m and m[1] in speakers):
            inserted = f"{FIRST_LABEL}: "
            speakers.setdefault(FIRST_LABEL, {"role": "Tekst"})
    lines = [
        "---",
        f"interview: {json.dumps(fields.get('interview') or interview_id(name), ensure_ascii=False)}",
        f"school: {json.dumps(str(fields['school']), ensure_ascii=False)}",
        f"date: {json.dumps(str(fields['date']), ensure_ascii=False)}",
    ]
    if fields.get("kind"):
        lines.append(f"kind: {json.dumps(str(fields['kind']), ensure_ascii=False)}")
    lines.append("speakers:")
    for label, spec in speakers.items():
        items = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in spec.items())
        lines.append(f"  {json.dumps(label, ensure_ascii=False)}: {{{items}}}")
    prefix = "\n".join(lines) + "\n---\n"
    full = prefix + text[:insert_at] + inserted + text[insert_at:]
    try:
        transcript = parse_markdown(full, f"{name}.md")
    except TranscriptError as exc:
        raise RefiError(
            f"source {name!r} cannot become a transcript: {exc.message}",
            path=archive,
            field=element,
        ) from None
    return Placed(transcript, mapped, len(prefix), insert_at, len(inserted))


def missing_header(fields: dict) -> list[str]:
    missing = [key for key in ("school", "date") if not fields.get(key)]
    if fields.get("date") and "date" not in missing:
        value = str(fields["date"]).strip()[:10]
        try:
            fields["date"] = parse_date(value if len(value) > 7 else value[:7])
        except ValueError as exc:
            missing.append(f"date ({fields['date']!r}: {exc})")
    return missing
