"""Word documents: paragraphs follow the text format's conventions; page breaks are pages."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from lfa_qual.errors import TranscriptError
from lfa_qual.text import normalise
from lfa_qual.transcript import Transcript, build_transcript, parse_body, parse_header

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_texts(path: Path) -> list[tuple[str, int]]:
    """(text, page breaks before it) for every paragraph."""
    import docx
    from docx.opc.exceptions import OpcError
    from lxml.etree import LxmlError

    try:
        document = docx.Document(str(path))
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
