"""Import the roster (units, staff, roles) from a table: validate everything, then apply at once.

A row names a unit (``unit_code``) and, when ``staff_id`` is given, a person in it. Unit
columns left empty mean "not stated here": a unit may be described in one row and only
referred to in the others, and an existing unit keeps what the file does not state.
Staff columns are definitive: the file's roles replace the person's roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Staff, StaffRole, Unit
from awardbot.documents.tabular import Table, TableProblemsError, format_problems
from awardbot.workflow import audit
from awardbot.workflow.roles import Role
from awardbot.workflow.roster.plan import (
    LOCAL_TZ,
    OPTIONAL,
    REQUIRED,
    Plan,
    StaffSpec,
    UnitSpec,
    make_plan,
)

__all__ = ["RosterImportError", "RosterImportResult", "format_problems", "import_roster"]

class RosterImportError(TableProblemsError):
    """The roster has problems (``.problems``); nothing was written."""


@dataclass(frozen=True)
class RosterImportResult:
    units_created: int
    units_updated: int
    units_unchanged: int
    staff_created: int
    staff_updated: int
    staff_unchanged: int

    @property
    def changes(self) -> int:
        return self.units_created + self.units_updated + self.staff_created + self.staff_updated


async def import_roster(
    sessions: SessionFactory, table: Table, *, now: datetime
) -> RosterImportResult:
    """Validate the whole table against the database, then apply it in one transaction."""
    if problems := table.column_problems(REQUIRED, OPTIONAL):
        raise RosterImportError(problems)
    async with sessions() as session, session.begin():
        units = {u.code: u for u in await session.scalars(select(Unit))}
        staff = {s.staff_no: s for s in await session.scalars(select(Staff))}
        plan = make_plan(table, units, today=now.astimezone(LOCAL_TZ).date())
        if plan.problems:
            raise RosterImportError(plan.problems)
        result = await _apply(session, plan, units, staff)
        await audit.append(
            session, at=now, actor_id=None, action="roster.imported", subject_type="roster",
            subject_id=None, data={"file": table.source, **asdict(result)},
        )
    return result


async def _apply(
    session: AsyncSession, plan: Plan, units: dict[str, Unit], staff: dict[str, Staff]
) -> RosterImportResult:
    created_units, changed_units = _upsert_units(session, plan.units.values(), units)
    await session.flush()
    for code, spec in plan.units.items():
        if "parent_unit" in spec.values and _assign(
            units[code], parent_id=units[str(spec.values["parent_unit"])].id
        ):
            changed_units.add(code)
    created_staff, changed_staff = _upsert_staff(session, plan.staff, units, staff)
    await session.flush()
    for person in plan.staff:
        for code in person.contact_for:
            if _assign(units[code], contact_staff_id=staff[person.staff_no].id):
                changed_units.add(code)
    await session.flush()
    changed_units -= created_units
    return RosterImportResult(
        units_created=len(created_units), units_updated=len(changed_units),
        units_unchanged=len(plan.units.keys() - created_units - changed_units),
        staff_created=len(created_staff), staff_updated=len(changed_staff),
        staff_unchanged=len(plan.staff) - len(created_staff) - len(changed_staff),
    )


def _upsert_units(
    session: AsyncSession, specs: Iterable[UnitSpec], units: dict[str, Unit]
) -> tuple[set[str], set[str]]:
    created: set[str] = set()
    changed: set[str] = set()
    for spec in specs:
        values = {"name": spec.values.get("unit_name"), "kind": spec.values.get("unit_kind"),
                  "comprehensive": spec.values.get("comprehensive")}
        stated = {key: value for key, value in values.items() if value is not None}
        unit = units.get(spec.code)
        if unit is None:
            unit = units[spec.code] = Unit(code=spec.code, comprehensive=False)
            session.add(unit)
            created.add(spec.code)
        if _assign(unit, **stated):
            changed.add(spec.code)
    return created, changed


def _upsert_staff(
    session: AsyncSession, specs: Iterable[StaffSpec], units: dict[str, Unit],
    staff: dict[str, Staff],
) -> tuple[set[str], set[str]]:
    created: set[str] = set()
    changed: set[str] = set()
    for spec in specs:
        unit_id = units[spec.unit_code].id
        person = staff.get(spec.staff_no)
        if person is None:
            person = staff[spec.staff_no] = Staff(staff_no=spec.staff_no, roles=[])
            session.add(person)
            created.add(spec.staff_no)
        fields_changed = _assign(
            person, name=spec.name, unit_id=unit_id, is_window_staff=spec.window,
            service_start=spec.service_start,
            **({"active": spec.active} if spec.active is not None else {}),
        )
        if _replace_roles(person, _role_keys(spec, units)) or fields_changed:
            changed.add(spec.staff_no)
    return created, changed - created


def _role_keys(spec: StaffSpec, units: dict[str, Unit]) -> set[tuple[str, int | None]]:
    keys: set[tuple[str, int | None]] = {(str(r), None) for r in spec.roles if r != Role.LEADER}
    if Role.LEADER in spec.roles:
        led = dict.fromkeys([spec.unit_code, *spec.leads])
        keys |= {(str(Role.LEADER), units[code].id) for code in led}
    return keys


def _replace_roles(person: Staff, wanted: set[tuple[str, int | None]]) -> bool:
    current = {(r.role, r.unit_id): r for r in person.roles}
    if current.keys() == wanted:
        return False
    kept = [r for key, r in current.items() if key in wanted]
    added = [StaffRole(role=role, unit_id=unit_id) for role, unit_id in wanted - current.keys()]
    person.roles = kept + sorted(added, key=lambda r: (r.role, r.unit_id or 0))
    return True


def _assign(obj: object, **values: object) -> bool:
    """Set attributes that differ; tell whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed
