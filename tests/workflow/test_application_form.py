from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table

from awardbot.documents.application_form import SIGNATURE_BLOCKS, FormData, build_form

FORM = FormData(
    reference="SN-2026Q4-0007",
    round_label="2026年第四季度 三牛奖",
    award_name="孺子牛奖",
    nominee_name="张晓梅",
    nominee_unit="市场监管综合窗口",
    subject_kind="person",
    submitted_on=date(2026, 10, 12),
    criteria=(
        "受到办事群众、企业来电、来函、锦旗等形式表扬",
        "积极参加志愿、党员先锋、工青妇团活动",
    ),
    statement=(
        ("一、基本情况", "该同志自2019年起在窗口工作。"),
        ("二、主要事迹", "帮助企业办理开办手续一百余件。\n收到锦旗两面。"),
    ),
    evidence=((1, "image", "锦旗照片"), (2, "document", "感谢信.pdf")),
    applicant_name="王建国",
    score_lines=(("佐证条件", "2 项", "—"), ("月度考核平均分", "95.5", "达标")),
)


def open_form(data: bytes) -> DocxDocument:
    return Document(io.BytesIO(data))


def cell_texts(table: Table) -> Iterator[str]:
    for row in table.rows:
        for cell in row.cells:
            yield cell.text
            for inner in cell.tables:
                yield from cell_texts(inner)


def all_text(document: DocxDocument) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts.extend(cell_texts(table))
    return "\n".join(parts)


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml").decode()


def test_title_is_centred_in_heiti() -> None:
    document = open_form(build_form(FORM))
    title = document.paragraphs[0]
    assert title.text == "孺子牛奖 申报表"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    rpr = title.runs[0]._r.rPr
    assert rpr is not None
    rfonts = rpr.find(qn("w:rFonts"))
    assert rfonts is not None
    assert rfonts.get(qn("w:eastAsia")) == "黑体"


def test_every_field_is_on_the_form() -> None:
    text = all_text(open_form(build_form(FORM)))
    expected = [
        "SN-2026Q4-0007", "2026年第四季度 三牛奖", "孺子牛奖", "张晓梅", "市场监管综合窗口",
        "王建国", "个人", "被推荐人", "2026年10月12日",
        "（1）受到办事群众、企业来电、来函、锦旗等形式表扬",
        "（2）积极参加志愿、党员先锋、工青妇团活动",
        "申报事迹", "一、基本情况", "该同志自2019年起在窗口工作。", "二、主要事迹",
        "帮助企业办理开办手续一百余件。", "收到锦旗两面。",
        "佐证材料清单", "锦旗照片", "感谢信.pdf", "图片", "文件",
        "初评计分表", "月度考核平均分", "95.5", "达标",
        *SIGNATURE_BLOCKS, "年　　月　　日",
    ]
    missing = [value for value in expected if value not in text]
    assert missing == []


def test_field_table_pairs_labels_with_values() -> None:
    fields = open_form(build_form(FORM)).tables[0]
    rows = {row.cells[0].text: row.cells[1].text for row in fields.rows}
    assert rows["编号"] == "SN-2026Q4-0007"
    assert rows["评选批次"] == "2026年第四季度 三牛奖"
    assert rows["申报人"] == "王建国"
    assert rows["被推荐人"] == "张晓梅"


def test_signature_blocks_are_blank_with_date_lines() -> None:
    signatures = open_form(build_form(FORM)).tables[-1]
    assert [row.cells[0].text for row in signatures.rows] == list(SIGNATURE_BLOCKS)
    for row in signatures.rows:
        assert row.cells[1].text.strip().startswith("签字：")
        assert row.cells[1].text.endswith("年　　月　　日")


def test_east_asian_font_is_set_on_normal_style_and_every_run() -> None:
    data = build_form(FORM)
    document = open_form(data)
    normal = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "宋体"
    xml = document_xml(data)
    runs = re.findall(r"<w:r>.*?</w:r>", xml, flags=re.S)
    assert runs
    without = [run for run in runs if 'w:eastAsia="' not in run]
    assert without == []
    assert 'w:eastAsia="黑体"' in xml
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        styles = package.read("word/styles.xml").decode()
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, flags=re.S)
    assert defaults is not None
    assert 'w:eastAsia="宋体"' in defaults.group()
    assert "eastAsiaTheme" not in defaults.group()  # a theme font would override ours


def test_page_is_a4() -> None:
    section = open_form(build_form(FORM)).sections[0]
    assert section.page_width is not None
    assert section.page_height is not None
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297


def test_without_score_lines_there_is_no_score_sheet() -> None:
    text = all_text(open_form(build_form(replace(FORM, score_lines=()))))
    assert "初评计分表" not in text


def test_empty_evidence_list_says_none() -> None:
    text = all_text(open_form(build_form(replace(FORM, evidence=()))))
    assert "（无）" in text


def test_window_and_own_application_labels() -> None:
    window = replace(FORM, subject_kind="window", nominee_name="不动产登记窗口",
                     applicant_name=None)
    fields = open_form(build_form(window)).tables[0]
    rows = {row.cells[0].text: row.cells[1].text for row in fields.rows}
    assert rows["窗口名称"] == "不动产登记窗口"
    assert rows["申报人"] == "—"
    for applicant in (None, FORM.nominee_name):
        own = open_form(build_form(replace(FORM, applicant_name=applicant))).tables[0]
        assert {row.cells[0].text: row.cells[1].text for row in own.rows}["申报人"] == "本人"


def test_same_input_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    first = build_form(FORM)
    # python-docx stamps ZIP entries with the clock; move the clock between builds.
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)
    assert build_form(FORM) == first
    as_lists = replace(FORM, criteria=list(FORM.criteria), evidence=list(FORM.evidence))
    assert as_lists == FORM
    assert build_form(as_lists) == first
    assert build_form(replace(FORM, nominee_name="李娜")) != first


def test_dates_come_from_the_submission_date() -> None:
    data = build_form(FORM)
    props = open_form(data).core_properties
    assert props.created == datetime(2026, 10, 12, tzinfo=UTC)
    assert props.modified == props.created
    assert props.title == "孺子牛奖申报表 SN-2026Q4-0007"
    assert props.author == "awardbot"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {info.date_time for info in package.infolist()} == {(2026, 10, 12, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in package.namelist()


def test_unknown_subject_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="subject kind"):
        replace(FORM, subject_kind="team")  # type: ignore[arg-type]


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_it_to_pdf(tmp_path: Path) -> None:
    source = tmp_path / "form.docx"
    source.write_bytes(build_form(FORM))
    assert SOFFICE is not None
    subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )
    assert (tmp_path / "form.pdf").read_bytes().startswith(b"%PDF-")
