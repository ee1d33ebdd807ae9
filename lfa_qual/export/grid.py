"""The summary grid as a Word table (A4, landscape when wide, Danish) and an Excel workbook.

Each cell holds the number of coded passages, the researcher's summary and, on request, the
citations of the passages, so that the grid is the draft of the report's per-theme sections.
A wide grid is split into tables of at most `PER_TABLE` themes, each with the row names again,
so that the columns stay readable on A4 landscape.
"""

from __future__ import annotations

from pathlib import Path

from lfa_qual.grid import ROW_NAMES, Grid

PER_TABLE = 5  # themes per Word table: more do not fit A4 landscape readably
PORTRAIT_MAX = 3  # up to this many themes the page stays portrait


def count_text(n: int) -> str:
    return f"{n} passage" if n == 1 else f"{n} passager"


def cell_lines(grid: Grid, row: str, code: str) -> list[str]:
    """The cell as lines: the count, the summary, then the citations."""
    lines = [count_text(grid.count(row, code))]
    summary = grid.summary(row, code)
    if summary:
        lines.append(summary)
    lines += grid.citations.get((row, code), [])
    return lines


def write_grid_docx(grid: Grid, path: Path, title: str = "Oversigt over temaer") -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    document.core_properties.language = "da-DK"
    normal = document.styles["Normal"]
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "da-DK")
    normal.element.get_or_add_rPr().append(lang)
    section = document.sections[0]
    wide = len(grid.codes) > PORTRAIT_MAX
    section.orientation = WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if wide else (Mm(210), Mm(297))
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    document.add_heading(title, level=1)
    chunks = [grid.codes[i : i + PER_TABLE] for i in range(0, len(grid.codes), PER_TABLE)]
    for number, codes in enumerate(chunks or [[]]):
        if number:
            document.add_paragraph()
        table = document.add_table(rows=1 + len(grid.rows), cols=1 + len(codes))
        table.style = "Table Grid"
        header = table.rows[0].cells
        header[0].text = ROW_NAMES[grid.row_kind]
        for j, code in enumerate(codes, start=1):
            header[j].text = grid.labels.get(code, code)
        for cell in header:
            for run in cell.paragraphs[0].runs:
                run.bold = True
        # The header row repeats on each page of a long table.
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for i, row in enumerate(grid.rows, start=1):
            cells = table.rows[i].cells
            cells[0].text = row
            cells[0].paragraphs[0].runs[0].bold = True
            for j, code in enumerate(codes, start=1):
                lines = cell_lines(grid, row, code)
                cell = cells[j]
                cell.text = lines[0]
                cell.paragraphs[0].runs[0].italic = True
                for line in lines[1:]:
                    paragraph = cell.add_paragraph(line)
                    if line.startswith("("):  # a citation: smaller, under the summary
                        for run in paragraph.runs:
                            run.font.size = Pt(8)
    document.save(str(path))


def write_grid_xlsx(grid: Grid, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    ws = workbook.active
    ws.title = "Oversigt"
    counts = workbook.create_sheet("Passager")
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    labels = [grid.labels.get(c, c) for c in grid.codes]
    for sheet in (ws, counts):
        sheet.append([ROW_NAMES[grid.row_kind], *labels])
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "B2"
        sheet.column_dimensions["A"].width = 20
    for j in range(2, len(grid.codes) + 2):
        ws.column_dimensions[get_column_letter(j)].width = 40
    for row in grid.rows:
        texts = ["\n".join(cell_lines(grid, row, code)) for code in grid.codes]
        ws.append([row, *(ILLEGAL_CHARACTERS_RE.sub("", t) for t in texts)])
        for cell in ws[ws.max_row][1:]:
            cell.alignment = wrap
            cell.data_type = "s"  # a summary starting with "=" stays text
        ws[ws.max_row][0].font = bold
        counts.append([row, *(grid.count(row, code) for code in grid.codes)])
    workbook.save(path)
