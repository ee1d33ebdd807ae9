"""Writing a project as a REFI-QDA archive (.qdpx) and its codebook as a .qdc file.

What is written (docs/refi-qda.md has the why):
- each transcript as `sources/INTERVIEW.txt`, its canonical text exactly as the store keeps it
  (front matter and speaker labels included; UTF-8 without BOM; \\n line breaks), referenced as
  `plainTextPath="internal://INTERVIEW.txt"`, so positions are the store's offsets unchanged:
  code points from 0, end exclusive;
- one `PlainTextSelection` with one `Coding` per coding; a coding's memo as a `Note`;
- users (coders and memo authors), the header fields as `Variables`, schools as `Cases`.
Elements are written in the order the schema's sequences demand.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lfa_qual.codebook import Codebook
from lfa_qual.errors import LfaError
from lfa_qual.names.gate import check_transcripts
from lfa_qual.outputs import export_file, prepare_export
from lfa_qual.refiqda import CODEBOOK_NS, PROJECT_NS
from lfa_qual.refiqda.codes import fold
from lfa_qual.refiqda.guids import (
    case_guid,
    coding_note_guid,
    selection_guid,
    user_guid,
    variable_guid,
)
from lfa_qual.refiqda.xmlwrite import Writer
from lfa_qual.refiqda.xmlwrite import attrs as _attrs
from lfa_qual.version import __version__

# The source header as variables: (name, transcript field). Names are Danish, as the reports.
VARIABLES = (
    ("Interview", "interview"),
    ("Skole", "school"),
    ("Dato", "date"),
    ("Type", "kind"),
    ("Talere", "speakers"),
)
DATETIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")


@dataclass(frozen=True)
class ExportReport:
    path: Path
    sources: int
    codings: int
    codes: int
    users: int
    notes: int
    note: str | None = None  # the names check's note, when written with allow_names


GUID_CHARS = frozenset("0123456789ABCDEFabcdef-{}")


def xml_attr(value: str) -> str:
    """An attribute value escaped; a GUID (as the store keeps them) passes as it is."""
    return value if GUID_CHARS.issuperset(value) else _attrs({"v": value})[4:-1]


def _datetime(value: str | None) -> str | None:
    return value if value and DATETIME_RE.match(value) else None


def code_guids(store) -> dict[str, str]:
    return {r["id"]: r["guid"] for r in store.read("SELECT id, guid FROM codes")}


def write_codes(w: Writer, codebook: Codebook, guids: dict[str, str], notes=None) -> None:
    """`Codes` with the codebook's tree; `notes` maps a code id to the GUID of its memo."""

    def add(code) -> None:
        w.open(
            "Code",
            guid=guids[code.id],
            name=code.label or code.id,
            isCodable="true",
            color=code.color,
        )
        w.leaf("Description", fold(code))
        if notes and code.id in notes:
            w.empty("NoteRef", targetGUID=notes[code.id])
        for child in codebook.children(code.id):
            add(child)
        w.close("Code")

    w.open("Codes")
    for code in codebook.children(None):
        add(code)
    w.close("Codes")


def qdc_bytes(codebook: Codebook, guids: dict[str, str]) -> bytes:
    w = Writer()
    w.open("CodeBook", xmlns=CODEBOOK_NS, origin=f"lfa-qual {__version__}")
    write_codes(w, codebook, guids)
    w.close("CodeBook")
    return w.bytes()


def export_qdc(project, out: Path, force: bool = False) -> int:
    """Write the project's codebook as a REFI-QDA codebook; returns the number of codes."""
    prepare_export(project, out, force=force)
    project.sync_codebook()
    codebook = project.codebook()
    data = qdc_bytes(codebook, code_guids(project.store))
    with export_file(project, out, force=force) as tmp:
        tmp.write_bytes(data)
    return len(codebook.codes)


def _speakers_value(rows) -> str:
    parts = []
    for s in rows:
        role = s["role"] + (" (interviewer)" if s["interviewer"] else "")
        role += f", {s['grade']}" if s["grade"] else ""
        parts.append(f"{s['label']}={role}")
    return "; ".join(parts)


def _check_known(store, column: str, values, option: str) -> None:
    """An unknown school or interview is an error listing the known ones (as in `export
    quotes`), not an empty archive."""
    known = {r[0] for r in store.read(f"SELECT DISTINCT {column} FROM transcripts")}
    unknown = [v for v in values or () if v not in known]
    if unknown:
        raise LfaError(
            f"unknown {option} {', '.join(map(repr, unknown))}; known: "
            f"{', '.join(sorted(known)) or '(none)'}",
            field=f"--{option}s",
        )


