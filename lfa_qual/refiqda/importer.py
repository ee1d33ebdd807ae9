"""Bringing a REFI-QDA project archive into an lfa-qual project: all of it, or nothing
(the plan is made here, `apply` writes it).

Everything is read and checked first (the archive, every selection against its text, the
codebook merge, the new transcript files); then the store is backed up, the codebook file is
backed up and rewritten when it gains codes, new transcripts are written into the transcripts
folder, and the store takes codes, transcripts, codings and memos in one transaction. If that
fails, the written files are removed and the codebook is put back.

Importing the same archive again changes nothing: transcripts, codes and codings keep the
archive's GUIDs. A source whose normalised text equals a transcript of the project adds its
codings to that transcript (a co-author's coding coming back).
"""

from __future__ import annotations

from pathlib import Path

from lfa_qual.errors import LfaError
from lfa_qual.refiqda.apply import apply_plan
from lfa_qual.refiqda.archive import Archive, RefiError
from lfa_qual.refiqda.codebook_merge import merge_codes
from lfa_qual.refiqda.export import code_guids
from lfa_qual.refiqda.plan import Plan, QdpxReport
from lfa_qual.refiqda.positions import map_text
from lfa_qual.refiqda.reader import RefiProject, RefiSource, read_project
from lfa_qual.refiqda.sources import Placed, header_fields, missing_header, own_format, wrap
from lfa_qual.store import now
from lfa_qual.text import sha256
from lfa_qual.textfile import read_text_file
from lfa_qual.yamlutil import YamlProblem, load_yaml


def sidecar_path(archive: Path) -> Path:
    return archive.with_name(archive.name + ".yaml")


def load_sidecar(path: Path | None, archive: Path, explicit: bool) -> dict[str, dict]:
    if path is None or not path.exists():
        if explicit:
            raise LfaError("no such file", path=path)
        return {}
    text, _ = read_text_file(path)
    try:
        data = load_yaml(text).data
    except YamlProblem as exc:
        raise LfaError(exc.message, path=path, line=exc.line) from None
    sources = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(sources, dict):
        raise LfaError("a sidecar maps 'sources:' to one entry per source name", path=path)
    return {str(k): dict(v) for k, v in sources.items() if isinstance(v, dict)}


def _template(names: list[str]) -> str:
    lines = ["sources:"]
    for name in names:
        lines += [
            f'  "{name}":',
            "    school: Skole 1",
            "    date: 2021-04",
            "    kind: gruppeinterview",
            "    speakers: {I: {role: Interviewer, interviewer: true}, L: Lærer}",
        ]
    return "\n".join(lines)


def _place(
    src: RefiSource, sidecar: dict, archive: Path, crlf_one: bool, utf16: bool
) -> tuple[Placed | None, list[str]]:
    mapped = map_text(src.text, crlf_as_one=crlf_one, utf16=utf16)
    own = own_format(mapped, src.name)
    if own is not None:
        return Placed(own, mapped), []
    fields = header_fields(src.variables, sidecar.get(src.name, {}))
    missing = missing_header(fields)
    if missing:
        return None, missing
    return wrap(mapped, src.name, fields, str(archive), src.element), []


