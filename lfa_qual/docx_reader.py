"""Word documents: paragraphs follow the text format's conventions; page breaks are pages."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from lfa_qual.errors import TranscriptError
from lfa_qual.text import normalise
from lfa_qual.textfile import read_bytes
from lfa_qual.transcript import Transcript, build_transcript, parse_body, parse_header

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A .docx is a zip: a small file can unpack to gigabytes ("zip bomb"). The XML parts (text,
# styles, relations) of a 15-hour transcript are a few MB; 50 MB is ten times a long one. All
# parts together (images too) may unpack to at most MAX_UNPACKED_BYTES.
MAX_XML_BYTES = 50_000_000
MAX_UNPACKED_BYTES = 200_000_000
CHUNK = 1 << 20


def check_unpacked_size(archive: zipfile.ZipFile, path: Path) -> None:
    """Refuse a document whose parts unpack to more than the caps: first by the sizes the zip
    declares, then by decompressing each part and counting, stopping at the cap (a declared
    size can lie)."""

    def too_big(what: str, size: int, cap: int) -> TranscriptError:
        return TranscriptError(
            f"the document unpacks to more than {cap:,} bytes of {what} (at least {size:,}); "
            "a transcript is far smaller, so it is not read",
            path=path,
        )

    def is_xml(info: zipfile.ZipInfo) -> bool:
        return info.filename.lower().endswith((".xml", ".rels"))

    infos = archive.infolist()
    xml = sum(i.file_size for i in infos if is_xml(i))
    total = sum(i.file_size for i in infos)
    if xml > MAX_XML_BYTES:
        raise too_big("XML", xml, MAX_XML_BYTES)
    if total > MAX_UNPACKED_BYTES:
        raise too_big("data", total, MAX_UNPACKED_BYTES)
    xml = total = 0
    for info in infos:
        with archive.open(info) as part:
            while chunk := part.read(CHUNK):
                total += len(chunk)
                xml += len(chunk) if is_xml(info) else 0
                if xml > MAX_XML_BYTES:
                    raise too_big("XML", xml, MAX_XML_BYTES)
                if total > MAX_UNPACKED_BYTES:
                    raise too_big("data", total, MAX_UNPACKED_BYTES)


def _paragraph_texts(path: Path) -> list[tuple[str, int]]:
    """(text, page breaks before it) for every paragraph."""
    import docx
    from docx.opc.exceptions import OpcError
    from lxml.etree import LxmlError

    # Read once, as a regular file within the size limit; the zip is opened from these bytes.
    data = io.BytesIO(read_bytes(path))
    try:
        with zipfile.ZipFile(data) as archive:
            check_unpacked_size(archive, path)
        document = docx.Document(data)
    # A damaged or renamed file fails in many layers: not a zip, a missing part, bad XML, bad
    # compression.
    except (
        zipfile.BadZipFile,
        OpcError,
        LxmlError,
        KeyError,
        ValueError,
        EOFError,
        NotImplementedError,
        zlib.error,
        RuntimeError,  # an encrypted part
    ) as exc:
        raise TranscriptError(f"not a readable .docx file ({exc})", path=path) from None
    out: list[tuple[str, int]] = []
    for para in document.paragraphs:
        breaks = 1 if para.paragraph_format.page_break_before else 0
        parts: list[str] = []
        # Walk the runs' XML so that page breaks inside a paragraph are seen where they are.
        for el in para._p.iter():
            if el.tag == f"{W_NS}br" and el.get(f"{W_NS}type") == "page":
                if "".join(parts).strip():
                    out.append(("".join(parts), breaks))
                    parts, breaks = [], 0
                breaks += 1
            elif el.tag == f"{W_NS}t" and el.text:
                parts.append(el.text)
            elif el.tag == f"{W_NS}tab":
                parts.append("\t")
        out.append(("".join(parts), breaks))
    return out


def read_docx(path: Path) -> Transcript:
    source = str(path)
    paras = _paragraph_texts(path)
    texts = [normalise(t) for t, _ in paras]
    if not any(t.strip() for t in texts):
        raise TranscriptError("empty transcript: the document has no text", path=path)
    first = next(i for i, t in enumerate(texts) if t.strip())
    if texts[first].strip() != "---":
        raise TranscriptError(
            "no front matter: the first paragraph must be '---', then the YAML header, then '---'",
            path=path,
            line=first + 1,
        )
    try:
        close = next(i for i in range(first + 1, len(texts)) if texts[i].strip() == "---")
    except StopIteration:
        raise TranscriptError(
            "front matter is not closed by a paragraph '---'", path=path
        ) from None
    fm = "\n".join(texts[first + 1 : close]) + "\n"
    header = parse_header(fm, f"{source} (paragraph)", path.stem, first_line=first + 2)

    # The canonical text: front matter lines, then one body line per paragraph separated by blank
    # lines, with a form feed for each page break. Line numbers map back to paragraph numbers.
    head = "---\n" + fm + "---\n"
    body_lines: list[str] = []
    para_of_line: list[int] = []
    for i in range(close + 1, len(paras)):
        text = "\f" * paras[i][1] + texts[i].replace("\n", " ")
        body_lines += [text, ""]
        para_of_line += [i + 1, i + 1]
    body = "\n".join(body_lines)
    text = head + body
    first_line = head.count("\n") + 1
    turns = parse_body(
        body,
        header.speakers,
        f"{source} (paragraph)",
        base=len(head),
        first_line=first_line,
        line_name=lambda n: para_of_line[min(n - first_line, len(para_of_line) - 1)],
    )
    return build_transcript(header, text, turns, source, [])
