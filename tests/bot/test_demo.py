"""`awardbot demo --script`: the scripted tour walks a whole season and reads as a
conversation — every step answered, from the application to the final result."""

from __future__ import annotations

from pathlib import Path

import pytest

from awardbot.bot.cli.main import main


def test_the_scripted_tour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--script"]) == 0
    transcript = capsys.readouterr().out
    assert "仅供本局工作人员使用" in transcript  # a stranger is turned away
    assert "Language set to English." in transcript
    assert "申报已提交！编号：SN-" in transcript and "申报已提交！编号：ZR-" in transcript
    assert "已由 陈静" in transcript and "同意" in transcript  # the leader signed in chat
    assert "已通过督查科审核" in transcript  # and the applicant heard of it
    assert "考评已开始" in transcript  # the admin opened the 三牛奖's evaluation
    assert "满意度测评｜最美政务人 2026" in transcript  # the schedule opened the survey
    assert "测评仍在进行" in transcript  # closing before the survey is refused, with why
    assert "【最美政务人】2026 评分已结束" in transcript
    assert "党组会议决定已录入" in transcript and "评优公示｜三牛奖 2026Q3" in transcript
    assert "公示结束｜三牛奖 2026Q3" in transcript and "公示结束｜最美政务人 2026" in transcript
    assert "状态：已获奖" in transcript
    assert "(cannot:" not in transcript and "(no answer)" not in transcript
