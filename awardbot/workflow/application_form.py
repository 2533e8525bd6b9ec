"""The bureau's unified application form (申报表) as a Word document.

Built from plain values, so the caller decides what goes in and this module only lays
it out: title, the fields table, the statement (申报事迹), the evidence list, the
preliminary score sheet when there is one, and the four blank signature blocks of the
process (部门领导签字, 督查科意见, 考评小组意见, 党组会议意见).

Chinese text needs its font named in ``w:rFonts/@w:eastAsia``: python-docx's
``font.name`` sets only the Latin slots, and Word or LibreOffice would then fall back
to whatever CJK font they like. The output is byte-for-byte deterministic for the same
input (document dates and ZIP timestamps come from the submission date).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Literal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

SubjectKind = Literal["person", "window", "hall"]

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
LATIN_FONT = "Times New Roman"
SIGNATURE_BLOCKS = ("部门领导签字", "督查科意见", "考评小组意见", "党组会议意见")
_SUBJECT = {
    "person": ("个人", "被推荐人", "所在单位"),
    "window": ("窗口", "窗口名称", "所属单位"),
    "hall": ("大厅", "大厅名称", "所属单位"),
}
_EVIDENCE_KIND = {"image": "图片", "photo": "图片", "document": "文件"}
_CONTENT_WIDTH_MM = 160  # A4 (210 mm) less two 25 mm margins


@dataclass(frozen=True)
class FormData:
    """Everything the form shows, as display-ready values (Chinese where shown)."""

    reference: str
    round_label: str
    award_name: str
    nominee_name: str
    nominee_unit: str
    subject_kind: SubjectKind
    submitted_on: date
    criteria: Sequence[str]
    statement: Sequence[tuple[str, str]]
    """(heading, text) sections; an empty heading prints the text alone."""
    evidence: Sequence[tuple[int, str, str]]
    """(number, kind: image/document or a label, caption or file name)."""
    applicant_name: str | None = None
    """Who filled the form in, when not the nominee."""
    score_lines: Sequence[tuple[str, str, str]] = ()
    """Preliminary score sheet: (item, input, points); empty prints no sheet."""

    def __post_init__(self) -> None:
        if self.subject_kind not in _SUBJECT:
            raise ValueError(f"unknown subject kind {self.subject_kind!r}")
        # Tuples, so equal inputs compare and hash equal whatever sequences came in.
        for name in ("criteria", "statement", "evidence", "score_lines"):
            items = getattr(self, name)
            frozen = tuple(item if isinstance(item, str) else tuple(item) for item in items)
            object.__setattr__(self, name, frozen)


def build_form(data: FormData) -> bytes:
    """The filled-in 申报表 as .docx bytes."""
    document = Document()
    _set_up_page(document)
    _set_up_fonts(document)
    _add_title(document, data)
    _add_fields(document, data)
    _add_statement(document, data)
    _add_evidence(document, data)
    if data.score_lines:
        _add_score_sheet(document, data)
    _add_signatures(document)
    _set_properties(document, data)
    buffer = io.BytesIO()
    document.save(buffer)
    return _normalised_zip(buffer.getvalue(), data.submitted_on)


def zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _set_up_page(document: DocxDocument) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(25)
        section.left_margin = section.right_margin = Mm(25)


def _set_up_fonts(document: DocxDocument) -> None:
    """宋体 for the Normal style and the document defaults, with zh-CN as East-Asian language."""
    path = "/".join(qn(tag) for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr"))
    default_rpr = document.styles.element.find(path)
    if isinstance(default_rpr, CT_RPr):
        _set_fonts(default_rpr, BODY_FONT)
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.25


def _set_fonts(rpr: CT_RPr, east_asia: str) -> None:
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


def _run(
    paragraph: Paragraph, text: str, *, font: str = BODY_FONT, bold: bool = False,
    size: float | None = None,
) -> None:
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size is not None:
        run.font.size = Pt(size)
    _set_fonts(run._r.get_or_add_rPr(), font)


def _add_title(document: DocxDocument, data: FormData) -> None:
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    _run(title, f"{data.award_name} 申报表", font=TITLE_FONT, size=18)


def _heading(document: DocxDocument, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, text, font=TITLE_FONT, size=14)


def _fill(cell: _Cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    """Write text into a cell, one paragraph per line."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for number, line in enumerate(text.split("\n")):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, line, bold=bold)


def _table(document: DocxDocument, rows: int, widths_mm: Sequence[int]) -> Table:
    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.style = document.styles["Table Grid"]
    table.autofit = False
    # LibreOffice lays out a fixed table by the grid, Word by the cell widths: set both.
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


