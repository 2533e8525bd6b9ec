"""The summary card of a nomination and, for windows and halls, its preliminary score sheet."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from awardbot.scoring import FactsError, Rules, parse_facts, score_sheet
from awardbot.scoring.sheets import Sheet, render_text
from awardbot.workflow.intake.flow import STAFF_SECTIONS
from awardbot.workflow.intake.model import Draft
from awardbot.workflow.messages import Text, names


def scoring_facts(draft: Draft) -> dict[str, Any]:
    """The walkthrough's answers in the facts schema; judged parts are left empty."""
    facts = dict(draft.row.facts or {})
    if draft.family == "zuimei_window":
        facts["key_work"] = [{**item, "scores": {}} for item in facts.get("key_work", [])]
        facts["reports"] = [{**r, "id": f"r{i}"} for i, r in enumerate(facts.get("reports", []), 1)]
    if draft.family == "hall":
        # Decimal answers are kept as exact strings in the JSON column.
        for key in ("onboarding_rate", "guide_accuracy"):
            facts[key] = Decimal(str(facts.get(key, 0)))
    return facts


def sheet_for(draft: Draft, rules: Rules) -> Sheet | None:
    """The preliminary sheet, or None for awards judged by people only."""
    if draft.family not in ("zuimei_window", "hall"):
        return None
    award = draft.awards.families[draft.family].awards[0]
    try:
        facts = parse_facts(award, scoring_facts(draft), draft.awards)
    except FactsError:
        return None
    return score_sheet(award, facts, rules, draft.awards)


def preliminary_sheet(draft: Draft, rules: Rules) -> tuple[str, str] | None:
    """The sheet in Chinese and English."""
    sheet = sheet_for(draft, rules)
    return (render_text(sheet, "zh"), render_text(sheet, "en")) if sheet else None


def award_names(draft: Draft) -> dict[str, Any]:
    code = draft.row.award or draft.awards.families[draft.family].awards[0]
    award = draft.awards.awards[code]
    return names(award.names.zh, award.names.en)


def statement_text(draft: Draft) -> Text | None:
    """The deeds as written; None where the award asks for none (windows and halls)."""
    statements = draft.answer("statements", {})
    if draft.answer("mode") == "sections" and statements:
        parts = [Text("intake.preview.section", {
            "section": Text(f"intake.section.{s}"), "text": statements.get(s, "")})
            for s in STAFF_SECTIONS]
        return Text("intake.preview.sections", {f"s{i}": p for i, p in enumerate(parts)})
    if not draft.row.statement:
        return None
    return Text("common.literal", {"value": draft.row.statement})


def criteria_text(draft: Draft) -> dict[str, Any] | None:
    """The criteria claimed; None where the award has none (all but 三牛)."""
    if not draft.row.award or draft.family != "sanniu":
        return None
    award = draft.awards.awards[draft.row.award]
    chosen = [n for n in draft.row.criteria or [] if 1 <= n <= len(award.criteria)]
    return names("\n".join(f"{n}. {award.criteria[n - 1].zh}" for n in chosen) or "—",
                 "\n".join(f"{n}. {award.criteria[n - 1].en}" for n in chosen) or "—")


def details_text(draft: Draft, card: str) -> Text:
    """The criteria and deeds lines of a ``card`` (its catalogue prefix), each left out
    where it does not apply."""
    criteria, statement = criteria_text(draft), statement_text(draft)
    empty = Text("common.literal", {"value": ""})
    return Text(f"{card}.details", {
        "criteria": Text(f"{card}.criteria", {"criteria": criteria}) if criteria else empty,
        "statement": Text(f"{card}.statement", {"statement": statement})
        if statement else empty,
    })


def summary(draft: Draft, subject: str | Text, rules: Rules) -> Text:
    sheet = preliminary_sheet(draft, rules)
    evidence = len(draft.row.evidence)
    return Text("intake.preview.card", {
        "award": award_names(draft),
        "subject": subject,
        "details": details_text(draft, "intake.preview"),
        "evidence": evidence,
        "sheet": names(*sheet) if sheet else Text("intake.preview.no_sheet"),
    })
