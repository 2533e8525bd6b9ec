"""Submit → a leader signs (或签, the other leader's card closed) → 督查科 passes; the card's
content and attachments; notifications; the timeline and the audit chain."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import select, text

from awardbot.bot.cli.main import main as cli_main
from awardbot.bot.settings import AuditSettings
from awardbot.db.models import AuditEvent, Nomination, Notification, Review
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import say
from tests.e2e.review_fixtures import (
    deliver,
    state_of,
    submit_sanniu,
    tap,
)

AUDIT_KEY = "review-signoff-audit-key-" + "0" * 32


@pytest.fixture
def bot_settings(tmp_path: Path) -> dict[str, Any]:
    """The bot signs its audit chain, as in production (see the last test)."""
    return {"audit": AuditSettings(key=SecretStr(AUDIT_KEY),
                                   checkpoint_file=tmp_path / "checkpoints.jsonl")}


async def test_leader_signs_then_supervision_passes(reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9001)
    chen = await h.bound_person("L01", 9002)
    wang = await h.bound_person("L02", 9003)
    zhao = await h.bound_person("S01", 9004)
    row = await submit_sanniu(h, liu, "长期坚持延时服务，收到锦旗三面。")

    async with h.sessions() as session:
        cards = list(await session.scalars(select(Notification).where(
            Notification.dedupe_key.like(f"rv:card:{row.id}:d0:%"))))
        assert sorted(c.chat_id for c in cards) == [9002, 9003]
        media = cards[0].payload["media"]
        assert [m["kind"] for m in media] == ["photo", "document"]  # the evidence, the 申报表
        form_file_id = (await session.get_one(Nomination, row.id)).form_file_id
        assert form_file_id is not None
        assert media[1]["file_id"] == form_file_id
    await deliver(h)
    card = chen.last_bot_message
    assert card is not None
    body = card.text or ""
    for part in ("待您签批", row.ref or "", "孺子牛奖", "刘芳（综合受理窗口）", "受到办事群众",
                 "长期坚持延时服务", "佐证材料：1 份"):
        assert part in body, body
    assert card.labels == ["✅ 同意", "↩️ 退回修改", "❌ 不予通过", "📜 流程记录"]

    toast = await tap(h, chen, "✅ 同意")
    assert "已同意" in toast["text"]
    assert await state_of(h, row.id) == "dept_approved"
    await deliver(h)  # the sibling card is closed through the outbox
    sibling = wang.last_bot_message
    assert sibling is not None
    assert sibling.labels == []
    assert f"{row.ref}：已由 陈静 于 2026-11-25 10:00 同意" in (sibling.text or "")
    mine = chen.bot_messages[-1]
    assert mine.labels == []
    assert "已由 陈静" in (mine.text or "")

    await deliver(h)  # the supervision card and the applicant's note
    assert "已经部门领导同意" in (liu.last_bot_message.text or "")  # type: ignore[union-attr]
    check = zhao.last_bot_message
    assert check is not None
    assert "待督查科审核" in (check.text or "")
    assert check.labels == ["✅ 审核通过", "↩️ 退回修改", "📜 流程记录"]
    toast = await tap(h, zhao, "✅ 审核通过")
    assert "审核通过" in toast["text"]
    assert await state_of(h, row.id) == "checked"
    await deliver(h)
    assert "已通过督查科审核" in (liu.last_bot_message.text or "")  # type: ignore[union-attr]

    async with h.sessions() as session:
        reviews = [(r.step, r.decision) for r in await session.scalars(select(Review))]
        assert reviews == [("dept", "approve"), ("check", "pass")]
        actions = list(await session.scalars(select(AuditEvent.action).where(
            AuditEvent.subject_id == row.id, AuditEvent.subject_type == "nomination")))
        assert actions == ["nomination.submitted", "review.approved", "review.passed"]

    timeline = await say(h, liu, f"/history {row.ref}")
    lines = (timeline.text or "").splitlines()
    assert "督查科已审核" in lines[3]
    assert lines[4:] == ["· 2026-11-25 10:00 刘芳 提交申报",
                         "· 2026-11-25 10:00 陈静 部门领导签批同意",
                         "· 2026-11-25 10:00 赵敏 督查科审核通过"]


async def test_history_is_for_those_concerned(reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9101)
    stranger = await h.bound_person("X01", 9102)
    zhou = await h.bound_person("L09", 9103)  # leads the centre above the window
    row = await submit_sanniu(h, liu)
    await deliver(h)  # the leaders' cards, before anyone asks
    refused = await say(h, stranger, f"/history {row.ref}")
    assert "无权查看" in (refused.text or "")
    assert "提交申报" not in (refused.text or "")
    unknown = await say(h, stranger, "/history SN-2026Q4-9999")
    assert (unknown.text or "").replace("9999", "0001") == (refused.text or "")
    shown = await say(h, zhou, f"/history {row.ref.lower()}")  # type: ignore[union-attr]
    assert "刘芳 提交申报" in (shown.text or "")
    forged = await tap_history(h, stranger, row.id)
    assert "无权查看" in forged["text"]


async def tap_history(h: Harness, person, nomination_id: int):  # type: ignore[no-untyped-def]
    from tests.e2e.review_fixtures import tap_data

    return await tap_data(h, person, f"hi:{nomination_id}")


async def test_audit_verify_passes_then_names_the_edited_row(
    reviewing: Harness, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9201)
    chen = await h.bound_person("L01", 9202)
    row = await submit_sanniu(h, liu)
    await deliver(h)
    await tap(h, chen, "✅ 同意")
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("AWARDBOT__DATABASE__URL", db_url)
    monkeypatch.setenv("AWARDBOT__AUDIT__KEY", AUDIT_KEY)
    monkeypatch.setenv("AWARDBOT__AUDIT__CHECKPOINT_FILE", str(tmp_path / "checkpoints.jsonl"))
    argv = ["--config", str(config), "audit", "verify"]
    await h.app.bot_data.scheduler.tick(h.clock())  # type: ignore[attr-defined]
    assert await asyncio.to_thread(cli_main, argv, clock=h.clock) == 0
    assert "1 checkpoints match" in capsys.readouterr().out  # the tick published one

    async with h.sessions.begin() as session:
        event = await session.scalar(select(AuditEvent).where(
            AuditEvent.action == "review.approved", AuditEvent.subject_id == row.id))
        assert event is not None
        bad_id = event.id
        await session.execute(text("UPDATE audit_events SET actor_id = NULL WHERE id = :id"),
                              {"id": bad_id})
    assert await asyncio.to_thread(cli_main, argv, clock=h.clock) == 1
    assert f"audit: event {bad_id} was edited" in capsys.readouterr().err
