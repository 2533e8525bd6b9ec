"""荣誉证书: one A4 landscape page per winner, all of a round's in one printable PDF.

The wording is the configured template (``documents.certificate_person`` for a person,
``documents.certificate_unit`` for a window or hall) with ``{name}``, ``{unit}``,
``{award}``, ``{period}``, ``{family}`` and ``{issuer}``: its first line is the salutation
(张晓梅同志：), each further line a paragraph. The layout is the packaged Typst template or
the one ``documents.certificate_layout`` names.
"""

from __future__ import annotations

from typing import Any

from awardbot.documents.fonts import DocumentError, require_covered
from awardbot.documents.model import Certificate, CertificateBatch, DocumentStyle
from awardbot.documents.texts import Words
from awardbot.documents.typeset import layout_source, template, typeset


def wording(certificate: Certificate, style: DocumentStyle, lang: str) -> tuple[str, list[str]]:
    """The salutation and the paragraphs of one certificate."""
    words = Words(lang)
    chosen = style.certificate_person if certificate.subject == "person" else style.certificate_unit
    try:
        text = chosen.format(name=certificate.name, unit=certificate.unit,
                             award=certificate.award, period=words.period(certificate.round),
                             family=certificate.round.family, issuer=style.bureau_name)
    except (KeyError, IndexError, ValueError) as exc:
        raise DocumentError(f"documents: the certificate wording is not a valid template: "
                            f"{exc!r}") from None
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        raise DocumentError("documents: the certificate wording is empty")
    return lines[0], lines[1:]


def _page(certificate: Certificate, style: DocumentStyle, lang: str) -> dict[str, Any]:
    words = Words(lang)
    salutation, paragraphs = wording(certificate, style, lang)
    number = words("certificate.number", number=certificate.number) if certificate.number else ""
    return {"name": certificate.name, "salutation": salutation, "paragraphs": paragraphs,
            "date": words.day(certificate.issued_on), "number": number}


def certificates_pdf(batch: CertificateBatch) -> bytes:
    """Every certificate of ``batch`` as one PDF, a page each, in the batch's order."""
    if not batch.certificates:
        raise DocumentError("documents: there are no certificates to print")
    style = batch.style
    pages = [_page(c, style, batch.lang) for c in batch.certificates]
    require_covered([style.certificate_title, style.bureau_name, style.seal_text,
                     *(t for p in pages for t in (p["salutation"], *p["paragraphs"], p["date"],
                                                  p["number"]))])
    payload = {"title": style.certificate_title, "issuer": style.bureau_name,
               "seal": style.seal_text, "lang": batch.lang, "certificates": pages}
    source = template("common") + layout_source("certificate", style.certificate_layout)
    return typeset(source, payload, dated=max(c.issued_on for c in batch.certificates))


def certificate_pdf(certificate: Certificate, style: DocumentStyle | None = None,
                    lang: str = "zh") -> bytes:
    """One winner's certificate (sent to them in chat)."""
    return certificates_pdf(CertificateBatch((certificate,), style or DocumentStyle(), lang))


def certificate_file_name(certificate: Certificate) -> str:
    return f"荣誉证书-{certificate.name}-{certificate.award}.pdf".replace("/", "-")