def _add_fields(document: DocxDocument, data: FormData) -> None:
    kind_label, name_label, unit_label = _SUBJECT[data.subject_kind]
    applicant = data.applicant_name
    if not applicant or applicant == data.nominee_name:
        applicant = "本人" if data.subject_kind == "person" else "—"
    criteria = "\n".join(f"（{n}）{text}" for n, text in enumerate(data.criteria, 1))
    rows: list[tuple[str, ...]] = [
        ("编号", data.reference, "申报日期", zh_date(data.submitted_on)),
        ("评选批次", data.round_label),
        ("申报奖项", data.award_name, "申报类别", kind_label),
        (name_label, data.nominee_name, unit_label, data.nominee_unit),
        ("申报人", applicant),
        ("申报条件", criteria or "—"),
    ]
    table = _table(document, len(rows), (30, 50, 30, 50))
    for row, values in zip(table.rows, rows, strict=True):
        cells = row.cells
        if len(values) == 2:
            cells = [cells[0], cells[1].merge(cells[3])]
        for index, (cell, value) in enumerate(zip(cells, values, strict=False)):
            label = index % 2 == 0
            _fill(cell, value, bold=label, center=label)


def _add_statement(document: DocxDocument, data: FormData) -> None:
    _heading(document, "申报事迹")
    for heading, text in data.statement:
        if heading:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.keep_with_next = True
            _run(paragraph, heading, bold=True)
        for line in text.splitlines():
            if line.strip():
                paragraph = document.add_paragraph()
                paragraph.paragraph_format.first_line_indent = Pt(24)  # two characters
                _run(paragraph, line.strip())


def _add_evidence(document: DocxDocument, data: FormData) -> None:
    _heading(document, "佐证材料清单")
    table = _table(document, 1 + max(len(data.evidence), 1), (20, 25, 115))
    for cell, label in zip(table.rows[0].cells, ("序号", "类型", "说明"), strict=True):
        _fill(cell, label, bold=True, center=True)
    if not data.evidence:
        _fill(table.rows[1].cells[1].merge(table.rows[1].cells[2]), "（无）")
        return
    for row, (number, kind, caption) in zip(table.rows[1:], data.evidence, strict=True):
        _fill(row.cells[0], str(number), center=True)
        _fill(row.cells[1], _EVIDENCE_KIND.get(kind, kind), center=True)
        _fill(row.cells[2], caption)


def _add_score_sheet(document: DocxDocument, data: FormData) -> None:
    _heading(document, "初评计分表")
    note = document.add_paragraph()
    _run(note, "（根据申报信息预填，仅供参考，以考评小组评分为准）", size=10.5)
    table = _table(document, 1 + len(data.score_lines), (50, 80, 30))
    for cell, label in zip(table.rows[0].cells, ("项目", "填报内容", "分值"), strict=True):
        _fill(cell, label, bold=True, center=True)
    for row, (item, given, points) in zip(table.rows[1:], data.score_lines, strict=True):
        _fill(row.cells[0], item)
        _fill(row.cells[1], given)
        _fill(row.cells[2], points, center=True)


def _add_signatures(document: DocxDocument) -> None:
    _heading(document, "审核意见")
    table = _table(document, len(SIGNATURE_BLOCKS), (30, 130))
    for row, label in zip(table.rows, SIGNATURE_BLOCKS, strict=True):
        # cantSplit precedes trHeight in the schema, so it goes in first.
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        row.height = Mm(32)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        _fill(row.cells[0], label, bold=True, center=True)
        blank = row.cells[1]
        _fill(blank, "\n\n签字：　　　　　　　　　　\n年　　月　　日")
        blank.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        for paragraph in blank.paragraphs[2:]:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _set_properties(document: DocxDocument, data: FormData) -> None:
    stamp = datetime.combine(data.submitted_on, time(0), tzinfo=UTC)
    props = document.core_properties
    props.title = f"{data.award_name}申报表 {data.reference}"
    props.subject = data.round_label
    props.keywords = data.reference
    props.author = props.last_modified_by = "awardbot"
    props.comments = ""
    props.revision = 1
    props.created = props.modified = stamp
    # The template's thumbnail shows an unrelated page in file browsers: drop it.
    package_rels = document.part.package.rels
    for r_id in [r_id for r_id, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[r_id]


def _normalised_zip(raw: bytes, day: date) -> bytes:
    """Rewrite the package with fixed entry timestamps (python-docx stamps 'now')."""
    stamp = (day.year, day.month, day.day, 0, 0, 0) if day.year >= 1980 else (1980, 1, 1, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
