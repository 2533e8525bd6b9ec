"""Every award family from the call to the final result, through the chat alone: the
application, the department leader, 督查科, the evaluation (with the satisfaction survey for
the annual awards), the party group's decision, the public notice and its closing."""

from __future__ import annotations

from tests.e2e.journey import PNG_BYTES, Season, bind, expect, sh, start_round

ADMIN, LEADER, CHECKER, GROUP_LEADER = "1008", "1002", "1004", "1006"
EVALUATORS = ("1003", "1006", "1007")
VOTERS = ("1001", "1005", "1009", "1010", "2004", "2005", "2006")
ALL_DONE = "您已完成目前所有待评的申报"


async def submit_sanniu(s: Season, who: str) -> str:
    """/apply → 三牛奖 → oneself → 孺子牛奖 → a criterion → statement → photo → submit;
    the reference number on the receipt."""
    await s.say(who, "/apply", "申报三牛奖")
    await s.tap(who, "申报三牛奖", "为本人申报")
    await s.tap(who, "为本人申报", "孺子牛奖")
    await s.tap(who, "孺子牛奖（为民服务）", "条件1")
    await s.tap(who, "⬜ 条件1", "✅ 条件1")
    await s.tap(who, "下一步 ➡️", "事迹")
    await s.say(who, "坚持延时服务，为群众办理急件二十余件，收到表扬信和锦旗。", "佐证材料")
    await s[who].send_photo(PNG_BYTES, caption="群众赠送的锦旗")
    await expect(s[who], "完成上传")
    await s.tap(who, "完成上传 ✅", "申报预览")
    receipt = await s.tap(who, "✅ 提交申报", "申报已提交")
    return (receipt.text or "").split("编号：")[1].split("（")[0]


async def sign_and_check(s: Season, ref: str, *, leader: str = LEADER) -> None:
    """The department leader approves the card; 督查科 passes it."""
    card = await expect(s[leader], ref)
    await s.tap(leader, "✅ 同意", "同意", on=card)
    check = await expect(s[CHECKER], ref)
    await s.tap(CHECKER, "✅ 审核通过", "审核通过", on=check)


async def next_step(s: Season, who: str, text: str) -> None:
    """Answer the walkthrough's question; its next question is a new message."""
    await s[who].send_text(text)
    await expect(s[who], "", new=True)


async def score_all(s: Season, member: str) -> None:
    """/score, then the highest value for every item of every card (pressed when offered,
    else typed), until nothing is left."""
    card = await s.say(member, "/score", "请输入分数", ALL_DONE)
    while ALL_DONE not in (card.text or ""):
        values = [label for label in card.labels if label.replace(".", "").isdigit()]
        if values:
            await s[member].press(max(values, key=float), card)
        else:
            bounds = (card.text or "").rsplit("请输入分数（", 1)[1].split("）")[0]
            await s[member].send_text(bounds.split("–")[-1])
        card = await expect(s[member], "请输入分数", ALL_DONE, new=True)


async def rate_all(s: Season, voter: str) -> None:
    """From the survey's invitation: 很满意 for every candidate until all are rated."""
    invite = await expect(s[voter], "满意度测评｜")
    ballot = await s.tap(voter, "开始测评", "候选", "没有需要您评价", on=invite)
    while "已全部评完" not in (ballot.text or "") and "没有需要您评价" not in (ballot.text or ""):
        ballot = await s.tap(voter, "很满意", "候选", on=ballot)


async def annual_evaluation(s: Season, family: str, title: str) -> None:
    """At the check deadline the evaluation opens by itself with its survey; everyone
    rates, the group scores, the survey closes at its deadline, the leader closes scoring."""
    await s.tick(sh(2026, 11, 13, 17, 31))
    await s.delivered()
    assert await s.stage(family) == "evaluation"
    for voter in VOTERS:
        await rate_all(s, voter)
    for member in EVALUATORS:
        await expect(s[member], "考评开始")
        await score_all(s, member)
    early = await s.say(GROUP_LEADER, "/progress", f"【{title}】2026：")
    assert "满意度测评：进行中" in (early.text or "")
    assert f"：{len(VOTERS) - 1} 票" in (early.text or "") or f"：{len(VOTERS)} 票" in (
        early.text or "")  # each candidate's ballots beside the scoring
    refused = await s.tap(GROUP_LEADER, "结束评分", "满意度测评仍在进行", on=early)
    assert "立即结束满意度测评" in refused.labels
    await s.tick(sh(2026, 11, 17, 17, 31))  # the survey's deadline
    progress = await s.say(GROUP_LEADER, "/progress", f"【{title}】2026：")
    assert "满意度测评：已于 2026-11-17 17:31 结束" in (progress.text or "")
    await s.tap(GROUP_LEADER, "结束评分", "确定结束评分吗", on=progress)
    await s.tap(GROUP_LEADER, "确定结束评分", "评分已结束")
    assert await s.stage(family) == "ranked"


