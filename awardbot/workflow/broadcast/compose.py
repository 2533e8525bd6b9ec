"""Composing a broadcast: its text and photo, its audience, the preview.

``/broadcast`` opens a draft waiting for its text (``composing``); the admin's next text
(or photo with a caption, or a photo and then the text) becomes its content, and the
draft asks for the audience. Choosing one shows the preview — the photo and the text
exactly as recipients will get them — with the recipient count and the confirm button;
confirming is :func:`awardbot.workflow.broadcast.send.confirm`.

The draft's step is its ``state``, written with each answer, so a restart loses nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Broadcast, Round, Unit
from awardbot.documents.text_input import clean
from awardbot.workflow.broadcast import audience as audiences
from awardbot.workflow.broadcast.model import (
    COMPOSE_TTL,
    COMPOSING,
    CONFIRMED,
    DISCARDED,
    DRAFT,
    Card,
    Choice,
    Preview,
    body,
    fingerprint,
    owned,
    stale,
)
from awardbot.workflow.messages import Text
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services

UNITS_PER_PAGE = 8
ROUNDS_SHOWN = 8
TEXT_MAX = 4096  # one Telegram message


def _admin_only(is_admin: bool) -> None:
    if not is_admin:
        raise Refusal(Text("broadcast.admin_only"))


def _ask_content(broadcast_id: int) -> Card:
    return Card(broadcast_id, Text("broadcast.ask_content"),
                ((Choice(Text("broadcast.button.discard"), "drop"),),), edit=False)


async def start(svc: Services, staff_id: int, *, is_admin: bool,
                now: datetime) -> Card:
    """A new draft waiting for its text; the admin's earlier unconfirmed drafts are dropped."""
    _admin_only(is_admin)
    async with svc.sessions.begin() as session:
        await session.execute(
            update(Broadcast)
            .where(Broadcast.created_by == staff_id, Broadcast.state.in_((COMPOSING, DRAFT)))
            .values(state=DISCARDED).execution_options(synchronize_session=False))
        row = Broadcast(created_by=staff_id, audience={}, content={}, state=COMPOSING,
                        total=0, created_at=now)
        session.add(row)
        await session.flush()
        return _ask_content(row.id)


async def _composing(session: AsyncSession, staff_id: int, now: datetime) -> Broadcast | None:
    return await session.scalar(
        select(Broadcast)
        .where(Broadcast.created_by == staff_id, Broadcast.state == COMPOSING,
               Broadcast.created_at >= now - COMPOSE_TTL)
        .order_by(Broadcast.id.desc()).limit(1))


async def take_text(svc: Services, staff_id: int, text: str, *,
                    now: datetime) -> Card | None:
    """The text of the admin's draft; ``None`` when no draft is waiting for one."""
    async with svc.sessions.begin() as session:
        row = await _composing(session, staff_id, now)
        if row is None:
            return None
        text = clean(text)
        if not text.strip():
            return Card(row.id, Text("broadcast.empty"), edit=False)
        row.content = {**row.content, "text": text[:TEXT_MAX]}
        row.state = DRAFT
        return _audience_card(row.id, Text("broadcast.got_content"), edit=False)


async def take_photo(svc: Services, staff_id: int, file_id: str,
                     caption: str | None, *, now: datetime) -> Card | None:
    """A photo for the draft (its caption, if any, is the text); ``None`` when no draft
    is waiting for content."""
    async with svc.sessions.begin() as session:
        row = await _composing(session, staff_id, now)
        if row is None:
            return None
        row.content = {**row.content, "photo": file_id}
        if caption and caption.strip():
            row.content = {**row.content, "text": caption}
            row.state = DRAFT
            return _audience_card(row.id, Text("broadcast.got_content"), edit=False)
        return Card(row.id, Text("broadcast.got_photo"),
                    ((Choice(Text("broadcast.button.discard"), "drop"),),), edit=False)


def _audience_card(broadcast_id: int, text: Text, *, edit: bool = True) -> Card:
    def pick(key: str, action: str) -> Choice:
        return Choice(Text(f"broadcast.button.{key}"), action)

    rows = ((pick("all", "all"),), (pick("by_unit", "units"), pick("by_role", "roles")),
            (pick("by_round", "rounds"),), (pick("rewrite", "redo"), pick("discard", "drop")))
    return Card(broadcast_id, text, rows, edit=edit)