def plan_import(
    project,
    refi: RefiProject,
    archive: Path,
    *,
    codebook_mode: str,
    crlf: str,
    positions: str,
    sidecar: dict,
) -> tuple[Plan, QdpxReport]:
    store = project.store
    report = QdpxReport(archive, skipped=list(refi.skipped))
    yaml_text, _ = read_text_file(project.codebook_path)
    merge = merge_codes(
        refi.codes,
        project.codebook() if codebook_mode == "merge" else None,
        yaml_text,
        code_guids(store),
        name=refi.name,
        path=str(project.codebook_path),
    )
    report.codes, report.new_codes = merge.lines, [code_id for code_id, _ in merge.new]
    plan = Plan(merge)
    crlf_one = crlf == "one" or (crlf == "auto" and "atlas" in refi.origin.lower())
    rows = store.read("SELECT id, guid, interview, text FROM transcripts")
    # Equal texts up to white space at the end (a tool may drop the last line break).
    by_sha = {sha256(r["text"].rstrip()): r["interview"] for r in rows}
    by_guid = {r["guid"]: r["interview"] for r in rows}
    interviews = {r["interview"] for r in rows}
    texts: dict[str, str] = {}
    lacking: list[str] = []
    coder = project.coder
    code_ids = merge.ids
    for src in refi.sources:
        report.warnings += src.warnings
        placed, missing = _place(src, sidecar, archive, crlf_one, positions == "utf16")
        if placed is None:
            lacking.append(f"{src.name} ({', '.join(missing)})")
            continue
        t = placed.transcript
        if sha256(t.text.rstrip()) in by_sha:
            interview = by_sha[sha256(t.text.rstrip())]
            if by_guid.get(src.guid) != interview:
                report.matched.append(f"{src.name} = {interview}")
        elif src.guid in by_guid:
            raise RefiError(
                f"source {src.name!r} is transcript {by_guid[src.guid]!r} of this project (same "
                "GUID) with a different text; edit the transcript file instead, or import the "
                "archive into another project",
                path=archive,
                field=f"project.qde {src.element}",
            )
        elif t.interview in interviews or t.interview in texts:
            raise RefiError(
                f"source {src.name!r} would be interview {t.interview!r}, which this project "
                "already has with a different text; give the source another interview id "
                "(variable 'Interview' or the sidecar)",
                path=archive,
                field=f"project.qde {src.element}",
            )
        else:
            interview = t.interview
            texts[interview] = t.text
            plan.new.append(t)
            plan.guids[interview] = src.guid
            report.added.append(interview)
        text = t.text
        for sel in src.selections:
            if not (0 <= sel.start < sel.end <= placed.mapped.length):
                raise RefiError(
                    f"selection {sel.start}..{sel.end} falls outside its text, which has "
                    f"{placed.mapped.length} characters",
                    path=archive,
                    field=f"project.qde {sel.element} in {src.element}",
                )
            if not sel.codings:
                continue
            # Positions are kept as they are (a round trip gives the same codings); a
            # selection of white space only has nothing to code.
            start, end = placed.offset(sel.start), placed.offset(sel.end)
            if start >= end or text[start:end].isspace():
                report.empty += 1
                continue
            shared = [refi.notes[n].text for n in sel.notes]
            for c in sel.codings:
                memo = "\n\n".join(shared + [refi.notes[n].text for n in c.notes])
                user = refi.users[c.user] if c.user else coder
                created = c.created or now()
                plan.codings.append(
                    (c.guid, interview, start, end, code_ids[c.code], user, created, memo)
                )
        for n in src.notes:
            note = refi.notes[n]
            plan.memos.append((n, "transcript", interview, note.text, _author(refi, note, coder)))
    if lacking:
        where = sidecar_path(archive)
        raise RefiError(
            f"{len(lacking)} source(s) are not lfa-qual transcripts and lack a school or date: "
            f"{'; '.join(lacking)}. Write them in {where} (or give --sources FILE), e.g.\n"
            + _template([s.split(" (")[0] for s in lacking]),
            path=archive,
            field="Sources",
        )
    for code in refi.codes:
        for n in code.notes:
            note = refi.notes[n]
            plan.memos.append(
                (n, "code", code_ids[code.guid], note.text, _author(refi, note, coder))
            )
    for n in refi.project_notes:
        note = refi.notes[n]
        plan.memos.append((n, "project", "", note.text, _author(refi, note, coder)))
    return plan, report


def _author(refi: RefiProject, note, coder: str) -> str:
    return refi.users.get(note.user, coder) if note.user else coder


def import_qdpx(
    project,
    path: Path,
    *,
    codebook_mode: str = "merge",
    crlf: str = "auto",
    positions: str = "codepoints",
    sources: Path | None = None,
) -> QdpxReport:
    path = Path(path)
    archive = Archive.open(path)
    try:
        refi = read_project(archive)
    finally:
        archive.close()
    sidecar = load_sidecar(sources or sidecar_path(path), path, explicit=sources is not None)
    project.sync_codebook()
    plan, report = plan_import(
        project,
        refi,
        path,
        codebook_mode=codebook_mode,
        crlf=crlf,
        positions=positions,
        sidecar=sidecar,
    )
    files = {}
    for t in plan.new:
        file = project.transcripts_dir / f"{t.interview}.md"
        if file.exists() and read_text_file(file)[0] != t.text:
            raise RefiError(
                f"{file} exists with another text; move it away or give the source another "
                "interview id",
                path=path,
                field=t.interview,
            )
        files[t.interview] = file
    apply_plan(project, plan, report, files)
    return report