async def decide_and_publish(s: Season, label: str, winners: list[str]) -> None:
    """The party group confirms the shortlist; the notice runs its three working days."""
    s.h.clock.now = sh(2026, 11, 18, 10)
    choose = await s.say(ADMIN, "/decide", "请选择要录入党组会议决定的评选")
    await s.tap(ADMIN, label, "入围名单", on=choose)
    await s.tap(ADMIN, "✅ 确认名单（0 处调整）", "党组会议决定已录入")
    pick = await s.say(ADMIN, "/publish", "请选择要发布公示的评选")
    await s.tap(ADMIN, label, "确认发布吗", on=pick)
    done = await s.tap(ADMIN, "✅ 确认发布", "公示已发布")
    assert "2026-11-19 至 2026-11-23" in (done.text or "")
    notice = await expect(s[VOTERS[0]], "评优公示｜")
    assert all(name in (notice.text or "") for name in winners)
    await s.tick(sh(2026, 11, 23, 17, 31))
    await s.delivered()
    final = await expect(s[VOTERS[0]], "公示结束｜")
    assert all(name in (final.text or "") for name in winners)


async def test_sanniu_from_application_to_final_result(season: Season) -> None:
    s = season
    await start_round(s, "sanniu", "2026Q3")
    await bind(s, ["2001", LEADER, CHECKER, ADMIN, *EVALUATORS])
    ref = await submit_sanniu(s, "2001")
    await sign_and_check(s, ref)

    # Applications close; the admin opens the evaluation from /rounds.
    s.h.clock.now = sh(2026, 11, 9, 10)
    listing = await s.say(ADMIN, "/rounds", "申报已截止")
    round_id = await s.round_id("sanniu")
    ask = await s.tap(ADMIN, f"开始考评 #{round_id}", "开始【三牛奖】2026Q3 的考评", on=listing)
    assert "已通过督查科审核：1 份" in (ask.text or "")
    await s.tap(ADMIN, "确定开始考评", "考评已开始")
    await s.delivered()
    assert await s.stage("sanniu") == "evaluation"

    # Each member scores: the card carries the evidence and the 申报表; blind until scored.
    for member in EVALUATORS:
        await expect(s[member], "考评开始")
        card = await s.say(member, "/score", ref)
        assert "其他成员" not in (card.text or "")
        kinds = [m.kind for m in s[member].bot_messages[-4:]]
        assert "photo" in kinds and "document" in kinds, s[member].transcript()
        await s.tap(member, "8", "考评小组各成员评分", on=card)

    # While scoring runs, the applicant's timeline keeps the group's acts to itself.
    mine = await s.say("2001", f"/history {ref}", "流程记录")
    entries = [line for line in (mine.text or "").splitlines() if line.startswith("· ")]
    assert len(entries) == 3 and "score" not in (mine.text or "")  # submitted, signed, checked
    assert not any(name in (mine.text or "") for name in ("赵磊", "吴敏", "冯雪"))
    theirs = await s.say(GROUP_LEADER, f"/history {ref}", "流程记录")
    assert "冯雪 评分" in (theirs.text or "")
    progress = await s.say(GROUP_LEADER, "/progress", "【三牛奖】2026Q3：")
    await s.tap(GROUP_LEADER, "结束评分", "确定结束评分吗", on=progress)
    await s.tap(GROUP_LEADER, "确定结束评分", "评分已结束")
    assert await s.states("sanniu") == ["shortlisted"]

    # The party group's decision, then the public notice.
    choose = await s.say(ADMIN, "/decide", "请选择要录入党组会议决定的评选")
    await s.tap(ADMIN, "三牛奖 2026Q3", "入围名单", on=choose)
    await s.tap(ADMIN, "✅ 确认名单（0 处调整）", "党组会议决定已录入")
    pick = await s.say(ADMIN, "/publish", "请选择要发布公示的评选")
    await s.tap(ADMIN, "三牛奖 2026Q3", "确认发布吗", on=pick)
    done = await s.tap(ADMIN, "✅ 确认发布", "公示已发布")
    assert "2026-11-10 至 2026-11-12" in (done.text or "")
    notice = await expect(s["2001"], "评优公示｜三牛奖 2026Q3")
    assert "刘芳" in (notice.text or "")
    assert await s.stage("sanniu") == "notice"

    # Three working days later the notice closes: the result is final.
    await s.tick(sh(2026, 11, 12, 17, 31))
    await s.delivered()
    final = await expect(s["2001"], "公示结束｜三牛奖 2026Q3")
    assert "刘芳" in (final.text or "")
    assert await s.states("sanniu") == ["awarded"]
    assert await s.stage("sanniu") == "final"


