"""Reading a REFI-QDA archive or codebook file without trusting it.

A `.qdpx` is a zip: `project.qde` plus the source files under `sources/`. Nothing is extracted
to disk; entries are read into memory with a cap on the total uncompressed size (a zip bomb
stops at the cap, whatever the headers claim), and a referenced path that leaves the archive
(`../`, an absolute path) is refused. XML is parsed by lxml with entities, DTDs and the network
off; a document that declares a DTD or entities is refused before parsing.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from lxml import etree

from lfa_qual.errors import LfaError
from lfa_qual.textfile import open_regular_file

# The whole archive, uncompressed; 200 interviews of 100 pages are about 60 MB.
MAX_UNCOMPRESSED = 500_000_000
MAX_XML_BYTES = 300_000_000
INTERNAL = "internal://"
DOCTYPE_RE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class RefiError(LfaError):
    """A REFI-QDA archive or codebook that cannot be imported; names the file and element."""


def fail(path: Path | str, message: str, element: str | None = None) -> RefiError:
    return RefiError(message, path=path, field=element)


def parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, path: Path | str, what: str) -> etree._Element:
    """The root element of `data`; a DTD, an entity declaration or bad XML is refused."""
    # Only the prolog, before the root element, can hold a DOCTYPE.
    root = re.search(rb"<[A-Za-z_]", data)
    if DOCTYPE_RE.search(data[: root.start()] if root else data):
        raise fail(path, f"{what} declares a DTD or entities, which are not allowed", what)
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        raise RefiError(
            f"{what} is not well-formed XML: {exc.msg}", path=path, line=line, field=what
        ) from None
    # A DTD the byte scan could not see (another encoding): refused all the same.
    if root.getroottree().docinfo.internalDTD is not None:
        raise fail(path, f"{what} declares a DTD or entities, which are not allowed", what)
    return root


@dataclass
class Archive:
    """The entries of a `.qdpx`, looked up without regard to letter case."""

    path: Path
    zf: zipfile.ZipFile
    file: BinaryIO  # what zf reads: ZipFile does not close a file it was given
    entries: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    read_total: int = 0

    @classmethod
    def open(cls, path: Path) -> Archive:
        # Only a regular file: a named pipe given as the archive would block.
        file = open_regular_file(path, error=RefiError, what="REFI-QDA project archive")
        try:
            zf = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError):
            file.close()
            raise RefiError(
                "not a REFI-QDA project archive: a .qdpx is a zip file holding project.qde",
                path=path,
            ) from None
        archive = cls(path, zf, file)
        total = 0
        for info in zf.infolist():
            total += info.file_size
            archive.entries.setdefault(info.filename.replace("\\", "/").lower(), info)
        if total > MAX_UNCOMPRESSED:
            archive.close()
            raise fail(
                path,
                f"the archive unpacks to {total:,} bytes; the limit is {MAX_UNCOMPRESSED:,}",
                "zip",
            )
        return archive

    def close(self) -> None:
        self.zf.close()
        self.file.close()

    def read(self, info: zipfile.ZipInfo, element: str) -> bytes:
        """An entry's bytes, stopping at the cap whatever its header claims."""
        limit = MAX_UNCOMPRESSED - self.read_total
        chunks, size = [], 0
        try:
            with self.zf.open(info) as stream:
                while chunk := stream.read(1 << 20):
                    size += len(chunk)
                    if size > limit:
                        raise fail(
                            self.path,
                            f"{info.filename} unpacks to more than the limit of "
                            f"{MAX_UNCOMPRESSED:,} bytes (a zip bomb?)",
                            element,
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise fail(self.path, f"cannot read {info.filename}: {exc}", element) from None
        self.read_total += size
        return b"".join(chunks)

    def project_qde(self) -> bytes:
        info = self.entries.get("project.qde")
        if info is None:
            raise fail(
                self.path,
                "no project.qde in the archive: not a REFI-QDA project (.qdpx)",
                "project.qde",
            )
        if info.file_size > MAX_XML_BYTES:
            raise fail(
                self.path, f"project.qde is larger than {MAX_XML_BYTES:,} bytes", "project.qde"
            )
        return self.read(info, "project.qde")

    def source(self, reference: str, element: str) -> bytes:
        """A source file named by `plainTextPath`: `internal://NAME`, `NAME` or `sources/NAME`,
        in `sources/` of any letter case."""
        name = reference.strip()
        if name.lower().startswith(INTERNAL):
            name = name[len(INTERNAL) :]
        elif re.match(r"^[a-z][a-z0-9+.-]*://", name, re.IGNORECASE):
            raise fail(
                self.path,
                f"source path {reference!r} points outside the archive; only files inside it "
                "(internal://…) can be imported",
                element,
            )
        name = name.replace("\\", "/")
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
            raise fail(
                self.path, f"source path {reference!r} escapes the archive; refused", element
            )
        key = str(pure).lower()
        for candidate in (f"sources/{key}", key):
            info = self.entries.get(candidate)
            if info is not None and not info.is_dir():
                return self.read(info, element)
        raise fail(self.path, f"source file {reference!r} is not in the archive", element)
