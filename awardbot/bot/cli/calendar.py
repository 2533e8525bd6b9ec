"""``awardbot calendar``: load a year's official working-day calendar, show one, or ask
when a public notice would close.

``calendar load FILE`` reads the JSON documented in docs/schedule.md (the State Council's
schedule: statutory days off and adjusted working weekends) and stores it; a bad file is
one line naming the file and the key, exit 2, and nothing is stored. ``calendar show
YEAR`` prints the year's days off and 调休 working days and where they come from.
``calendar notice DATE`` prints the working days of a notice published on DATE and the
moment it closes, on the bot's calendar (loaded years included) and ``[rules]``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from awardbot.bot.cli.errors import OperatorError

if TYPE_CHECKING:  # the database layer is imported when a command runs, not for --help
    from awardbot.bot.settings import Settings
    from awardbot.db.engine import SessionFactory

WEEKDAYS = "一二三四五六日"


def add_parsers(sub: Any) -> None:
    calendar = sub.add_parser("calendar", help="official working-day calendars").add_subparsers(
        dest="action", required=True)
    calendar.add_parser("load", help="load a year's calendar (JSON)").add_argument(
        "file", type=Path)
    calendar.add_parser("show", help="show a year's days off and 调休 working days").add_argument(
        "year", type=int)
    calendar.add_parser(
        "notice", help="the working days and closing moment of a notice published on DATE",
    ).add_argument("date", metavar="YYYY-MM-DD")


def read_calendar_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OperatorError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OperatorError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise OperatorError(f"{path}: malformed JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, dict):
        raise OperatorError(f"{path}: a calendar must be a JSON object")
    return data


def published_day(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise OperatorError(f"calendar notice: {text!r} is not a date; use YYYY-MM-DD") from None


def _day(day: date) -> str:
    return f"{day:%Y-%m-%d}({WEEKDAYS[day.weekday()]})"


async def run(args: argparse.Namespace, settings: Settings, *,
              clock: Callable[[], datetime]) -> int:
    data = read_calendar_file(args.file) if args.action == "load" else None
    day = published_day(args.date) if args.action == "notice" else None
    # Loading a year is audited: it needs the chain's key.
    audit_key = settings.audit.require_key() if data is not None else settings.audit.key_bytes()
    from awardbot.db.engine import create_engine, session_factory  # after the input's checks
    from awardbot.db.migrate import SchemaOutOfDate, ensure_migrated

    engine = create_engine(settings.database.url)
    try:
        await ensure_migrated(engine)
        sessions = session_factory(engine, audit_key=audit_key)
        if data is not None:
            return await _load(sessions, args.file, data, clock())
        if day is not None:
            return await _notice(sessions, settings, day)
        return await _show(sessions, args.year)
    except SchemaOutOfDate as exc:
        raise OperatorError(f"calendar: {exc}") from None
    finally:
        await engine.dispose()


async def _load(sessions: SessionFactory, path: Path, data: dict[str, Any],
                now: datetime) -> int:
    from awardbot.scoring import CalendarError
    from awardbot.workflow.rounds.calendar import store_year

    try:
        stored = await store_year(sessions, data, now=now)
    except CalendarError as exc:
        key = exc.path or "(document)"
        raise OperatorError(f"{path}: {key}: {exc.reason}") from None
    verb = "replaced" if stored.replaced else "loaded"
    print(f"{path}: {verb} {stored.year}: {stored.holidays} days off, "
          f"{stored.workdays} adjusted working days")
    return 0


async def _show(sessions: SessionFactory, year: int) -> int:
    from awardbot.scoring import CalendarUnavailable
    from awardbot.workflow.rounds.calendar import describe_year

    try:
        summary = await describe_year(sessions, year)
    except CalendarUnavailable as exc:
        raise OperatorError(f"calendar: {exc}") from None
    source = (f"loaded {summary.loaded_at:%Y-%m-%d %H:%M} UTC" if summary.loaded_at
              else "from the chinesecalendar package")
    print(f"{summary.year} ({source})")
    print("days off (weekdays): " + ", ".join(
        f"{d:%m-%d}({WEEKDAYS[d.weekday()]})" for d in summary.holidays))
    print("adjusted working days (调休): " + (", ".join(
        f"{d:%m-%d}({WEEKDAYS[d.weekday()]})" for d in summary.workdays) or "none"))
    return 0


async def _notice(sessions: SessionFactory, settings: Settings, day: date) -> int:
    """The notice period as the bot computes it when a notice is published on ``day``."""
    from awardbot.scoring import CalendarUnavailable, Rules
    from awardbot.workflow.rounds.calendar import load_calendar

    rules = Rules.from_mapping(settings.rules)
    calendar = await load_calendar(sessions)
    try:
        period = calendar.notice_period(datetime.combine(day, time(), tzinfo=rules.tz), rules)
        days = [period.start]
        while days[-1] < period.end:
            days.append(calendar.add_working_days(days[-1], 1))
    except CalendarUnavailable as exc:
        raise OperatorError(f"calendar notice: {exc}") from None
    print(f"published {_day(day)}: on notice {len(days)} working days, "
          + ", ".join(_day(d) for d in days))
    print(f"closes {period.closes_at:%Y-%m-%d %H:%M} ({rules.timezone}, end of office hours)")
    return 0
