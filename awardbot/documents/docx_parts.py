"""What every Word file the bot makes shares: A4 pages, Chinese fonts named where Word
and WPS look for them, tables with fixed widths, and deterministic bytes.

Chinese text needs its font named in ``w:rFonts/@w:eastAsia``: python-docx's
``font.name`` sets only the Latin slots, and Word or LibreOffice would then fall back to
whatever CJK font they like. 宋体 and 黑体 are the faces every bureau computer has; the
PDFs, made here, embed Noto Serif SC and Noto Sans SC instead.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
LATIN_FONT = "Times New Roman"


def set_up_page(document: DocxDocument, margin_mm: int = 25) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(margin_mm)
        section.left_margin = section.right_margin = Mm(margin_mm)


def set_up_fonts(document: DocxDocument, size: float = 12) -> None:
    """宋体 for the Normal style and the document defaults, with zh-CN as East-Asian language."""
    path = "/".join(qn(tag) for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr"))
    default_rpr = document.styles.element.find(path)
    if isinstance(default_rpr, CT_RPr):
        set_fonts(default_rpr, BODY_FONT)
    normal = document.styles["Normal"]
    normal.font.size = Pt(size)
    set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.25


def set_fonts(rpr: CT_RPr, east_asia: str) -> None:
    """Name the fonts explicitly; theme attributes would override them, so drop those."""
    rfonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:cs"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def run(
    paragraph: Paragraph, text: str, *, font: str = BODY_FONT, bold: bool = False,
    size: float | None = None,
) -> None:
    added = paragraph.add_run(text)
    added.bold = bold or None
    if size is not None:
        added.font.size = Pt(size)
    set_fonts(added._r.get_or_add_rPr(), font)


def fill(cell: _Cell, text: str, *, bold: bool = False, center: bool = False,
         size: float | None = None) -> None:
    """Write text into a cell, one paragraph per line."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for number, line in enumerate(text.split("\n")):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run(paragraph, line, bold=bold, size=size)


def table(document: DocxDocument, rows: int, widths_mm: Sequence[int]) -> Table:
    added = document.add_table(rows=rows, cols=len(widths_mm))
    added.style = document.styles["Table Grid"]
    added.autofit = False
    # LibreOffice lays out a fixed table by the grid, Word by the cell widths: set both.
    for column, width in zip(added.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in added.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return added


def set_properties(document: DocxDocument, *, title: str, subject: str, keywords: str,
                   dated: date) -> None:
    stamp = datetime.combine(dated, time(0), tzinfo=UTC)
    props = document.core_properties
    props.title, props.subject, props.keywords = title, subject, keywords
    props.author = props.last_modified_by = "awardbot"
    props.comments = ""
    props.revision = 1
    props.created = props.modified = stamp
    # The template's thumbnail shows an unrelated page in file browsers: drop it.
    package_rels = document.part.package.rels
    for r_id in [r_id for r_id, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[r_id]


def saved(document: DocxDocument, day: date) -> bytes:
    """The package's bytes with fixed entry timestamps (python-docx stamps 'now')."""
    buffer = io.BytesIO()
    document.save(buffer)
    stamp = (day.year, day.month, day.day, 0, 0, 0) if day.year >= 1980 else (1980, 1, 1, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
