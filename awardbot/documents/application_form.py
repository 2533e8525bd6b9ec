"""The bureau's unified application form (申报表) as a Word document.

Built from plain values, so the caller decides what goes in and this module only lays
it out: title, the fields table, the statement (申报事迹), the evidence list, the
preliminary score sheet when there is one, and the four blank signature blocks of the
process (部门领导签字, 督查科意见, 考评小组意见, 党组会议意见).

The Word details every document shares (fonts named for East-Asian text, fixed table
widths, deterministic bytes) are in ``documents/docx_parts.py``; the same form as PDF is
``documents/application_pdf.py``, from the same rows (:func:`field_rows`). The output is
byte-for-byte deterministic for the same input (document dates and ZIP timestamps come
from the submission date).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt

from awardbot.documents.docx_parts import (
    BODY_FONT,
    TITLE_FONT,
    fill,
    run,
    saved,
    set_properties,
    set_up_fonts,
    set_up_page,
    table,
)
from awardbot.documents.text_input import clean

SubjectKind = Literal["person", "window", "hall"]

__all__ = ["BODY_FONT", "SIGNATURE_BLOCKS", "TITLE_FONT", "FormData", "build_form",
           "evidence_label", "field_rows", "zh_date"]

SIGNATURE_BLOCKS = ("部门领导签字", "督查科意见", "考评小组意见", "党组会议意见")
SIGNATURE_BLANK = "\n\n签字：　　　　　　　　　　\n年　　月　　日"
STATEMENT_HEADING, EVIDENCE_HEADING, SCORES_HEADING, REVIEW_HEADING = (
    "申报事迹", "佐证材料清单", "初评计分表", "审核意见")
EVIDENCE_COLUMNS = ("序号", "类型", "说明")
SCORE_COLUMNS = ("项目", "填报内容", "分值")
SCORE_NOTE = "（根据申报信息预填，仅供参考，以考评小组评分为准）"
NO_EVIDENCE = "（无）"
_SUBJECT = {
    "person": ("个人", "被推荐人", "所在单位"),
    "window": ("窗口", "窗口名称", "所属单位"),
    "hall": ("大厅", "大厅名称", "所属单位"),
}
_EVIDENCE_KIND = {"image": "图片", "photo": "图片", "document": "文件"}


def _safe(value: Any) -> Any:
    return clean(value) if isinstance(value, str) else value


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
        # Tuples, so equal inputs compare and hash equal whatever sequences came in; text
        # without what Word cannot hold (control characters pasted from a table).
        for name in ("criteria", "statement", "evidence", "score_lines"):
            items = getattr(self, name)
            frozen = tuple(_safe(item) if isinstance(item, str) else tuple(map(_safe, item))
                           for item in items)
            object.__setattr__(self, name, frozen)
        for name in ("reference", "round_label", "award_name", "nominee_name", "nominee_unit",
                     "applicant_name"):
            object.__setattr__(self, name, _safe(getattr(self, name)))


def build_form(data: FormData) -> bytes:
    """The filled-in 申报表 as .docx bytes."""
    document = Document()
    set_up_page(document)
    set_up_fonts(document)
    _add_title(document, data)
    _add_fields(document, data)
    _add_statement(document, data)
    _add_evidence(document, data)
    if data.score_lines:
        _add_score_sheet(document, data)
    _add_signatures(document)
    set_properties(document, title=f"{data.award_name}申报表 {data.reference}",
                   subject=data.round_label, keywords=data.reference, dated=data.submitted_on)
    return saved(document, data.submitted_on)


def zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _add_title(document: DocxDocument, data: FormData) -> None:
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    run(title, f"{data.award_name} 申报表", font=TITLE_FONT, size=18)


def _heading(document: DocxDocument, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    run(paragraph, text, font=TITLE_FONT, size=14)


def field_rows(data: FormData) -> list[tuple[str, ...]]:
    """The fields table: (label, value, label, value) rows, or (label, value) across."""
    _kind_label, name_label, unit_label = _SUBJECT[data.subject_kind]
    applicant = data.applicant_name
    if not applicant or applicant == data.nominee_name:
        applicant = "本人" if data.subject_kind == "person" else "—"
    criteria = "\n".join(f"（{n}）{text}" for n, text in enumerate(data.criteria, 1))
    return [
        ("编号", data.reference, "申报日期", zh_date(data.submitted_on)),
        ("评选批次", data.round_label),
        ("申报奖项", data.award_name, "申报类别", _kind_label),
        (name_label, data.nominee_name, unit_label, data.nominee_unit),
        ("申报人", applicant),
        ("申报条件", criteria or "—"),
    ]


def evidence_label(kind: str) -> str:
    return _EVIDENCE_KIND.get(kind, kind)


def _add_fields(document: DocxDocument, data: FormData) -> None:
    rows = field_rows(data)
    fields = table(document, len(rows), (30, 50, 30, 50))
    for row, values in zip(fields.rows, rows, strict=True):
        cells = row.cells
        if len(values) == 2:
            cells = [cells[0], cells[1].merge(cells[3])]
        for index, (cell, value) in enumerate(zip(cells, values, strict=False)):
            label = index % 2 == 0
            fill(cell, value, bold=label, center=label)


def _add_statement(document: DocxDocument, data: FormData) -> None:
    _heading(document, STATEMENT_HEADING)
    for heading, text in data.statement:
        if heading:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.keep_with_next = True
            run(paragraph, heading, bold=True)
        for line in text.splitlines():
            if line.strip():
                paragraph = document.add_paragraph()
                paragraph.paragraph_format.first_line_indent = Pt(24)  # two characters
                run(paragraph, line.strip())


def _add_evidence(document: DocxDocument, data: FormData) -> None:
    _heading(document, EVIDENCE_HEADING)
    listed = table(document, 1 + max(len(data.evidence), 1), (20, 25, 115))
    for cell, label in zip(listed.rows[0].cells, EVIDENCE_COLUMNS, strict=True):
        fill(cell, label, bold=True, center=True)
    if not data.evidence:
        fill(listed.rows[1].cells[1].merge(listed.rows[1].cells[2]), NO_EVIDENCE)
        return
    for row, (number, kind, caption) in zip(listed.rows[1:], data.evidence, strict=True):
        fill(row.cells[0], str(number), center=True)
        fill(row.cells[1], evidence_label(kind), center=True)
        fill(row.cells[2], caption)


def _add_score_sheet(document: DocxDocument, data: FormData) -> None:
    _heading(document, SCORES_HEADING)
    note = document.add_paragraph()
    run(note, SCORE_NOTE, size=10.5)
    sheet = table(document, 1 + len(data.score_lines), (50, 80, 30))
    for cell, label in zip(sheet.rows[0].cells, SCORE_COLUMNS, strict=True):
        fill(cell, label, bold=True, center=True)
    for row, (item, given, points) in zip(sheet.rows[1:], data.score_lines, strict=True):
        fill(row.cells[0], item)
        fill(row.cells[1], given)
        fill(row.cells[2], points, center=True)


def _add_signatures(document: DocxDocument) -> None:
    _heading(document, REVIEW_HEADING)
    blocks = table(document, len(SIGNATURE_BLOCKS), (30, 130))
    for row, label in zip(blocks.rows, SIGNATURE_BLOCKS, strict=True):
        # cantSplit precedes trHeight in the schema, so it goes in first.
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        row.height = Mm(32)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        fill(row.cells[0], label, bold=True, center=True)
        blank = row.cells[1]
        fill(blank, SIGNATURE_BLANK)
        blank.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        for paragraph in blank.paragraphs[2:]:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
