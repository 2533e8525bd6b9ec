"""A small bureau with rounds whose nominations are already shortlisted or decided, the
notice features wired into the running bot, and a sender delivering the outbox."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from awardbot.bot.sender.loop import Sender, SenderTuning
from awardbot.bot.settings import SenderSettings
from awardbot.db.engine import SessionFactory
from awardbot.db.models import Nomination, Notification, Round
from awardbot.emulator import ChatEntry, GroupChat, Person
from awardbot.i18n import Catalogue
from awardbot.workflow import delivery
from awardbot.workflow.services import Services
from tests.e2e.conftest import Harness
from tests.factories import add_staff, add_unit

CHANNEL = -1001234567890
# 2026-09-30 10:00 in Shanghai: the last working day before the National Day holiday.
BEFORE_NATIONAL_DAY = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
FAST = SenderSettings(messages_per_second=200, private_chat_interval_s=0.01,
                      group_messages_per_minute=600, max_attempts=3)
QUICK = SenderTuning(max_in_flight=8, poll_interval_s=0.05, backoff_base_s=0.05,
                     backoff_cap_s=0.2, leader_retry_s=0.2, leader_check_s=0.3)

# The round's lifecycle stage that goes with its nominations' state.
ROUND_STAGE = {"checked": "evaluation", "scored": "ranked", "shortlisted": "ranked",
               "not_shortlisted": "ranked", "decided": "decided", "on_notice": "notice",
               "awarded": "final"}

STAFF = {  # staff_no: (name, unit key, roles)
    "A01": ("管理员", "office", ("admin",)),
    "D01": ("督查员", "office", ("supervision",)),
    "2001": ("刘芳", "window", ()),
    "2002": ("张伟", "window", ()),
    "2003": ("杨洋", "window", ()),
    "3001": ("王磊", "section", ()),
    "3002": ("赵敏", "section", ()),
}


def user_id(staff_no: str) -> int:
    return 7001 + list(STAFF).index(staff_no)


async def bureau(sessions: SessionFactory, *, bound: bool = False) -> dict[str, int]:
    """Units and staff (``bound``: with Telegram accounts already); ids by staff number
    (and ``unit:<key>`` for units)."""
    units = {
        "window": await add_unit(sessions, "CK1", "综合受理窗口", kind="window"),
        "section": await add_unit(sessions, "KS1", "审批一科", kind="section"),
        "office": await add_unit(sessions, "BG1", "办公室", kind="section"),
        "hall": await add_unit(sessions, "DT1", "周庄分中心大厅", kind="hall"),
    }
    ids = {f"unit:{k}": v for k, v in units.items()}
    for staff_no, (name, unit, roles) in STAFF.items():
        ids[staff_no] = await add_staff(sessions, staff_no, name, units[unit], roles=roles,
                                        telegram_user_id=user_id(staff_no) if bound else None)
    return ids


async def round_with(
    sessions: SessionFactory, family: str, period: str, state: str,
    subjects: list[tuple[str, int | None, int | None, int]], *, now: datetime,
    ranking: dict[int, dict[str, Any]] | None = None, round_id: int | None = None,
) -> list[int]:
    """A round (or more in ``round_id``) and its nominations in ``state``: (award, staff
    subject, unit subject, applicant) each. Returns the nomination ids in order."""
    async with sessions.begin() as session:
        if round_id is None:
            round_ = Round(family=family, period=period, state=ROUND_STAGE.get(state, "closed"),
                           opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=30),
                           created_at=now - timedelta(days=60))
            session.add(round_)
            await session.flush()
        else:
            round_ = await session.get_one(Round, round_id)
        first = 1 + len((await session.scalars(select(Nomination.id).where(
            Nomination.round_id == round_.id))).all())
        rows = []
        for index, (award, staff, unit, applicant) in enumerate(subjects, start=first):
            row = Nomination(
                ref=f"{family[:2].upper()}-{period}-{index:04d}", round_id=round_.id,
                award=award, subject_staff_id=staff, subject_unit_id=unit,
                applicant_id=applicant, state=state, created_at=now - timedelta(days=40),
                updated_at=now - timedelta(days=10), submitted_at=now - timedelta(days=40),
                ranking=(ranking or {}).get(index))
            session.add(row)
            rows.append(row)
        await session.flush()
        return [r.id for r in rows]


async def states(sessions: SessionFactory, ids: list[int]) -> list[str]:
    async with sessions() as session:
        rows = {n.id: n.state for n in await session.scalars(
            select(Nomination).where(Nomination.id.in_(ids)))}
        return [rows[i] for i in ids]


async def texts_for(sessions: SessionFactory, key: str) -> list[Notification]:
    async with sessions() as session:
        rows = await session.scalars(select(Notification).order_by(Notification.id))
        return [n for n in rows if n.payload["text"]["$text"] == key]


def install(h: Harness, svc: Services | None = None) -> Services:
    """The notice services the bot runs with, posting to the test channel."""
    deps = h.app.bot_data.deps
    deps.services = svc or replace(deps.services, channel_chat_id=CHANNEL)
    return deps.services


@dataclass
class Bureau:
    h: Harness
    ids: dict[str, int]
    svc: Services
    sender: Sender
    channel: GroupChat
    people: dict[str, Person]

    async def deliver(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Wake the sender and wait until the outbox is empty: each message is in its chat
        once its row is no longer pending or being sent."""
        self.sender.wake()
        deadline = time.monotonic() + timeout
        while True:
            counts = await delivery.counts(self.h.sessions)
            if not counts.get("pending") and not counts.get("sending"):
                break
            assert time.monotonic() < deadline, f"outbox did not drain: {counts}"
            await asyncio.sleep(0.05)


async def press(b: Bureau, person: Person, label: str,
                message: ChatEntry | int | None = None) -> dict[str, Any]:
    """Press a button, wait for the bot to answer it (the handlers answer after their
    messages); the answer (toast)."""
    await person.press(label, message)
    return await person.wait_for_toast()


async def say(b: Bureau, person: Person, text: str, *, n: int = 1,
              expect: str | None = None) -> ChatEntry:
    """Send ``text`` and wait for the bot's ``n`` answers (or for one holding ``expect``).
    The chat's last bot message."""
    await person.send_text(text)
    if expect is None:
        await person.wait_for_bot(n)
    else:
        await person.wait_for_text(expect)
    assert person.last_bot_message is not None
    return person.last_bot_message


def last_with(person: Person, needle: str) -> ChatEntry:
    for entry in reversed(person.chat):
        if entry.from_bot and needle in (entry.text or ""):
            return entry
    raise AssertionError(f"no bot message with {needle!r}\n{person.transcript()}")


@pytest.fixture
async def bureau_bot(harness: Harness) -> AsyncIterator[Bureau]:
    ids = await bureau(harness.sessions)
    svc = install(harness)
    channel = harness.emulator.channel(CHANNEL, "审批局公示")
    people = {no: await harness.bound_person(no, user_id(no)) for no in STAFF}
    sender = Sender(harness.app.bot, harness.sessions, Catalogue.load(), FAST,
                    default_language="zh", clock=harness.clock, tuning=QUICK,
                    files=svc.evidence.open)
    await sender.start()
    try:
        yield Bureau(harness, ids, svc, sender, channel, people)
    finally:
        await sender.stop()
