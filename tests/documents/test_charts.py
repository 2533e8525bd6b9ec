"""Charts: each is a 1080 px wide PNG drawn only in Noto Sans SC, with a text summary of
the same data in the catalogue's words."""

from __future__ import annotations

import io
import warnings
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from PIL import Image

from awardbot.documents.charts_ballots import ballots_chart
from awardbot.documents.charts_model import (
    BallotsChartData,
    CandidateBallots,
    Chart,
    OverviewChartData,
    RankedCandidate,
    RankingChartData,
    UnitProgress,
    Waiting,
)
from awardbot.documents.charts_overview import overview_chart
from awardbot.documents.charts_ranking import ranking_chart
from awardbot.documents.fonts import FontError
from tests.documents.inspect_files import matplotlib_fonts, sans_path
from tests.documents.samples import SANNIU, SHANGHAI, STAFF

NOW = datetime(2026, 10, 20, 15, 0, tzinfo=SHANGHAI)


def _candidate(name: str, rank: int | None, total: str, outcome: str, **kw: object
               ) -> RankedCandidate:
    return RankedCandidate(name, rank, Decimal(total) if total else None, total, outcome,
                           **kw)  # type: ignore[arg-type]


RANKING = RankingChartData("孺子牛奖", 3, (
    _candidate("张晓梅（市场监管综合窗口）", 1, "9.25", "shortlisted"),
    _candidate("李娜（不动产登记窗口）", 2, "8.5", "tie_at_cut"),
    _candidate("王建国（办公室）", 2, "8.5", "tie_at_cut"),
    _candidate("赵敏（周庄分中心）", 2, "8.5", "tie_at_cut"),
    _candidate("杨洋（审批一科）", 5, "7", "not_shortlisted"),
    _candidate("周杰（审批二科）", None, "", "held_back", reasons=("满意度测评票数不足",)),
))
HALLS = RankingChartData("政务大厅", 2, (
    _candidate("周庄分中心大厅", 1, "96.5", "tier", tier="最美政务大厅"),
    _candidate("锦溪便民服务中心", 2, "90", "tier", tier="优秀政务大厅"),
    _candidate("千灯便民服务中心", 3, "88", "not_shortlisted"),
), cuts=((1, "最美政务大厅"), (2, "优秀政务大厅")))
OVERVIEW = OverviewChartData(SANNIU, (
    UnitProgress("市场监管综合窗口", 2, 3, 1, 4, 2), UnitProgress("审批一科", scored=5)),
    (Waiting("张晓梅", "市场监管综合窗口", "submitted", NOW - timedelta(days=4, hours=3)),
     Waiting("李娜", "不动产登记窗口", "dept_approved", NOW - timedelta(hours=20))), NOW)
BALLOTS = BallotsChartData(STAFF, (
    CandidateBallots("张晓梅（市场监管综合窗口）", (8, 4, 2, 1, 0)),
    CandidateBallots("李娜（不动产登记窗口）", (3, 3, 1, 0, 1))), minimum=10)


def _draw(make, data) -> tuple[Chart, list[str]]:  # type: ignore[no-untyped-def]
    with matplotlib_fonts() as used, warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would be a warning
        chart = make(data)
    with Image.open(io.BytesIO(chart.png)) as image:
        assert image.format == "PNG" and image.width == 1080 and 300 < image.height < 3000
    return chart, used


@pytest.mark.parametrize(("make", "data"), [
    (ranking_chart, RANKING), (ranking_chart, HALLS), (overview_chart, OVERVIEW),
    (ballots_chart, BALLOTS)])
def test_every_chart_is_drawn_in_noto_sans_sc(make, data) -> None:  # type: ignore[no-untyped-def]
    chart, used = _draw(make, data)
    assert used and set(used) == {sans_path()}
    assert make(data).png == chart.png  # reproducible


def test_the_ranking_summary_says_the_cut_the_tie_and_who_is_held_back() -> None:
    summary = ranking_chart(RANKING).summary
    assert "孺子牛奖：候选 6 个，名额 3，暂缓 1 个。" in summary
    assert "第 1 名　张晓梅（市场监管综合窗口）　9.25 分　进入名单" in summary
    assert "名额线上并列：李娜（不动产登记窗口）、王建国（办公室）、赵敏（周庄分中心）" in summary
    assert "暂缓　周杰（审批二科）　满意度测评票数不足" in summary
    halls = ranking_chart(HALLS).summary
    assert "名额线在第 1 名之后（最美政务大厅）" in halls and "优秀政务大厅" in halls


def test_the_overview_and_ballot_summaries() -> None:
    overview = overview_chart(OVERVIEW).summary
    assert "市场监管综合窗口：草稿 2，已提交 3，部门已签 1，督查已审 4，已评分 2" in overview
    assert "张晓梅（市场监管综合窗口）　待部门领导签字　已等 4 天 3 小时" in overview
    ballots = ballots_chart(BALLOTS).summary
    assert "张晓梅（市场监管综合窗口）：共 15 票（很满意 8，满意 4" in ballots
    assert "李娜（不动产登记窗口）：共 8 票" in ballots and "票数不足" in ballots
    english = ballots_chart(BallotsChartData(STAFF, BALLOTS.candidates, 10, "en")).summary
    assert "very satisfied 8" in english.lower() or "Very satisfied 8" in english


def test_a_name_the_font_lacks_is_refused() -> None:
    odd = BallotsChartData(STAFF, (CandidateBallots("王𠇔", (1, 0, 0, 0, 0)),), 10)
    with pytest.raises(FontError):
        ballots_chart(odd)


def test_a_long_name_and_unit_wrap_instead_of_leaving_the_picture() -> None:
    from awardbot.documents.charts_ranking import TICK_CHARS, _tick

    long = RankedCandidate("欧阳娜娜（社会事务综合受理窗口（城东政务服务分中心））", 2,
                           Decimal(9), "9", "shortlisted")
    lines = _tick(long).split("\n")
    assert lines == ["2. 欧阳娜娜", "（社会事务综合受理窗口", "（城东政务服务分中心））"]
    assert all(len(line) <= TICK_CHARS for line in lines)
    assert _tick(RankedCandidate("刘芳（办公室）", 4, Decimal(8), "8", "shortlisted")) == \
        "4. 刘芳（办公室）"