async def test_zuimei_staff_for_oneself_and_for_a_colleague(season: Season) -> None:
    s = season
    await start_round(s, "zuimei_staff", "2026")
    await bind(s, ["2001", "2002", LEADER, CHECKER, ADMIN, *EVALUATORS, *VOTERS])
    statements = ("政治坚定，服务意识强。", "业务熟练，审批规范高效。", "文明服务，无有效投诉。",
                  "窗口标兵，技能竞赛一等奖。")

    async def apply(who: str, colleague: str | None) -> str:
        await s.say(who, "/apply", "申报最美政务人")
        if colleague:
            await s.tap(who, "申报最美政务人", "推荐同事")
            await s.tap(who, "推荐同事", "被推荐同事的姓名")
            await s.say(who, colleague, "分项填写")
        else:
            await s.tap(who, "申报最美政务人", "为本人申报")
            await s.tap(who, "为本人申报", "分项填写")
        await s.tap(who, "分项填写", "政治合格")
        for text, next_prompt in zip(statements, ("业务精通", "形象良好", "成绩突出", "佐证材料"),
                                     strict=True):
            await s.say(who, text, next_prompt)
        await s[who].send_photo(PNG_BYTES)
        await expect(s[who], "完成上传")
        await s.tap(who, "完成上传 ✅", "申报预览")
        receipt = await s.tap(who, "✅ 提交申报", "申报已提交")
        return (receipt.text or "").split("编号：")[1].split("（")[0]

    own = await apply("2002", None)
    recommended = await apply("2001", "林峰")  # a colleague in another window
    await expect(s["2005"], "推荐您参评")
    for ref in (own, recommended):
        await sign_and_check(s, ref)
    await annual_evaluation(s, "zuimei_staff", "最美政务人")
    assert await s.states("zuimei_staff") == ["shortlisted", "shortlisted"]
    await decide_and_publish(s, "最美政务人 2026", ["张伟", "林峰"])
    assert await s.states("zuimei_staff") == ["awarded", "awarded"]
    assert await s.stage("zuimei_staff") == "final"


async def test_zuimei_window_from_its_contact_to_the_final_result(season: Season) -> None:
    s = season
    await start_round(s, "zuimei_window", "2026")
    await bind(s, ["2001", LEADER, CHECKER, ADMIN, *EVALUATORS, *VOTERS])
    who = "2001"  # the comprehensive window's contact
    await s.say(who, "/apply", "申报最美政务窗口")
    await s.tap(who, "申报最美政务窗口", "综合受理窗口")
    await s.tap(who, "综合受理窗口", "事故")
    await s.tap(who, "否", "违反")
    for count in ("0", "10", "5", "0", "0", "0"):  # violations; ratings 很满意 … 不满意
        await next_step(s, who, count)
    await s.say(who, "6000", "荣誉")  # case volume
    for _ in range(4):  # honours, reports, leader visits, key work: none
        await s[who].press("否")
        await expect(s[who], "", new=True)
    await s[who].send_photo(PNG_BYTES)
    await expect(s[who], "完成上传")
    await s.tap(who, "完成上传 ✅", "申报预览")
    receipt = await s.tap(who, "✅ 提交申报", "申报已提交")
    ref = (receipt.text or "").split("编号：")[1].split("（")[0]
    await sign_and_check(s, ref)
    await annual_evaluation(s, "zuimei_window", "最美政务窗口")
    await decide_and_publish(s, "最美政务窗口 2026", ["综合受理窗口"])
    assert await s.states("zuimei_window") == ["awarded"]


async def test_a_hall_from_its_contact_to_the_final_result(season: Season) -> None:
    s = season
    await start_round(s, "hall", "2026")
    await bind(s, [LEADER, CHECKER, ADMIN, *EVALUATORS, *VOTERS])
    who = LEADER  # 陈静 is the hall's contact
    await s.say(who, "/apply", "申报最美政务大厅")
    await s.tap(who, "申报最美政务大厅、优秀政务大厅评选", "政务服务大厅")
    await s.tap(who, "政务服务大厅", "入驻率")
    for value in ("95.5", "1", "0", "0", "98", "0"):
        await next_step(s, who, value)
    await s.tap(who, "⬜ 供水", "✅ 供水")
    for label in ("下一步 ➡️", "否"):
        await s[who].press(label)
        await expect(s[who], "", new=True)
    await s.tap(who, "否", "佐证材料")
    await s[who].send_photo(PNG_BYTES)
    await expect(s[who], "完成上传")
    await s.tap(who, "完成上传 ✅", "申报预览")
    receipt = await s.tap(who, "✅ 提交申报", "申报已提交")
    ref = (receipt.text or "").split("编号：")[1].split("（")[0]
    await sign_and_check(s, ref, leader="1001")  # she applied: her own leader signs above
    await annual_evaluation(s, "hall", "最美政务大厅、优秀政务大厅评选")
    await decide_and_publish(s, "最美政务大厅、优秀政务大厅评选 2026", ["政务服务大厅"])
    assert await s.states("hall") == ["awarded"]
