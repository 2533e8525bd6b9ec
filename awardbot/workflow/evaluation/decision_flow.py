"""The /decide flow: pick a round, stage removals and additions with reasons, confirm.

Staged changes live in the admin's cursor row, written with each answer, so a restart
loses nothing; confirming hands them to :func:`awardbot.workflow.evaluation.decision.record`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import EvaluationCursor, Nomination, Round, Staff
from awardbot.documents.text_input import clean
from awardbot.workflow.evaluation.decision import ADDABLE, Change, decidable, record, round_rows
from awardbot.workflow.evaluation.facts import subject_of
from awardbot.workflow.evaluation.members import clear_cursor, cursor, set_cursor
from awardbot.workflow.evaluation.view import Act, Reply, Screen, literal
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Text, names
from awardbot.workflow.policy import Permission, require_person
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.rounds.stages import Stage
from awardbot.workflow.services import Services

ADMIN_ONLY = "decision.refuse.not_admin"
OPS = {"dr": "remove", "da": "add"}
EXPORTABLE = (State.CHECKED.value, State.SCORED.value, State.SHORTLISTED.value,
              State.NOT_SHORTLISTED.value, State.DECIDED.value, State.ON_NOTICE.value,
              State.AWARDED.value)


async def _admin(session: AsyncSession, staff_id: int) -> Staff:
    return await require_person(session, staff_id, Permission.DECIDE, refusal=ADMIN_ONLY)


def _round_label(svc: Services, round_: Round) -> dict[str, Any]:
    family = svc.awards.families[round_.family].names
    return {"family": names(family.zh, family.en), "period": round_.period}


async def rounds(svc: Services, staff_id: int) -> Reply:
    """``/decide``: the rounds with a shortlist waiting for the party group."""
    async with svc.sessions.begin() as session:
        await _admin(session, staff_id)
        ids = list(await session.scalars(select(Round.id).where(
            Round.state == Stage.RANKED).order_by(Round.id)))
        if not ids:
            return Reply((Screen(Text("decision.nothing")),))
        acts = [(Act(Text("decision.button.round", _round_label(svc, await session.get_one(
            Round, rid))), ("r", str(rid))),) for rid in ids]
        return Reply((Screen(Text("decision.choose_round"), tuple(acts)),))


async def open_round(svc: Services, staff_id: int, round_id: int,
                     now: datetime) -> Reply:
    async with svc.sessions.begin() as session:
        await _admin(session, staff_id)
        await decidable(session, round_id, now)
        await set_cursor(session, staff_id, "decide", now, round_id=round_id,
                         data={"changes": []})
        return Reply((await _overview(session, svc, round_id, []),))


async def _line(session: AsyncSession, row: Nomination, mark: Any) -> Text:
    ranking = row.ranking or {}
    return Text("decision.line", {
        "rank": ranking.get("rank") or "—", "ref": row.ref or str(row.id),
        "subject": (await subject_of(session, row)).name, "total": ranking.get("total", "—"),
        "mark": mark})


async def _by_award(session: AsyncSession, svc: Services, round_: Round,
                    entries: list[tuple[Nomination, Text]]) -> list[Text]:
    """The list under one heading per award (in the rule book's order), each award's
    entries in the order of its ranking, which numbers them."""
    order = svc.awards.families[round_.family].awards
    lines: list[Text] = []
    for code in order:
        mine = [(row, mark) for row, mark in entries
                if (row.award or order[0]) == code]
        if not mine:
            continue
        award = svc.awards.award(code).names
        lines.append(Text("decision.heading", {"award": names(award.zh, award.en),
                                               "count": len(mine)}))
        mine.sort(key=lambda e: (int((e[0].ranking or {}).get("rank") or 10**6), e[0].id))
        lines += [await _line(session, row, mark) for row, mark in mine]
    return lines


async def _overview(session: AsyncSession, svc: Services, round_id: int,
                    changes: list[dict[str, Any]]) -> Screen:
    round_ = await session.get(Round, round_id)
    if round_ is None:
        raise Refusal("errors.stale_button")
    staged = {(c["op"], c["nid"]): c["reason"] for c in changes}
    entries: list[tuple[Nomination, Text]] = []
    for row in await round_rows(session, round_id, (State.SHORTLISTED.value,)):
        reason = staged.get(("remove", row.id))
        mark = Text("decision.mark.remove", {"reason": reason}) if reason else \
            Text("decision.mark.keep")
        entries.append((row, mark))
    for change in changes:
        if change["op"] == "add":
            row = await session.get_one(Nomination, change["nid"])
            entries.append((row, Text("decision.mark.add", {"reason": change["reason"]})))
    lines = await _by_award(session, svc, round_, entries)
    rid = str(round_id)
    acts = ((Act(Text("decision.button.confirm", {"count": len(changes)}), ("ok", rid)),),
            (Act(Text("decision.button.remove"), ("dr", rid)),
             Act(Text("decision.button.add"), ("da", rid))),
            (Act(Text("decision.button.cancel"), ("no", rid)),))
    return Screen(Text("decision.overview", _round_label(svc, round_)), acts, tuple(lines))


async def _staged(session: AsyncSession, staff_id: int, round_id: int) -> EvaluationCursor:
    here = await cursor(session, staff_id)
    if here is None or here.kind != "decide" or here.round_id != round_id:
        raise Refusal("decision.refuse.reopen")
    return here


async def pick(svc: Services, staff_id: int, round_id: int, op: str) -> Reply:
    """The entries a removal (the shortlist) or an addition (scored ones) may take."""
    async with svc.sessions.begin() as session:
        await _admin(session, staff_id)
        here = await _staged(session, staff_id, round_id)
        taken = {c["nid"] for c in here.data.get("changes", [])}
        states = (State.SHORTLISTED.value,) if OPS[op] == "remove" else ADDABLE
        rows = [r for r in await round_rows(session, round_id, states)
                if r.id not in taken and r.ranking is not None]
        if not rows:
            return Reply(toast=Text(f"decision.none_to_{OPS[op]}"))
        verb = "x" if OPS[op] == "remove" else "a"
        acts: list[tuple[Act, ...]] = []
        for r in rows:
            label = literal(f"{r.ref} {(await subject_of(session, r)).name}")
            acts.append((Act(label, (verb, str(round_id), str(r.id))),))
        return Reply((Screen(Text(f"decision.pick_{OPS[op]}"), tuple(acts)),))


async def choose(svc: Services, staff_id: int, round_id: int, op: str,
                 nomination_id: int, now: datetime) -> Reply:
    """An entry picked: ask for the reason, which the admin types next."""
    async with svc.sessions.begin() as session:
        await _admin(session, staff_id)
        here = await _staged(session, staff_id, round_id)
        states = (State.SHORTLISTED.value,) if op == "remove" else ADDABLE
        row = await session.get(Nomination, nomination_id)
        if row is None or row.round_id != round_id or row.state not in states \
                or row.ranking is None:
            raise Refusal("errors.stale_button")
        here.data = {**here.data, "awaiting": {"op": op, "nid": nomination_id}}
        here.updated_at = now
        return Reply((Screen(Text(f"decision.ask_reason_{op}", {"ref": row.ref or ""})),))


async def typed_reason(session: AsyncSession, svc: Services, staff_id: int,
                       here: EvaluationCursor, text: str, now: datetime) -> Reply:
    """The reason for the change waiting for one (called by the typed-text dispatcher)."""
    await _admin(session, staff_id)
    awaiting = here.data.get("awaiting")
    assert here.round_id is not None
    if not awaiting:
        return Reply((Screen(Text("decision.use_buttons")),))
    text = clean(text)
    if not text.strip():
        return Reply((Screen(Text("decision.refuse.no_reason")),))
    changes = [*here.data.get("changes", []), {**awaiting, "reason": text.strip()[:500]}]
    here.data, here.updated_at = {"changes": changes}, now
    return Reply((await _overview(session, svc, here.round_id, changes),))


async def confirm(svc: Services, staff_id: int, round_id: int,
                  now: datetime) -> Reply:
    async with svc.sessions.begin() as session:
        admin = await _admin(session, staff_id)
        await decidable(session, round_id, now)
        here = await _staged(session, staff_id, round_id)
        changes = [Change(c["op"], c["nid"], c["reason"]) for c in here.data.get("changes", [])]
        result = await record(session, admin, round_id, changes, now)
        await clear_cursor(session, staff_id)
        round_ = await session.get_one(Round, round_id)
        entries = [(r, Text("decision.mark.kept")) for r in result.kept]
        entries += [(r, Text("decision.mark.added")) for r in result.added]
        lines = await _by_award(session, svc, round_, entries)
        return Reply((Screen(Text("decision.done", {
            **_round_label(svc, round_), "count": len(entries), "removed": len(result.removed),
            "added": len(result.added)}), (), tuple(lines)),),
            toast=Text("decision.toast.done"))


async def cancel(svc: Services, staff_id: int, round_id: int) -> Reply:
    async with svc.sessions.begin() as session:
        await _admin(session, staff_id)
        await _staged(session, staff_id, round_id)
        await clear_cursor(session, staff_id)
        return Reply((Screen(Text("decision.cancelled")),))


async def export_choices(svc: Services, staff_id: int) -> Reply:
    """``/export``: the rounds that have reached the evaluation group."""
    async with svc.sessions.begin() as session:
        await _admin(session, staff_id)
        ids = list(await session.scalars(select(Nomination.round_id).distinct().where(
            Nomination.state.in_(EXPORTABLE)).order_by(Nomination.round_id)))
        if not ids:
            return Reply((Screen(Text("decision.export_nothing")),))
        acts = [(Act(Text("decision.button.round", _round_label(svc, await session.get_one(
            Round, rid))), ("ex", str(rid))),) for rid in ids]
        return Reply((Screen(Text("decision.export_choose"), tuple(acts)),))
