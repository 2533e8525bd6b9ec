"""What a paste can carry is removed where text enters: control characters, NUL, lone
surrogates; line breaks and tabs stay. Names read from a roster file are cleaned too."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from awardbot.documents.tabular import read_table
from awardbot.documents.text_input import clean, has_words


def test_clean_keeps_text_and_line_breaks() -> None:
    assert clean("坚持\x07延时\x00服务\r\n锦旗\t一面\x1b\x9f\ud800") == "坚持延时服务\n锦旗\t一面"


@given(st.text())
def test_what_clean_leaves_is_xml_and_postgresql_safe(text: str) -> None:
    out = clean(text)
    assert all(ch in "\t\n" or 0x20 <= ord(ch) < 0x7F or 0xA0 <= ord(ch) < 0xD800
               or 0xE000 <= ord(ch) < 0xFFFE or ord(ch) > 0xFFFF for ch in out)


def test_words_are_letters_or_digits_of_any_script() -> None:
    assert has_words("服务") and has_words("2 letters") and not has_words("👍🎉！…")


def test_roster_cells_are_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("staff_id,name\nS1,张\x07三\x00\n", encoding="utf-8")
    table = read_table(path)
    assert table.rows[0].text("name") == "张三"
