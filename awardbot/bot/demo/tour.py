"""``awardbot demo --script``: a whole award season, printed as a transcript.

A 三牛奖 (刘芳 for herself) and a 最美政务人 (张伟 for himself) go from the application
through the department leader and 督查科, the evaluation — the 三牛奖's opened by the admin
from /rounds, the annual award's by the schedule at its check deadline, with the
satisfaction survey beside it — the party group's decision and the public notice to the
final result. Each step waits for the bot's answer; the clock moves only by ``:advance``.
"""

from __future__ import annotations

from awardbot.bot.demo.console import Console
from awardbot.bot.demo.session import DEMO_DIR, Demo

SANNIU_STATEMENT = "坚持延时服务，为群众办理急件二十余件，收到表扬信和锦旗。"
STAFF_STATEMENT = "政治坚定、业务精通，窗口服务零投诉，获全市政务服务技能竞赛一等奖。"
EVALUATORS = ("1003", "1006", "1007")
VOTERS = ("1001", "1005", "2004")

# (who, what they do). Who is a sample staff id or "stranger"; what is console input.
TOUR: tuple[tuple[str, str], ...] = (
    ("stranger", "你好"),
    ("stranger", "/help"),
    *((who, ":bind") for who in ("2001", "2002", "1002", "1004", "1008", *EVALUATORS,
                                 *VOTERS)),
    ("2001", "/language"),
    ("2001", ":press English"),
    ("2001", "/help"),
    ("2001", "/language"),
    ("2001", ":press 简体中文"),
    # 刘芳 applies for the 孺子牛奖.
    ("2001", "/apply"),
    ("2001", ":press 申报三牛奖"),
    ("2001", ":press 为本人申报"),
    ("2001", ":press 孺子牛奖（为民服务）"),
    ("2001", ":press ⬜ 条件1"),
    ("2001", ":press 下一步 ➡️"),
    ("2001", SANNIU_STATEMENT),
    ("2001", ":photo {photo} 群众赠送的锦旗"),
    ("2001", ":press 完成上传 ✅"),
    ("2001", ":press ✅ 提交申报"),
    # 张伟 applies for 最美政务人.
    ("2002", "/apply"),
    ("2002", ":press 申报最美政务人"),
    ("2002", ":press 为本人申报"),
    ("2002", ":press 一并填写"),
    ("2002", STAFF_STATEMENT),
    ("2002", ":photo {photo} 技能竞赛证书"),
    ("2002", ":press 完成上传 ✅"),
    ("2002", ":press ✅ 提交申报"),
    ("2001", "/mynominations"),
    # The window's leader signs both; 督查科 checks both.
    ("1002", ":wait"),
    ("1002", ":press ✅ 同意"),
    ("1002", ":press ✅ 同意"),
    ("1004", ":wait"),
    ("1004", ":press ✅ 审核通过"),
    ("1004", ":press ✅ 审核通过"),
    ("2001", ":wait"),
    # Applications close on Friday; on Monday the admin opens the 三牛奖's evaluation.
    ("1008", ":advance 2026-11-09 10:00"),
    ("1008", "/rounds"),
    ("1008", ":press 开始考评 #1"),
    ("1008", ":press 确定开始考评"),
    # Each member scores (the card brings the evidence and the 申报表); the leader closes.
    *((who, step) for who in EVALUATORS for step in (":wait", "/score", "8")),
    ("1006", "/progress"),
    ("1006", ":press 结束评分"),
    ("1006", ":press 确定结束评分"),  # it asks once: closing cannot be undone
    # At the check deadline the annual awards' evaluation opens by itself, and the survey.
    ("1008", ":advance 2026-11-13 17:31"),
    *((who, step) for who in VOTERS for step in (":press 开始测评", ":press 很满意")),
    *((who, step) for who in EVALUATORS
      for step in ("/score", "18", "18", "19", "17")),
    ("1006", "/progress"),
    ("1006", ":press 结束评分"),  # refused: the survey is still open
    # The survey closes at its deadline; then the group leader closes the annual scoring.
    ("1006", ":advance 2026-11-17 17:31"),
    ("1006", "/progress"),
    ("1006", ":press 结束评分"),
    ("1006", ":press 确定结束评分"),
    # The party group decides; the admin publishes both notices.
    ("1008", ":advance 2026-11-18 10:00"),
    ("1008", "/decide"),
    ("1008", ":press 三牛奖 2026Q3"),
    ("1008", ":press ✅ 确认名单（0 处调整）"),
    ("1008", "/decide"),
    ("1008", ":press 最美政务人 2026"),
    ("1008", ":press ✅ 确认名单（0 处调整）"),
    ("1008", "/publish"),
    ("1008", ":press 三牛奖 2026Q3"),
    ("1008", ":press ✅ 确认发布"),
    ("1008", "/publish"),
    ("1008", ":press 最美政务人 2026"),
    ("1008", ":press ✅ 确认发布"),
    ("2001", ":wait"),
    # Three full working days later the notices close: the results are final.
    ("2001", ":advance 2026-11-23 17:31"),
    ("2002", ":wait"),
    ("2001", "/mynominations"),
)

# A 1×1 PNG, enough for the evidence step.
PHOTO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f80f00000101000518d84e0000000049454e44ae426082")


async def run(demo: Demo) -> str:
    console = Console(demo)
    photo = DEMO_DIR / "tour-photo.png"
    photo.write_bytes(PHOTO)
    lines: list[str] = [console.now()]
    for who, template in TOUR:
        action = template.format(photo=photo)
        console.become(who)
        name = console.sample.name if console.sample else "路人 (stranger)"
        lines.append(f"\n{name}> {action}")
        try:
            answer = await console.act(action)
        except (ValueError, OSError) as exc:
            answer = f"(cannot: {exc})"
        lines.append(answer or "")
    return "\n".join(lines).strip()
