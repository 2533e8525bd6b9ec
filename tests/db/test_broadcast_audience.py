"""Who a broadcast reaches, on SQLite and PostgreSQL: everyone bound, a unit tree, a role,
a round's applicants."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Nomination, Round, Staff, Unit
from awardbot.workflow.broadcast import audience as audiences
from awardbot.workflow.messages import Text
from awardbot.workflow.roles import Role
from tests.factories import NOW, add_staff, add_unit


async def _child(sessions: SessionFactory, code: str, parent: int) -> int:
    unit = await add_unit(sessions, code, f"unit {code}")
    async with sessions.begin() as session:
        await session.execute(update(Unit).where(Unit.id == unit).values(parent_id=parent))
    return unit


async def _roster(sessions: SessionFactory) -> dict[str, int]:
    """hall ⊃ section ⊃ window; office apart. Ids by staff number, bound unless noted."""
    hall = await add_unit(sessions, "H", "大厅", kind="hall")
    section = await _child(sessions, "S", hall)
    window = await _child(sessions, "W", section)
    office = await add_unit(sessions, "O", "办公室", kind="section")
    people = {  # staff no: (unit, roles, telegram id)
        "h1": (hall, ("leader",), 101), "s1": (section, (), 102), "w1": (window, (), 103),
        "w2": (window, ("evaluator",), 104), "w3": (window, (), None),  # not bound
        "o1": (office, ("admin", "evaluator"), 105), "gone": (window, (), 106),
    }
    ids = {"unit:hall": hall, "unit:section": section, "unit:window": window}
    for staff_no, (unit, roles, tg) in people.items():
        ids[staff_no] = await add_staff(sessions, staff_no, staff_no, unit, roles=roles,
                                        telegram_user_id=tg)
    async with sessions.begin() as session:
        await session.execute(update(Staff).where(Staff.id == ids["gone"]).values(active=False))
    return ids


async def _who(sessions: SessionFactory, audience: dict[str, object]) -> set[int]:
    async with sessions() as session:
        return {r.staff_id for r in await audiences.recipients(session, audience)}


@pytest.mark.db
async def test_everyone_bound_and_active(sessions: SessionFactory) -> None:
    ids = await _roster(sessions)
    assert await _who(sessions, audiences.everyone()) == {
        ids[n] for n in ("h1", "s1", "w1", "w2", "o1")}


@pytest.mark.db
async def test_a_unit_takes_every_unit_below_it(sessions: SessionFactory) -> None:
    ids = await _roster(sessions)
    assert await _who(sessions, audiences.of_unit(ids["unit:hall"])) == {
        ids[n] for n in ("h1", "s1", "w1", "w2")}
    assert await _who(sessions, audiences.of_unit(ids["unit:section"])) == {
        ids[n] for n in ("s1", "w1", "w2")}
    assert await _who(sessions, audiences.of_unit(ids["unit:window"])) == {
        ids[n] for n in ("w1", "w2")}


@pytest.mark.db
async def test_a_loop_in_the_unit_tree_ends(sessions: SessionFactory) -> None:
    ids = await _roster(sessions)
    async with sessions.begin() as session:  # bad data: the hall under its own window
        await session.execute(update(Unit).where(Unit.id == ids["unit:hall"])
                              .values(parent_id=ids["unit:window"]))
    assert await _who(sessions, audiences.of_unit(ids["unit:section"])) == {
        ids[n] for n in ("h1", "s1", "w1", "w2")}


@pytest.mark.db
async def test_a_role(sessions: SessionFactory) -> None:
    ids = await _roster(sessions)
    assert await _who(sessions, audiences.of_role(Role.EVALUATOR)) == {ids["w2"], ids["o1"]}
    assert await _who(sessions, audiences.of_role(Role.LEADER)) == {ids["h1"]}
    with pytest.raises(audiences.AudienceError):
        audiences.of_role("staff")  # that is everyone
    with pytest.raises(audiences.AudienceError):
        audiences.of_role("'; DROP TABLE staff; --")


@pytest.mark.db
async def test_a_rounds_applicants_not_its_drafts_nor_other_rounds(
    sessions: SessionFactory,
) -> None:
    ids = await _roster(sessions)
    async with sessions.begin() as session:
        rounds = [Round(family="sanniu", period=p, state="open", opens_at=NOW,
                        closes_at=NOW + timedelta(days=9), created_at=NOW)
                  for p in ("2026Q4", "2027Q1")]
        session.add_all(rounds)
        await session.flush()
        for n, (round_, applicant, state) in enumerate([
            (rounds[0], "w1", "submitted"), (rounds[0], "w1", "dept_approved"),
            (rounds[0], "s1", "rejected"), (rounds[0], "w2", "draft"),
            (rounds[0], "w3", "submitted"),  # not bound: nobody to message
            (rounds[1], "o1", "submitted"),
        ]):
            session.add(Nomination(round_id=round_.id, applicant_id=ids[applicant],
                                   subject_staff_id=ids[applicant], state=state,
                                   ref=f"R{n}", created_at=NOW, updated_at=NOW))
        round_ids = [r.id for r in rounds]
    assert await _who(sessions, audiences.of_round(round_ids[0])) == {ids["w1"], ids["s1"]}
    assert await _who(sessions, audiences.of_round(round_ids[1])) == {ids["o1"]}


@pytest.mark.db
async def test_unknown_units_and_rounds_are_refused(sessions: SessionFactory) -> None:
    await _roster(sessions)
    async with sessions() as session:
        for audience in (audiences.of_unit(99999), audiences.of_round(99999),
                         {"kind": "nonsense"}):
            with pytest.raises(audiences.AudienceError):
                await audiences.check(session, audience)


@pytest.mark.db
async def test_described_in_words(sessions: SessionFactory) -> None:
    ids = await _roster(sessions)
    from awardbot.scoring import default_catalogue

    async with sessions() as session:
        text = await audiences.describe(session, audiences.of_unit(ids["unit:hall"]),
                                        default_catalogue())
        role = await audiences.describe(session, audiences.of_role("leader"),
                                        default_catalogue())
    assert text == Text("broadcast.audience.unit", {"unit": "大厅"})
    assert role == Text("broadcast.audience.role", {"role": Text("roles.leader")})
