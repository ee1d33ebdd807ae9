"""Intercoder agreement: which coders and transcripts are compared, and the table of figures.

`compare` checks the request (known coders, at least two, a transcript coded by both) and
returns one `AgreementRow` per pair of coders and code (plus "*" for all codes), pooled over
the transcripts and, if asked, per interview. See docs/team-coding.md for what each figure
means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lfa_qual.agreement.table import ALL, UNITS, AgreementRow, agreement_rows
from lfa_qual.agreement.units import Material, load_material
from lfa_qual.errors import LfaError

if TYPE_CHECKING:
    from lfa_qual.project import Project

__all__ = ["ALL", "UNITS", "AgreementRow", "Comparison", "compare", "material", "rows_frame"]

DEFAULT_CONSENSUS = "konsensus"


@dataclass(frozen=True)
class Comparison:
    """What to compare; None means all (coders: every coder but the consensus coder)."""

    coders: tuple[str, ...] | None = None
    codes: tuple[str, ...] | None = None
    interviews: tuple[str, ...] | None = None
    schools: tuple[str, ...] | None = None
    interviewer: bool = False  # count the interviewer's turns too


def known_coders(project: Project) -> list[str]:
    return [r[0] for r in project.store.read("SELECT DISTINCT coder FROM codings ORDER BY coder")]


def material(project: Project, request: Comparison, consensus: str | None = None) -> Material:
    """The speech and codings to compare, after checking the request."""
    from lfa_qual.analysis import expand_codes

    known = known_coders(project)
    if request.coders is None:
        coders = [c for c in known if c != (consensus or DEFAULT_CONSENSUS)]
    else:
        coders = list(dict.fromkeys(request.coders))
        unknown = [c for c in coders if c not in known]
        if unknown:
            raise LfaError(
                f"no coder {unknown[0]!r} in this project; known coders: "
                f"{', '.join(known) or 'none (nothing is coded yet)'}",
                field="coders",
            )
    if len(coders) < 2:
        have = ", ".join(coders) or "none"
        raise LfaError(
            f"agreement needs at least two coders; {'this project has' if request.coders is None else 'given'}: "
            f"{have}. Merge the other coder's project first (`lfa-qual merge OTHER`)",
            field="coders",
        )
    codes = (
        expand_codes(project, request.codes)
        if request.codes
        else [r[0] for r in project.store.read("SELECT id FROM codes ORDER BY position, id")]
    )
    where, params = [], []
    for column, values, name in (
        ("interview", request.interviews, "interview"),
        ("school", request.schools, "school"),
    ):
        if values:
            known_values = {r[0] for r in project.store.read(f"SELECT {column} FROM transcripts")}
            bad = [v for v in values if v not in known_values]
            if bad:
                raise LfaError(
                    f"no {column} {bad[0]!r} in this project; known: "
                    f"{', '.join(sorted(known_values))}",
                    field=name,
                )
            where.append(f"t.{column} IN ({','.join('?' * len(values))})")
            params += list(values)
    # Transcripts coded (with any code) by at least two of the coders: only there can
    # their codings be compared; elsewhere a coder's values are missing, not "not coded".
    sql = (
        "SELECT t.interview FROM transcripts t JOIN codings c ON c.transcript_id = t.id"
        f" WHERE c.coder IN ({','.join('?' * len(coders))})"
        + "".join(f" AND {w}" for w in where)
        + " GROUP BY t.id HAVING count(DISTINCT c.coder) >= 2 ORDER BY t.interview"
    )
    interviews = [r[0] for r in project.store.read(sql, (*coders, *params))]
    if not interviews:
        raise LfaError(
            f"no transcript is coded by two of the coders {', '.join(coders)}"
            + (" among the chosen transcripts" if where else "")
            + "; each transcript must be coded by both to compare them",
            field="interview",
        )
    return load_material(project.store, coders, codes, interviews, interviewer=request.interviewer)


def compare(
    project: Project,
    request: Comparison,
    unit: str = "char",
    *,
    overlap: float = 90.0,
    per_interview: bool = False,
    bootstrap: int = 0,
    seed: int = 0,
    consensus: str | None = None,
) -> list[AgreementRow]:
    if unit not in UNITS:
        raise LfaError(f"unknown unit {unit!r}; use {', '.join(UNITS)}", field="unit")
    if not 0 < overlap <= 100:
        raise LfaError("--overlap must be a percentage above 0 and at most 100", field="overlap")
    if bootstrap < 0:
        raise LfaError("--bootstrap must be 0 or more replicates", field="bootstrap")
    m = material(project, request, consensus)
    if unit == "segment":
        from lfa_qual.agreement.segments import segment_rows

        return segment_rows(m, overlap, per_interview=per_interview, bootstrap=bootstrap, seed=seed)
    return agreement_rows(m, unit, per_interview=per_interview, bootstrap=bootstrap, seed=seed)


# Column labels of the agreement table in exports (Danish, like the other exports' tables).
LABELS = {
    "code": "Kode",
    "interview": "Interview",
    "unit": "Enhed",
    "coders": "Kodere",
    "units": "Enheder",
    "agreement": "Enighed (%)",
    "kappa": "Kappa",
    "alpha": "Alfa",
    "kappa_ci": "Kappa 95 %-KI",
    "alpha_ci": "Alfa 95 %-KI",
}
UNIT_LABELS = {"char": "tegn", "paragraph": "afsnit", "segment": "segment"}


def rows_frame(rows: list[AgreementRow], labels: dict[str, str] | None = None):
    """The rows as a DataFrame with Danish column names; code labels from `labels`."""
    import pandas as pd

    def ci(value):
        if value is None:
            return ""
        low, high = value
        return "" if low != low else f"{low:.3f}–{high:.3f}".replace(".", ",")

    records = []
    for r in rows:
        records.append(
            {
                LABELS["code"]: "Alle koder"
                if r.code == ALL
                else (labels or {}).get(r.code, r.code),
                LABELS["interview"]: "Alle" if r.interview == ALL else r.interview,
                LABELS["unit"]: UNIT_LABELS[r.unit],
                LABELS["coders"]: ", ".join(r.coders),
                LABELS["units"]: r.units,
                LABELS["agreement"]: None if r.agreement is None else round(100 * r.agreement, 1),
                LABELS["kappa"]: None if r.kappa is None else round(r.kappa, 3),
                LABELS["alpha"]: None if r.alpha is None else round(r.alpha, 3),
                **(
                    {LABELS["kappa_ci"]: ci(r.kappa_ci), LABELS["alpha_ci"]: ci(r.alpha_ci)}
                    if r.kappa_ci is not None or r.alpha_ci is not None
                    else {}
                ),
            }
        )
    frame = pd.DataFrame.from_records(records)
    if len(frame) and (frame[LABELS["interview"]] == "Alle").all():
        frame = frame.drop(columns=LABELS["interview"])  # pooled only: the column says nothing
    return frame
