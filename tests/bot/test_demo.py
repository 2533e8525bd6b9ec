"""`awardbot demo --script`: the scripted tour runs end to end and reads as a conversation."""

from __future__ import annotations

from pathlib import Path

import pytest

from awardbot.bot.cli import main


def test_the_scripted_tour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--script"]) == 0
    transcript = capsys.readouterr().out
    assert "仅供本局工作人员使用" in transcript  # a stranger is turned away
    assert "Language set to English." in transcript
    assert "申报已提交！编号：SN-" in transcript
    assert "已由 陈静" in transcript and "同意" in transcript  # the leader signed in chat
    assert "已通过督查科审核" in transcript  # and the applicant heard of it
    assert "(cannot:" not in transcript
