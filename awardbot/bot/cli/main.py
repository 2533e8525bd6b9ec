"""The ``awardbot`` command line. Every failure a person can cause is one line, exit 2.

Start-up is quick: building the parser imports no command's implementation, and each
command imports what it uses (the Bot API stack and the database layer only when it needs
them); ``tests/bot/test_cli_imports.py`` keeps it so.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from awardbot.bot.cli import admin as admin_commands
from awardbot.bot.cli import calendar as calendar_commands
from awardbot.bot.cli import documents as documents_command  # argparse only; renderers on use
from awardbot.bot.cli import export as export_command
from awardbot.bot.cli import rounds as round_commands
from awardbot.bot.cli import score as score_command
from awardbot.bot.cli.errors import OperatorError

if TYPE_CHECKING:
    from awardbot.bot.settings import Settings

USAGE_ERROR = 2
Clock = Callable[[], datetime]
Command = Callable[[argparse.Namespace], int]


def utc_now() -> datetime:
    """The real clock; tests hand ``main`` one of their own."""
    return datetime.now(UTC)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="awardbot", description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("config.toml"),
                        help="settings file (default: ./config.toml)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("run", help="run the bot (polling or webhook, as configured)")
    demo = sub.add_parser("demo", help="run the bot against the local Bot API emulator")
    demo.add_argument("--script", action="store_true", help="run the scripted tour and exit")
    emulator = sub.add_parser("emulator", help="serve the Bot API emulator on loopback")
    emulator.add_argument("--port", type=int, default=8081)
    admin_commands.add_parsers(sub)
    round_commands.add_parsers(sub)
    calendar_commands.add_parsers(sub)
    documents_command.add_parsers(export_command.add_parser(sub))
    score_command.add_parser(sub)
    return parser


def _settings(args: argparse.Namespace, *, require_token: bool = False) -> Settings:
    from awardbot.bot.settings import load_settings

    return load_settings(args.config, require_token=require_token)


def _emulator(args: argparse.Namespace) -> int:
    from awardbot.emulator import __main__ as emulator

    emulator.main(["--port", str(args.port)])
    return 0


def _dispatch(args: argparse.Namespace, clock: Clock) -> Command:
    if args.command == "run":
        from awardbot.bot import runner

        return lambda a: runner.run(_settings(a, require_token=True), clock=clock)
    if args.command == "demo":
        from awardbot.bot.demo import run as demo

        return lambda a: demo.main(_settings(a), scripted=a.script)
    if args.command == "emulator":
        return _emulator
    if args.command == "score":
        return score_command.run
    import asyncio

    if args.command == "export" and args.what in ("notice", "certificates"):
        return lambda a: asyncio.run(documents_command.run(a, _settings(a)))
    run = {"round": round_commands.run, "export": export_command.run,
           "calendar": calendar_commands.run}.get(args.command, admin_commands.run)
    return lambda a: asyncio.run(run(a, _settings(a), clock=clock))


def main(argv: Sequence[str] | None = None, *, clock: Clock = utc_now) -> int:
    """Run one command; ``clock`` is "now" for every command that needs it."""
    args = _parser().parse_args(argv)  # --help ends here, before any settings are read
    from awardbot.bot.settings import SettingsError
    from awardbot.db.url import DatabaseURLError

    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return _dispatch(args, clock)(args)
    except (SettingsError, OperatorError, DatabaseURLError) as exc:
        print(f"awardbot: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        return 130
