"""`project.qde` (and a `.qdc`) read into plain records, every reference checked.

Nothing here touches a project: `read_project` returns what the archive holds or raises a
`RefiError` naming the archive and the element (tag, name, GUID and line in project.qde).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lfa_qual.refiqda import CODEBOOK_NS, PROJECT_NS
from lfa_qual.refiqda.archive import Archive, RefiError, parse_xml
from lfa_qual.refiqda.codes import RefiCode
from lfa_qual.refiqda.guids import canonical
from lfa_qual.text import decode_bytes
from lfa_qual.textfile import read_bytes

UNCODABLE = {
    "PictureSource": "picture",
    "PDFSource": "PDF",
    "AudioSource": "audio",
    "VideoSource": "video",
}


@dataclass
class RefiCoding:
    guid: str
    code: str  # the code's guid
    user: str | None
    created: str | None
    notes: list[str]
    node: object  # the lxml element, for messages (`describe`)


@dataclass
class RefiSelection:
    guid: str
    start: int
    end: int
    user: str | None
    created: str | None
    codings: list[RefiCoding]
    notes: list[str]
    node: object  # the lxml element, for messages (`describe`)

    @property
    def element(self) -> str:
        return describe(self.node)


@dataclass
class RefiSource:
    guid: str
    name: str
    text: str  # as the archive has it (line breaks and all)
    selections: list[RefiSelection]
    notes: list[str]
    variables: dict[str, str]
    element: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class RefiNote:
    guid: str
    name: str
    text: str
    user: str | None
    created: str | None


@dataclass
class RefiProject:
    name: str
    origin: str
    users: dict[str, str]  # guid → name
    codes: list[RefiCode]  # pre-order: parents before children
    sources: list[RefiSource]
    notes: dict[str, RefiNote]
    project_notes: list[str]
    skipped: list[str]  # sources and codings that cannot be imported, said in words


def q(tag: str, ns: str = PROJECT_NS) -> str:
    return f"{{{ns}}}{tag}"


def local(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def describe(el) -> str:
    """How a message names an element: tag, name or GUID, and its line in project.qde."""
    name = el.get("name")
    what = f"{local(el)} {name!r}" if name else local(el)
    guid = el.get("guid") or el.get("targetGUID")
    if guid:
        what += f" guid={guid}"
    return f"line {el.sourceline}: {what}" if el.sourceline else what


class Reader:
    def __init__(self, path: Path, file: str, ns: str) -> None:
        self.path, self.file, self.ns = path, file, ns
        self._canonical: dict[str, str | None] = {}  # users and codes are named again and again

    def fail(self, el, message: str) -> RefiError:
        return RefiError(message, path=self.path, field=f"{self.file} {describe(el)}")

    def guid(self, el, attr: str = "guid", required: bool = True) -> str | None:
        raw = el.get(attr)
        if raw is None:
            if required:
                raise self.fail(el, f"the {attr} attribute is missing")
            return None
        value = self._canonical.get(raw)
        if value is None:
            value = self._canonical[raw] = canonical(raw)
        if value is None:
            raise self.fail(el, f"{attr}={raw!r} is not a GUID")
        return value

    def kids(self, el, tag: str):
        return el.iterchildren(q(tag, self.ns))

    def kid(self, el, tag: str):
        return next(self.kids(el, tag), None)

    def text_of(self, el, tag: str) -> str:
        child = self.kid(el, tag)
        return (child.text or "") if child is not None else ""

    def refs(self, el, tag: str = "NoteRef") -> list[str]:
        return [self.guid(r, "targetGUID") for r in self.kids(el, tag)]

    def check_unique(self, root) -> None:
        values = [canonical(v) or v for v in root.xpath("//@guid")]
        if len(set(values)) == len(values):
            return
        # A duplicate: the slow pass finds both elements for the message.
        seen: dict[str, object] = {}
        for el in root.iter():
            raw = el.get("guid") if isinstance(el.tag, str) else None
            if raw is None:
                continue
            value = canonical(raw) or raw
            if value in seen:
                other = seen[value]
                raise self.fail(
                    el,
                    f"duplicate GUID {raw}: also used by {describe(other)}; GUIDs must be unique",
                )
            seen[value] = el

    def codes(self, parent) -> list[RefiCode]:
        out: list[RefiCode] = []
        codes_el = self.kid(parent, "Codes")
        if codes_el is None:
            return out

        def walk(el, parent_guid: str | None) -> None:
            for code in self.kids(el, "Code"):
                name = code.get("name")
                if not name or not name.strip():
                    raise self.fail(code, "a code without a name")
                out.append(
                    RefiCode(
                        guid=self.guid(code),
                        name=name.strip(),
                        color=code.get("color"),
                        description=self.text_of(code, "Description"),
                        codable=code.get("isCodable", "true").strip() in ("true", "1"),
                        parent=parent_guid,
                        notes=self.refs(code),
                        element=describe(code),
                    )
                )
                walk(code, out[-1].guid)

        walk(codes_el, None)
        return out


def read_codebook_file(path: Path) -> list[RefiCode]:
    """The codes of a `.qdc` (namespace urn:QDA-XML:codebook:1.0; a project-namespace
    CodeBook, as some tools write, is read too)."""
    # Only a regular file, of a bounded size: a named pipe given as the file would block.
    data = read_bytes(path, error=RefiError, what="codebook file")
    root = parse_xml(data, path, path.name)
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if local(root) != "CodeBook" or ns not in (CODEBOOK_NS, PROJECT_NS):
        raise RefiError(
            f"not a REFI-QDA codebook: the root element is {root.tag!r}, not CodeBook in "
            f"namespace {CODEBOOK_NS}",
            path=path,
            field=path.name,
        )
    reader = Reader(path, path.name, ns)
    reader.check_unique(root)
    codes = reader.codes(root)
    if not codes:
        raise RefiError("the codebook has no codes", path=path, field="Codes")
    return codes


def read_project(archive: Archive) -> RefiProject:
    root = parse_xml(archive.project_qde(), archive.path, "project.qde")
    if root.tag != q("Project"):
        raise RefiError(
            f"project.qde is not a REFI-QDA project: the root element is {root.tag!r}, not "
            f"Project in namespace {PROJECT_NS}",
            path=archive.path,
            field="project.qde",
        )
    r = Reader(archive.path, "project.qde", PROJECT_NS)
    r.check_unique(root)
    users: dict[str, str] = {}
    users_el = r.kid(root, "Users")
    for user in r.kids(users_el, "User") if users_el is not None else ():
        guid = r.guid(user)
        users[guid] = (user.get("name") or user.get("id") or guid).strip()
    codebook = r.kid(root, "CodeBook")
    codes = r.codes(codebook) if codebook is not None else []
    code_guids = {c.guid for c in codes}
    variables: dict[str, str] = {}
    variables_el = r.kid(root, "Variables")
    for var in r.kids(variables_el, "Variable") if variables_el is not None else ():
        variables[r.guid(var)] = (var.get("name") or "").strip()

    notes: dict[str, RefiNote] = {}
    notes_el = r.kid(root, "Notes")
    for note in r.kids(notes_el, "Note") if notes_el is not None else ():
        guid = r.guid(note)
        text = r.text_of(note, "PlainTextContent")
        if not text and note.get("plainTextPath"):
            text = _decode(archive.source(note.get("plainTextPath"), describe(note)), note)[0]
        user = r.guid(note, "creatingUser", required=False)
        notes[guid] = RefiNote(
            guid, note.get("name") or "", text, user, note.get("creationDateTime")
        )

    def check_notes(el, refs: list[str]) -> None:
        for ref in refs:
            if ref not in notes:
                raise r.fail(el, f"NoteRef {ref} names no Note in the archive")

    for note in notes.values():
        if note.user is not None and note.user not in users:
            raise RefiError(
                f"creatingUser {note.user} is not among the archive's Users",
                path=archive.path,
                field=f"project.qde Note guid={note.guid}",
            )
    for code in codes:
        for ref in code.notes:
            if ref not in notes:
                raise RefiError(
                    f"NoteRef {ref} names no Note in the archive",
                    path=archive.path,
                    field=f"project.qde {code.element}",
                )

    sources: list[RefiSource] = []
    skipped: list[str] = []
    sources_el = r.kid(root, "Sources")
    for src in sources_el.iterchildren() if sources_el is not None else ():
        kind = local(src)
        name = src.get("name") or src.get("guid") or "?"
        if kind in UNCODABLE:
            skipped.append(f"{name}: a {UNCODABLE[kind]} source, which lfa-qual cannot code")
            continue
        if kind != "TextSource":
            continue
        guid = r.guid(src)
        element = describe(src)
        content = r.kid(src, "PlainTextContent")
        warnings: list[str] = []
        if content is not None and content.text:
            text = content.text
        elif src.get("plainTextPath"):
            text, warnings = _decode(archive.source(src.get("plainTextPath"), element), src)
        else:
            what = "rich text without plain text" if src.get("richTextPath") else "no text"
            skipped.append(f"{name}: {what}, which lfa-qual cannot read")
            continue
        selections: list[RefiSelection] = []
        for sel in r.kids(src, "PlainTextSelection"):
            selections.append(read_selection(r, sel, users, code_guids, notes))
        whole = list(r.kids(src, "Coding"))
        if whole:
            skipped.append(
                f"{name}: {len(whole)} coding(s) of the whole source, which lfa-qual cannot "
                "place on a passage"
            )
        src_notes = r.refs(src)
        check_notes(src, src_notes)
        values: dict[str, str] = {}
        for vv in r.kids(src, "VariableValue"):
            ref = r.kid(vv, "VariableRef")
            var = r.guid(ref, "targetGUID") if ref is not None else None
            value = next((c.text for c in vv.iterchildren() if c is not ref), None)
            if var in variables and value is not None and value.strip():
                values[variables[var]] = value.strip()
        sources.append(
            RefiSource(guid, name, text, selections, src_notes, values, element, warnings)
        )
    project_notes = r.refs(root)
    check_notes(root, project_notes)
    return RefiProject(
        name=(root.get("name") or "").strip(),
        origin=root.get("origin") or "",
        users=users,
        codes=codes,
        sources=sources,
        notes=notes,
        project_notes=project_notes,
        skipped=skipped,
    )


CODING, NOTEREF, CODEREF = q("Coding"), q("NoteRef"), q("CodeRef")


def read_selection(r: Reader, sel, users: dict, code_guids: set, notes: dict) -> RefiSelection:
    """One `PlainTextSelection` with its codings, every reference checked. Children are read
    in one pass (an archive may hold 100,000 of these)."""
    try:
        start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
    except (TypeError, ValueError):
        raise r.fail(sel, "startPosition and endPosition must be whole numbers") from None
    user = r.guid(sel, "creatingUser", required=False)
    if user is not None and user not in users:
        raise r.fail(sel, f"creatingUser {user} is not among the archive's Users")
    sel_notes: list[str] = []
    codings: list[RefiCoding] = []
    for child in sel:
        if child.tag == NOTEREF:
            sel_notes.append(_note_ref(r, child, notes))
        elif child.tag == CODING:
            code = c_user = None
            c_notes: list[str] = []
            for part in child:
                if part.tag == CODEREF:
                    code = r.guid(part, "targetGUID")
                elif part.tag == NOTEREF:
                    c_notes.append(_note_ref(r, part, notes))
            if code is None:
                raise r.fail(child, "a Coding without a CodeRef")
            if code not in code_guids:
                raise r.fail(child, f"CodeRef {code} names no Code in the codebook")
            c_user = r.guid(child, "creatingUser", required=False)
            if c_user is not None and c_user not in users:
                raise r.fail(child, f"creatingUser {c_user} is not among the archive's Users")
            codings.append(
                RefiCoding(
                    r.guid(child),
                    code,
                    c_user or user,
                    child.get("creationDateTime") or sel.get("creationDateTime"),
                    c_notes,
                    child,
                )
            )
    return RefiSelection(
        r.guid(sel), start, end, user, sel.get("creationDateTime"), codings, sel_notes, sel
    )


def _note_ref(r: Reader, el, notes: dict) -> str:
    ref = r.guid(el, "targetGUID")
    if ref not in notes:
        raise r.fail(el.getparent(), f"NoteRef {ref} names no Note in the archive")
    return ref


def _decode(data: bytes, el) -> tuple[str, list[str]]:
    decoded = decode_bytes(data, f"{el.get('name') or el.get('guid')}")
    return decoded.text, list(decoded.warnings)
