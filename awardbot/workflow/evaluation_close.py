"""Closing a round's scoring: rank by the rule book and move every nomination on.

``checked → scored``, then ``shortlisted`` (places and hall tiers) or ``not_shortlisted``.
Held-back nominations (incomplete sheet, serious accident) and exact ties across a quota
line stay ``scored`` with the reason in ``flagged_reason``: the group decides them, the
bot never cuts them arbitrarily. Closing is refused while a non-recused member has not
scored, unless the leader confirms "close anyway"; then those members are left out of
the means and listed in the answer and the audit log — never counted as zero.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import AuditEvent, Nomination, Staff
from awardbot.scoring import HELD_BACK, NOT_SHORTLISTED, TIE_AT_CUT, RankingResult, RoundResult
from awardbot.workflow import audit
from awardbot.workflow.evaluation_members import EvaluationServices, require
from awardbot.workflow.evaluation_round import Entry, entries, load_round, rank, ranking_record
from awardbot.workflow.evaluation_view import Act, Reply, Screen, award_names, literal
from awardbot.workflow.lifecycle import State, check
from awardbot.workflow.outbox import Text, names
from awardbot.workflow.roles import Role

LEADER_ONLY = "evaluation.refuse.not_leader"
MAX_LINES = 40
NEXT_STATE = {NOT_SHORTLISTED: State.NOT_SHORTLISTED, HELD_BACK: State.SCORED,
              TIE_AT_CUT: State.SCORED}


async def close(svc: EvaluationServices, staff_id: int, round_id: int, now: datetime,
                anyway: bool = False) -> Reply:
    async with svc.sessions.begin() as session:
        leader = await require(session, staff_id, (Role.EVAL_LEADER,), LEADER_ONLY)
        round_ = await load_round(session, round_id)
        found = await entries(session, svc, round_id, (State.CHECKED,), omit_missing=anyway)
        label = {"family": _family(svc, round_.family), "period": round_.period}
        # Once closed, the places are given: late arrivals are not ranked on their own.
        closed = await _closed_before(session, round_id)
        if closed or not found:
            key = "evaluation.close.already" if closed else "evaluation.close.nothing"
            return Reply((Screen(Text(key, label)),), toast=Text(key, label))
        gaps = [(e, m, i) for e in found for m, i in e.gaps()]
        if gaps and not anyway:
            return Reply((_refusal(gaps, round_id, label),))
        result = rank(svc, found)
        await _apply(session, found, result, leader, now)
        missing = [{"ref": e.ref, "member": m.staff_no, "item": i.key} for e, m, i in gaps]
        await audit.append(session, at=now, actor_id=leader.id, action="scoring.closed",
                           subject_type="round", subject_id=round_id,
                           data={"nominations": len(found), "anyway": anyway,
                                 "missing": missing})
        return Reply(_result(svc, found, result, gaps, label),
                     toast=Text("evaluation.close.done_toast"))


def _family(svc: EvaluationServices, family: str) -> dict[str, Any]:
    spec = svc.awards.families[family]
    return names(spec.names.zh, spec.names.en)


async def _closed_before(session: AsyncSession, round_id: int) -> bool:
    return await session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "scoring.closed", AuditEvent.subject_type == "round",
        AuditEvent.subject_id == round_id).limit(1)) is not None


def _gap_line(entry: Entry, member_name: str, item: Any) -> Text:
    return Text("evaluation.close.gap", {"ref": entry.ref, "member": member_name,
                                         "item": item.label})


def _refusal(gaps: list[Any], round_id: int, label: dict[str, Any]) -> Screen:
    lines = tuple(_gap_line(e, m.name, i) for e, m, i in gaps[:MAX_LINES])
    anyway = Act(Text("evaluation.button.close_anyway"), ("cf", str(round_id)))
    return Screen(Text("evaluation.close.refused", {**label, "count": len(gaps)}),
                  ((anyway,),), lines)


async def _apply(session: AsyncSession, found: list[Entry], result: RoundResult,
                 leader: Staff, now: datetime) -> None:
    by_id = {str(e.row.id): e for e in found}
    for ranking in result.rankings.values():
        for ranked in ranking.entries:
            row: Nomination = by_id[ranked.nomination_id].row
            row.state = check(row.state, State.SCORED)
            wanted = NEXT_STATE.get(ranked.outcome, State.SHORTLISTED)
            if wanted != State.SCORED:
                row.state = check(row.state, wanted)
            reasons = [m.render("zh") for m in ranked.reasons]
            row.flagged_reason = "；".join(reasons) if wanted == State.SCORED else None
            row.ranking = ranking_record(ranked, result.sheets[ranked.nomination_id], now)
            row.updated_at = now
            await audit.append(session, at=now, actor_id=leader.id, action="nomination.scored",
                               subject_type="nomination", subject_id=row.id,
                               data={"ref": row.ref, "outcome": ranked.outcome,
                                     "tier": ranked.tier, "rank": ranked.rank,
                                     "total": row.ranking["exact_total"],
                                     "state": row.state})


def _result(svc: EvaluationServices, found: list[Entry], result: RoundResult,
            gaps: list[Any], label: dict[str, Any]) -> tuple[Screen, ...]:
    by_id = {str(e.row.id): e for e in found}
    screens = [Screen(Text("evaluation.close.done", {**label, "count": len(found)}))]
    for award, ranking in result.rankings.items():
        screens.append(_award_screen(svc, award, ranking, by_id))
    if gaps:
        screens.append(Screen(Text("evaluation.close.missing", {"count": len(gaps)}), (),
                              tuple(_gap_line(e, m.name, i) for e, m, i in gaps[:MAX_LINES])))
    return tuple(screens)


def _award_screen(svc: EvaluationServices, award: str, ranking: RankingResult,
                  by_id: dict[str, Entry]) -> Screen:
    tiers = {t.code: names(t.names.zh, t.names.en) for t in svc.awards.award(award).tiers}
    lines = []
    for ranked in ranking.entries[:MAX_LINES * 2]:
        entry = by_id[ranked.nomination_id]
        outcome = tiers.get(ranked.tier or "") or Text(f"evaluation.outcome.{ranked.outcome}")
        reasons = "；".join(m.render("zh") for m in ranked.reasons)
        reasons_en = "; ".join(m.render("en") for m in ranked.reasons)
        lines.append(Text("evaluation.result.line", {
            "rank": ranked.rank or "—", "ref": entry.ref, "subject": entry.subject.name,
            "total": literal(entry.row.ranking["total"] if entry.row.ranking else "—"),
            "outcome": outcome, "reasons": names(reasons, reasons_en)}))
    ties = len(ranking.ties_at_cut)
    head = Text("evaluation.result.award", {
        "award": award_names(svc, award), "quota": ranking.quota, "ties": ties,
        "held": len(ranking.with_outcome(HELD_BACK))})
    return Screen(head, (), tuple(lines))
