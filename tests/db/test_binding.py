"""Invites and binding: one-time codes, refusals, and the audit events they leave."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import AuditEvent, Invite, Staff
from awardbot.workflow import audit
from awardbot.workflow.roles import Role
from awardbot.workflow.roster.binding import BindOutcome, InviteTargetError, issue_invites, redeem
from awardbot.workflow.roster.identity import lookup, set_language
from tests.factories import NOW, add_staff, add_unit

TTL = timedelta(days=30)


@pytest.fixture
async def unit(sessions: SessionFactory) -> int:
    unit_id = await add_unit(sessions, "W01", "不动产登记窗口")
    await add_staff(sessions, "S001", "张三", unit_id, roles=("leader",))
    await add_staff(sessions, "S002", "李四", unit_id)
    return unit_id


async def _code(sessions: SessionFactory, staff_no: str) -> str:
    issued = await issue_invites(sessions, staff_nos=[staff_no], unit_code=None, now=NOW, ttl=TTL)
    return issued[0].code


async def test_binding_by_code_gives_the_person_their_roles(sessions, unit) -> None:
    code = await _code(sessions, "S001")
    result = await redeem(sessions, code, 5001, now=NOW)
    assert result.outcome is BindOutcome.BOUND
    assert result.person is not None
    assert result.person.name == "张三"
    assert result.person.roles == {Role.STAFF, Role.LEADER}
    assert (await lookup(sessions, 5001)) == result.person


async def test_a_code_works_once(sessions, unit) -> None:
    code = await _code(sessions, "S001")
    await redeem(sessions, code, 5001, now=NOW)
    assert (await redeem(sessions, code, 5001, now=NOW)).outcome is BindOutcome.ALREADY_YOURS
    assert (await redeem(sessions, code, 5002, now=NOW)).outcome is BindOutcome.USED
    assert await lookup(sessions, 5002) is None


async def test_unknown_and_expired_codes_are_refused(sessions, unit) -> None:
    assert (await redeem(sessions, "nope", 5001, now=NOW)).outcome is BindOutcome.UNKNOWN
    code = await _code(sessions, "S002")
    late = NOW + TTL + timedelta(seconds=1)
    assert (await redeem(sessions, code, 5001, now=late)).outcome is BindOutcome.EXPIRED


async def test_one_account_cannot_hold_two_staff_records(sessions, unit) -> None:
    await redeem(sessions, await _code(sessions, "S001"), 5001, now=NOW)
    second = await redeem(sessions, await _code(sessions, "S002"), 5001, now=NOW)
    assert second.outcome is BindOutcome.OTHER_ACCOUNT
    async with sessions() as session:
        li = await session.scalar(select(Staff).where(Staff.staff_no == "S002"))
        assert li is not None and li.telegram_user_id is None


async def test_unit_invites_skip_people_already_bound(sessions, unit) -> None:
    await redeem(sessions, await _code(sessions, "S001"), 5001, now=NOW)
    issued = await issue_invites(sessions, staff_nos=[], unit_code="W01", now=NOW, ttl=TTL)
    assert [i.staff_no for i in issued] == ["S002"]
    everyone = await issue_invites(
        sessions, staff_nos=[], unit_code="W01", now=NOW, ttl=TTL, include_bound=True
    )
    assert [i.staff_no for i in everyone] == ["S001", "S002"]


async def test_invites_for_unknown_targets_name_them(sessions, unit) -> None:
    with pytest.raises(InviteTargetError, match="S999"):
        await issue_invites(sessions, staff_nos=["S999"], unit_code=None, now=NOW, ttl=TTL)
    with pytest.raises(InviteTargetError, match="X9"):
        await issue_invites(sessions, staff_nos=[], unit_code="X9", now=NOW, ttl=TTL)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Invite)) == 0


async def test_binding_is_audited_and_the_chain_verifies(sessions, unit) -> None:
    await redeem(sessions, await _code(sessions, "S001"), 5001, now=NOW)
    async with sessions() as session:
        actions = (await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id))).all()
        report = await audit.verify(session)
    assert actions == ["invites.issued", "staff.bound"]
    assert report.ok and report.checked == 2


async def test_language_choice_is_kept(sessions, unit) -> None:
    await redeem(sessions, await _code(sessions, "S002"), 5002, now=NOW)
    assert await set_language(sessions, 5002, "en")
    person = await lookup(sessions, 5002)
    assert person is not None and person.language == "en"
    assert not await set_language(sessions, 9999, "en")
