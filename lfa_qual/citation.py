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
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    except ValueError as exc:
        raise LfaError(
            f"citation template {template!r} is not valid: {exc}", field="citation"
        ) from None
    unknown = names - set(FIELDS)
    if unknown:
        raise LfaError(
            f"citation template uses unknown field(s) {sorted(unknown)}; known: {', '.join(FIELDS)}",
            field="citation",
        )


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
