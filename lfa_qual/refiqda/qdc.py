"""A REFI-QDA codebook (.qdc) merged into the project's YAML codebook.

By default the merged codebook is written to a separate YAML file for review; `apply` writes
it over the codebook file, after a copy of that file, and brings the store's codes up to date.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lfa_qual.codebook_sync import sync_codebook
from lfa_qual.outputs import check_output_path, replacing_text
from lfa_qual.refiqda.apply import adopt_guids, write_codebook
from lfa_qual.refiqda.codebook_merge import merge_codes
from lfa_qual.refiqda.export import code_guids
from lfa_qual.refiqda.reader import read_codebook_file
from lfa_qual.textfile import read_text_file


@dataclass
class QdcReport:
    lines: list[str]
    new: list[str]
    written: Path | None  # the review file, or the codebook when applied
    backup: Path | None  # the codebook's previous version, when applied


def review_path(project) -> Path:
    path = project.codebook_path
    return path.with_name(f"{path.stem}.merged{path.suffix}")


def import_qdc(project, path: Path, *, out: Path | None = None, apply: bool = False) -> QdcReport:
    codes = read_codebook_file(Path(path))
    project.sync_codebook()
    yaml_text, _ = read_text_file(project.codebook_path)
    merge = merge_codes(
        codes,
        project.codebook(),
        yaml_text,
        code_guids(project.store),
        path=str(project.codebook_path),
    )
    new = [code_id for code_id, _ in merge.new]
    if apply:
        made = write_codebook(project, merge.text)
        store = project.store
        with store.transaction() as conn:
            sync_codebook(store, merge.codebook, merge.text)
            adopt_guids(conn, "codes", "id", merge.new_guids)
        return QdcReport(merge.lines, new, project.codebook_path if made else None, made)
    if not new:
        return QdcReport(merge.lines, new, None, None)  # nothing to review
    out = out or review_path(project)
    check_output_path(out, project)
    with replacing_text(out, newline="\n") as stream:
        stream.write(merge.text)
    return QdcReport(merge.lines, new, out, None)
