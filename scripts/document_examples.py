"""Regenerate docs/examples/: one of each document and picture, from made-up sample data.

    .venv/bin/python scripts/document_examples.py
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from awardbot.documents.application_form import FormData
from awardbot.documents.application_pdf import form_pdf
from awardbot.documents.certificates import certificate_pdf
from awardbot.documents.charts_ballots import ballots_chart
from awardbot.documents.charts_model import (
    BallotsChartData,
    CandidateBallots,
    OverviewChartData,
    RankedCandidate,
    RankingChartData,
    UnitProgress,
    Waiting,
)
from awardbot.documents.charts_overview import overview_chart
from awardbot.documents.charts_ranking import ranking_chart
from awardbot.documents.model import (
    AwardGroup,
    Certificate,
    DocumentStyle,
    NoticeData,
    RoundLabel,
    Winner,
    WinnersData,
)
from awardbot.documents.notice import notice_pdf
from awardbot.documents.notice_docx import notice_docx
from awardbot.documents.winners_image import winners_png

OUT = Path(__file__).resolve().parents[1] / "docs" / "examples"
TZ = ZoneInfo("Asia/Shanghai")
STYLE = DocumentStyle(bureau_name="示例市行政审批局",
                      objection_contact="督查科（电话 0000-0000000）", seal_text="示例市行政审批局")
PEOPLE = [("张晓梅", "市场监管综合窗口"),
          ("欧阳娜娜", "社会事务综合受理窗口（城东政务服务分中心）"),
          ("李娜", "不动产登记窗口"), ("王建国", "审批一科"), ("赵敏", "投资项目综合窗口"),
          ("刘芳", "办公室"), ("陈晓东", "审批二科"), ("杨洋", "税务综合窗口")]
SANNIU = RoundLabel("三牛奖", 2026, 4)


def _winners() -> tuple[AwardGroup, ...]:
    return tuple(AwardGroup(award, "person", tuple(Winner(*p) for p in PEOPLE[i:i + 3]))
                 for i, award in enumerate(("孺子牛奖", "拓荒牛奖", "老黄牛奖")))


def _ranking() -> RankingChartData:
    totals = ("9.25", "9", "8.75", "8.5", "8.5", "8.5", "7.75", "7")
    outcomes = ["shortlisted"] * 3 + ["tie_at_cut"] * 3 + ["not_shortlisted"] * 2
    ranks = (1, 2, 3, 4, 4, 4, 7, 8)
    people = [RankedCandidate(f"{n}（{u}）", r, Decimal(t), t, o)
              for (n, u), t, o, r in zip(PEOPLE, totals, outcomes, ranks, strict=True)]
    held = RankedCandidate("周杰（审批一科）", None, None, "", "held_back",
                           reasons=("满意度测评票数不足（8 票，至少 10 票）",))
    return RankingChartData("孺子牛奖", 5, (*people, held))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    notice = NoticeData(RoundLabel("最美政务人", 2026), (AwardGroup(
        "最美政务人", "person", tuple(Winner(*p) for p in PEOPLE)),), date(2026, 12, 21),
        date(2026, 12, 22), date(2026, 12, 24), datetime(2026, 12, 24, 17, 30, tzinfo=TZ),
        style=STYLE)
    (OUT / "notice.pdf").write_bytes(notice_pdf(notice))
    (OUT / "notice.docx").write_bytes(notice_docx(notice))
    (OUT / "winners.png").write_bytes(winners_png(WinnersData(
        SANNIU, _winners(), date(2027, 1, 12), STYLE))[0])
    (OUT / "certificate.pdf").write_bytes(certificate_pdf(Certificate(
        SANNIU, "孺子牛奖", "person", *PEOPLE[0], date(2027, 1, 12), "SN-2026Q4-0007"), STYLE))
    (OUT / "chart-ranking.png").write_bytes(ranking_chart(_ranking()).png)
    now = datetime(2026, 10, 20, 15, 0, tzinfo=TZ)
    (OUT / "chart-overview.png").write_bytes(overview_chart(OverviewChartData(SANNIU, (
        UnitProgress("市场监管综合窗口", 2, 3, 1, 4, 2), UnitProgress("不动产登记窗口", 0, 1, 2, 3),
        UnitProgress("审批一科", 1, 0, 0, 2, 5), UnitProgress("办公室", 3, 1)), (
        Waiting("张晓梅", "市场监管综合窗口", "submitted", now - timedelta(days=4, hours=3)),
        Waiting("李娜", "不动产登记窗口", "dept_approved", now - timedelta(days=2, hours=20))),
        now)).png)
    (OUT / "chart-ballots.png").write_bytes(ballots_chart(BallotsChartData(
        RoundLabel("最美政务人", 2026), (
            CandidateBallots("张晓梅（市场监管综合窗口）", (8, 4, 2, 1, 0)),
            CandidateBallots("李娜（不动产登记窗口）", (3, 3, 1, 0, 1)),
            CandidateBallots("王建国（审批一科）", (10, 6, 3, 2, 1))), 10)).png)
    (OUT / "application-form.pdf").write_bytes(form_pdf(FormData(
        reference="SN-2026Q4-0007", round_label="2026年第四季度 三牛奖", award_name="孺子牛奖",
        nominee_name="张晓梅", nominee_unit="市场监管综合窗口", subject_kind="person",
        submitted_on=date(2026, 10, 12),
        criteria=("受到办事群众、企业来电、来函、锦旗等形式表扬",),
        statement=(("一、基本情况", "该同志自2019年起在窗口工作。"),
                   ("二、主要事迹", "帮助企业办理开办手续一百余件，收到锦旗两面。")),
        evidence=((1, "image", "锦旗照片"), (2, "document", "感谢信.pdf")),
        score_lines=(("佐证条件", "1 项", "—"), ("月度考核平均分", "95.5", "达标")))))
    for path in sorted(OUT.iterdir()):
        print(f"{path.relative_to(OUT.parents[1])}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
