"""Reading produced files as a person's tools would: the text of a PDF or Word file, the
fonts a PDF embeds, and which font files a picture or chart was drawn with."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from docx import Document
from docx.table import Table
from pypdf import PdfReader

from awardbot.documents.fonts import SANS, SERIF, fonts, uncovered


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(data))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def pdf_fonts(data: bytes) -> set[str]:
    """Every font the pages use, as (base font name); each must carry its font program."""
    reader = PdfReader(io.BytesIO(data))
    found: set[str] = set()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                    f"{font['/BaseFont']} is not embedded"
            found.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return found


def assert_cjk_pdf(data: bytes) -> str:
    """The PDF embeds only Noto SC fonts and every character it shows is in them; its text."""
    embedded = pdf_fonts(data)
    assert embedded, "no fonts"
    assert all(name.startswith(("NotoSerifSC", "NotoSansSC")) for name in embedded), embedded
    text = pdf_text(data)
    assert "\ufffd" not in text
    assert uncovered([text]) == []
    return text


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]

    def cells(table: Table) -> Iterator[str]:
        for row in table.rows:
            for cell in row.cells:
                yield cell.text

    for table in document.tables:
        parts.extend(cells(table))
    return "\n".join(parts)


@contextmanager
def matplotlib_fonts() -> Iterator[list[str]]:
    """The first (primary) font file of every text matplotlib draws meanwhile."""
    import matplotlib.backends.backend_agg as agg

    used: list[str] = []
    original = agg.get_font

    def recording(paths, *args, **kwargs):  # type: ignore[no-untyped-def]
        first = paths if isinstance(paths, str | bytes) else next(iter(paths))
        used.append(str(first))
        return original(paths, *args, **kwargs)

    agg.get_font = recording
    try:
        yield used
    finally:
        agg.get_font = original


def sans_path() -> str:
    return str(fonts().path(SANS))


def serif_path() -> str:
    return str(fonts().path(SERIF))
