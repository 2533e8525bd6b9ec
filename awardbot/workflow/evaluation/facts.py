"""A nomination's scoring facts: its stored facts plus the group's scores and the survey.

The stored facts are the intake's answers (docs/facts.md); the judged parts are filled
from :class:`Score` rows — a member's score, ``null`` when not yet given, ``"recused"``
for a recused or abstaining member — and the satisfaction tally from :class:`Rating`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Rating, Score, Staff, Unit
from awardbot.scoring import Catalogue as AwardCatalogue
from awardbot.scoring import FactsError, Rules
from awardbot.scoring.facts import RECUSED, STAFF_SECTIONS
from awardbot.scoring.rules import RATING_LEVELS
from awardbot.workflow.evaluation.items import KEY_WORK, PILOT, Item, items_for
from awardbot.workflow.evaluation.members import Member, is_recused
from awardbot.workflow.messages import Text

HALL_RATES = ("onboarding_rate", "guide_accuracy")
ScoreMap = dict[tuple[int, str], Score]  # (evaluator, item) → score


@dataclass(frozen=True)
class Subject:
    name: str
    unit: str
    unit_id: int | None


async def subject_of(session: AsyncSession, row: Nomination) -> Subject:
    if row.subject_unit_id is not None:
        unit = await session.get_one(Unit, row.subject_unit_id)
        return Subject(unit.name, unit.name, unit.id)
    staff = await session.get_one(Staff, row.subject_staff_id)
    unit = await session.get_one(Unit, staff.unit_id)
    return Subject(staff.name, unit.name, unit.id)


async def scores_of(session: AsyncSession, ids: Iterable[int]) -> dict[int, ScoreMap]:
    found: dict[int, ScoreMap] = defaultdict(dict)
    rows = await session.scalars(select(Score).where(Score.nomination_id.in_(list(ids))))
    for score in rows:
        found[score.nomination_id][(score.evaluator_id, score.section)] = score
    return found


async def tallies_of(session: AsyncSession, ids: Iterable[int]) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = defaultdict(dict)
    rows = await session.execute(select(Rating.nomination_id, Rating.level)
                                 .where(Rating.nomination_id.in_(list(ids))))
    for nomination_id, level in rows:
        if level in RATING_LEVELS:
            tally = found[nomination_id]
            tally[level] = tally.get(level, 0) + 1
    return found


def award_of(row: Nomination, catalogue: AwardCatalogue) -> str:
    return row.award or catalogue.families[row.round.family].awards[0]


def stored_facts(award: str, row: Nomination, catalogue: AwardCatalogue) -> dict[str, Any]:
    """The intake's facts in the schema, judged parts and the survey left empty."""
    sheet = catalogue.award(award).sheet
    if sheet == "grades":
        return {"criteria": list(row.criteria or []), "grades": {}}
    if sheet == "staff":
        return {"sections": {key: {} for key in STAFF_SECTIONS}}
    facts = dict(row.facts or {})
    if sheet == "window":
        facts[KEY_WORK] = [{**w, "scores": {}} for w in facts.get(KEY_WORK, [])]
        facts["reports"] = [{**r, "id": r.get("id", f"r{i}")}
                            for i, r in enumerate(facts.get("reports", []), 1)]
        return facts
    for key in HALL_RATES:
        facts[key] = _number(facts.get(key, 0))
    facts[PILOT] = {}
    return facts


def _number(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


@dataclass(frozen=True)
class Judging:
    """The group as it bears on one nomination."""

    members: Sequence[Member]
    unit_of_subject: int | None
    scores: ScoreMap
    omit_missing: bool = False  # closing anyway: a member with no score is left out

    def recused(self, member: Member, row: Nomination) -> bool:
        return is_recused(member.staff_id, member.unit_id, row, self.unit_of_subject)

    def judged(self, item: str, row: Nomination) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for member in self.members:
            score = self.scores.get((member.staff_id, item))
            if self.recused(member, row) or (score is not None and score.abstained):
                out[member.staff_no] = RECUSED
            elif score is not None:
                out[member.staff_no] = score.value
            elif not self.omit_missing:
                out[member.staff_no] = None
        return out

    def gaps(self, row: Nomination, items: Sequence[Item]) -> list[tuple[Member, Item]]:
        return [(m, item) for m in self.members if not self.recused(m, row)
                for item in items if (m.staff_id, item.key) not in self.scores]


def scoring_facts(award: str, row: Nomination, judging: Judging, tally: dict[str, int],
                  catalogue: AwardCatalogue) -> dict[str, Any]:
    facts = stored_facts(award, row, catalogue)
    sheet = catalogue.award(award).sheet
    if sheet == "grades":
        facts["grades"] = judging.judged("grade", row)
        return facts
    facts["satisfaction"] = dict(tally)
    if sheet == "staff":
        facts["sections"] = {key: judging.judged(key, row) for key in STAFF_SECTIONS}
    elif sheet == "window":
        facts[KEY_WORK] = [{**w, "scores": judging.judged(f"{KEY_WORK}.{i}", row)}
                           for i, w in enumerate(facts[KEY_WORK])]
    else:
        facts[PILOT] = judging.judged(PILOT, row)
    return facts


def row_items(row: Nomination, rules: Rules, catalogue: AwardCatalogue) -> tuple[Item, ...]:
    award = award_of(row, catalogue)
    return items_for(award, dict(row.facts or {}), rules, catalogue)


def facts_problem(error: FactsError) -> Text:
    """What is wrong with the facts, in the reader's language: the place (as the facts
    name it, which is what a typed correction names too) and the kind of problem."""
    known = error.code and error.code in PROBLEMS
    reason = Text(f"evaluation.facts.{error.code if known else 'other'}",
                  {k: "" if v is None else str(v) for k, v in error.params.items()})
    return Text("evaluation.facts.problem", {"path": error.path, "reason": reason})


PROBLEMS = frozenset({"object", "unknown_key", "missing", "whole", "whole_range", "number",
                      "number_range", "text", "choice", "flag", "list", "judged"})