async def press(svc: Services, staff_id: int, broadcast_id: int, action: str,
                arg: str, *, is_admin: bool, now: datetime) -> Card:
    """A button on a draft's card (not the confirm button: see ``broadcast_send``)."""
    _admin_only(is_admin)
    async with svc.sessions.begin() as session:
        row = await owned(session, broadcast_id, staff_id)
        if row.state in CONFIRMED:
            raise Refusal(Text("broadcast.already_confirmed"))
        if action == "drop" and row.state in (COMPOSING, DRAFT):
            row.state = DISCARDED
            return Card(row.id, Text("broadcast.discarded"))
        if row.state != DRAFT:
            raise stale()
        return await _step(svc, session, row, action, arg, now)


async def _step(svc: Services, session: AsyncSession, row: Broadcast, action: str,
                arg: str, now: datetime) -> Card:
    if action == "redo":
        row.state, row.content, row.audience, row.created_at = COMPOSING, {}, {}, now
        return _ask_content(row.id)
    if action == "back":
        return _audience_card(row.id, Text("broadcast.choose_audience"))
    if action == "units":
        return await _units_card(session, row.id, _number(arg))
    if action == "roles":
        rows = tuple((Choice(Text(f"roles.{role.value}"), "role", role.value),)
                     for role in audiences.ROLES)
        return Card(row.id, Text("broadcast.choose_role"), (*rows, (_back(),)))
    if action == "rounds":
        return await _rounds_card(svc, session, row.id)
    return await _preview(svc, session, row, _audience(action, arg))


def _audience(action: str, arg: str) -> dict[str, Any]:
    try:
        if action == "all":
            return audiences.everyone()
        if action == "unit":
            return audiences.of_unit(_number(arg))
        if action == "role":
            return audiences.of_role(arg)
        if action == "round":
            return audiences.of_round(_number(arg))
    except audiences.AudienceError:
        raise stale() from None
    raise stale()


def _number(arg: str) -> int:
    if not arg.isdigit():
        raise stale()
    return int(arg)


def _back() -> Choice:
    return Choice(Text("broadcast.button.back"), "back")


async def _units_card(session: AsyncSession, broadcast_id: int, page: int) -> Card:
    units = list(await session.scalars(select(Unit).order_by(Unit.code)))
    pages = max((len(units) + UNITS_PER_PAGE - 1) // UNITS_PER_PAGE, 1)
    page = min(page, pages - 1)
    shown = units[page * UNITS_PER_PAGE:(page + 1) * UNITS_PER_PAGE]
    rows: list[tuple[Choice, ...]] = [
        (Choice(Text("broadcast.unit_button", {"name": u.name, "code": u.code}), "unit",
                str(u.id)),) for u in shown]
    turn = []
    if page > 0:
        turn.append(Choice(Text("broadcast.button.previous"), "units", str(page - 1)))
    if page + 1 < pages:
        turn.append(Choice(Text("broadcast.button.next"), "units", str(page + 1)))
    if turn:
        rows.append(tuple(turn))
    rows.append((_back(),))
    text = Text("broadcast.choose_unit", {"page": page + 1, "pages": pages})
    return Card(broadcast_id, text, tuple(rows))


async def _rounds_card(svc: Services, session: AsyncSession,
                       broadcast_id: int) -> Card:
    rounds = list(await session.scalars(
        select(Round).order_by(Round.opens_at.desc(), Round.id.desc()).limit(ROUNDS_SHOWN)))
    rows = tuple(
        (Choice(Text("broadcast.round_button", audiences.round_params(r, svc.awards)), "round",
                str(r.id)),) for r in rounds)
    key = "broadcast.choose_round" if rounds else "broadcast.no_rounds"
    return Card(broadcast_id, Text(key), (*rows, (_back(),)))


async def _preview(svc: Services, session: AsyncSession, row: Broadcast,
                   audience: dict[str, Any]) -> Card:
    try:
        await audiences.check(session, audience)
    except audiences.AudienceError:
        raise stale() from None
    row.audience = audience
    number = await audiences.count(session, audience)
    described = await audiences.describe(session, audience, svc.awards)
    preview = Preview(row.content.get("photo"), body(row.content))
    if number == 0:
        text = Text("broadcast.preview_nobody", {"audience": described})
        return Card(row.id, text, ((_back(),),), edit=False, preview=preview)
    text = Text("broadcast.preview", {"audience": described, "count": number})
    confirm = Choice(Text("broadcast.button.confirm", {"count": number}), "go",
                     fingerprint(row))
    rows = ((confirm,), (Choice(Text("broadcast.button.change"), "back"),
                         Choice(Text("broadcast.button.discard"), "drop")))
    return Card(row.id, text, rows, edit=False, preview=preview)
