"""The papers go out by themselves: a published notice brings its 公示 as PDF and Word to
the admins and the PDF to the channel; once the notice closes, every winner receives their
荣誉证书, and the channel and the admins the winners' picture (the admins also every
certificate in one PDF). Each is sent once, however often the tick runs."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from PIL import Image
from sqlalchemy import func, select

from awardbot.db.models import AuditEvent
from awardbot.emulator import ChatEntry, Person
from awardbot.workflow.documents.deliver import deliver_due
from awardbot.workflow.notice import close as notice_close
from tests.documents.inspect_files import assert_cjk_pdf, docx_text
from tests.e2e.notice_fixtures import (
    BEFORE_NATIONAL_DAY,
    Bureau,
    press,
    round_with,
)

CLOSES = datetime(2026, 10, 10, 9, 30, tzinfo=UTC)  # Saturday 10 Oct 2026, 17:30 Shanghai
WAIT = 60.0


def _file(b: Bureau, entry: ChatEntry) -> bytes:
    assert entry.file_id is not None
    return b.h.emulator.state.files.get(entry.file_id).data


async def _documents(person: Person, n: int) -> list[ChatEntry]:
    """Wait for ``n`` documents in the chat (each a message of its own); the last ``n``."""
    def arrived() -> bool:
        return sum(1 for e in person.chat if e.from_bot and e.kind == "document") >= n

    await person.wait_until(arrived, WAIT, what=f"{n} document(s)")
    return [e for e in person.chat if e.from_bot and e.kind == "document"][-n:]


async def _marks(b: Bureau, action: str) -> int:
    async with b.h.sessions() as session:
        return await session.scalar(select(func.count()).select_from(AuditEvent)
                                    .where(AuditEvent.action == action)) or 0


async def test_the_notice_and_the_winners_papers_reach_everyone_once(bureau_bot: Bureau) -> None:
    b = bureau_bot
    b.h.clock.now = BEFORE_NATIONAL_DAY
    ids = b.ids
    await round_with(b.h.sessions, "sanniu", "2026Q3", "decided", [
        ("laohuang_niu", ids["2001"], None, ids["2001"]),
        ("ruzi_niu", ids["2002"], None, ids["3001"]),
    ], now=BEFORE_NATIONAL_DAY)
    admin = b.people["A01"]
    await admin.ask_text("/publish")
    await press(b, admin, "三牛奖 2026Q3")
    await press(b, admin, "✅ 确认发布")

    # The 公示 follows the publication by itself (rendered after the admin's answer).
    pdf, docx = await _documents(admin, 2)
    assert pdf.file_name == "公示-2026年第三季度三牛奖.pdf"
    assert docx.file_name == "公示-2026年第三季度三牛奖.docx"
    text = assert_cjk_pdf(_file(b, pdf))
    assert "关于2026年第三季度三牛奖评选结果的公示" in text.replace("\n", "")
    assert "刘芳" in text and "张伟" in text and "2026年10月10日" in text
    assert "刘芳" in docx_text(_file(b, docx))
    await admin.wait_for_text("的公示文件（PDF 和 Word）", timeout=WAIT)
    [posted] = await _documents(b.channel, 1)  # type: ignore[arg-type]
    assert posted.file_name == pdf.file_name
    assert await _marks(b, "papers.notice") == 1

    # The notice closes; the tick sends the winners' papers, and only once.
    await notice_close.close_due_notices(b.svc, CLOSES)
    assert (await deliver_due(b.svc, CLOSES)).finals != ()
    assert (await deliver_due(b.svc, CLOSES)).finals == ()  # marked: nothing twice
    liu = b.people["2001"]
    [certificate] = await _documents(liu, 1)
    assert certificate.file_name == "荣誉证书-刘芳-老黄牛奖.pdf"
    words = assert_cjk_pdf(_file(b, certificate)).replace("\n", "")
    assert "刘芳" in words and "老黄牛奖" in words
    await liu.wait_for_text("这是您在 三牛奖 2026Q3 的荣誉证书", timeout=WAIT)
    # 张伟 was nominated by 王磊: both receive 张伟's certificate.
    for person in (b.people["2002"], b.people["3001"]):
        [own] = await _documents(person, 1)
        assert own.file_name == "荣誉证书-张伟-孺子牛奖.pdf"

    def picture(chat: object) -> bool:
        return any(e.from_bot and e.kind == "photo" for e in chat.chat)  # type: ignore[attr-defined]

    await b.channel.wait_until(lambda: picture(b.channel), WAIT, what="the winners' picture")
    photo = next(e for e in b.channel.chat if e.kind == "photo")
    image = Image.open(io.BytesIO(_file(b, photo)))
    assert image.width == 1080 and image.height > 400
    every = await _documents(admin, 3)
    assert every[-1].file_name == "荣誉证书-三牛奖-2026Q3.pdf"
    assert "张伟同志" in (both := assert_cjk_pdf(_file(b, every[-1]))) and "刘芳同志" in both
    assert await _marks(b, "papers.final") == 1
    assert sum(1 for e in liu.chat if e.kind == "document") == 1  # once


async def test_an_admin_takes_a_rounds_papers_by_buttons(bureau_bot: Bureau) -> None:
    b = bureau_bot
    b.h.clock.now = BEFORE_NATIONAL_DAY
    ids = b.ids
    await round_with(b.h.sessions, "sanniu", "2026Q3", "awarded", [
        ("laohuang_niu", ids["2001"], None, ids["2001"]),
    ], now=BEFORE_NATIONAL_DAY)
    admin = b.people["A01"]
    listing = await admin.ask_text("/papers")
    assert "请选择评选" in (listing.text or "") and listing.labels == ["三牛奖 2026Q3"]
    await press(b, admin, "三牛奖 2026Q3")
    menu = admin.chat[-1]
    assert "结果已确定" in (menu.text or "")
    assert menu.labels == ["📊 进度概览（各单位）", "📊 排名图", "📄 公示文件（PDF 和 Word）",
                           "🖼 获奖名单图片", "📜 全部荣誉证书（PDF）"]
    await press(b, admin, "📊 进度概览（各单位）")
    summary = await admin.wait_for_text("三牛奖", timeout=WAIT)
    assert summary.kind == "text"
    assert any(e.kind == "photo" for e in admin.chat if e.from_bot)
    await press(b, admin, "📜 全部荣誉证书（PDF）", menu)
    [everyone] = await _documents(admin, 1)
    assert "刘芳同志" in assert_cjk_pdf(_file(b, everyone)).replace("\n", "")
    # Not an admin: refused, nothing made.
    refused = await b.people["2001"].ask_text("/papers")
    assert "管理员" in (refused.text or "")


async def test_papers_are_news_not_history(bureau_bot: Bureau) -> None:
    """A notice published before the papers existed (or weeks ago) sends nothing now."""
    from awardbot.workflow.notice import publish as notice_publish

    b = bureau_bot
    ids = b.ids
    round_id = await _round_of(b, await round_with(
        b.h.sessions, "sanniu", "2026Q3", "decided",
        [("laohuang_niu", ids["2001"], None, ids["2001"])], now=BEFORE_NATIONAL_DAY))
    await notice_publish.publish(b.svc, ids["A01"], round_id, BEFORE_NATIONAL_DAY)
    later = BEFORE_NATIONAL_DAY + timedelta(days=30)
    assert (await deliver_due(b.svc, later)).notices == ()
    assert (await deliver_due(b.svc, BEFORE_NATIONAL_DAY)).notices != ()  # then it was news


async def _round_of(b: Bureau, nominations: list[int]) -> int:
    from awardbot.db.models import Nomination

    async with b.h.sessions() as session:
        return int(await session.scalar(select(Nomination.round_id).where(
            Nomination.id == nominations[0])) or 0)
