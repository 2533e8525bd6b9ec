"""Text as people send it, made safe where it enters: what a Word table or a terminal pastes
(control characters, NUL, lone surrogates) would break the 申报表, a spreadsheet export or
PostgreSQL, so it is removed before anything is stored. Line breaks and tabs stay."""

from __future__ import annotations

import re
import unicodedata

# Not allowed in XML 1.0 (python-docx, openpyxl) nor in PostgreSQL text: C0 controls but
# tab and line breaks, DEL and C1 controls, surrogates, and the two non-characters.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """The text without characters no document or database can hold; CRLF becomes LF."""
    return _UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def has_words(text: str) -> bool:
    """Whether the text says something: at least one letter or digit (of any script),
    not only emoji, punctuation or symbols."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
