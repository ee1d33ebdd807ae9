"""A project folder: configuration, codebook, transcripts and the store, behind one facade.

The CLI and the TUI both work through this class, so an action means the same thing in both.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import Path

from lfa_qual import codings as coding_ops
from lfa_qual.citation import cite
from lfa_qual.codebook import Codebook, load_codebook
from lfa_qual.codebook_sync import SyncReport, sync_codebook
from lfa_qual.codings import Coding
from lfa_qual.config import CONFIG_NAME, ProjectConfig, default_coder, load_config, render_config
from lfa_qual.errors import LfaError
from lfa_qual.importer import (
    ImportReport,
    MissingFile,
    import_transcripts,
    in_folder,
    load_transcript,
    read_all,
    read_good,
    recorded_file,
    remove_transcript,
    renamed_from,
    source_key,
)
from lfa_qual.readers import transcript_files
from lfa_qual.role_groups import RoleGroups
from lfa_qual.store import Store, transcript_id
from lfa_qual.textfile import read_text_file
from lfa_qual.transcript import Transcript


@dataclass(frozen=True)
class TranscriptRow:
    interview: str
    school: str
    roles: tuple[str, ...]
    date: str
    kind: str
    words: int
    pages: int
    codings: int
    open_suggestions: int


@dataclass(frozen=True)
class RemovedTranscript:
    interview: str
    codings: int
    suggestions: int
    backup: Path


@dataclass(frozen=True)
class CodingView:
    """A coding with what a reader needs: its text and its citation."""

    coding: Coding
    text: str
    citation: str
    school: str
    role: str


def place(t: Transcript, offset: int) -> str:
    """Where `offset` is, as a reader finds it: the page (or turn) and the speaker's label."""
    where = "side" if t.has_pages else "tur"
    return f"{where} {t.locator_at(offset)}, {t.turn_at(offset).label}"


