"""``awardbot round``: open, extend, close and list award rounds (times in Asia/Shanghai).

The database layer is imported when a command runs, not for ``awardbot --help``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from awardbot.bot.cli.errors import OperatorError

if TYPE_CHECKING:
    from awardbot.bot.settings import Settings
    from awardbot.db.engine import SessionFactory
    from awardbot.workflow.rounds.admin import AdminRound
    from awardbot.workflow.rounds.opening import RoundView

SHANGHAI = ZoneInfo("Asia/Shanghai")
FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d")


def add_parsers(sub: Any) -> None:
    rounds = sub.add_parser("round", help="award rounds").add_subparsers(
        dest="action", required=True)
    opening = rounds.add_parser("open", help="open a round for applications")
    for parser in (opening, rounds.add_parser("extend", help="move a round's deadline"),
                   rounds.add_parser("close", help="close a round now")):
        parser.add_argument("family", help="sanniu, zuimei_staff, zuimei_window or hall")
        parser.add_argument("period", help="2026Q4 for 三牛奖, 2026 for the annual awards")
        if parser is not rounds.choices["close"]:
            parser.add_argument("--closes", required=True, metavar="'YYYY-MM-DD HH:MM'")
    opening.add_argument("--opens", metavar="'YYYY-MM-DD HH:MM'", help="default: now")
    rounds.add_parser("list", help="list the rounds: id, family, period, stage, dates")


def parse_local(text: str, option: str) -> datetime:
    for fmt in FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=SHANGHAI)
        except ValueError:
            continue
    raise OperatorError(f"{option}: {text!r} is not a time; use 'YYYY-MM-DD HH:MM' (Asia/Shanghai)")


def _check(family: str, period: str) -> None:
    from awardbot.scoring import Period, default_catalogue

    catalogue = default_catalogue()
    if family not in catalogue.families:
        known = ", ".join(catalogue.families)
        raise OperatorError(f"round: unknown family {family!r}; use {known}")
    try:
        parsed = Period.parse(period)
    except ValueError as exc:
        raise OperatorError(f"round: bad period {period!r}: {exc}") from None
    if parsed.cycle != catalogue.families[family].cycle:
        raise OperatorError(f"round: {family} is {catalogue.families[family].cycle}; "
                            f"{period!r} is not a {catalogue.families[family].cycle} period")


async def _extend(sessions: SessionFactory, settings: Settings, args: argparse.Namespace,
                  now: datetime) -> AdminRound:
    """A later deadline; the leaders', check, scoring and survey deadlines move with it."""
    from awardbot.scoring import Rules
    from awardbot.workflow.rounds.admin import extend_round
    from awardbot.workflow.rounds.opening import find_round

    closes = parse_local(args.closes, "--closes")
    round_id = await find_round(sessions, args.family, args.period)
    if round_id is None:
        raise OperatorError(f"round: no round {args.family} {args.period}")
    plan = settings.schedule.plan(Rules.from_mapping(settings.rules))
    return await extend_round(sessions, round_id, closes, plan=plan, now=now, actor_id=None)


async def _list(sessions: SessionFactory, now: datetime) -> int:
    from awardbot.workflow.rounds.admin import admin_rounds

    rounds = list(reversed(await admin_rounds(sessions, now, limit=1000)))
    if rounds:  # the id is what `awardbot export round ROUND_ID` asks for
        print("ROUND_ID\tfamily\tperiod\tstage\topens → closes")
    for r in rounds:
        print(f"{r.id}\t{r.family}\t{r.period}\t{r.stage.value}\t"
              f"{r.opens_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M} → "
              f"{r.closes_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}")
    return 0


async def run(args: argparse.Namespace, settings: Settings, *,
              clock: Callable[[], datetime]) -> int:
    from awardbot.db.engine import create_engine, session_factory
    from awardbot.db.migrate import SchemaOutOfDate, ensure_migrated
    from awardbot.i18n import Catalogue
    from awardbot.workflow.messages import render
    from awardbot.workflow.refusal import Refusal
    from awardbot.workflow.rounds.opening import RoundError, open_round, set_closing

    # Opening, extending and closing are audited: they need the chain's key.
    key = settings.audit.key_bytes() if args.action == "list" else settings.audit.require_key()
    engine = create_engine(settings.database.url)
    try:
        await ensure_migrated(engine)
        sessions = session_factory(engine, audit_key=key)
        now = clock()
        if args.action == "list":
            return await _list(sessions, now)
        _check(args.family, args.period)
        view: RoundView | AdminRound
        if args.action == "open":
            opens = parse_local(args.opens, "--opens") if args.opens else now
            view = await open_round(sessions, family=args.family, period=args.period,
                                    opens_at=opens, closes_at=parse_local(args.closes, "--closes"),
                                    now=now)
        elif args.action == "extend":
            view = await _extend(sessions, settings, args, now)
        else:
            view = await set_closing(sessions, family=args.family, period=args.period,
                                     closes_at=None, now=now)
    except SchemaOutOfDate as exc:
        raise OperatorError(f"round: {exc}") from None
    except RoundError as exc:
        raise OperatorError(f"round: {exc}") from None
    except Refusal as exc:
        raise OperatorError(f"round: {render(Catalogue.load(), 'en', exc.text)}") from None
    finally:
        await engine.dispose()
    print(f"{view.family} {view.period}: {view.state}, closes "
          f"{view.closes_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}")
    return 0
