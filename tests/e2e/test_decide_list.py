"""/decide shows the shortlist under one heading per award, each award's list numbered by
its own ranking (not one list where "1." comes back for every award)."""

from __future__ import annotations

from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import press, say
from tests.e2e.notice_fixtures import bureau, round_with


async def test_decide_groups_the_shortlist_by_award(harness: Harness) -> None:
    h = harness
    ids = await bureau(h.sessions)
    ranking = {1: {"rank": 1, "total": "8.5"}, 2: {"rank": 1, "total": "9"},
               3: {"rank": 2, "total": "7.5"}, 4: {"rank": 1, "total": "8"}}
    await round_with(h.sessions, "sanniu", "2026Q3", "shortlisted", [
        ("ruzi_niu", ids["2001"], None, ids["2001"]),
        ("tuohuang_niu", ids["2002"], None, ids["2002"]),
        ("ruzi_niu", ids["2003"], None, ids["2003"]),
        ("laohuang_niu", ids["3001"], None, ids["3001"])], now=h.clock(), ranking=ranking)
    admin = await h.bound_person("A01", 9701)
    await say(h, admin, "/decide", expect="请选择")
    overview = await press(h, admin, "三牛奖 2026Q3", expect="入围名单")
    text = overview.text or ""
    lines = text.split("\n")
    assert "【孺子牛奖】2 件" in lines and "【拓荒牛奖】1 件" in lines
    ruzi = lines.index("【孺子牛奖】2 件")
    assert lines[ruzi + 1].startswith("1. SA-2026Q3-0001 刘芳")
    assert lines[ruzi + 2].startswith("2. SA-2026Q3-0003 杨洋")
    tuohuang = lines.index("【拓荒牛奖】1 件")
    assert lines[tuohuang + 1].startswith("1. SA-2026Q3-0002 张伟")
    assert lines.index("【老黄牛奖】1 件") > tuohuang  # the rule book's order of awards
    assert sum(line.startswith("1. ") for line in lines) == 3  # once per award's list
