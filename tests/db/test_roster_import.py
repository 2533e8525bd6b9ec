"""Roster import: CSV and XLSX, Chinese headers and values, all-or-nothing validation."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, update

from awardbot.db.engine import SessionFactory
from awardbot.db.models import AuditEvent, Staff, StaffRole, Unit
from awardbot.documents.tabular import ImportFileError, read_table
from awardbot.workflow.roster.importing import (
    RosterImportError,
    RosterImportResult,
    format_problems,
    import_roster,
)
from tests.factories import NOW

SAMPLE = Path(__file__).parents[2] / "awardbot" / "bot" / "demo" / "sample_roster.csv"
HEADER = ["unit_code", "unit_name", "unit_kind", "parent_unit", "comprehensive", "staff_id",
          "name", "roles", "window_staff", "service_start", "leads", "contact_for"]
ZH_HEADER = ["单位编码", "单位名称", "单位类型", "上级单位", "综合窗口", "工号", "姓名", "角色",
             "窗口人员", "入职日期", "分管单位", "联系单位"]
BASE = [
    ["JU", "市行政审批局", "bureau", "", "", "", "", "", "", "", "", ""],
    ["DT", "政务服务大厅", "hall", "JU", "", "", "", "", "", "", "", ""],
    ["W1", "综合窗口", "window", "DT", "yes", "", "", "", "", "", "", ""],
    ["W2", "税务窗口", "window", "DT", "no", "", "", "", "", "", "", ""],
    ["DT", "", "", "", "", "100", "陈主任", "leader", "no", "2008-09-01", "W1;W2", "DT"],
    ["W1", "", "", "", "", "201", "刘芳", "staff", "yes", "2015/03/02", "", "W1"],
    ["W2", "", "", "", "", "202", "张伟", "", "yes", "2019-07-15", "", ""],
]


def write_csv(path: Path, rows: list[list[str]], *, header: list[str] = HEADER,
              encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


async def run(sessions: SessionFactory, path: Path) -> RosterImportResult:
    return await import_roster(sessions, read_table(path), now=NOW)


async def roles_of(sessions: SessionFactory, staff_no: str) -> set[tuple[str, str | None]]:
    query = (
        select(StaffRole.role, Unit.code).join(Staff, Staff.id == StaffRole.staff_id)
        .outerjoin(Unit, Unit.id == StaffRole.unit_id).where(Staff.staff_no == staff_no)
    )
    async with sessions() as session:
        return {(role, code) for role, code in await session.execute(query)}


async def count(sessions: SessionFactory, model: type) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def staff(sessions: SessionFactory, staff_no: str) -> Staff:
    async with sessions() as session:
        person = await session.scalar(select(Staff).where(Staff.staff_no == staff_no))
        assert person is not None
        return person


async def units(sessions: SessionFactory) -> dict[str, Unit]:
    async with sessions() as session:
        return {u.code: u for u in await session.scalars(select(Unit))}


async def test_sample_roster_imports_everything(sessions: SessionFactory) -> None:
    result = await run(sessions, SAMPLE)

    assert result == RosterImportResult(10, 0, 0, 16, 0, 0)
    by_code = await units(sessions)
    code_of = {u.id: code for code, u in by_code.items()}
    assert code_of[by_code["CK-ZH"].parent_id] == "DT"  # type: ignore[index]
    assert by_code["CK-ZH"].comprehensive
    assert not by_code["CK-SCJG"].comprehensive
    assert by_code["JU"].parent_id is None
    assert by_code["ZZFZX"].kind == "subcentre"
    assert by_code["CK-ZH"].contact_staff_id == (await staff(sessions, "2001")).id
    assert await roles_of(sessions, "1001") == {
        ("leader", "JU"), ("leader", "BGS"), ("leader", "DCK"), ("leader", "ZWK")}
    assert await roles_of(sessions, "1003") == {("leader", "ZWK"), ("evaluator", None)}
    assert await roles_of(sessions, "1006") == {("evaluator", None), ("eval_leader", None)}
    assert await roles_of(sessions, "2001") == {("staff", None)}
    liu = await staff(sessions, "2001")
    assert (liu.name, liu.is_window_staff, liu.service_start) == ("刘芳", True, date(2015, 3, 2))
    async with sessions() as session:
        event = await session.scalar(select(AuditEvent))
    assert event is not None
    assert event.action == "roster.imported"
    assert event.data["staff_created"] == 16


async def test_reimport_is_idempotent(sessions: SessionFactory) -> None:
    await run(sessions, SAMPLE)
    again = await run(sessions, SAMPLE)

    assert again == RosterImportResult(0, 0, 10, 0, 0, 16)
    assert again.changes == 0
    assert await count(sessions, Staff) == 16
    assert await count(sessions, StaffRole) == 25
    assert await count(sessions, AuditEvent) == 2


async def test_reimport_updates_and_keeps_the_telegram_binding(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    await run(sessions, write_csv(tmp_path / "roster.csv", BASE))
    async with sessions.begin() as session:
        await session.execute(
            update(Staff).where(Staff.staff_no == "202").values(telegram_user_id=777, bound_at=NOW)
        )
    changed = [list(row) for row in BASE]
    changed[1][1] = "政务服务中心大厅"  # DT renamed
    changed[6] = ["W1", "", "", "", "", "202", "张伟", "staff、考评小组", "是", "2019-07-15",
                  "", ""]
    changed[4][10] = "W1"  # the leader no longer signs for W2

    result = await run(sessions, write_csv(tmp_path / "roster.csv", changed))

    assert result == RosterImportResult(0, 1, 3, 0, 2, 1)
    zhang = await staff(sessions, "202")
    assert zhang.telegram_user_id == 777
    assert zhang.bound_at is not None
    assert zhang.unit_id == (await units(sessions))["W1"].id
    assert await roles_of(sessions, "202") == {("staff", None), ("evaluator", None)}
    assert await roles_of(sessions, "100") == {("leader", "DT"), ("leader", "W1")}
    assert (await units(sessions))["DT"].name == "政务服务中心大厅"
    assert await count(sessions, Staff) == 3


async def test_staff_only_file_refers_to_units_already_imported(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    await run(sessions, write_csv(tmp_path / "roster.csv", BASE))
    new_hire = [["W2", "", "", "", "", "203", "黄婷", "staff", "yes", "2024-01-04", "", ""]]

    result = await run(sessions, write_csv(tmp_path / "more.csv", new_hire))

    assert result == RosterImportResult(0, 0, 1, 1, 0, 0)
    assert (await units(sessions))["W2"].name == "税务窗口"


async def test_xlsx_with_chinese_headers_values_and_date_cells(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(ZH_HEADER)
    sheet.append(["JU", "市行政审批局", "局本级", None, None, None, None, None, None, None])
    sheet.append(["CK1", "综合窗口", "窗口", "JU", "是", None, None, None, None, None])
    sheet.append(["KS", "督查科", "科室", "JU", None, None, None, None, None, None])
    sheet.append(["JU", None, None, None, None, 1001, "王建国", "部门领导、考评小组", "否",
                  datetime(2003, 7, 1), "CK1；KS", None])
    sheet.append(["KS", None, None, None, None, 1002, "孙丽", "督查科", "否", "2012/5/20"])
    sheet.append(["CK1", None, None, None, None, 2001, "刘芳", None, "是", date(2015, 3, 2),
                  None, "CK1"])
    book.save(tmp_path / "名单.xlsx")

    result = await run(sessions, tmp_path / "名单.xlsx")

    assert result == RosterImportResult(3, 0, 0, 3, 0, 0)
    assert (await units(sessions))["CK1"].comprehensive
    assert await roles_of(sessions, "1001") == {
        ("leader", "JU"), ("leader", "CK1"), ("leader", "KS"), ("evaluator", None)}
    assert await roles_of(sessions, "1002") == {("supervision", None)}
    liu = await staff(sessions, "2001")
    assert (liu.is_window_staff, liu.service_start) == (True, date(2015, 3, 2))
    assert (await staff(sessions, "1002")).service_start == date(2012, 5, 20)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
async def test_chinese_csv_encodings(
    sessions: SessionFactory, tmp_path: Path, encoding: str
) -> None:
    rows = [
        ["FZX", "周庄行政服务分中心", "分中心", "", "", "", "", "", "", "", "", ""],
        ["FZX", "", "", "", "", "3001", "马超", "部门领导；管理员", "否", "2011-04-01", "", "FZX"],
        ["FZX", "", "", "", "", "3002", "郑涛", "员工", "n", "2021年9月1日", "", ""],
    ]
    path = write_csv(tmp_path / "roster.csv", rows, header=ZH_HEADER, encoding=encoding)

    result = await run(sessions, path)

    assert result == RosterImportResult(1, 0, 0, 2, 0, 0)
    assert await roles_of(sessions, "3001") == {("leader", "FZX"), ("admin", None)}
    assert (await staff(sessions, "3002")).service_start == date(2021, 9, 1)
    assert (await units(sessions))["FZX"].kind == "subcentre"


PROBLEM_ROWS = [
    (["A", "甲", "bureau", "", "", "", "", "", "", "", "", ""], None),
    (["B", "乙", "team", "A", "", "", "", "", "", "", "", ""], "unit_kind"),
    (["C", "丙", "window", "NOPE", "", "", "", "", "", "", "", ""], "parent_unit"),
    (["A", "另一个", "", "", "", "", "", "", "", "", "", ""], "unit_name"),
    (["A", "", "", "", "", "1", "张三", "boss", "no", "2020-01-01", "", ""], "roles"),
    (["A", "", "", "", "", "2", "李四", "staff", "maybe", "2020-01-01", "", ""], "window_staff"),
    (["A", "", "", "", "", "3", "王五", "staff", "no", "2020-13-45", "", ""], "service_start"),
    (["A", "", "", "", "", "4", "赵六", "staff", "no", "2027-01-01", "", ""], "service_start"),
    (["A", "", "", "", "", "1", "张三", "staff", "no", "2020-01-01", "", ""], "staff_id"),
    (["A", "", "", "", "", "5", "", "staff", "no", "2020-01-01", "", ""], "name"),
    (["A", "", "", "", "", "6", "钱七", "leader", "no", "2020-01-01", "ZZZ", ""], "leads"),
    (["A", "", "", "", "", "7", "孙八", "staff", "no", "2020-01-01", "A", ""], "leads"),
    (["Q", "", "", "", "", "8", "周九", "staff", "no", "2020-01-01", "", ""], "unit_code"),
    (["D", "丁", "section", "E", "", "", "", "", "", "", "", ""], "parent_unit"),
    (["E", "戊", "section", "D", "", "", "", "", "", "", "", ""], None),
    (["A", "", "", "", "yes", "", "", "", "", "", "", ""], "comprehensive"),
    (["", "", "", "", "", "9", "吴十", "staff", "no", "", "", ""], "unit_code"),
    (["A", "", "", "", "", "", "郑", "staff", "", "", "", ""], "staff_id"),
    (["A", "", "", "", "", "10", "冯", "staff", "no", "", "", "A"], None),
    (["A", "", "", "", "", "11", "陈", "staff", "no", "", "", "A"], "contact_for"),
    (["F", "己", "", "", "", "", "", "", "", "", "", ""], "unit_kind"),
    (["A", "", "", "", "", "12", "褚", "staff", "no", "1900-01-01", "", ""], "service_start"),
    (["A", "", "", "", "", "13", "卫", "staff", "no", "", "", "NOWHERE"], "contact_for"),
]


async def test_every_problem_is_listed_and_nothing_is_written(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "roster.csv", [row for row, _ in PROBLEM_ROWS])

    with pytest.raises(RosterImportError) as caught:
        await run(sessions, path)

    expected = {(number, column) for number, (_, column) in enumerate(PROBLEM_ROWS, start=2)
                if column}
    assert {(p.row, p.column) for p in caught.value.problems} == expected
    assert len(caught.value.problems) == len(expected)
    lines = format_problems("roster.csv", caught.value.problems)
    assert 'roster.csv: row 6, column roles: unknown role "boss" (use staff, leader, ' \
           'supervision, evaluator, eval_leader, admin)' in lines
    assert "roster.csv: row 15, column parent_unit: parent units form a cycle: D → E → D" in lines
    assert any("row 5, column unit_name:" in line and "row 2" in line for line in lines)
    assert any("row 10, column staff_id:" in line and "row 6" in line for line in lines)
    for model in (Unit, Staff, StaffRole, AuditEvent):
        assert await count(sessions, model) == 0


async def test_parent_cycle_through_units_in_the_database(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    await run(sessions, write_csv(tmp_path / "roster.csv", BASE))
    loop = [["JU", "", "", "W1", "", "", "", "", "", "", "", ""]]

    with pytest.raises(RosterImportError) as caught:
        await run(sessions, write_csv(tmp_path / "loop.csv", loop))

    assert format_problems("loop.csv", caught.value.problems) == [
        "loop.csv: row 2, column parent_unit: parent units form a cycle: JU → W1 → DT → JU"]
    assert (await units(sessions))["JU"].parent_id is None


async def test_self_parent_is_a_cycle(sessions: SessionFactory, tmp_path: Path) -> None:
    rows = [["A", "甲", "bureau", "A", "", "", "", "", "", "", "", ""]]
    with pytest.raises(RosterImportError) as caught:
        await run(sessions, write_csv(tmp_path / "roster.csv", rows))
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "parent_unit")]


def test_file_errors_are_one_line_naming_the_file(tmp_path: Path) -> None:
    cases = {
        "roster.txt": (b"unit_code\n", "unsupported file type"),
        "broken.xlsx": (b"not a zip", "not a readable .xlsx workbook"),
        "empty.csv": (b"", "the file is empty"),
        "latin.csv": (b"unit_code,boss\n", 'unknown column(s) "boss"'),
        "twice.csv": ("工号,staff_id\n".encode(), "appears twice"),
        "stray.csv": (b"unit_code\nA,x\n", "row 2 has a value in column 2"),
    }
    for name, (content, why) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(ImportFileError) as caught:
            read_table(tmp_path / name)
        message = str(caught.value)
        assert message.startswith(f"{name}: ")
        assert why in message
        assert "\n" not in message
    with pytest.raises(ImportFileError, match=r"missing\.csv: cannot read"):
        read_table(tmp_path / "missing.csv")


async def test_missing_and_foreign_columns_are_refused(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "roster.csv", [["A", "甲"]], header=["unit_code", "姓名"])
    with pytest.raises(RosterImportError) as missing:
        await run(sessions, path)
    lines = format_problems("roster.csv", missing.value.problems)
    assert "roster.csv: row 1, column staff_id: missing column (in Chinese: 工号)" in lines
    assert {p.column for p in missing.value.problems} == {
        "unit_name", "unit_kind", "staff_id", "roles", "window_staff", "service_start"}

    foreign = write_csv(tmp_path / "scores.csv", [[]], header=[*HEADER, "score"])
    with pytest.raises(RosterImportError) as caught:
        await run(sessions, foreign)
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "score")]
    assert await count(sessions, Unit) == 0


def test_header_aliases_and_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Unit Code,单位名称, STAFF-ID \nA,甲,1\n,,\nB,乙,2\n", encoding="utf-8")
    table = read_table(path)
    assert table.columns == ("unit_code", "unit_name", "staff_id")
    assert [(row.number, row.text("unit_code")) for row in table.rows] == [(2, "A"), (4, "B")]


async def test_an_import_deactivates_and_the_bot_forgets_within_a_moment(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    """A person marked 在职=否 is deactivated; a running bot's cache of people (another
    process) notices the roster changed at its next check, not after its 30 s TTL."""
    from awardbot.workflow.arrival import PeopleCache, arrive

    await run(sessions, write_csv(tmp_path / "roster.csv", BASE))
    async with sessions.begin() as session:
        await session.execute(update(Staff).where(Staff.staff_no == "202")
                              .values(telegram_user_id=777, bound_at=NOW))
    moment = [100.0]
    people = PeopleCache(monotonic=lambda: moment[0])
    assert (await arrive(sessions, 777, people=people)) is not None  # cached from now on

    left = [["W2", "", "", "", "", "202", "张伟", "", "yes", "2019-07-15", "", "", "否"]]
    await run(sessions, write_csv(tmp_path / "left.csv", left, header=[*HEADER, "在职"]))
    assert (await staff(sessions, "202")).active is False
    moment[0] += 0.5  # within one check interval the cache still answers
    assert (await arrive(sessions, 777, people=people)) is not None
    moment[0] += 0.6  # the next check sees the roster changed
    assert (await arrive(sessions, 777, people=people)) is None
    # Back in service: the same column says so.
    back = [[*left[0][:-1], "是"]]
    await run(sessions, write_csv(tmp_path / "back.csv", back, header=[*HEADER, "在职"]))
    moment[0] += 1.1
    assert (await arrive(sessions, 777, people=people)) is not None
