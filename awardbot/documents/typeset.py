"""PDF typesetting with Typst: a template (``templates/*.typ``) and its data as JSON.

The data goes in through ``sys.inputs`` and the template reads it with ``json``, so no
name or statement is ever spliced into markup: a ``#`` or ``*`` in a person's text is
printed, not interpreted. Only the project's fonts are visible to the compiler (no
system fonts, no Typst built-ins), and any warning — an unknown font above all — is an
error, so nothing is silently drawn in another face. The creation date is the
document's own date: the same input gives the same bytes.

One compiler per process (fonts are read once); calls are serialised by a lock.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from awardbot.documents.fonts import DocumentError, fonts

_LOCK = threading.Lock()


@cache
def _compiler() -> Any:
    import typst

    found = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                        font_paths=[str(fonts().folder)])
    return typst.Compiler(font_paths=found, ignore_system_fonts=True)


@cache
def template(name: str) -> bytes:
    """A packaged template's source (``templates/<name>.typ``)."""
    return files("awardbot.documents").joinpath("templates").joinpath(f"{name}.typ").read_bytes()


def layout_source(name: str, custom: Path | None) -> bytes:
    """The configured layout file when there is one, else the packaged template."""
    if custom is None:
        return template(name)
    try:
        return custom.read_bytes()
    except OSError as exc:
        raise DocumentError(f"documents: cannot read the layout {custom}: {exc.strerror}"
                            ) from None


def typeset(source: bytes, data: Mapping[str, Any], *, dated: date) -> bytes:
    """The PDF of ``source`` filled with ``data``; its creation date is ``dated``."""
    import typst

    stamp = datetime.combine(dated, time(0), tzinfo=UTC)
    with _LOCK:
        try:
            pdf, warnings = _compiler().compile_with_warnings(
                source, format="pdf", sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
                timestamp=stamp)
        except typst.TypstError as exc:
            raise DocumentError(f"documents: the layout failed: {_first_line(exc.message)}"
                                ) from None
    if warnings:
        raise DocumentError(f"documents: the layout warned: {_first_line(warnings[0].message)}")
    assert isinstance(pdf, bytes)
    return pdf


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "unknown error"
