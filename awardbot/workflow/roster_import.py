"""Import the roster (units, staff, roles) from a table: validate everything, then apply at once.

A row names a unit (``unit_code``) and, when ``staff_id`` is given, a person in it. Unit
columns left empty mean "not stated here": a unit may be described in one row and only
referred to in the others, and an existing unit keeps what the file does not state.
Staff columns are definitive: the file's roles replace the person's roles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Staff, StaffRole, Unit
from awardbot.workflow import audit
from awardbot.workflow.roles import Role
from awardbot.workflow.tabular import (
    Problem,
    Row,
    Table,
    TableProblemsError,
    format_problems,
    parse_date,
    parse_flag,
    split_list,
)

__all__ = ["RosterImportError", "RosterImportResult", "format_problems", "import_roster"]

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
EARLIEST_SERVICE_START = date(1950, 1, 1)
REQUIRED = ("unit_code", "unit_name", "unit_kind", "staff_id", "name", "roles", "window_staff",
            "service_start")
OPTIONAL = ("parent_unit", "comprehensive", "leads", "contact_for")
STAFF_COLUMNS = ("name", "roles", "window_staff", "service_start", "leads", "contact_for")
UNIT_KINDS = {"bureau": "局本级", "window": "窗口", "section": "科室",
              "institution": "事业单位", "subcentre": "分中心", "hall": "大厅"}
_KIND_ALIASES = {**{zh: en for en, zh in UNIT_KINDS.items()}, "subcenter": "subcentre",
                 "sub_centre": "subcentre", "sub_center": "subcentre",
                 "行政服务分中心": "subcentre"}
ROLE_ALIASES = {"员工": Role.STAFF, "部门领导": Role.LEADER, "领导": Role.LEADER,
                "督查科": Role.SUPERVISION, "督查": Role.SUPERVISION, "考评小组": Role.EVALUATOR,
                "考评员": Role.EVALUATOR, "考评组长": Role.EVAL_LEADER, "管理员": Role.ADMIN}
_ROLES = {role.value: role for role in Role}

Report = Callable[[str, str], None]


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


@dataclass
class _UnitSpec:
    """What the file states about one unit, merged over its rows (column → value, row)."""

    code: str
    row: int
    values: dict[str, str | bool] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _StaffSpec:
    row: int
    staff_no: str
    name: str
    unit_code: str
    window: bool
    service_start: date | None
    roles: frozenset[Role]
    leads: tuple[str, ...]
    contact_for: tuple[str, ...]


@dataclass
class _Plan:
    units: dict[str, _UnitSpec] = field(default_factory=dict)
    staff: list[_StaffSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


async def import_roster(
    sessions: SessionFactory, table: Table, *, now: datetime
) -> RosterImportResult:
    """Validate the whole table against the database, then apply it in one transaction."""
    if problems := table.column_problems(REQUIRED, OPTIONAL):
        raise RosterImportError(problems)
    async with sessions() as session, session.begin():
        units = {u.code: u for u in await session.scalars(select(Unit))}
        staff = {s.staff_no: s for s in await session.scalars(select(Staff))}
        plan = _plan(table, units, today=now.astimezone(LOCAL_TZ).date())
        if plan.problems:
            raise RosterImportError(plan.problems)
        result = await _apply(session, plan, units, staff)
        await audit.append(
            session, at=now, actor_id=None, action="roster.imported", subject_type="roster",
            subject_id=None, data={"file": table.source, **asdict(result)},
        )
    return result


# Validation --------------------------------------------------------------------------


def _plan(table: Table, db_units: dict[str, Unit], *, today: date) -> _Plan:
    plan = _Plan()
    if not table.rows:
        plan.problems.append(Problem(None, None, "the file has no data rows"))
    seen_staff: dict[str, int] = {}
    for row in table.rows:
        def report(column: str, message: str, row: Row = row) -> None:
            plan.problems.append(Problem(row.number, column, message))

        code = row.text("unit_code")
        if not code:
            report("unit_code", "missing unit code")
            continue
        _merge_unit(plan.units, code, _unit_claim(row, report), row.number, report)
        spec = _staff_spec(row, code, today, report)
        if spec is None:
            continue
        if spec.staff_no in seen_staff:
            report("staff_id", f'staff id "{spec.staff_no}" already given in row '
                               f"{seen_staff[spec.staff_no]}")
            continue
        seen_staff[spec.staff_no] = row.number
        plan.staff.append(spec)
    _check_units(plan, db_units)
    _check_references(plan, known={*plan.units, *db_units})
    plan.problems.sort(key=lambda p: p.row or 0)
    return plan


def _unit_claim(row: Row, report: Report) -> dict[str, str | bool]:
    claim: dict[str, str | bool] = {}
    if name := row.text("unit_name"):
        claim["unit_name"] = name
    if kind_text := row.text("unit_kind"):
        kind = _unit_kind(kind_text)
        if kind is None:
            report("unit_kind", f'unknown unit kind "{kind_text}" (use {", ".join(UNIT_KINDS)} '
                                f'or {", ".join(UNIT_KINDS.values())})')
        claim["unit_kind"] = kind or kind_text
    if parent := row.text("parent_unit"):
        claim["parent_unit"] = parent
    flag = _flag(row, "comprehensive", report)
    if flag is not None:
        claim["comprehensive"] = flag
    return claim


def _merge_unit(
    units: dict[str, _UnitSpec], code: str, claim: dict[str, str | bool], row: int,
    report: Report,
) -> None:
    spec = units.setdefault(code, _UnitSpec(code, row))
    for column, value in claim.items():
        if column not in spec.values:
            spec.values[column], spec.rows[column] = value, row
        elif spec.values[column] != value:
            report(column, f'unit "{code}" has {column} "{_show(spec.values[column])}" in row '
                           f'{spec.rows[column]} but "{_show(value)}" here')


def _staff_spec(row: Row, unit_code: str, today: date, report: Report) -> _StaffSpec | None:
    staff_no = row.text("staff_id")
    if not staff_no:
        if given := [column for column in STAFF_COLUMNS if row.text(column)]:
            report("staff_id", f"missing staff id (the row gives {', '.join(given)})")
        return None
    name = row.text("name")
    if not name:
        report("name", "missing name")
    roles = _roles(row.text("roles"), report)
    leads = tuple(split_list(row.text("leads")))
    if leads and Role.LEADER not in roles:
        report("leads", "leads is given but roles has no leader")
    return _StaffSpec(
        row=row.number, staff_no=staff_no, name=name, unit_code=unit_code,
        window=bool(_flag(row, "window_staff", report)),
        service_start=_service_start(row, today, report), roles=roles, leads=leads,
        contact_for=tuple(split_list(row.text("contact_for"))),
    )


def _check_units(plan: _Plan, db_units: dict[str, Unit]) -> None:
    def report(row: int, column: str, message: str) -> None:
        plan.problems.append(Problem(row, column, message))

    for code, spec in plan.units.items():
        existing = db_units.get(code)
        missing = [c for c in ("unit_name", "unit_kind") if c not in spec.values]
        if existing is None and len(missing) == 2:
            report(spec.row, "unit_code", f'unknown unit "{code}" (not in the database; describe '
                                          "it with unit_name and unit_kind in a row)")
        elif existing is None and missing:
            report(spec.row, missing[0], f'new unit "{code}" needs a {missing[0]}')
        parent = spec.values.get("parent_unit")
        if parent is not None and parent not in plan.units and parent not in db_units:
            report(spec.rows["parent_unit"], "parent_unit", f'unknown parent unit "{parent}"')
        kind = spec.values.get("unit_kind", existing.kind if existing else None)
        if spec.values.get("comprehensive") is True and kind != "window":
            report(spec.rows["comprehensive"], "comprehensive",
                   f'unit "{code}" is a {kind}; only a window can be comprehensive')
    _check_cycles(plan, db_units)


def _check_cycles(plan: _Plan, db_units: dict[str, Unit]) -> None:
    code_of = {u.id: code for code, u in db_units.items()}
    parents = {code: code_of[u.parent_id] for code, u in db_units.items() if u.parent_id}
    stated = {c: s for c, s in plan.units.items() if "parent_unit" in s.values}
    parents.update({code: str(spec.values["parent_unit"]) for code, spec in stated.items()})
    in_cycle: set[str] = set()
    for code, spec in stated.items():
        path, current = [code], parents.get(code)
        while current is not None and current not in path:
            path.append(current)
            current = parents.get(current)
        if current == code and code not in in_cycle:
            in_cycle.update(path)
            plan.problems.append(Problem(spec.rows["parent_unit"], "parent_unit",
                                         f"parent units form a cycle: {' → '.join([*path, code])}"))


def _check_references(plan: _Plan, known: set[str]) -> None:
    contacts: dict[str, _StaffSpec] = {}
    for spec in plan.staff:
        for code in spec.leads:
            if code not in known:
                message = f'leader of an unknown unit "{code}"'
                plan.problems.append(Problem(spec.row, "leads", message))
        for code in spec.contact_for:
            other = contacts.setdefault(code, spec)
            if code not in known:
                plan.problems.append(Problem(spec.row, "contact_for", f'unknown unit "{code}"'))
            elif other is not spec:
                plan.problems.append(Problem(
                    spec.row, "contact_for",
                    f'unit "{code}" already has contact person {other.staff_no} (row {other.row})',
                ))


def _unit_kind(text: str) -> str | None:
    key = re.sub(r"[\s\-]+", "_", text.casefold())
    return key if key in UNIT_KINDS else _KIND_ALIASES.get(key)


def _roles(text: str, report: Report) -> frozenset[Role]:
    roles: set[Role] = set()
    for item in split_list(text):
        key = re.sub(r"[\s\-]+", "_", item.casefold())
        role = _ROLES.get(key) or ROLE_ALIASES.get(item)
        if role is None:
            report("roles", f'unknown role "{item}" (use {", ".join(Role)})')
        else:
            roles.add(role)
    return frozenset(roles or {Role.STAFF})


def _flag(row: Row, column: str, report: Report) -> bool | None:
    text = row.text(column)
    value = parse_flag(text) if text else None
    if text and value is None:
        report(column, f'"{text}" is not yes/no (use yes/no, 是/否, y/n, true/false or 1/0)')
    return value


def _service_start(row: Row, today: date, report: Report) -> date | None:
    cell = row.get("service_start")
    if cell == "":
        return None
    value = parse_date(cell)
    if value is None:
        report("service_start", f'"{cell}" is not a date (use YYYY-MM-DD or YYYY/MM/DD)')
    elif value > today:
        report("service_start", f"{value.isoformat()} is in the future")
    elif value < EARLIEST_SERVICE_START:
        report("service_start", f"{value.isoformat()} is before {EARLIEST_SERVICE_START}")
    else:
        return value
    return None


def _show(value: str | bool) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else value


# Applying ----------------------------------------------------------------------------


async def _apply(
    session: AsyncSession, plan: _Plan, units: dict[str, Unit], staff: dict[str, Staff]
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
    session: AsyncSession, specs: Iterable[_UnitSpec], units: dict[str, Unit]
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
    session: AsyncSession, specs: Iterable[_StaffSpec], units: dict[str, Unit],
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
        )
        if _replace_roles(person, _role_keys(spec, units)) or fields_changed:
            changed.add(spec.staff_no)
    return created, changed - created


def _role_keys(spec: _StaffSpec, units: dict[str, Unit]) -> set[tuple[str, int | None]]:
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
