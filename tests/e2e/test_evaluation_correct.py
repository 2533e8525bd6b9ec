"""/correct by buttons: the group leader picks a window or hall, a fact named in words, a
list's line, the new value and the reason, and confirms before → after — once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from awardbot.db.models import AuditEvent, EvaluationCursor, Nomination
from tests.e2e.conftest import Harness
from tests.e2e.evaluation_fixtures import add_checked, add_round, group_bureau
from tests.e2e.intake_fixtures import PNG, press, say


async def a_hall_and_a_window(h: Harness) -> dict[str, int]:
    ids = await group_bureau(h.sessions)
    hall_round = await add_round(h.sessions, "hall", "2026")
    ids["hall"] = await add_checked(h.sessions, hall_round, "DT-2026-0001", "hall",
                                    applicant=ids["P1"], unit=ids["H1"],
                                    facts={"onboarding_rate": "96.5", "guide_accuracy": "98"})
    window_round = await add_round(h.sessions, "zuimei_window", "2026")
    ids["window"] = await add_checked(
        h.sessions, window_round, "ZC-2026-0001", "zuimei_window", applicant=ids["P1"],
        unit=ids["W1"], facts={"accidents": [{"kind": "fire", "serious": True},
                                             {"kind": "theft", "serious": False}],
                               "case_volume": 5230})
    return ids


async def facts_of(h: Harness, nomination: int) -> dict[str, Any]:
    async with h.sessions() as session:
        return dict((await session.get_one(Nomination, nomination)).facts)


async def corrections(h: Harness) -> list[dict[str, Any]]:
    async with h.sessions() as session:
        return [e.data for e in await session.scalars(select(AuditEvent).where(
            AuditEvent.action == "facts.corrected").order_by(AuditEvent.id))]


async def test_a_halls_finding_corrected_by_buttons(ev: Harness) -> None:
    ids = await a_hall_and_a_window(ev)
    lead = await ev.bound_person("EL", 9003)
    listed = await say(ev, lead, "/correct")
    assert "请选择要更正事实的申报" in (listed.text or "")
    assert listed.buttons == [["DT-2026-0001｜周庄分中心大厅"], ["ZC-2026-0001｜综合受理窗口"]]
    facts = await press(ev, lead, "DT-2026-0001｜周庄分中心大厅", expect="请选择要更正的事实")
    assert "最美政务大厅" in (facts.text or "")
    labels = [row[0] for row in facts.buttons]
    assert "行政许可事项入驻率：96.5" in labels
    assert "现场检查发现问题：服务态度：（空）" in labels
    assert "水电气讯窗口：无" in labels
    asked = await press(ev, lead, "现场检查发现问题：服务态度：（空）", expect="几处")
    assert "现为：（空）" in (asked.text or "")
    await say(ev, lead, "2", expect="请输入更正理由")
    confirm = await say(ev, lead, "现场检查发现两处问题", expect="请确认更正")
    assert "现场检查发现问题：服务态度：（空） → 2" in (confirm.text or "")
    assert "理由：现场检查发现两处问题" in (confirm.text or "")
    assert await corrections(ev) == []  # nothing applied before the confirm
    done = await press(ev, lead, "✅ 确认更正", expect="已更正 DT-2026-0001｜周庄分中心大厅")
    assert "服务态度：（空） → 2" in (done.text or "") and "预评分表" in (done.text or "")
    assert (await facts_of(ev, ids["hall"]))["service_findings"] == {"attitude": 2}
    assert await corrections(ev) == [{
        "ref": "DT-2026-0001", "path": "service_findings.attitude", "before": None,
        "after": 2, "reason": "现场检查发现两处问题"}]


async def test_a_windows_accident_corrected_and_one_added(ev: Harness) -> None:
    ids = await a_hall_and_a_window(ev)
    lead = await ev.bound_person("EL", 9003)
    await say(ev, lead, "/correct")
    await press(ev, lead, "ZC-2026-0001｜综合受理窗口", expect="请选择要更正的事实")
    lines = await press(ev, lead, "安全责任事故：2 条", expect="请选择要更正的一条")
    assert lines.buttons == [["1. 失火｜严重后果：是"], ["2. 失窃｜严重后果：否"], ["➕ 添加一条"]]
    fields = await press(ev, lead, "1. 失火｜严重后果：是", expect="请选择要更正的内容")
    assert ["是否造成严重后果：是"] in fields.buttons
    asked = await press(ev, lead, "是否造成严重后果：是", expect="是否造成严重后果")
    assert asked.buttons == [["是", "否"]]
    await press(ev, lead, "否", expect="请输入更正理由")
    confirm = await say(ev, lead, "经核实未造成严重后果", expect="请确认更正")
    assert "安全责任事故第 1 条的是否造成严重后果：是 → 否" in (confirm.text or "")
    await press(ev, lead, "✅ 确认更正", expect="已更正 ZC-2026-0001｜综合受理窗口")
    assert (await facts_of(ev, ids["window"]))["accidents"][0] == {"kind": "fire",
                                                                  "serious": False}

    await say(ev, lead, "/correct")
    await press(ev, lead, "ZC-2026-0001｜综合受理窗口", expect="请选择要更正的事实")
    await press(ev, lead, "安全责任事故：2 条", expect="请选择要更正的一条")
    kind = await press(ev, lead, "➕ 添加一条", expect="第 3 起事故的类型")
    assert ["触电"] in kind.buttons
    await press(ev, lead, "触电", expect="第 3 起事故是否造成严重后果")
    await press(ev, lead, "否", expect="请输入更正理由")
    confirm = await say(ev, lead, "现场检查发现", expect="请确认更正")
    assert "安全责任事故（新增一条）：无 → 触电｜严重后果：否" in (confirm.text or "")
    await press(ev, lead, "✅ 确认更正", expect="已更正 ZC-2026-0001")
    accidents = (await facts_of(ev, ids["window"]))["accidents"]
    assert accidents[2] == {"kind": "electric_shock", "serious": False} and len(accidents) == 3
    assert [c["path"] for c in await corrections(ev)] == ["accidents.0.serious", "accidents.+"]


async def test_a_bad_number_is_asked_again(ev: Harness) -> None:
    ids = await a_hall_and_a_window(ev)
    lead = await ev.bound_person("EL", 9003)
    await say(ev, lead, "/correct")
    await press(ev, lead, "ZC-2026-0001｜综合受理窗口", expect="请选择要更正的事实")
    await press(ev, lead, "办件量：5230", expect="实际办件量")
    again = await say(ev, lead, "很多", expect="请输入一个数字")
    assert "实际办件量" in (again.text or "")  # the question again
    again = await say(ev, lead, "12.5", expect="请输入整数")
    assert "实际办件量" in (again.text or "")
    await lead.send_photo(PNG)
    await lead.wait_for_text("正在更正事实：请点击按钮选择")
    await say(ev, lead, "６０００", expect="请输入更正理由")  # full-width digits
    await say(ev, lead, "系统统计有误", expect="办件量：5230 → 6000")
    await press(ev, lead, "✅ 确认更正", expect="已更正 ZC-2026-0001")
    assert (await facts_of(ev, ids["window"]))["case_volume"] == 6000


async def test_cancel_mid_flow_changes_nothing(ev: Harness) -> None:
    ids = await a_hall_and_a_window(ev)
    lead = await ev.bound_person("EL", 9003)
    await say(ev, lead, "/correct")
    await press(ev, lead, "DT-2026-0001｜周庄分中心大厅", expect="请选择要更正的事实")
    await press(ev, lead, "行政许可事项入驻率：96.5", expect="现为：96.5")
    ended = await say(ev, lead, "/cancel", expect="已取消对 DT-2026-0001 的事实更正")
    assert "未作改动" in (ended.text or "")
    later = await say(ev, lead, "90")  # no value is owed any more
    assert "请输入更正理由" not in (later.text or "")
    await say(ev, lead, "/correct")
    await press(ev, lead, "DT-2026-0001｜周庄分中心大厅", expect="请选择要更正的事实")
    await press(ev, lead, "行政许可事项入驻率：96.5", expect="现为：96.5")
    await say(ev, lead, "90", expect="请输入更正理由")
    await say(ev, lead, "复核", expect="96.5 → 90")
    await press(ev, lead, "取消", expect="已取消更正，未作改动")
    assert (await facts_of(ev, ids["hall"]))["onboarding_rate"] == "96.5"
    assert await corrections(ev) == []
    async with ev.sessions() as session:
        assert await session.get(EvaluationCursor, ids["EL"]) is None


async def test_the_confirm_pressed_twice_applies_once(ev: Harness) -> None:
    ids = await a_hall_and_a_window(ev)
    lead = await ev.bound_person("EL", 9003)
    await say(ev, lead, "/correct")
    await press(ev, lead, "DT-2026-0001｜周庄分中心大厅", expect="请选择要更正的事实")
    await press(ev, lead, "水电气讯窗口：无", expect="公用事业窗口")
    await press(ev, lead, "⬜ 供水")
    ticked = await press(ev, lead, "⬜ 供电")
    assert ["✅ 供电"] in ticked.buttons and ["✅ 供水"] in ticked.buttons
    await press(ev, lead, "下一步 ➡️", expect="请输入更正理由")
    confirm = await say(ev, lead, "现场核实", expect="请确认更正")
    assert "水电气讯窗口：无 → 供水、供电" in (confirm.text or "")
    await press(ev, lead, "✅ 确认更正", expect="已更正 DT-2026-0001")
    await lead.press_data(f"fx:ky:{ids['hall']}")  # the confirm again, as a double tap sends
    assert "已经处理过" in str((await lead.wait_for_toast())["text"])
    assert (await facts_of(ev, ids["hall"]))["utility_windows"] == ["water", "power"]
    assert len(await corrections(ev)) == 1


async def test_only_the_group_leader_may_correct(ev: Harness) -> None:
    ids = await a_hall_and_a_window(ev)
    e01 = await ev.bound_person("E01", 9001)
    refused = await say(ev, e01, "/correct")
    assert "只有考评小组组长" in (refused.text or "") and not refused.buttons
    await e01.press_data(f"fx:kc:{ids['hall']}")
    assert "只有考评小组组长" in str((await e01.wait_for_toast())["text"])
    async with ev.sessions() as session:
        assert await session.get(EvaluationCursor, ids["E01"]) is None


async def test_nothing_to_correct_says_what_and_when(ev: Harness) -> None:
    await group_bureau(ev.sessions)
    lead = await ev.bound_person("EL", 9003)
    nothing = await say(ev, lead, "/correct")
    assert "目前没有可以更正的申报" in (nothing.text or "")
    assert "窗口和大厅" in (nothing.text or "") and "评分结束后" in (nothing.text or "")
