"""A 三牛奖 application from /apply to the receipt, as a person does it in chat."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from awardbot.db.models import AuditEvent, Nomination, Notification
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import PDF, PNG, bureau, open_rounds, press, say


@pytest.fixture
async def ready(harness: Harness) -> Harness:
    await bureau(harness)
    await open_rounds(harness)
    return harness


async def test_sanniu_from_apply_to_receipt(ready: Harness, tmp_path) -> None:
    liu = await ready.bound_person("2001", 8001)
    await ready.bound_person("L01", 8009)
    menu = await liu.ask_text("/apply")
    assert "三牛奖" in (menu.text or "") and "2026Q4" in (menu.text or "")
    asked = await press(ready, liu, "申报三牛奖")
    assert "为谁申报" in (asked.text or "")
    awards = await press(ready, liu, "为本人申报")
    assert "孺子牛奖（为民服务）" in awards.labels
    await press(ready, liu, "孺子牛奖（为民服务）")
    await press(ready, liu, "⬜ 条件1")
    card = await press(ready, liu, "⬜ 条件3")
    assert card.labels[:3] == ["✅ 条件1", "⬜ 条件2", "✅ 条件3"]
    await press(ready, liu, "下一步 ➡️")
    reply = await say(ready, liu, "长期坚持为群众提供延时服务，收到锦旗三面。")
    assert "佐证材料" in (reply.text or "")
    await liu.send_album([PNG, PNG + b"\x00"], captions=["锦旗", "表扬信"])
    await liu.wait_for_bot(2)
    await liu.send_document(PDF, "表扬信.pdf", "application/pdf")
    await liu.wait_for_bot(2)
    preview = await press(ready, liu, "完成上传 ✅")
    assert "申报预览" in (preview.text or "") and "3 份" in (preview.text or "")
    await liu.press("✅ 提交申报")
    answers = await liu.wait_for_bot(3)  # the preview loses its buttons; receipt; 申报表
    receipt, form = [a for a in answers if a.action != "edit"]
    assert "申报已提交" in (receipt.text or "") and "SN-2026Q4-0001" in (receipt.text or "")
    assert form.kind == "document" and form.file_name == "SN-2026Q4-0001.docx"
    assert "申报表 SN-2026Q4-0001" in (form.text or "")  # the receipt first, the form after

    async with ready.sessions() as session:
        row = await session.scalar(select(Nomination).options(selectinload(Nomination.evidence)))
        assert row is not None
        assert (row.state, row.award, row.criteria) == ("submitted", "ruzi_niu", [1, 3])
        assert [e.kind for e in row.evidence] == ["photo", "photo", "document"]
        assert row.evidence[2].sha256 == hashlib.sha256(PDF).hexdigest()
        assert row.form_sha256 is not None
        actions = list(await session.scalars(select(AuditEvent.action)))
        assert "nomination.submitted" in actions
        notes = list(await session.scalars(select(Notification)))
        assert [n.payload["text"]["$text"] for n in notes] == ["review.card.body"]
    store = tmp_path / "evidence"
    assert (store / row.form_sha256[:2] / row.form_sha256[2:4] / row.form_sha256).exists()


async def test_a_new_step_is_a_new_message_and_a_toggle_edits_in_place(ready: Harness) -> None:
    liu = await ready.bound_person("2001", 8002)
    await say(ready, liu, "/apply")
    await press(ready, liu, "申报三牛奖")
    await press(ready, liu, "为本人申报")
    awards = liu.last_bot_message
    criteria = await press(ready, liu, "孺子牛奖（为民服务）")
    assert criteria.message_id != awards.message_id
    assert liu.chat[-2].labels == []  # the award question lost its buttons
    toggled = await press(ready, liu, "⬜ 条件2")
    assert toggled.message_id == criteria.message_id and toggled.edit_count == 1
