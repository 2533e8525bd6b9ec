"""The 公示 as PDF and Word: the winners, units, dates and the closing moment are there in
Chinese, drawn only with the embedded Noto SC fonts, and the bytes are reproducible."""

from __future__ import annotations

from dataclasses import replace

import pytest

from awardbot.documents.fonts import FontError
from awardbot.documents.model import AwardGroup, Winner
from awardbot.documents.notice import notice_file_name, notice_pdf
from awardbot.documents.notice_docx import notice_docx
from tests.documents.inspect_files import assert_cjk_pdf, docx_text, pdf_pages
from tests.documents.samples import HALL_NOTICE, LONG_UNIT, NOTICE

EXPECTED = ["关于2026年度最美政务人评选结果的公示", "最美政务人（3名）", "张晓梅",
            "市场监管综合窗口",
            "欧阳娜娜", "李娜", "不动产登记窗口", "2026年10月8日至2026年10月10日",
            "3个工作日", "2026年10月10日17:30截止", "督查科（电话 57000000）", "/objection",
            "昆山市行政审批局", "2026年9月30日"]


def _flat(text: str) -> str:
    return "".join(text.split()).replace("\u2060", "")


def test_the_pdf_carries_every_winner_date_and_the_closing_moment() -> None:
    data = notice_pdf(NOTICE)
    assert data.startswith(b"%PDF-")
    text = _flat(assert_cjk_pdf(data))
    missing = [s for s in EXPECTED if _flat(s) not in text]
    assert missing == []
    assert _flat(LONG_UNIT) in text  # wrapped in its cell, not cut
    assert {round(w) for w, _ in pdf_pages(data)} == {595}  # A4 portrait


def test_tiers_are_their_own_groups_and_a_missing_parent_is_a_dash() -> None:
    text = _flat(assert_cjk_pdf(notice_pdf(HALL_NOTICE)))
    assert "关于2026年度最美政务大厅、优秀政务大厅评选结果的公示" in text
    assert text.index("最美政务大厅（1个）") < text.index("优秀政务大厅（1个）")
    assert "锦溪便民服务中心—" in text


def test_the_word_file_has_the_same_words() -> None:
    text = docx_text(notice_docx(NOTICE))
    missing = [s for s in EXPECTED if _flat(s) not in _flat(text)]
    assert missing == []


def test_same_input_same_bytes() -> None:
    assert notice_pdf(NOTICE) == notice_pdf(NOTICE)
    assert notice_docx(NOTICE) == notice_docx(NOTICE)
    assert notice_pdf(replace(NOTICE, published_on=NOTICE.starts_on)) != notice_pdf(NOTICE)


def test_english_notice() -> None:
    text = assert_cjk_pdf(notice_pdf(replace(NOTICE, lang="en")))
    assert "2026-10-10 17:30" in text and "张晓梅" in text


def test_a_character_the_fonts_lack_is_refused_not_drawn_as_a_box() -> None:
    odd = replace(NOTICE, groups=(AwardGroup("最美政务人", "person", (Winner("王𠇔", "办公室"),)),))
    with pytest.raises(FontError, match=r"U\+201D4"):
        notice_pdf(odd)


def test_file_names() -> None:
    assert notice_file_name(NOTICE, "pdf") == "公示-2026年度最美政务人.pdf"


def test_every_word_run_names_its_chinese_font() -> None:
    import io
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(notice_docx(NOTICE))) as package:
        xml = package.read("word/document.xml").decode()
    runs = re.findall(r"<w:r>.*?</w:r>", xml, flags=re.S)
    assert runs and [r for r in runs if 'w:eastAsia="' not in r] == []
    assert 'w:eastAsia="黑体"' in xml and 'w:eastAsia="宋体"' in xml
    assert xml.count("<w:tblHeader/>") == 1  # the table's header repeats on every page