class Project:
    def __init__(self, root: Path | str = ".", *, coder: str | None = None) -> None:
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise LfaError("no such project folder", path=self.root)
        self.config: ProjectConfig = load_config(self.root)
        self.coder = coder or self.config.coder or default_coder()
        self._store: Store | None = None
        self._transcripts: dict[str, tuple[str, Transcript]] = {}
        self._codebook: tuple[float, Codebook] | None = None

    # -- paths and resources -------------------------------------------------------------
    @property
    def codebook_path(self) -> Path:
        return self.root / self.config.codebook

    @property
    def transcripts_dir(self) -> Path:
        return self.root / self.config.transcripts

    @property
    def db_path(self) -> Path:
        return self.root / self.config.database

    @property
    def role_groups(self) -> RoleGroups:
        return RoleGroups(self.config.role_groups)

    def roles(self) -> list[str]:
        """The speaker roles of the imported transcripts."""
        return sorted(r[0] for r in self.store.read("SELECT DISTINCT role FROM speakers"))

    def expand_roles(self, values, name: str = "roles") -> tuple[str, ...]:
        """Roles and role groups (see `lfa_qual.role_groups`) as the roles they stand for."""
        return self.role_groups.expand(values, self.roles(), name)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.db_path, before_migration=self._backup_before_migration)
        return self._store

    def _backup_before_migration(self, db: Path) -> None:
        from lfa_qual.backup import backup_before_migration

        backup_before_migration(db)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @classmethod
    def init(cls, folder: Path | str, coder: str | None = None) -> Project:
        folder = Path(folder)
        if (folder / CONFIG_NAME).exists():
            raise LfaError("already an lfa-qual project", path=folder / CONFIG_NAME)
        try:
            (folder / "transcripts").mkdir(parents=True, exist_ok=True)
            (folder / "codebooks").mkdir(exist_ok=True)
            starter = resources.files("lfa_qual") / "data" / "starter_codebook.yaml"
            target = folder / "codebooks" / "lfa.yaml"
            if not target.exists():
                with resources.as_file(starter) as src:
                    shutil.copyfile(src, target)
            (folder / CONFIG_NAME).write_text(
                render_config(coder or default_coder()), encoding="utf-8"
            )
        except OSError as exc:
            raise LfaError(f"cannot create the project: {exc.strerror}", path=folder) from None
        project = cls(folder)
        project.sync_codebook()
        return project

    # -- codebook ------------------------------------------------------------------------
    def codebook(self) -> Codebook:
        """The codebook file, re-read when it changes on disk."""
        try:
            mtime = self.codebook_path.stat().st_mtime
        except OSError:
            raise LfaError("codebook not found", path=self.codebook_path) from None
        if self._codebook is None or self._codebook[0] != mtime:
            self._codebook = (mtime, load_codebook(self.codebook_path))
        return self._codebook[1]

    def sync_codebook(self) -> SyncReport:
        codebook = self.codebook()
        text, _ = read_text_file(self.codebook_path)
        return sync_codebook(self.store, codebook, text)

    # -- transcripts ---------------------------------------------------------------------
    def import_files(
        self, paths: list[Path], *, allow_changed: bool = False, replace: bool = False
    ) -> ImportReport:
        return self.import_transcripts(
            read_all(paths), allow_changed=allow_changed, replace=replace
        )

    def import_transcripts(
        self, transcripts: list[Transcript], *, allow_changed: bool = False, replace: bool = False
    ) -> ImportReport:
        """Import parsed transcripts (see `lfa_qual.importer.import_transcripts`)."""
        return import_transcripts(
            self.store,
            transcripts,
            allow_changed=allow_changed,
            root=self.root,
            folder=self.transcripts_dir,
            replace=replace,
        )

    def sync(self) -> tuple[SyncReport, ImportReport]:
        """Bring the store up to date with the codebook file and the transcripts folder.

        A transcript file edited after coding (a typo fixed) is re-imported with its codings
        re-anchored onto the new text, after an automatic backup of the store; the report's
        `reanchored` lists what was kept, moved, or marked "needs review". A transcript whose
        file is gone stays (it is removed only by `remove_transcript`) and is listed in
        `missing`. A file that cannot be read is left out and listed in `failed` with all its
        problems; the other files are brought up to date all the same.
        """
        codebook_report = self.sync_codebook()
        transcripts, failed = read_good(transcript_files(self.transcripts_dir))
        self.backup_before_reanchor(transcripts)
        report = self.import_transcripts(transcripts, allow_changed=True)
        report.failed = failed
        report.missing = self.missing_files()
        return codebook_report, report

    def missing_files(self) -> list[MissingFile]:
        """Transcripts in the store whose file no longer exists."""
        rows = self.store.read(
            "SELECT t.interview, t.source, (SELECT count(*) FROM codings c"
            " WHERE c.transcript_id = t.id) AS n FROM transcripts t ORDER BY t.school, t.interview"
        )
        found = []
        for r in rows:
            path = recorded_file(r["source"], self.root)
            if r["source"] and not path.exists():
                found.append(MissingFile(r["interview"], path, r["n"]))
        return found

    def check_removable(self, interview: str) -> None:
        """Raise unless `interview` is in the store and its file is not in the transcripts
        folder (from where the next command would import it again)."""
        row = self.store.read_one("SELECT source FROM transcripts WHERE interview=?", (interview,))
        if row is None:
            transcript_id(self.store, interview)  # raises the usual "no transcript" error
        path = recorded_file(row["source"], self.root)
        if row["source"] and path.exists() and in_folder(path, self.transcripts_dir):
            raise LfaError(
                f"the file of {interview!r} is still in the transcripts folder, so the next "
                "command would import it again; move or delete the file first",
                path=path,
            )
        # The recorded path may be out of date (a renamed file, a moved project): any file in
        # the folder with this interview id would bring it back too.
        for transcript in read_good(transcript_files(self.transcripts_dir))[0]:
            if transcript.interview == interview:
                raise LfaError(
                    f"a file in the transcripts folder is interview {interview!r}, so the next "
                    "command would import it again; move or delete the file first",
                    path=Path(transcript.source),
                )

    def remove_transcript(self, interview: str) -> RemovedTranscript:
        """Remove a transcript with its codings, suggestions, memo and undo history (e.g. when a
        participant withdraws consent), after a backup of the store. Refused while its file is
        still in the transcripts folder, which would bring it back on the next command."""
        from lfa_qual.backup import backup, default_backup_path

        self.check_removable(interview)
        made = backup(self.db_path, default_backup_path(self.db_path, "before-remove"))
        removed = remove_transcript(self.store, interview)
        self._transcripts.pop(interview, None)
        return RemovedTranscript(interview, removed.codings, removed.suggestions, made)

    def backup_before_reanchor(self, transcripts: list[Transcript]) -> Path | None:
        """Back up the store if importing `transcripts` will move codings; returns the backup."""
        if not self.coded_and_changed(transcripts):
            return None
        from lfa_qual.backup import backup, default_backup_path, prune

        made = backup(self.db_path, default_backup_path(self.db_path, "pre-reanchor"))
        prune(self.db_path, "pre-reanchor", keep=10)  # one per edit session adds up
        return made

    def coded_and_changed(self, transcripts: list[Transcript]) -> list[str]:
        """Interviews among `transcripts` whose text differs from the stored, coded one."""
        stored = {
            r["interview"]: (r["sha256"], r["n"])
            for r in self.store.read(
                "SELECT t.interview, t.sha256, (SELECT count(*) FROM codings c"
                " WHERE c.transcript_id = t.id) AS n FROM transcripts t"
            )
        }
        claimed = {t.interview for t in transcripts}
        changed = []
        for t in transcripts:
            if t.interview not in stored:
                # A file whose `interview:` was edited renames its coded transcript: the
                # edit changed the text too.
                old = renamed_from(
                    self.store.conn, t.interview, source_key(t.source, self.root), claimed
                )
                if old is not None and stored[old["interview"]][1]:
                    changed.append(t.interview)
            elif stored[t.interview][1] and stored[t.interview][0] != t.sha256:
                changed.append(t.interview)
        return changed

    def transcript(self, interview: str) -> Transcript:
        row = self.store.read_one("SELECT sha256 FROM transcripts WHERE interview=?", (interview,))
        cached = self._transcripts.get(interview)
        if cached and row and cached[0] == row["sha256"]:
            return cached[1]
        transcript = load_transcript(self.store, interview)
        self._transcripts[interview] = (transcript.sha256, transcript)
        return transcript

    def transcript_rows(self) -> list[TranscriptRow]:
        rows = self.store.read(
            """SELECT t.interview, t.school, t.date, t.kind, t.words, t.pages,
                 (SELECT count(*) FROM codings c WHERE c.transcript_id = t.id) AS codings,
                 (SELECT count(*) FROM suggestions s WHERE s.transcript_id = t.id
                    AND s.status = 'open') AS open_suggestions,
                 (SELECT group_concat(role, '|') FROM (SELECT DISTINCT role FROM speakers s
                    WHERE s.transcript_id = t.id AND s.interviewer = 0 ORDER BY position)) AS roles
               FROM transcripts t ORDER BY t.school, t.interview"""
        )
        return [
            TranscriptRow(
                r["interview"],
                r["school"],
                tuple((r["roles"] or "").split("|")),
                r["date"],
                r["kind"],
                r["words"],
                r["pages"],
                r["codings"],
                r["open_suggestions"],
            )
            for r in rows
        ]

    # -- codings -------------------------------------------------------------------------
    def code(
        self,
        interview: str,
        code: str,
        *,
        start: int | None = None,
        end: int | None = None,
        quote: str | None = None,
        occurrence: int | None = None,
        memo: str = "",
        coder: str | None = None,
        source: str = "manual",
    ) -> Coding:
        transcript = self.transcript(interview)
        if quote is not None:
            if start is not None or end is not None:
                raise LfaError("give either a quote or start and end, not both", field="span")
            start, end = coding_ops.find_quote(
                transcript.text, quote, occurrence, partial(place, transcript)
            )
        if start is None or end is None:
            raise LfaError("give either --start and --end or --quote", field="span")
        # The offsets belong to this text: refused if another process re-anchors meanwhile.
        return coding_ops.add_coding(
            self.store,
            interview,
            start,
            end,
            code,
            coder or self.coder,
            memo=memo,
            source=source,
            text_sha256=transcript.sha256,
        )

    def uncode(self, coding_id: int) -> Coding:
        return coding_ops.remove_coding(self.store, coding_id)

    def codings(self, **filters) -> list[Coding]:
        return coding_ops.list_codings(self.store, **filters)

    def cite(self, coding: Coding) -> str:
        return cite(self.transcript(coding.interview), coding.start, self.config.citation)

    def view(self, coding: Coding) -> CodingView:
        t = self.transcript(coding.interview)
        return CodingView(
            coding,
            t.text[coding.start : coding.end],
            cite(t, coding.start, self.config.citation),
            t.school,
            t.speaker_at(coding.start).role,
        )
