"""What evaluation use cases answer with: screens of catalogue texts and buttons as data.

A button is an :class:`Act`: its label and the plain fields it carries; the chat layer
encodes them with its callback codec. Nothing here knows Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Evidence, Nomination
from awardbot.scoring import FactsError, parse_facts, score_sheet
from awardbot.scoring.sheets import render_text
from awardbot.workflow.evaluation.facts import Subject, award_of, facts_problem, stored_facts
from awardbot.workflow.messages import Media, Text, names
from awardbot.workflow.services import Services


@dataclass(frozen=True)
class Act:
    label: Text
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Screen:
    text: Text
    rows: tuple[tuple[Act, ...], ...] = ()
    lines: tuple[Text, ...] = ()  # shown below the text, one per line
    media: tuple[Media, ...] = ()  # sent before the text: the evidence and the 申报表


@dataclass(frozen=True)
class Reply:
    screens: tuple[Screen, ...] = ()
    toast: Text | None = None  # a short answer to a pressed button
    document: bytes | None = None
    document_name: str | None = None


def literal(value: object) -> Text:
    return Text("common.literal", {"value": str(value)})


def say(key: str, **params: Any) -> Reply:
    return Reply((Screen(Text(key, params)),))


def award_names(svc: Services, award: str) -> dict[str, Any]:
    spec = svc.awards.award(award)
    return names(spec.names.zh, spec.names.en)


def criteria_names(svc: Services, award: str, row: Nomination) -> dict[str, Any] | None:
    """The criteria the applicant claimed; None where the award has none (windows, halls)."""
    spec = svc.awards.award(award)
    chosen = [n for n in row.criteria or [] if isinstance(n, int) and 1 <= n <= len(spec.criteria)]
    if not chosen:
        return None
    return names("\n".join(f"{n}. {spec.criteria[n - 1].zh}" for n in chosen),
                 "\n".join(f"{n}. {spec.criteria[n - 1].en}" for n in chosen))


def statement(row: Nomination) -> Text | None:
    """The deeds as written; None where there are none (windows and halls state facts)."""
    parts = (row.answers or {}).get("statements") or {}
    if parts and isinstance(parts, dict):
        return literal("\n".join(str(v) for v in parts.values() if v))
    return literal(row.statement) if row.statement else None


def details(svc: Services, award: str, row: Nomination) -> Text:
    """The criteria and deeds lines, each left out where it does not apply."""
    criteria, deeds = criteria_names(svc, award, row), statement(row)
    return Text("evaluation.card.details", {
        "criteria": Text("evaluation.card.criteria", {"criteria": criteria})
        if criteria else literal(""),
        "statement": Text("evaluation.card.statement", {"statement": deeds})
        if deeds else literal(""),
    })


def subject_text(subject: Subject) -> Text:
    """A person with their unit; a window or hall by its own name, not twice."""
    if subject.name == subject.unit:
        return literal(subject.name)
    return Text("evaluation.card.person", {"name": subject.name, "unit": subject.unit})


def preliminary(svc: Services, award: str, row: Nomination) -> Any:
    """The sheet of a window or hall from its facts alone: no member's score is shown."""
    if svc.awards.award(award).sheet not in ("window", "hall"):
        return Text("evaluation.card.no_sheet")
    try:
        facts = parse_facts(award, stored_facts(award, row, svc.awards), svc.awards)
    except FactsError as error:
        return facts_problem(error)
    sheet = score_sheet(award, facts, svc.rules, svc.awards)
    return names(render_text(sheet, "zh"), render_text(sheet, "en"))


async def card(session: AsyncSession, svc: Services, row: Nomination,
               subject: Subject) -> Text:
    award = award_of(row, svc.awards)
    evidence = await session.scalar(
        select(func.count()).select_from(Evidence).where(Evidence.nomination_id == row.id))
    return Text("evaluation.card.body", {
        "ref": row.ref or str(row.id), "award": award_names(svc, award),
        "subject": subject_text(subject), "details": details(svc, award, row),
        "evidence": evidence or 0, "sheet": preliminary(svc, award, row),
    })


def evidence_media(row: Nomination) -> tuple[Media, ...]:
    """What the applicant sent as evidence, then the generated 申报表, as the leader's and
    the supervision section's cards carry them (``row.evidence`` must be loaded)."""
    media = [Media("photo" if e.kind == "photo" else "document", e.telegram_file_id)
             for e in row.evidence]
    if row.form_file_id:
        media.append(Media("document", row.form_file_id))
    return tuple(media)
