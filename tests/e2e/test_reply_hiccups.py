"""A person's answer survives one Bot API hiccup: a 429, a 500 or two, a timeout —
the answer arrives, once, and no "something went wrong" after it."""

from __future__ import annotations

import asyncio
import time

import pytest

from awardbot.emulator import Person
from tests.e2e.conftest import Harness
from tests.factories import add_staff, add_unit

HELP = "您可以使用以下命令"
NOTHING = "当前没有进行中的操作。"
GENERIC = "出现了问题"


@pytest.fixture
async def person(harness: Harness) -> Person:
    unit = await add_unit(harness.sessions, "W01", "不动产登记窗口")
    await add_staff(harness.sessions, "S002", "李四", unit)
    return await harness.bound_person("S002", 7002)


def _texts(person: Person) -> list[str]:
    """What the bot said after binding (whose welcome lists the commands too)."""
    return [m.text or "" for m in person.bot_messages if "绑定成功" not in (m.text or "")]


@pytest.mark.parametrize(("status", "times"), [(429, 1), (500, 1), (500, 2), (502, 2)])
async def test_the_answer_arrives_through_a_hiccup(harness: Harness, person: Person,
                                                   status: int, times: int) -> None:
    harness.emulator.faults.fail_next("sendMessage", status=status, retry_after=1, count=times)
    reply = await person.ask_text("/help", timeout=15)
    assert HELP in (reply.text or ""), person.transcript()
    # The next answer comes after anything the first update could still have sent.
    assert (await person.ask_text("/cancel")).text == NOTHING
    assert not [t for t in _texts(person) if GENERIC in t]
    assert harness.emulator.faults.injected[{429: "429"}.get(status, "5xx")] == times


async def test_beyond_the_bound_one_clear_error(harness: Harness, person: Person) -> None:
    harness.emulator.faults.fail_next("sendMessage", status=500, count=3)
    reply = await person.ask_text("/help", timeout=15)
    assert GENERIC in (reply.text or ""), person.transcript()
    assert (await person.ask_text("/cancel")).text == NOTHING
    assert [t for t in _texts(person) if GENERIC in t or HELP in t] == [reply.text]


async def test_a_timeout_gives_exactly_one_answer(harness: Harness, person: Person) -> None:
    emulator = harness.emulator
    before = emulator.stats.requests["sendMessage"]
    # Slower than the bot's read timeout (5 s): the bot gives up waiting, the message
    # still arrives.
    emulator.faults.configure(delay=7.0, methods=["sendMessage"])
    await person.send_text("/help")
    deadline = time.monotonic() + 15
    while emulator.stats.requests["sendMessage"] == before:
        assert time.monotonic() < deadline, person.transcript()
        await asyncio.sleep(0.02)
    emulator.faults.clear()  # only that one call is slow
    await person.send_text("/cancel")
    answers = [a.text or "" for a in await person.wait_for_bot(2, timeout=30)]
    assert NOTHING in answers and sum(HELP in a for a in answers) == 1, person.transcript()
    assert sum(HELP in t for t in _texts(person)) == 1
    assert not [t for t in _texts(person) if GENERIC in t], person.transcript()
