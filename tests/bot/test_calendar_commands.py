"""``awardbot calendar load FILE`` / ``calendar show YEAR`` against a real database."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from awardbot.bot.cli import calendar as calendar_commands
from awardbot.bot.cli.errors import OperatorError
from awardbot.bot.settings import AuditSettings, DatabaseSettings, Settings
from awardbot.db.engine import SessionFactory
from awardbot.db.models import AuditEvent, CalendarYear
from awardbot.workflow.rounds.calendar import load_calendar
from tests.factories import NOW

Y2027 = {"year": 2027, "holidays": ["2027-01-01", "2027-02-08", "2027-02-09", "2027-02-10"],
         "workdays": ["2027-02-20"]}


async def cli(argv: list[str], db_url: str, capsys: pytest.CaptureFixture[str]
              ) -> tuple[int, str, str]:
    """What ``awardbot.bot.cli.main.main`` does with these arguments: output and exit status."""
    parser = argparse.ArgumentParser(prog="awardbot")
    calendar_commands.add_parsers(parser.add_subparsers(dest="command", required=True))
    settings = Settings(database=DatabaseSettings(url=db_url),
                        audit=AuditSettings(key=SecretStr("k" * 32)))
    try:
        status = await calendar_commands.run(parser.parse_args(argv), settings,
                                             clock=lambda: NOW)
    except OperatorError as exc:
        print(f"awardbot: {exc}", file=sys.stderr)
        status = 2
    out, err = capsys.readouterr()
    return status, out, err


def write(tmp_path: Path, name: str, body: object) -> Path:
    path = tmp_path / name
    path.write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")
    return path


async def test_load_then_show(tmp_path: Path, db_url: str, sessions: SessionFactory,
                              capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "2027.json", Y2027)
    status, out, _ = await cli(["calendar", "load", str(path)], db_url, capsys)
    assert status == 0 and f"{path}: loaded 2027: 4 days off, 1 adjusted working days" in out
    calendar = await load_calendar(sessions)
    assert not calendar.is_working_day(date(2027, 2, 8))
    assert calendar.is_working_day(date(2027, 2, 20))  # Saturday 调休

    status, out, _ = await cli(["calendar", "load", str(path)], db_url, capsys)
    assert status == 0  # the same file again changes nothing
    status, out, _ = await cli(["calendar", "show", "2027"], db_url, capsys)
    assert status == 0 and out.startswith("2027 (loaded 2026-11-25 02:00 UTC)")
    assert "01-01(五), 02-08(一), 02-09(二), 02-10(三)" in out and "02-20(六)" in out
    status, out, _ = await cli(["calendar", "show", "2026"], db_url, capsys)
    assert "2026 (from the chinesecalendar package)" in out and "10-10(六)" in out
    async with sessions() as session:
        rows = list(await session.scalars(select(CalendarYear)))
        actions = list(await session.scalars(select(AuditEvent.action)))
    assert [r.year for r in rows] == [2027] and actions == ["calendar.loaded"]


@pytest.mark.parametrize(("body", "expected"), [
    ({"year": 2027, "holidays": ["2027-01-01", "2027-13-01"]},
     "holidays[1]: must be a date written \"YYYY-MM-DD\""),
    ({"year": 2027, "holidays": ["2027-01-01"], "workdays": ["2027-01-04"]},
     "workdays[0]: 2027-01-04 is a weekday, not a weekend 调休"),
    ({"year": 2027, "holidays": ["2026-10-01"]}, "holidays[0]: 2026-10-01 is not in 2027"),
    ({"year": 2027, "holiday": []}, "holiday: unknown key"),
    ('{"year": 2027, "holidays": [', "malformed JSON"),
    ("[1, 2]", "a calendar must be a JSON object"),
])
async def test_a_bad_file_is_one_line_and_exit_2(
    tmp_path: Path, db_url: str, sessions: SessionFactory, capsys: pytest.CaptureFixture[str],
    body: object, expected: str,
) -> None:
    path = write(tmp_path, "bad.json", body)
    status, out, err = await cli(["calendar", "load", str(path)], db_url, capsys)
    assert status == 2 and out == ""
    assert err.startswith(f"awardbot: {path}: ") and expected in err
    assert err.count("\n") == 1
    async with sessions() as session:
        assert list(await session.scalars(select(CalendarYear))) == []


async def test_missing_file_and_unknown_year(tmp_path: Path, db_url: str,
                                             sessions: SessionFactory,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = await cli(["calendar", "load", str(tmp_path / "nope.json")], db_url, capsys)
    assert status == 2 and "nope.json: no such file" in err
    status, _, err = await cli(["calendar", "show", "2031"], db_url, capsys)
    assert status == 2 and "no official working-day calendar for 2031" in err
