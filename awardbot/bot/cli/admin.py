"""Operator commands: database, roster and score imports, invites, the audit chain.

The database layer and the Bot API stack are imported inside the commands that use them:
building the command line's parser (``awardbot --help``) must stay quick.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from awardbot.bot.cli.errors import OperatorError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from awardbot.bot.settings import Settings
    from awardbot.db.engine import SessionFactory
    from awardbot.documents.tabular import Table

Clock = Callable[[], datetime]
TAMPERED = 1  # `audit verify` found the chain or a checkpoint changed (2: the command failed)


def add_parsers(sub: Any) -> None:
    db = sub.add_parser("db", help="database schema").add_subparsers(dest="action", required=True)
    db.add_parser("upgrade", help="migrate the database to the code's schema")
    db.add_parser("check", help="say whether the database is migrated")
    roster = sub.add_parser("roster", help="units and staff").add_subparsers(
        dest="action", required=True)
    roster.add_parser("import", help="import units and staff (CSV or XLSX)").add_argument(
        "file", type=Path)
    scores = sub.add_parser("scores", help="monthly window assessments").add_subparsers(
        dest="action", required=True)
    scores.add_parser("import", help="import monthly scores (CSV or XLSX)").add_argument(
        "file", type=Path)
    invite = sub.add_parser("invite", help="issue one-time invite links")
    invite.add_argument("--staff", action="append", default=[], metavar="STAFF_ID")
    invite.add_argument("--unit", metavar="UNIT_CODE")
    invite.add_argument("--include-bound", action="store_true",
                        help="also people who have already bound an account")
    audit_parser = sub.add_parser("audit", help="the audit chain").add_subparsers(
        dest="action", required=True)
    verify = audit_parser.add_parser(
        "verify", help="check every link of the audit chain and every published checkpoint")
    verify.add_argument("--checkpoints", type=Path, metavar="FILE",
                        help="checkpoint file to check against (default: audit.checkpoint_file)")
    audit_parser.add_parser(
        "checkpoint", help="publish a checkpoint of the chain's head now (file and admins)")


async def run(args: argparse.Namespace, settings: Settings, *, clock: Clock) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from awardbot.db import migrate

    command = f"{args.command} {getattr(args, 'action', '')}".strip()
    handler = COMMANDS[command]
    try:
        return await handler(args, settings, clock)
    except migrate.SchemaOutOfDate as exc:
        raise OperatorError(str(exc)) from None
    except (SQLAlchemyError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise OperatorError(f"database.url: cannot use the database: {reason}") from None


async def _db_upgrade(_args: argparse.Namespace, settings: Settings, _clock: Clock) -> int:
    import asyncio

    from awardbot.db import migrate

    await asyncio.to_thread(migrate.upgrade, settings.database.url)
    print(f"database migrated to {migrate.head_revision()}")
    return 0


async def _db_check(_args: argparse.Namespace, settings: Settings, _clock: Clock) -> int:
    from awardbot.db import migrate
    from awardbot.db.engine import create_engine

    engine = create_engine(settings.database.url)
    try:
        await migrate.ensure_migrated(engine)
    finally:
        await engine.dispose()
    print(f"database is at {migrate.head_revision()}")
    return 0


async def _sessions(settings: Settings) -> tuple[AsyncEngine, SessionFactory]:
    """For commands that write: they add to the audit chain, so they need its key."""
    from awardbot.db import migrate
    from awardbot.db.engine import create_engine, session_factory

    key = settings.audit.require_key()
    engine = create_engine(settings.database.url)
    await migrate.ensure_migrated(engine)
    return engine, session_factory(engine, audit_key=key)


def _table(path: Path) -> Table:
    from awardbot.documents.tabular import ImportFileError, read_table

    try:
        return read_table(path)
    except ImportFileError as exc:
        raise OperatorError(str(exc)) from None


async def _import(args: argparse.Namespace, settings: Settings, importer: Any,
                  now: datetime) -> Any:
    """Read the file, import it in one transaction, or list every bad row and refuse."""
    from awardbot.documents.tabular import TableProblemsError, format_problems

    table = _table(args.file)
    engine, sessions = await _sessions(settings)
    try:
        return await importer(sessions, table, now=now)
    except TableProblemsError as exc:
        for line in format_problems(args.file.name, exc.problems):
            print(line)
        raise OperatorError(f"{args.file}: rejected, nothing was imported") from None
    finally:
        await engine.dispose()


async def _roster_import(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from awardbot.workflow.roster.importing import import_roster

    result = await _import(args, settings, import_roster, clock())
    print(f"{args.file}: units {result.units_created} new, {result.units_updated} updated; "
          f"staff {result.staff_created} new, {result.staff_updated} updated, "
          f"{result.staff_unchanged} unchanged")
    return 0


async def _scores_import(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from awardbot.workflow.roster.assessments import import_assessments

    result = await _import(args, settings, import_assessments, clock())
    print(f"{args.file}: {result.created} new, {result.updated} updated, "
          f"{result.unchanged} unchanged monthly scores")
    return 0


async def bot_username(settings: Settings) -> str:
    from telegram import Bot
    from telegram.error import TelegramError

    if settings.telegram.bot_username:
        return settings.telegram.bot_username
    token = settings.telegram.token
    if token is None:
        raise OperatorError(
            "telegram.bot_username: needed for invite links (or set telegram.token)")
    bot = Bot(token.get_secret_value(), base_url=settings.telegram.api_base_url)
    try:
        async with bot:
            return bot.username
    except TelegramError as exc:
        raise OperatorError(f"telegram.token: getMe failed: {exc}") from None


async def _invite(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from awardbot.workflow.roster.binding import InviteTargetError, issue_invites

    if not args.staff and not args.unit:
        raise OperatorError("invite: name --staff STAFF_ID (repeatable) or --unit UNIT_CODE")
    username = await bot_username(settings)
    engine, sessions = await _sessions(settings)
    try:
        issued = await issue_invites(
            sessions, staff_nos=args.staff, unit_code=args.unit, now=clock(),
            ttl=timedelta(days=settings.bot.invite_ttl_days), include_bound=args.include_bound,
        )
    except InviteTargetError as exc:
        raise OperatorError(f"invite: {exc}") from None
    finally:
        await engine.dispose()
    for item in issued:
        print(f"{item.staff_no}\t{item.name}\thttps://t.me/{username}?start={item.code}")
    if not issued:
        print("nobody to invite (everyone named has bound an account; see --include-bound)")
    return 0


async def _audit_verify(args: argparse.Namespace, settings: Settings, _clock: Clock) -> int:
    from awardbot.bot.audit_checkpoints import CheckpointFileError, read_checkpoints
    from awardbot.workflow import audit
    from awardbot.workflow.audit_anchor import describe_time

    path = args.checkpoints or settings.audit.checkpoint_file
    try:
        checkpoints = read_checkpoints(path)
    except CheckpointFileError as exc:
        raise OperatorError(str(exc)) from None
    engine, sessions = await _sessions(settings)
    try:
        async with sessions() as session:
            report = await audit.verify(session, checkpoints)
    finally:
        await engine.dispose()
    if not report.ok:
        for finding in report.findings:
            print(f"awardbot: audit: {finding}", file=sys.stderr)
        return TAMPERED
    if checkpoints:
        latest = checkpoints[-1]
        print(f"audit chain intact: {report.checked} events; {len(checkpoints)} checkpoints "
              f"match (latest {describe_time(latest.at)}: {latest.count} events)")
    else:
        print(f"audit chain intact: {report.checked} events; no checkpoints in {path} yet, "
              f"so events cut off the end would go unnoticed")
    return 0


async def _audit_checkpoint(_args: argparse.Namespace, settings: Settings,
                            clock: Clock) -> int:
    from awardbot.bot.audit_checkpoints import checkpoint_publisher

    engine, sessions = await _sessions(settings)  # refuses without the key
    publisher = checkpoint_publisher(settings.audit, sessions)
    assert publisher is not None
    try:
        checkpoint = await publisher.publish(clock(), force=True)
    finally:
        await engine.dispose()
    if checkpoint is None:
        print("the audit chain is empty: nothing to anchor yet")
    else:
        print(f"{settings.audit.checkpoint_file}: checkpoint of {checkpoint.count} events, "
              f"hash {checkpoint.hash} (the admins are told when the bot next sends)")
    return 0


COMMANDS = {
    "db upgrade": _db_upgrade,
    "db check": _db_check,
    "roster import": _roster_import,
    "scores import": _scores_import,
    "invite": _invite,
    "audit verify": _audit_verify,
    "audit checkpoint": _audit_checkpoint,
}
