"""The review feature wired into the bot under test, a bureau with leaders and 督查科, a
submission driven through chat, and waiting for the outbox sender."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from sqlalchemy import select

from awardbot.db.models import Nomination, Staff, Unit
from awardbot.emulator import Person
from awardbot.workflow import delivery
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import (
    PNG,
    bureau,
    open_rounds,
    press,
    say,
    start_sanniu,
    submit,
)
from tests.factories import add_staff, add_unit


@pytest.fixture
def review_wired() -> None:
    """The review handlers are registered by bot/app.py; kept for the tests' signatures."""


@pytest.fixture
async def reviewing(review_wired: None, harness: Harness) -> Harness:
    """The harness, built after the review handlers were wired in (argument order)."""
    await bureau(harness)
    await open_rounds(harness)
    await review_bureau(harness)
    return harness


async def review_bureau(h: Harness) -> dict[str, int]:
    """Beside intake's bureau: a second window leader, a centre above the window with its
    own leader, a second window with one leader, the supervision section and a stranger."""
    async with h.sessions() as session:
        window = await session.scalar(select(Unit.id).where(Unit.code == "CK1"))
    assert window is not None
    centre = await add_unit(h.sessions, "ZX", "政务服务中心", kind="section")
    window2 = await add_unit(h.sessions, "CK2", "不动产窗口", kind="window")
    supervision = await add_unit(h.sessions, "DC", "督查科", kind="section")
    async with h.sessions.begin() as session:
        (await session.get_one(Unit, window)).parent_id = centre
        (await session.get_one(Unit, window2)).parent_id = centre
    return {
        "wang": await add_staff(h.sessions, "L02", "王强", window, roles=("leader",)),
        "zhou": await add_staff(h.sessions, "L09", "周主任", centre, roles=("leader",)),
        "sun": await add_staff(h.sessions, "L03", "孙丽", window2, roles=("leader",)),
        "wu": await add_staff(h.sessions, "2004", "吴刚", window2),
        "zheng": await add_staff(h.sessions, "2005", "郑洁", window2),
        "zhao": await add_staff(h.sessions, "S01", "赵敏", supervision, roles=("supervision",)),
        "stranger": await add_staff(h.sessions, "X01", "路人甲", supervision),
    }


async def deliver(h: Harness, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Wait until the outbox sender has delivered everything due: each message is in its
    chat once its row is no longer pending or being sent."""
    async def drained() -> bool:
        counts = await delivery.counts(h.sessions)
        return not counts.get("pending") and not counts.get("sending")

    await wait_until(drained, timeout, what="the outbox to drain")


async def submit_sanniu(h: Harness, person: Person, statement: str = "坚持延时服务，收到锦旗。",
                        *, award: str = "孺子牛奖（为民服务）") -> Nomination:
    """A 三牛奖 application for oneself, from /apply to the receipt, through chat."""
    await start_sanniu(h, person, award)
    await press(h, person, "⬜ 条件1")
    await press(h, person, "下一步 ➡️")
    await say(h, person, statement)
    await person.send_photo(PNG, caption="锦旗")
    await person.wait_for_bot(2)
    await press(h, person, "完成上传 ✅")
    await submit(h, person)
    async with h.sessions() as session:
        row = await session.scalar(select(Nomination).where(
            Nomination.applicant_id == await staff_id(h, person)).order_by(Nomination.id.desc()))
    assert row is not None, person.transcript()
    assert row.ref is not None

    async def form_recorded() -> bool:  # the cards carry the 申报表 from here on
        async with h.sessions() as session:
            return (await session.get_one(Nomination, row.id)).form_file_id is not None

    await wait_until(form_recorded, what="the 申报表 recorded for the cards")
    async with h.sessions() as session:
        return await session.get_one(Nomination, row.id)


async def staff_id(h: Harness, person: Person) -> int:
    async with h.sessions() as session:
        found = await session.scalar(select(Staff.id).where(
            Staff.telegram_user_id == person.user_id))
    assert found is not None
    return found


async def tap(h: Harness, person: Person, label: str) -> dict[str, Any]:
    """Press a button; the toast or alert the bot answered with (after its messages)."""
    await person.press(label)
    return await person.wait_for_toast()


async def tap_data(h: Harness, person: Person, data: str) -> dict[str, Any]:
    """A forged or replayed button: callback data the person's client sends as is."""
    await person.press_data(data)
    return await person.wait_for_toast()


async def state_of(h: Harness, nomination_id: int) -> str:
    async with h.sessions() as session:
        return (await session.get_one(Nomination, nomination_id)).state


async def wait_until(predicate: Any, timeout: float = 30.0, *,  # noqa: ASYNC109
                     what: str = "the condition") -> None:
    """Until ``await predicate()`` holds (the database, say), checked every 50 ms."""
    deadline = time.monotonic() + timeout
    while not await predicate():
        assert time.monotonic() < deadline, f"waited {timeout:.0f} s for {what}"
        await asyncio.sleep(0.05)
