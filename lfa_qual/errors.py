"""The project's own exception types. They carry where a problem is, so that the CLI and the
TUI can tell the user which file and line (or field) to fix."""

from __future__ import annotations

from pathlib import Path


class LfaError(Exception):
    """A problem the user can fix: bad input, a refused action, a missing file."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        if self.field:
            where = f"{where} [{self.field}]" if where else self.field
        return f"{where}: {self.message}" if where else self.message


class TranscriptError(LfaError):
    """A transcript file that cannot be read or parsed. When a file has several problems, the
    error is the first one and `problems` lists them all (each with its own line)."""

    def __init__(self, message: str, *, problems: list[LfaError] | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.problems: list[LfaError] = problems or [self]

    @classmethod
    def collect(cls, problems: list[TranscriptError]) -> TranscriptError:
        first = problems[0]
        return cls(
            first.message, path=first.path, line=first.line, field=first.field, problems=problems
        )

    def __str__(self) -> str:
        first = super().__str__()
        if len(self.problems) <= 1:
            return first
        more = "\n".join(f"  {p}" for p in self.problems[1:])
        return f"{first}\n  and {len(self.problems) - 1} more problem(s) in this file:\n{more}"


class CodebookError(LfaError):
    """A codebook that is not valid; `problems` lists every problem found."""

    def __init__(self, message: str, problems: list[LfaError] | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.problems = problems or []

    def __str__(self) -> str:
        if not self.problems:
            return super().__str__()
        return "\n".join([super().__str__(), *(f"  {p}" for p in self.problems)])


class StoreError(LfaError):
    """The project store refused an action (locked, read-only, full, or a rule of the data)."""