def _select(project, schools, interviews, codes, coders, needs_review):
    store = project.store
    _check_known(store, "school", schools, "school")
    _check_known(store, "interview", interviews, "interview")
    where, params = [], []
    if schools:
        where.append(f"t.school IN ({','.join('?' * len(schools))})")
        params += schools
    if interviews:
        where.append(f"t.interview IN ({','.join('?' * len(interviews))})")
        params += interviews
    sql = "SELECT t.id, t.guid, t.interview, t.school, t.date, t.kind, t.text, t.imported_at"
    sql += " FROM transcripts t" + (" WHERE " + " AND ".join(where) if where else "")
    transcripts = store.read(sql + " ORDER BY t.school, t.interview", tuple(params))
    cwhere, cparams = ([], []) if needs_review else (["c.status = 'ok'"], [])
    if codes:
        codebook = project.codebook()
        wanted = {c for code in codes for c in [code, *(d.id for d in codebook.descendants(code))]}
        cwhere.append(f"c.code_id IN ({','.join('?' * len(wanted))})")
        cparams += sorted(wanted)
    if coders:
        cwhere.append(f"c.coder IN ({','.join('?' * len(coders))})")
        cparams += coders
    codings = store.read(
        "SELECT c.guid, c.transcript_id, c.start, c.end, c.code_id, c.coder, c.created, c.memo"
        " FROM codings c"
        + (" WHERE " + " AND ".join(cwhere) if cwhere else "")
        + " ORDER BY c.transcript_id, c.start, c.end, c.code_id, c.guid",
        tuple(cparams),
    )
    return transcripts, codings


