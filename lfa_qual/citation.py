"""Report citations: `(Skoleleder, Skole 3, april 2021, 9)`."""

from __future__ import annotations

import string

from lfa_qual.errors import LfaError
from lfa_qual.transcript import Transcript

DEFAULT_TEMPLATE = "({speaker}, {school}, {month} {year}, {locator})"
FIELDS = {
    "speaker": "role, plus the grade for pupils (e.g. 'Elev 4, 8. klasse')",
    "role": "the role of the speaker of the passage",
    "grade": "the speaker's grade, or empty",
    "label": "the speaker's turn label",
    "school": "the pseudonymised school",
    "month": "the interview month in Danish, lower-case",
    "year": "the interview year",
    "date": "the interview date as written in the transcript",
    "locator": "the page, or the turn number when the transcript has no pages",
    "page": "the page, or empty",
    "turn": "the turn number",
    "interview": "the interview id",
    "kind": "the kind of interview",
}


def check_template(template: str) -> None:
    """Refuse a template that could not format every citation, naming the field at fault.

    Every field is text: `{turn:d}` (a number format) or `{page!z}` would fail on the first
    citation, so each field is trial-formatted here, when the configuration is loaded.
    """
    try:
        parts = [
            (name, conversion, spec)
            for _, name, spec, conversion in string.Formatter().parse(template)
            if name is not None
        ]
    except ValueError as exc:
        raise LfaError(
            f"citation template {template!r} is not valid: {exc}", field="citation"
        ) from None
    unknown = sorted({"{" + name + "}" for name, _, _ in parts if name not in FIELDS})
    if unknown:
        raise LfaError(
            f"citation template uses unknown field(s) {', '.join(unknown)}; "
            f"known: {', '.join(FIELDS)}",
            field="citation",
        )
    sample = dict.fromkeys(FIELDS, "1")
    for name, conversion, spec in parts:
        piece = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
        try:
            if "{" in spec:  # the spec would come from another field's value: not checkable
                raise ValueError("a field inside a format spec is not supported")
            (piece + "}").format(**sample)
        except ValueError as exc:
            raise LfaError(
                f"citation template field {piece}}} cannot be formatted ({exc}); every field is "
                f"text, so write it as {{{name}}} (a number format such as ':d' does not apply)",
                field="citation",
            ) from None


def citation_fields(transcript: Transcript, offset: int) -> dict[str, str]:
    turn = transcript.turn_at(offset)
    speaker = transcript.speakers[turn.label]
    month, year = transcript.month_year.split()
    page = transcript.locator_at(offset) if transcript.has_pages else None
    return {
        "speaker": f"{speaker.role}, {speaker.grade}" if speaker.grade else speaker.role,
        "role": speaker.role,
        "grade": speaker.grade or "",
        "label": speaker.label,
        "school": transcript.school,
        "month": month,
        "year": year,
        "date": transcript.date,
        "locator": str(transcript.locator_at(offset)),
        "page": str(page) if page is not None else "",
        "turn": str(turn.index),
        "interview": transcript.interview,
        "kind": transcript.kind,
    }


def cite(transcript: Transcript, offset: int, template: str = DEFAULT_TEMPLATE) -> str:
    """The citation of the passage starting at `offset` (the role is that passage's speaker)."""
    return template.format(**citation_fields(transcript, offset))
