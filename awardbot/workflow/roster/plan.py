"""Validating a roster table against the database: every problem found, nothing written.

The plan says what the import would do; :mod:`awardbot.workflow.roster.importing` applies it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from awardbot.db.models import Unit
from awardbot.documents.tabular import Problem, Row, Table, parse_date, parse_flag, split_list
from awardbot.workflow.roles import Role

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
EARLIEST_SERVICE_START = date(1950, 1, 1)
REQUIRED = ("unit_code", "unit_name", "unit_kind", "staff_id", "name", "roles", "window_staff",
            "service_start")
OPTIONAL = ("parent_unit", "comprehensive", "leads", "contact_for", "active")
STAFF_COLUMNS = ("name", "roles", "window_staff", "service_start", "leads", "contact_for",
                 "active")
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


@dataclass
class UnitSpec:
    """What the file states about one unit, merged over its rows (column → value, row)."""

    code: str
    row: int
    values: dict[str, str | bool] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class StaffSpec:
    row: int
    staff_no: str
    name: str
    unit_code: str
    window: bool
    service_start: date | None
    roles: frozenset[Role]
    leads: tuple[str, ...]
    contact_for: tuple[str, ...]
    active: bool | None = None  # None: as before (a new person is active)


@dataclass
class Plan:
    units: dict[str, UnitSpec] = field(default_factory=dict)
    staff: list[StaffSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# Validation --------------------------------------------------------------------------


def make_plan(table: Table, db_units: dict[str, Unit], *, today: date) -> Plan:
    plan = Plan()
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
    units: dict[str, UnitSpec], code: str, claim: dict[str, str | bool], row: int,
    report: Report,
) -> None:
    spec = units.setdefault(code, UnitSpec(code, row))
    for column, value in claim.items():
        if column not in spec.values:
            spec.values[column], spec.rows[column] = value, row
        elif spec.values[column] != value:
            report(column, f'unit "{code}" has {column} "{_show(spec.values[column])}" in row '
                           f'{spec.rows[column]} but "{_show(value)}" here')


def _staff_spec(row: Row, unit_code: str, today: date, report: Report) -> StaffSpec | None:
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
    return StaffSpec(
        row=row.number, staff_no=staff_no, name=name, unit_code=unit_code,
        window=bool(_flag(row, "window_staff", report)),
        service_start=_service_start(row, today, report), roles=roles, leads=leads,
        contact_for=tuple(split_list(row.text("contact_for"))),
        active=_flag(row, "active", report),
    )


def _check_units(plan: Plan, db_units: dict[str, Unit]) -> None:
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


def _check_cycles(plan: Plan, db_units: dict[str, Unit]) -> None:
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


def _check_references(plan: Plan, known: set[str]) -> None:
    contacts: dict[str, StaffSpec] = {}
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
