"""Sample inputs for the renderers (no database)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from awardbot.documents.model import (
    AwardGroup,
    Certificate,
    CertificateBatch,
    DocumentStyle,
    NoticeData,
    RoundLabel,
    Winner,
    WinnersData,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
STYLE = DocumentStyle(bureau_name="昆山市行政审批局", objection_contact="督查科（电话 57000000）",
                      seal_text="昆山市行政审批局")
LONG_UNIT = "社会事务综合受理窗口（城东政务服务分中心）暨企业开办一站式服务专区"
STAFF = RoundLabel("最美政务人", 2026)
SANNIU = RoundLabel("三牛奖", 2026, 4)
HALLS = RoundLabel("最美政务大厅、优秀政务大厅", 2026)

NOTICE = NoticeData(
    round=STAFF,
    groups=(AwardGroup("最美政务人", "person", (
        Winner("张晓梅", "市场监管综合窗口"), Winner("欧阳娜娜", LONG_UNIT),
        Winner("李娜", "不动产登记窗口"))),),
    published_on=date(2026, 9, 30), starts_on=date(2026, 10, 8), ends_on=date(2026, 10, 10),
    closes_at=datetime(2026, 10, 10, 17, 30, tzinfo=SHANGHAI), style=STYLE)

HALL_NOTICE = NoticeData(
    round=HALLS,
    groups=(AwardGroup("最美政务大厅", "unit",
                       (Winner("周庄分中心政务服务大厅", "周庄镇人民政府"),)),
            AwardGroup("优秀政务大厅", "unit", (Winner("锦溪便民服务中心", ""),))),
    published_on=date(2026, 12, 21), starts_on=date(2026, 12, 22), ends_on=date(2026, 12, 24),
    closes_at=datetime(2026, 12, 24, 17, 30, tzinfo=SHANGHAI), style=STYLE)

NAMES = ("张晓梅", "李娜", "欧阳娜娜", "王建国", "赵敏", "刘芳", "陈晓东", "杨洋", "黄磊", "周杰")
UNITS = ("市场监管综合窗口", "不动产登记窗口", "审批一科", "办公室", "周庄分中心", LONG_UNIT)
AWARDS = ("孺子牛奖", "拓荒牛奖", "老黄牛奖")


def sanniu_winners(per_award: int = 30) -> tuple[AwardGroup, ...]:
    return tuple(AwardGroup(award, "person", tuple(
        Winner(f"{NAMES[i % 10]}{i // 10 or ''}", UNITS[i % 6]) for i in range(per_award)))
        for award in AWARDS)


def winners(per_award: int = 30) -> WinnersData:
    return WinnersData(SANNIU, sanniu_winners(per_award), date(2027, 1, 12), STYLE)


def certificates(count: int = 90) -> CertificateBatch:
    groups = sanniu_winners(count // 3)
    return CertificateBatch(tuple(
        Certificate(SANNIU, group.award, "person", winner.name, winner.unit, date(2027, 1, 12),
                    f"SN-2026Q4-{index:04d}")
        for group in groups for index, winner in enumerate(group.winners, start=1)), STYLE)
