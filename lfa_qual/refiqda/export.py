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
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from lfa_qual import __version__
from lfa_qual.codebook import Codebook
from lfa_qual.outputs import check_output_path, replacing
from lfa_qual.refiqda import CODEBOOK_NS, PROJECT_NS
from lfa_qual.refiqda.codes import fold
from lfa_qual.refiqda.guids import (
    case_guid,
    coding_note_guid,
    selection_guid,
    user_guid,
    variable_guid,
)

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


def _q(tag: str, ns: str = PROJECT_NS) -> str:
    return f"{{{ns}}}{tag}"


def _sub(parent, tag: str, ns: str = PROJECT_NS, text: str | None = None, **attrs):
    el = etree.SubElement(parent, _q(tag, ns), {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = text
    return el


def _datetime(value: str | None) -> str | None:
    return value if value and DATETIME_RE.match(value) else None


def code_guids(store) -> dict[str, str]:
    return {r["id"]: r["guid"] for r in store.read("SELECT id, guid FROM codes")}


def add_codes(parent, codebook: Codebook, guids: dict[str, str], ns: str, notes=None) -> None:
    """`Codes` with the codebook's tree; `notes` maps a code id to the GUID of its memo."""
    codes_el = _sub(parent, "Codes", ns)

    def add(under, code) -> None:
        el = _sub(
            under,
            "Code",
            ns,
            guid=guids[code.id],
            name=code.label or code.id,
            isCodable="true",
            color=code.color,
        )
        _sub(el, "Description", ns, fold(code))
        if notes and code.id in notes:
            _sub(el, "NoteRef", ns, targetGUID=notes[code.id])
        for child in codebook.children(code.id):
            add(el, child)

    for code in codebook.children(None):
        add(codes_el, code)


def qdc_bytes(codebook: Codebook, guids: dict[str, str]) -> bytes:
    root = etree.Element(_q("CodeBook", CODEBOOK_NS), nsmap={None: CODEBOOK_NS})
    root.set("origin", f"lfa-qual {__version__}")
    add_codes(root, codebook, guids, CODEBOOK_NS)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export_qdc(project, out: Path) -> int:
    """Write the project's codebook as a REFI-QDA codebook; returns the number of codes."""
    check_output_path(out, project)
    project.sync_codebook()
    codebook = project.codebook()
    data = qdc_bytes(codebook, code_guids(project.store))
    with replacing(out) as tmp:
        tmp.write_bytes(data)
    return len(codebook.codes)


def _speakers_value(rows) -> str:
    parts = []
    for s in rows:
        role = s["role"] + (" (interviewer)" if s["interviewer"] else "")
        role += f", {s['grade']}" if s["grade"] else ""
        parts.append(f"{s['label']}={role}")
    return "; ".join(parts)


def _select(project, schools, interviews, codes, coders, needs_review):
    store = project.store
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
    project, schools=None, interviews=None, codes=None, coders=None, needs_review=False
):
    """`project.qde` and the source texts: (xml bytes, {file name: text}, counts). Codings
    that need review (after a transcript edit) are left out unless `needs_review`."""
    store = project.store
    codebook = project.codebook()
    guids = code_guids(store)
    for code in codes or ():
        codebook.get(code)  # an unknown code is an error, as in the other exports
    transcripts, codings = _select(project, schools, interviews, codes, coders, needs_review)
    kept = {t["id"] for t in transcripts}
    codings = [c for c in codings if c["transcript_id"] in kept]
    memos = store.read(
        "SELECT guid, target_kind, target, text, author, updated FROM memos ORDER BY target_kind, target"
    )
    interviews_kept = {t["interview"] for t in transcripts}
    memos = [m for m in memos if m["target_kind"] != "transcript" or m["target"] in interviews_kept]
    users = sorted({c["coder"] for c in codings} | {m["author"] for m in memos})

    root = etree.Element(_q("Project"), nsmap={None: PROJECT_NS})
    root.set("name", codebook.name or project.root.name)
    root.set("origin", f"lfa-qual {__version__}")
    root.set("modifiedDateTime", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    if users:
        users_el = _sub(root, "Users")
        for name in users:
            _sub(users_el, "User", guid=user_guid(name), name=name)
    code_notes = {m["target"]: m["guid"] for m in memos if m["target_kind"] == "code"}
    _sub_codebook = _sub(root, "CodeBook")
    add_codes(_sub_codebook, codebook, guids, PROJECT_NS, code_notes)

    variables = _sub(root, "Variables")
    for name, _ in VARIABLES:
        _sub(variables, "Variable", guid=variable_guid(name), name=name, typeOfVariable="Text")

    by_school: dict[str, list[str]] = defaultdict(list)
    for t in transcripts:
        by_school[t["school"]].append(t["guid"])
    if by_school:
        cases = _sub(root, "Cases")
        for school in sorted(by_school):
            case = _sub(cases, "Case", guid=case_guid(school), name=school)
            for guid in by_school[school]:
                _sub(case, "SourceRef", targetGUID=guid)

    speakers: dict[int, list] = defaultdict(list)
    for s in store.read(
        "SELECT transcript_id, label, role, grade, interviewer FROM speakers ORDER BY transcript_id, position"
    ):
        speakers[s["transcript_id"]].append(s)
    per_source: dict[int, list] = defaultdict(list)
    for c in codings:
        per_source[c["transcript_id"]].append(c)
    transcript_notes = {m["target"]: m["guid"] for m in memos if m["target_kind"] == "transcript"}
    texts: dict[str, str] = {}
    notes: list[tuple] = []  # guid, name, text, author, when
    if transcripts:
        sources = _sub(root, "Sources")
        for t in transcripts:
            filename = f"{t['interview']}.txt"
            texts[filename] = t["text"]
            src = _sub(
                sources,
                "TextSource",
                guid=t["guid"],
                name=t["interview"],
                plainTextPath=f"internal://{filename}",
                creationDateTime=_datetime(t["imported_at"]),
            )
            for c in per_source[t["id"]]:
                user = user_guid(c["coder"])
                when = _datetime(c["created"])
                sel = _sub(
                    src,
                    "PlainTextSelection",
                    guid=selection_guid(c["guid"]),
                    startPosition=str(c["start"]),
                    endPosition=str(c["end"]),
                    creatingUser=user,
                    creationDateTime=when,
                )
                coding = _sub(
                    sel, "Coding", guid=c["guid"], creatingUser=user, creationDateTime=when
                )
                _sub(coding, "CodeRef", targetGUID=guids[c["code_id"]])
                if c["memo"]:
                    note = coding_note_guid(c["guid"])
                    _sub(coding, "NoteRef", targetGUID=note)
                    notes.append((note, f"Memo: {t['interview']}", c["memo"], c["coder"], when))
            if t["interview"] in transcript_notes:
                _sub(src, "NoteRef", targetGUID=transcript_notes[t["interview"]])
            values = dict(t)
            values["speakers"] = _speakers_value(speakers[t["id"]])
            for name, key in VARIABLES:
                if values[key]:
                    vv = _sub(src, "VariableValue")
                    _sub(vv, "VariableRef", targetGUID=variable_guid(name))
                    _sub(vv, "TextValue", text=values[key])
    project_note = None
    for m in memos:
        if m["target_kind"] == "transcript" and m["target"] not in interviews_kept:
            continue
        name = {"code": "Kodememo", "transcript": "Interviewmemo", "project": "Projektmemo"}
        notes.append(
            (
                m["guid"],
                f"{name[m['target_kind']]}: {m['target']}",
                m["text"],
                m["author"],
                _datetime(m["updated"]),
            )
        )
        if m["target_kind"] == "project":
            project_note = m["guid"]
    if notes:
        notes_el = _sub(root, "Notes")
        for guid, name, text, author, when in notes:
            note = _sub(
                notes_el,
                "Note",
                guid=guid,
                name=name,
                creatingUser=user_guid(author),
                creationDateTime=when,
            )
            _sub(note, "PlainTextContent", text=text)
    if project_note:
        _sub(root, "NoteRef", targetGUID=project_note)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    counts = (len(transcripts), len(codings), len(codebook.codes), len(users), len(notes))
    return xml, texts, counts


def export_qdpx(project, out: Path, **filters) -> ExportReport:
    """Write the project (or the part the filters keep) as a REFI-QDA project archive."""
    check_output_path(out, project)
    xml, texts, counts = project_bytes(project, **filters)
    with replacing(out) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", xml)
        for name, text in texts.items():
            zf.writestr(f"sources/{name}", text.encode("utf-8"))
    return ExportReport(out, *counts)
