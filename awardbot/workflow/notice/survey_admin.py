"""Running the satisfaction survey by buttons: ``/survey`` for an admin or the group leader
lists the rounds in evaluation with their survey's state and a button to open (then pick a
deadline) or close it; the typed shortcut takes the round by its Chinese or English name
(``/survey open 最美政务人 2026 2026-12-10 17:30``, ``/survey close 最美政务人 2026``).

Callback data ``sa:<act>:<round>[:<YYYYMMDD>]``: ``so`` asks for the deadline, ``sd`` opens
with the picked day's end of office hours, ``sx`` closes now.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.callbacks import Kind
from awardbot.db.models import Rating, Round
from awardbot.scoring import CalendarUnavailable
from awardbot.workflow import policy
from awardbot.workflow.messages import Button, Message, Text
from awardbot.workflow.naming import local_time
from awardbot.workflow.notice import survey
from awardbot.workflow.notice.base import data, joined, say
from awardbot.workflow.policy import Permission
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.rounds import stages
from awardbot.workflow.rounds.calendar import working_calendar
from awardbot.workflow.rounds.stages import Stage
from awardbot.workflow.services import Services

KIND = Kind.SURVEY_ADMIN
ASK, OPEN, CLOSE = "so", "sd", "sx"
CHOICES = (2, 3, 5)  # working days from today, offered as deadlines


def may_run(roles: set[str]) -> bool:
    return policy.allows(roles, Permission.RUN_SURVEY)


async def _evaluating(session: AsyncSession, svc: Services) -> list[Round]:
    rows = await session.scalars(select(Round).where(Round.state == Stage.EVALUATION)
                                 .order_by(Round.id))
    return [r for r in rows if survey.surveyed_awards(svc.awards, r.family)]


async def _line(session: AsyncSession, svc: Services, round_: Round,
                now: datetime) -> tuple[Text, Button | None]:
    found = await survey.of_round(session, round_.id)
    label = stages.label(round_)
    if found is None:
        return (Text("survey.admin.line_none", label),
                Button(Text("survey.admin.open_button", label), data(KIND, ASK, round_.id)))
    ids = await survey.candidates(session, svc.awards, found, round_)
    votes = await session.scalar(select(func.count()).select_from(Rating).where(
        Rating.nomination_id.in_(ids))) if ids else 0
    params = {**label, "count": len(ids), "votes": votes or 0,
              "deadline": local_time(found.closed_at or found.deadline, svc.rules)}
    if found.state == survey.OPEN:
        return (Text("survey.admin.line_open", params),
                Button(Text("survey.admin.close_button", label), data(KIND, CLOSE, round_.id)))
    return Text("survey.admin.line_closed", params), None


async def overview(svc: Services, actor_id: int, now: datetime) -> Message:
    """The rounds in evaluation whose awards are surveyed, each with what can be done."""
    async with svc.sessions() as session:
        await policy.require(session, actor_id, Permission.RUN_SURVEY)
        rounds = await _evaluating(session, svc)
        if not rounds:
            return say("survey.admin.no_evaluation")
        lines, rows = [], []
        for round_ in rounds:
            text, button = await _line(session, svc, round_, now)
            lines.append(text)
            if button is not None:
                rows.append((button,))
        return Message(Text("survey.admin.overview", {"lines": joined(lines)}), tuple(rows))


async def ask_deadline(svc: Services, actor_id: int, round_id: int,
                       now: datetime) -> Message:
    """Working days to pick the survey's deadline from (never after the scoring deadline)."""
    async with svc.sessions() as session:
        await policy.require(session, actor_id, Permission.RUN_SURVEY)
        round_ = await session.get(Round, round_id)
        if round_ is None:
            raise Refusal("errors.stale_button")
        stages.require(round_, stages.Act.SURVEY, now)
        calendar = await working_calendar(session)
    today = now.astimezone(svc.rules.tz).date()
    try:
        days = [calendar.add_working_days(today, n) for n in CHOICES]
    except CalendarUnavailable as exc:
        raise Refusal("schedule.rounds.no_calendar", year=exc.year) from None
    limit = round_.scoring_deadline
    picks = [Button(Text("survey.admin.pick", {"date": day.isoformat()}),
                    data(KIND, OPEN, round_id, f"{day:%Y%m%d}"))
             for day in days
             if limit is None or _end_of(svc, day) <= limit]
    if not picks:
        raise Refusal("survey.admin.no_time", scoring=local_time(limit, svc.rules)
                      if limit else "")
    return Message(Text("survey.admin.ask_deadline", {
        **stages.label(round_), "office_end": svc.rules.office_hours_end.strftime("%H:%M"),
        "scoring": local_time(limit, svc.rules) if limit else "—"}), (tuple(picks),))


def _end_of(svc: Services, day: object) -> datetime:
    return datetime.combine(day, svc.rules.office_hours_end, tzinfo=svc.rules.tz)  # type: ignore[arg-type]


async def open_on(svc: Services, actor_id: int, round_id: int, token: str,
                  now: datetime) -> Message:
    try:
        day = datetime.strptime(token, "%Y%m%d").date()
    except ValueError:
        raise Refusal("errors.stale_button") from None
    return await survey.open_survey(svc, actor_id, round_id, _end_of(svc, day), now)


def find_family(svc: Services, name: str) -> str | None:
    """A family by its code or its Chinese or English name (or one of its awards' names)."""
    wanted = name.strip().lower()
    for code, family in svc.awards.families.items():
        awards = (svc.awards.award(a).names for a in family.awards)
        known = {code, family.names.zh, family.names.en.lower()}
        known |= {n.zh for n in awards}
        if wanted in {k.lower() for k in known}:
            return code
    return None


def parse_local(text: str, svc: Services) -> datetime | None:
    for fmt, has_time in (("%Y-%m-%d %H:%M", True), ("%Y-%m-%d", False)):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        at = parsed.time() if has_time else svc.rules.office_hours_end
        return datetime.combine(parsed.date(), at, tzinfo=svc.rules.tz)
    return None


async def typed(svc: Services, actor_id: int, args: list[str], now: datetime) -> Message:
    """``/survey open NAME PERIOD YYYY-MM-DD [HH:MM]`` or ``/survey close NAME PERIOD``."""
    if len(args) < 3 or args[0] not in ("open", "close", "开始", "结束"):
        raise Refusal("survey.admin.usage")
    family = find_family(svc, args[1])
    if family is None:
        raise Refusal("survey.admin.unknown_family", name=args[1])
    if not survey.surveyed_awards(svc.awards, family):
        raise Refusal("survey.admin.no_section", family=survey.family_text(family))
    async with svc.sessions() as session:
        round_id = await session.scalar(select(Round.id).where(
            Round.family == family, Round.period == args[2]))
    if round_id is None:
        raise Refusal("survey.admin.no_round", family=survey.family_text(family),
                      period=args[2])
    if args[0] in ("close", "结束"):
        return await survey.close_survey(svc, actor_id, round_id, now)
    deadline = parse_local(" ".join(args[3:5]), svc) if len(args) >= 4 else None
    if deadline is None:
        raise Refusal("survey.admin.bad_time", value=" ".join(args[3:5]))
    return await survey.open_survey(svc, actor_id, round_id, deadline, now)
