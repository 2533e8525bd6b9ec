"""Closing a round's scoring: rank by the rule book and move every nomination on.

``checked → scored``, then ``shortlisted`` (places and hall tiers) or ``not_shortlisted``.
Held-back nominations (incomplete sheet, serious accident) and exact ties across a quota
line stay ``scored`` with the reason in ``flagged_reason``: the group decides them, the
bot never cuts them arbitrarily. Closing cannot be undone, so the leader is asked first
and the confirm acts once. Closing is refused while a non-recused member has not
scored, unless the leader confirms "close anyway"; then those members are left out of
the means and listed in the answer and the audit log — never counted as zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Rating, Round, Staff
from awardbot.scoring import HELD_BACK, NOT_SHORTLISTED, TIE_AT_CUT, RankingResult, RoundResult
from awardbot.workflow import asks, audit
from awardbot.workflow.evaluation.ranking import Entry, entries, load_round, rank, ranking_record
from awardbot.workflow.evaluation.view import Act as Act_
from awardbot.workflow.evaluation.view import Reply, Screen, award_names, literal
from awardbot.workflow.lifecycle import State, check
from awardbot.workflow.messages import Text, names
from awardbot.workflow.naming import local_time
from awardbot.workflow.notice import survey, survey_admin
from awardbot.workflow.policy import Permission, require_person
from awardbot.workflow.rounds import stages
from awardbot.workflow.rounds.stages import Act, Stage
from awardbot.workflow.services import Services

LEADER_ONLY = "evaluation.refuse.not_leader"
CLOSE = "close_scoring"  # the question asked before closing a round's scoring
MAX_LINES = 40
AFTER_EVALUATION = frozenset({Stage.RANKED, Stage.DECIDED, Stage.NOTICE, Stage.FINAL})
NEXT_STATE = {NOT_SHORTLISTED: State.NOT_SHORTLISTED, HELD_BACK: State.SCORED,
              TIE_AT_CUT: State.SCORED}


@dataclass
class _Closing:
    """A round as the leader would close it: what stops it (``stop``), or what is ranked."""

    label: dict[str, Any]
    stop: Reply | None = None
    found: list[Entry] = field(default_factory=list)
    gaps: list[tuple[Entry, Any, Any]] = field(default_factory=list)


async def _closing(session: AsyncSession, svc: Services, round_: Round, now: datetime, *,
                   anyway: bool = False, lock: bool = True) -> _Closing:
    """The checks that come before closing, in order — said at 结束评分 before it asks,
    and again at the confirm (the round may have moved meanwhile)."""
    label = {"family": _family(svc, round_.family), "period": round_.period}
    # Once closed, the places are given: late arrivals are not ranked on their own.
    if stages.effective(round_, now) in AFTER_EVALUATION:
        key = "evaluation.close.already"
        return _Closing(label, Reply((Screen(Text(key, label)),), toast=Text(key, label)))
    stages.require(round_, Act.CLOSE_EVALUATION, now)
    waiting = await survey_first(session, svc, round_, label)
    if waiting is not None:
        return _Closing(label, waiting)
    found = await entries(session, svc, round_.id, (State.CHECKED,), omit_missing=anyway,
                          lock=lock)
    if not found:
        key = "evaluation.close.nothing"
        return _Closing(label, Reply((Screen(Text(key, label)),), toast=Text(key, label)))
    gaps = [(e, m, i) for e in found for m, i in e.gaps()]
    if gaps and not anyway:
        return _Closing(label, Reply((_refusal(gaps, round_.id, label),)))
    return _Closing(label, None, found, gaps)


async def ask_close(svc: Services, staff_id: int, round_id: int, now: datetime) -> Reply:
    """Closing ranks the round and cannot be undone: ask first (the confirm acts once)."""
    async with svc.sessions.begin() as session:
        await require_person(session, staff_id, Permission.LEAD_EVALUATION, refusal=LEADER_ONLY)
        round_ = await load_round(session, round_id)
        closing = await _closing(session, svc, round_, now, lock=False)
        if closing.stop is not None:
            return closing.stop
        await asks.put(session, staff_id, CLOSE, round_.id, now)
        rid = str(round_.id)
        return Reply((Screen(Text("evaluation.close.ask", closing.label), ((
            Act_(Text("evaluation.button.close_confirm"), ("clok", rid)),
            Act_(Text("evaluation.button.back"), ("clno", rid))),)),))


async def close(svc: Services, staff_id: int, round_id: int, now: datetime,
                anyway: bool = False) -> Reply:
    async with svc.sessions.begin() as session:
        leader = await require_person(session, staff_id, Permission.LEAD_EVALUATION,
                                      refusal=LEADER_ONLY)
        round_ = await load_round(session, round_id, lock=True)
        closing = await _closing(session, svc, round_, now, anyway=anyway)
        if closing.stop is not None:
            return closing.stop
        found, gaps = closing.found, closing.gaps
        result = rank(svc, found)
        await _apply(session, found, result, leader, now)
        missing = [{"ref": e.ref, "member": m.staff_no, "item": i.key} for e, m, i in gaps]
        await audit.append(session, at=now, actor_id=leader.id, action="scoring.closed",
                           subject_type="round", subject_id=round_id,
                           data={"nominations": len(found), "anyway": anyway,
                                 "missing": missing})
        await stages.move(session, round_, Stage.RANKED, now, actor_id=leader.id,
                          by="group_leader", act=Act.CLOSE_EVALUATION)
        return Reply(_result(svc, found, result, gaps, closing.label),
                     toast=Text("evaluation.close.done_toast"))


def _family(svc: Services, family: str) -> dict[str, Any]:
    spec = svc.awards.families[family]
    return names(spec.names.zh, spec.names.en)


async def survey_first(session: AsyncSession, svc: Services, round_: Round,
                       label: dict[str, Any]) -> Reply | None:
    """RULES §6: the ranking needs the survey's section, so the survey closes first.

    None when the round's awards have no survey or its survey has closed; else the reason,
    with a button to the way forward (open it, or close it now)."""
    if not survey.surveyed_awards(svc.awards, round_.family):
        return None
    found = await survey.of_round(session, round_.id)
    if found is not None and found.state == survey.CLOSED:
        return None
    if found is None:
        act = Act_(Text("evaluation.button.open_survey"), (survey_admin.ASK, str(round_.id)))
        return Reply((Screen(Text("evaluation.close.survey_missing", label), ((act,),)),))
    votes = await session.scalar(select(func.count()).select_from(Rating).where(
        Rating.nomination_id.in_(await survey.live_candidates(session, svc.awards, round_))))
    act = Act_(Text("evaluation.button.close_survey"), (survey_admin.CLOSE, str(round_.id)))
    return Reply((Screen(Text("evaluation.close.survey_open", {
        **label, "deadline": local_time(found.deadline, svc.rules), "votes": votes or 0}),
        ((act,),)),))


def _gap_line(entry: Entry, member_name: str, item: Any) -> Text:
    return Text("evaluation.close.gap", {"ref": entry.ref, "member": member_name,
                                         "item": item.label})


def _refusal(gaps: list[Any], round_id: int, label: dict[str, Any]) -> Screen:
    lines = tuple(_gap_line(e, m.name, i) for e, m, i in gaps[:MAX_LINES])
    anyway = Act_(Text("evaluation.button.close_anyway"), ("cf", str(round_id)))
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


def _result(svc: Services, found: list[Entry], result: RoundResult,
            gaps: list[Any], label: dict[str, Any]) -> tuple[Screen, ...]:
    by_id = {str(e.row.id): e for e in found}
    screens = [Screen(Text("evaluation.close.done", {**label, "count": len(found)}))]
    for award, ranking in result.rankings.items():
        screens.append(_award_screen(svc, award, ranking, by_id))
    if gaps:
        screens.append(Screen(Text("evaluation.close.missing", {"count": len(gaps)}), (),
                              tuple(_gap_line(e, m.name, i) for e, m, i in gaps[:MAX_LINES])))
    return tuple(screens)


def _award_screen(svc: Services, award: str, ranking: RankingResult,
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
