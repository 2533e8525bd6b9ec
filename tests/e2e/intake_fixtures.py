"""A small bureau with an open round, for the intake tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from awardbot.db.models import MonthlyAssessment, Unit
from awardbot.emulator import ChatEntry, Person
from awardbot.workflow.rounds.opening import open_round
from tests.e2e.conftest import Harness
from tests.factories import add_staff, add_unit

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def bureau(h: Harness) -> dict[str, int]:
    window = await add_unit(h.sessions, "CK1", "综合受理窗口", kind="window")
    hall = await add_unit(h.sessions, "DT1", "周庄分中心大厅", kind="hall")
    ids = {
        "window": window, "hall": hall,
        "leader": await add_staff(h.sessions, "L01", "陈静", window, roles=("leader",)),
        "liu": await add_staff(h.sessions, "2001", "刘芳", window, is_window_staff=True),
        "zhang": await add_staff(h.sessions, "2002", "张伟", window, is_window_staff=True),
        "low": await add_staff(h.sessions, "2003", "杨洋", window, is_window_staff=True),
    }
    async with h.sessions.begin() as session:
        for key, score in (("liu", "95.5"), ("zhang", "92"), ("low", "85")):
            for month in ("2026-10", "2026-11"):
                session.add(MonthlyAssessment(staff_id=ids[key], month=month,
                                              score=Decimal(score)))
        (await session.get_one(Unit, window)).contact_staff_id = ids["liu"]
        (await session.get_one(Unit, hall)).contact_staff_id = ids["liu"]
    return ids


async def open_rounds(h: Harness) -> None:
    now = h.clock()
    for family, period in (("sanniu", "2026Q4"), ("zuimei_staff", "2026"),
                           ("zuimei_window", "2026"), ("hall", "2026")):
        await open_round(h.sessions, family=family, period=period,
                         opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=20),
                         now=now)


async def press(h: Harness, person: Person, label: str, *,
                expect: str | None = None) -> ChatEntry:
    """Press a button and wait for the bot's answer: the callback answer, which the
    handlers give after their messages (and, with ``expect``, a message sent or edited
    since the press that holds that text). The chat's last bot message."""
    await person.press(label)
    await person.wait_for_toast()
    if expect is not None:
        await person.wait_for_text(expect)
    assert person.last_bot_message is not None
    return person.last_bot_message


async def say(h: Harness, person: Person, text: str, *, n: int = 1,
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


async def submit(h: Harness, person: Person) -> ChatEntry:
    """Press Submit on the preview: the receipt, then the 申报表 the bot builds after it
    (a document captioned "申报表 <ref>…"). The receipt."""
    await person.press("✅ 提交申报")
    receipt = await person.wait_for_text("申报已提交")
    await person.wait_for_text("根据您的填报自动生成", timeout=60)  # a worker process builds it
    await person.wait_for_toast()
    return receipt


async def start_sanniu(h: Harness, person: Person, award: str | None = None) -> ChatEntry:
    """/apply → 三牛奖 → for myself (→ the award, e.g. "孺子牛奖（为民服务）")."""
    await say(h, person, "/apply")
    await press(h, person, "申报三牛奖")
    asked = await press(h, person, "为本人申报")
    return await press(h, person, award) if award else asked
