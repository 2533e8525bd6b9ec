"""The final winners as pictures for the channel: 1080 px wide, each award with its
winners' names and units, the bureau's name and the date at the foot.

A long list is cut into several pictures (at most ``MAX_HEIGHT`` px each, never inside
a winner) with "page n of m" under the title, so each stays readable on a phone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from awardbot.documents.fonts import SANS, fonts, require_covered
from awardbot.documents.model import AwardGroup, WinnersData
from awardbot.documents.texts import Words

WIDTH = 1080
MAX_HEIGHT = 2400
MARGIN = 60
COLUMNS = 2
GUTTER = 40
RED, INK, GREY, LINE, PAPER = "#a3151b", "#1f1f1f", "#6b6b6b", "#e3c98f", "#fffdf7"


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(fonts().path(SANS)), size)


@dataclass(frozen=True)
class _Line:
    text: str
    size: int
    fill: str
    bold: bool = False

    @property
    def height(self) -> int:
        return round(self.size * 1.45)


@dataclass(frozen=True)
class _Block:
    """Something drawn as a whole: a group heading, or a row of winners."""

    cells: tuple[tuple[_Line, ...], ...]  # one column of lines per cell
    gap: int = 0
    sticky: bool = False  # kept on the page of the block after it (a heading)

    @property
    def height(self) -> int:
        return self.gap + max(sum(line.height for line in cell) for cell in self.cells)


def _wrap(text: str, size: int, width: int) -> list[str]:
    """Break ``text`` to fit ``width`` px, character by character (Chinese has no spaces)."""
    font, lines, current = _font(size), [], ""
    for char in text:
        if current and font.getlength(current + char) > width:
            lines.append(current)
            current = char.lstrip()
        else:
            current += char
    return [*lines, current] if current else lines


def _blocks(words: Words, group: AwardGroup) -> list[_Block]:
    heading = _Line(words("winners.group", award=group.award, count=len(group.winners)),
                    40, RED, bold=True)
    blocks = [_Block(((heading,),), gap=36, sticky=True)]
    width = (WIDTH - 2 * MARGIN - (COLUMNS - 1) * GUTTER) // COLUMNS
    cells = []
    for winner in group.winners:
        lines = [_Line(text, 34, INK, bold=True) for text in _wrap(winner.name, 34, width)]
        lines += [_Line(text, 24, GREY) for text in _wrap(winner.unit, 24, width)]
        cells.append(tuple(lines))
    for start in range(0, len(cells), COLUMNS):
        blocks.append(_Block(tuple(cells[start:start + COLUMNS]), gap=16))
    return blocks


def _header(words: Words, data: WinnersData, count: int) -> list[_Line]:
    period = words.period(data.round)
    title = words("winners.title", period=period, family=data.round.family)
    lines = [_Line(text, 54, RED, bold=True) for text in _wrap(title, 54, WIDTH - 2 * MARGIN)]
    return [*lines, _Line(words("winners.subtitle", count=count), 28, GREY)]


def _pages(header_height: int, footer_height: int, blocks: list[_Block]) -> list[list[_Block]]:
    room = MAX_HEIGHT - header_height - footer_height - 2 * MARGIN
    pages: list[list[_Block]] = [[]]
    used = 0
    for index, block in enumerate(blocks):
        after = blocks[index + 1].height if block.sticky and index + 1 < len(blocks) else 0
        if pages[-1] and used + block.height + after > room:
            pages.append([])
            used = 0
        pages[-1].append(block)
        used += block.height
    return pages


def _draw_lines(draw: ImageDraw.ImageDraw, lines: tuple[_Line, ...] | list[_Line], x: int,
                y: int, centre: bool = False) -> int:
    for line in lines:
        font = _font(line.size)
        left = (WIDTH - font.getlength(line.text)) / 2 if centre else x
        draw.text((left, y), line.text, font=font, fill=line.fill,
                  stroke_width=1 if line.bold else 0, stroke_fill=line.fill)
        y += line.height
    return y


def _render(header: list[_Line], footer: list[_Line], page: list[_Block]) -> bytes:
    height = (2 * MARGIN + sum(line.height for line in header) + 40 + sum(b.height for b in page)
              + 50 + sum(line.height for line in footer))
    image = Image.new("RGB", (WIDTH, height), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, WIDTH - 17, height - 17), outline=LINE, width=4)
    y = _draw_lines(draw, header, MARGIN, MARGIN, centre=True) + 20
    draw.line((MARGIN, y, WIDTH - MARGIN, y), fill=LINE, width=2)
    y += 20
    column = (WIDTH - 2 * MARGIN - (COLUMNS - 1) * GUTTER) // COLUMNS + GUTTER
    for block in page:
        y += block.gap
        for index, cell in enumerate(block.cells):
            _draw_lines(draw, cell, MARGIN + index * column, y)
        y += block.height - block.gap
    y += 30
    draw.line((MARGIN, y, WIDTH - MARGIN, y), fill=LINE, width=2)
    _draw_lines(draw, footer, MARGIN, y + 20, centre=True)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def winners_png(data: WinnersData) -> tuple[bytes, ...]:
    """The pictures (PNG bytes), one or more; each 1080 px wide."""
    words = Words(data.lang)
    groups = [g for g in data.groups if g.winners]
    count = sum(len(g.winners) for g in groups)
    header = _header(words, data, count)
    footer = [_Line(words("winners.footer", bureau=data.style.bureau_name,
                          date=words.day(data.dated)), 26, GREY)]
    blocks = [block for group in groups for block in _blocks(words, group)]
    require_covered([line.text for line in (*header, *footer)]
                    + [line.text for b in blocks for cell in b.cells for line in cell]
                    + [words("winners.page", n=1, total=2)], families=(SANS,))
    page_line = _Line("", 24, GREY)
    pages = _pages(sum(line.height for line in header) + page_line.height + 40,
                   sum(line.height for line in footer) + 50, blocks)
    if len(pages) == 1:
        return (_render(header, footer, pages[0]),)
    return tuple(
        _render([*header, _Line(words("winners.page", n=n, total=len(pages)), 24, GREY)],
                footer, page)
        for n, page in enumerate(pages, start=1))
