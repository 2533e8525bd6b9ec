"""The 申报表 as PDF, from the same :class:`FormData` and the same rows as the Word form.

Made by Typst with the project's fonts, so a fresh machine needs nothing else (the Word
form needed LibreOffice to become a PDF).
"""

from __future__ import annotations

from typing import Any

from awardbot.documents import application_form as form
from awardbot.documents.application_form import FormData
from awardbot.documents.fonts import require_covered
from awardbot.documents.typeset import template, typeset


def _payload(data: FormData) -> dict[str, Any]:
    blank = [line for line in form.SIGNATURE_BLANK.split("\n") if line.strip()]
    return {
        "title": f"{data.award_name} 申报表", "reference": data.reference,
        "fields": [list(row) for row in form.field_rows(data)],
        "statement_heading": form.STATEMENT_HEADING,
        "statement": [list(section) for section in data.statement],
        "evidence_heading": form.EVIDENCE_HEADING,
        "evidence_columns": list(form.EVIDENCE_COLUMNS), "no_evidence": form.NO_EVIDENCE,
        "evidence": [[str(number), form.evidence_label(kind), caption]
                     for number, kind, caption in data.evidence],
        "scores_heading": form.SCORES_HEADING, "score_note": form.SCORE_NOTE,
        "score_columns": list(form.SCORE_COLUMNS),
        "score_lines": [list(line) for line in data.score_lines],
        "review_heading": form.REVIEW_HEADING, "signatures": list(form.SIGNATURE_BLOCKS),
        "signature_lines": blank,
    }


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    return []


def form_pdf(data: FormData) -> bytes:
    """The filled-in 申报表 as PDF bytes (A4); deterministic for the same input."""
    payload = _payload(data)
    require_covered(_texts(payload))
    return typeset(template("common") + template("application_form"), payload,
                   dated=data.submitted_on)
