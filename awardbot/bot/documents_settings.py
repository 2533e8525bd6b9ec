"""The ``[documents]`` settings section: the bureau's name and the wording of documents.

Wiring (``bot/settings.py``)::

    documents: DocumentsSettings = DocumentsSettings()   # a field of Settings

:meth:`DocumentsSettings.style` is the picklable value every renderer takes, and
:func:`check_documents` is the start-up check of the fonts against every fixed text.
"""

from __future__ import annotations

import string
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from awardbot.documents.fonts import Fonts, check_fonts
from awardbot.documents.model import (
    DEFAULT_PERSON_WORDING,
    DEFAULT_UNIT_WORDING,
    WORDING_FIELDS,
    DocumentStyle,
)
from awardbot.documents.texts import document_texts
from awardbot.i18n.catalogue import LANGUAGES


class DocumentsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bureau_name: str = Field(default="市行政审批局", min_length=1, max_length=60)
    objection_contact: str = Field(default="督查科", min_length=1, max_length=120)
    seal_text: str = Field(default="", max_length=24)
    certificate_title: str = Field(default="荣誉证书", min_length=1, max_length=12)
    certificate_person: str = Field(default=DEFAULT_PERSON_WORDING, min_length=1, max_length=400)
    certificate_unit: str = Field(default=DEFAULT_UNIT_WORDING, min_length=1, max_length=400)
    certificate_layout: Path | None = None

    @field_validator("certificate_person", "certificate_unit")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as exc:
            raise ValueError(f"not a valid template ({exc}); write {{{{ and }}}} for braces"
                             ) from None
        unknown = sorted(names - WORDING_FIELDS)
        if unknown:
            raise ValueError(f"unknown placeholder {{{unknown[0]}}}; use "
                             + ", ".join(f"{{{n}}}" for n in sorted(WORDING_FIELDS)))
        return value

    @field_validator("certificate_layout")
    @classmethod
    def _layout_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    def style(self) -> DocumentStyle:
        return DocumentStyle(
            bureau_name=self.bureau_name, objection_contact=self.objection_contact,
            seal_text=self.seal_text, certificate_title=self.certificate_title,
            certificate_person=self.certificate_person, certificate_unit=self.certificate_unit,
            certificate_layout=self.certificate_layout)


def check_documents(settings: DocumentsSettings) -> Fonts:
    """The fonts are installed and draw every catalogue text and configured wording;
    raises :class:`~awardbot.documents.fonts.FontError` (one line) otherwise."""
    texts = [text for lang in LANGUAGES for text in document_texts(lang)]
    return check_fonts([*texts, *settings.style().texts()])
