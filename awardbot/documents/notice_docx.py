"""公示 as a Word file, for the bureau to edit, stamp and post: the same words as the PDF
(:func:`~awardbot.documents.notice.notice_text`), in 宋体 with 黑体 headings."""

from __future__ import annotations

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Pt

from awardbot.documents.docx_parts import (
    TITLE_FONT,
    fill,
    run,
    saved,
    set_properties,
    set_up_fonts,
    set_up_page,
    table,
)
from awardbot.documents.model import NoticeData
from awardbot.documents.notice import GroupText, notice_text

_COLUMNS_MM = (16, 60, 84)


def notice_docx(data: NoticeData) -> bytes:
    """The 公示 as .docx bytes (A4); deterministic for the same input."""
    text = notice_text(data)
    document = Document()
    set_up_page(document, margin_mm=26)
    set_up_fonts(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    run(title, text.title, font=TITLE_FONT, size=18)
    _body(document, text.opening)
    for group in text.groups:
        _group(document, group)
    _body(document, text.period, before=12)
    _body(document, text.objection)
    for number, line in enumerate((text.issuer, text.dated)):
        closing = document.add_paragraph()
        closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        closing.paragraph_format.space_before = Pt(36 if number == 0 else 0)
        run(closing, line)
    set_properties(document, title=text.title, subject=text.issuer, keywords=text.dated,
                   dated=data.published_on)
    return saved(document, data.published_on)


def _body(document: DocxDocument, line: str, before: float = 0) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(24)  # two characters
    paragraph.paragraph_format.space_before = Pt(before)
    run(paragraph, line)


def _group(document: DocxDocument, group: GroupText) -> None:
    heading = document.add_paragraph()
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(6)
    heading.paragraph_format.keep_with_next = True
    run(heading, group.heading, font=TITLE_FONT, size=14)
    winners = table(document, 1 + len(group.rows), _COLUMNS_MM)
    winners.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # on every page
    for cell, label in zip(winners.rows[0].cells, group.columns, strict=True):
        fill(cell, label, bold=True, center=True, size=10.5)
    for row, values in zip(winners.rows[1:], group.rows, strict=True):
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            fill(cell, value, center=index == 0, size=10.5)
