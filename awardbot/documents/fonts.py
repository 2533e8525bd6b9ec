"""The Chinese fonts every document and picture is drawn with, and the check that they are.

Noto Serif SC (body text, like 宋体) and Noto Sans SC (headings, pictures and charts, like
黑体) are the region-specific subsets of Noto CJK, installed with the project's
dependencies from the PyPI package ``pylopdf-fonts-zh-cn`` (data only, SIL OFL). Nothing
is looked up among the machine's own fonts, so a document looks the same everywhere.

A character the fonts lack would be drawn as an empty box. :func:`check_fonts` runs at
start-up and fails with one line when the fonts are missing or lack a glyph the fixed
texts need; every renderer calls :func:`require_covered` on its own input, so a name with
a character outside the fonts is refused with that character named, never drawn as a box.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SANS = "Noto Sans SC"
SERIF = "Noto Serif SC"
FONT_PACKAGE = "pylopdf-fonts-zh-cn"


class DocumentError(Exception):
    """A document cannot be made as asked; the message is one line saying why."""


class FontError(DocumentError):
    """The Chinese fonts are missing, unreadable, or lack a character that is needed."""


@dataclass(frozen=True)
class Fonts:
    sans: Path
    serif: Path

    @property
    def folder(self) -> Path:
        return self.serif.parent

    def path(self, family: str) -> Path:
        return self.sans if family == SANS else self.serif


@cache
def fonts() -> Fonts:
    """Where the fonts are; :class:`FontError` when their package is not installed."""
    try:
        import pylopdf_fonts_zh_cn as package
    except ImportError:
        raise FontError(f"documents: the Chinese fonts are not installed (PyPI package "
                        f"{FONT_PACKAGE}); run `make install`") from None
    found = Fonts(sans=Path(package.sans_path()), serif=Path(package.serif_path()))
    for family, path in ((SANS, found.sans), (SERIF, found.serif)):
        if not path.is_file():
            raise FontError(f"documents: the font file for {family} is missing: {path}; "
                            f"reinstall {FONT_PACKAGE}")
    return found


@cache
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(path, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except (OSError, TTLibError, KeyError) as exc:
        raise FontError(f"documents: cannot read the font {path}: {exc}") from None


def _drawn(char: str) -> bool:
    """Whether a character needs a glyph (spaces, line breaks and controls do not)."""
    return not char.isspace() and unicodedata.category(char)[0] != "C"


def uncovered(texts: Iterable[str], families: Iterable[str] = (SANS, SERIF)) -> list[str]:
    """The characters of ``texts`` (sorted, once each) missing from any of ``families``."""
    wanted = {char for text in texts for char in text if _drawn(char)}
    found = fonts()
    missing: set[str] = set()
    for family in families:
        cmap = _cmap(found.path(family))
        missing |= {char for char in wanted if ord(char) not in cmap}
    return sorted(missing)


def describe(chars: Iterable[str]) -> str:
    return ", ".join(f"{char} (U+{ord(char):04X})" for char in chars)


def require_covered(texts: Iterable[str], families: Iterable[str] = (SANS, SERIF)) -> None:
    """Refuse text the fonts cannot draw, naming the characters."""
    missing = uncovered(texts, families)
    if missing:
        raise FontError(f"documents: the fonts have no glyph for {describe(missing)}")


def check_fonts(texts: Iterable[str] = ()) -> Fonts:
    """The start-up check: the fonts are installed, readable, and draw ``texts`` (the
    catalogue's document texts and the configured wording) and a set of everyday
    characters. Raises :class:`FontError` with one line; returns the fonts."""
    found = fonts()
    require_covered([_EVERYDAY, *texts])
    return found


# Digits, punctuation and the characters of dates, units and award names that every
# document uses: a font that lacks these is not a Chinese font.
_EVERYDAY = ("0123456789０１２３４５６７８９ABCXYZabcxyz年月日时分，。、；：“”（）《》【】—"
             "关于评选结果的公示荣誉证书特发此证以资鼓励最美政务人窗口大厅优秀三牛奖孺子拓荒老黄"
             "局科室单位姓名序号同志称号行政审批督查异议")