def project_bytes(
    project,
    schools=None,
    interviews=None,
    codes=None,
    coders=None,
    needs_review=False,
    names_check: Callable[[list[str]], str | None] | None = None,
):
    """`project.qde` and the source texts: (xml bytes, {file name: text}, counts, note).
    Codings that need review (after a transcript edit) are left out unless `needs_review`.
    `names_check` is given the interviews kept before anything is written (it may refuse
    them); the note it returns becomes the project's Description."""
    store = project.store
    codebook = project.codebook()
    guids = code_guids(store)
    for code in codes or ():
        codebook.get(code)  # an unknown code is an error, as in the other exports
    transcripts, codings = _select(project, schools, interviews, codes, coders, needs_review)
    description = names_check([t["interview"] for t in transcripts]) if names_check else None
    kept = {t["id"] for t in transcripts}
    codings = [c for c in codings if c["transcript_id"] in kept]
    memos = store.read(
        "SELECT guid, target_kind, target, text, author, updated FROM memos ORDER BY target_kind, target"
    )
    interviews_kept = {t["interview"] for t in transcripts}
    memos = [m for m in memos if m["target_kind"] != "transcript" or m["target"] in interviews_kept]
    users = sorted({c["coder"] for c in codings} | {m["author"] for m in memos})

    w = Writer()
    w.open(
        "Project",
        xmlns=PROJECT_NS,
        name=codebook.name or project.root.name,
        origin=f"lfa-qual {__version__}",
        modifiedDateTime=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    if users:
        w.open("Users")
        for name in users:
            w.empty("User", guid=user_guid(name), name=name)
        w.close("Users")
    code_notes = {m["target"]: m["guid"] for m in memos if m["target_kind"] == "code"}
    w.open("CodeBook")
    write_codes(w, codebook, guids, code_notes)
    w.close("CodeBook")

    w.open("Variables")
    for name, _ in VARIABLES:
        w.empty("Variable", guid=variable_guid(name), name=name, typeOfVariable="Text")
    w.close("Variables")

    by_school: dict[str, list[str]] = defaultdict(list)
    for t in transcripts:
        by_school[t["school"]].append(t["guid"])
    if by_school:
        w.open("Cases")
        for school in sorted(by_school):
            w.open("Case", guid=case_guid(school), name=school)
            for guid in by_school[school]:
                w.empty("SourceRef", targetGUID=guid)
            w.close("Case")
        w.close("Cases")

    speakers: dict[int, list] = defaultdict(list)
    for s in store.read(
        "SELECT transcript_id, label, role, grade, interviewer FROM speakers"
        " ORDER BY transcript_id, position"
    ):
        speakers[s["transcript_id"]].append(s)
    per_source: dict[int, list] = defaultdict(list)
    for c in codings:
        per_source[c["transcript_id"]].append(c)
    transcript_notes = {m["target"]: m["guid"] for m in memos if m["target_kind"] == "transcript"}
    user_guids = {name: xml_attr(user_guid(name)) for name in users}
    code_refs = {code_id: xml_attr(guid) for code_id, guid in guids.items()}
    texts: dict[str, str] = {}
    notes: list[tuple] = []  # guid, name, text, author, when
    if transcripts:
        w.open("Sources")
        for t in transcripts:
            filename = f"{t['interview']}.txt"
            texts[filename] = t["text"]
            w.open(
                "TextSource",
                guid=t["guid"],
                name=t["interview"],
                plainTextPath=f"internal://{filename}",
                creationDateTime=_datetime(t["imported_at"]),
            )
            # The bulk of the file: one selection with one coding per coding, as pre-escaped
            # text (GUIDs, numbers and times need no escaping; the regex vouches for times).
            pad = "  " * w.depth
            for c in per_source[t["id"]]:
                user = user_guids[c["coder"]]
                when = _datetime(c["created"])
                at = f' creationDateTime="{when}"' if when else ""
                note = ""
                if c["memo"]:
                    guid = coding_note_guid(c["guid"])
                    note = f'{pad}    <NoteRef targetGUID="{guid}"/>\n'
                    notes.append((guid, f"Memo: {t['interview']}", c["memo"], c["coder"], when))
                w.raw(
                    f'{pad}<PlainTextSelection guid="{selection_guid(c["guid"])}" '
                    f'startPosition="{c["start"]}" endPosition="{c["end"]}" '
                    f'creatingUser="{user}"{at}>\n'
                    f'{pad}  <Coding guid="{xml_attr(c["guid"])}" creatingUser="{user}"{at}>\n'
                    f'{pad}    <CodeRef targetGUID="{code_refs[c["code_id"]]}"/>\n{note}'
                    f"{pad}  </Coding>\n{pad}</PlainTextSelection>\n"
                )
            if t["interview"] in transcript_notes:
                w.empty("NoteRef", targetGUID=transcript_notes[t["interview"]])
            values = dict(t)
            values["speakers"] = _speakers_value(speakers[t["id"]])
            for name, key in VARIABLES:
                if values[key]:
                    w.open("VariableValue")
                    w.empty("VariableRef", targetGUID=variable_guid(name))
                    w.leaf("TextValue", values[key])
                    w.close("VariableValue")
            w.close("TextSource")
        w.close("Sources")
    project_note = None
    kinds = {"code": "Kodememo", "transcript": "Interviewmemo", "project": "Projektmemo"}
    for m in memos:
        name = f"{kinds[m['target_kind']]}: {m['target']}".rstrip(": ")
        notes.append((m["guid"], name, m["text"], m["author"], _datetime(m["updated"])))
        if m["target_kind"] == "project":
            project_note = m["guid"]
    if notes:
        w.open("Notes")
        for guid, name, text, author, when in notes:
            w.open(
                "Note", guid=guid, name=name, creatingUser=user_guid(author), creationDateTime=when
            )
            w.leaf("PlainTextContent", text)
            w.close("Note")
        w.close("Notes")
    if description:
        w.leaf("Description", description)
    if project_note:
        w.empty("NoteRef", targetGUID=project_note)
    w.close("Project")
    xml = w.bytes()
    counts = (len(transcripts), len(codings), len(codebook.codes), len(users), len(notes))
    return xml, texts, counts, description


def export_qdpx(
    project, out: Path, allow_names: bool = False, force: bool = False, **filters
) -> ExportReport:
    """Write the project (or the part the filters keep) as a REFI-QDA project archive. The
    transcripts' texts pass the names check first (`lfa_qual.names.gate`): unresolved
    suspects stop the export; with `allow_names` the archive's Description says so."""
    prepare_export(project, out, force=force)
    project.sync_codebook()  # every code of the file has its GUID in the store
    xml, texts, counts, note = project_bytes(
        project, **filters, names_check=lambda ivs: check_transcripts(project, ivs, allow_names)
    )
    # Level 1: most of the size gain of deflate for a third of its time on project.qde.
    with (
        export_file(project, out, force=force) as tmp,
        zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
    ):
        zf.writestr("project.qde", xml)
        for name, text in texts.items():
            zf.writestr(f"sources/{name}", text.encode("utf-8"))
    return ExportReport(out, *counts, note=note)
