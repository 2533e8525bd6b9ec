"""Certificates, the winners' picture, the 申报表 PDF and the start-up font check."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from awardbot.documents import fonts as font_module
from awardbot.documents import winners_image
from awardbot.documents.application_form import SIGNATURE_BLOCKS
from awardbot.documents.application_pdf import form_pdf
from awardbot.documents.certificates import certificate_pdf, certificates_pdf
from awardbot.documents.fonts import DocumentError, FontError, check_fonts
from awardbot.documents.model import DocumentStyle
from tests.documents.inspect_files import assert_cjk_pdf, pdf_pages, sans_path
from tests.documents.samples import STYLE, certificates, winners
from tests.workflow.test_application_form import FORM


def _flat(text: str) -> str:
    return "".join(text.split())


def test_a_round_of_certificates_is_one_landscape_page_each() -> None:
    batch = certificates(6)
    data = certificates_pdf(batch)
    assert [(round(w), round(h)) for w, h in pdf_pages(data)] == [(842, 595)] * 6
    text = _flat(assert_cjk_pdf(data))
    for c in batch.certificates:
        assert f"{c.name}同志：" in text
    assert "在2026年第四季度三牛奖评选活动中表现突出，荣获“孺子牛奖”称号。" in text
    assert "特发此证，以资鼓励。" in text and "2027年1月12日" in text
    assert "荣誉证书" in text
    assert "证书编号：SN-2026Q4-0001" in text


def test_one_certificate_with_configured_wording() -> None:
    style = replace(STYLE, certificate_person="{name}：\n荣获{issuer}授予的“{award}”。")
    data = certificate_pdf(certificates(3).certificates[0], style)
    text = _flat(assert_cjk_pdf(data))
    assert "张晓梅：" in text and "荣获昆山市行政审批局授予的“孺子牛奖”。" in text
    with pytest.raises(DocumentError, match="wording"):
        certificate_pdf(certificates(3).certificates[0], replace(STYLE, certificate_person="{x}"))


def test_a_custom_layout_file_is_used(tmp_path: Path) -> None:
    layout = tmp_path / "mine.typ"
    layout.write_text('#for c in d.certificates [#c.name 先进个人 #pagebreak(weak: true)]',
                      encoding="utf-8")
    style = replace(STYLE, certificate_layout=layout)
    data = certificates_pdf(replace(certificates(3), style=style))
    assert "张晓梅先进个人" in _flat(assert_cjk_pdf(data))


def _png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        return image.size


@pytest.fixture
def pillow_fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    used: list[str] = []
    original = winners_image.ImageFont.truetype

    def recording(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        used.append(str(path))
        return original(path, *args, **kwargs)

    winners_image._font.cache_clear()
    monkeypatch.setattr(winners_image.ImageFont, "truetype", recording)
    yield used
    winners_image._font.cache_clear()


def test_the_winners_picture_is_chat_sized_and_drawn_in_noto_sans(
        pillow_fonts: list[str]) -> None:
    [image] = winners_image.winners_png(winners(4))
    width, height = _png_size(image)
    assert width == 1080 and 600 < height <= winners_image.MAX_HEIGHT
    assert pillow_fonts and set(pillow_fonts) == {sans_path()}


def test_a_long_list_is_split_into_pictures_with_page_numbers() -> None:
    images = winners_image.winners_png(winners(30))
    assert len(images) >= 2
    for image in images:
        width, height = _png_size(image)
        assert width == 1080 and height <= winners_image.MAX_HEIGHT


def test_the_application_form_pdf_has_the_word_forms_content() -> None:
    text = _flat(assert_cjk_pdf(form_pdf(FORM)))
    expected = ["孺子牛奖申报表", "SN-2026Q4-0007", "2026年第四季度三牛奖", "张晓梅",
                "市场监管综合窗口",
                "王建国", "2026年10月12日", "（1）受到办事群众、企业来电、来函、锦旗等形式表扬",
                "该同志自2019年起在窗口工作。", "锦旗照片", "感谢信.pdf", "初评计分表", "95.5",
                *SIGNATURE_BLOCKS]
    assert [s for s in expected if _flat(s) not in text] == []
    assert form_pdf(FORM) == form_pdf(FORM)


@pytest.fixture
def fresh_fonts() -> Iterator[None]:
    font_module.fonts.cache_clear()
    font_module._cmap.cache_clear()
    yield
    font_module.fonts.cache_clear()
    font_module._cmap.cache_clear()


def test_the_start_up_check_passes_with_the_installed_fonts(fresh_fonts: None) -> None:
    found = check_fonts(DocumentStyle().texts())
    assert found.sans.name == "NotoSansSC-Regular.otf"


def test_a_font_without_chinese_fails_in_one_line(fresh_fonts: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib

    latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    monkeypatch.setattr(font_module, "fonts", lambda: font_module.Fonts(latin, latin))
    with pytest.raises(FontError) as failed:
        check_fonts(["评选"])
    assert "\n" not in str(failed.value) and "U+8BC4" in str(failed.value)


def test_missing_font_package_fails_in_one_line(fresh_fonts: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pylopdf_fonts_zh_cn", None)
    with pytest.raises(FontError, match="pylopdf-fonts-zh-cn"):
        check_fonts()
