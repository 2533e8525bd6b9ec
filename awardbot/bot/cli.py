"""The ``awardbot`` command line. Every failure a person can cause is one line, exit 2."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from awardbot.bot import (
    admin_commands,
    calendar_commands,
    export_command,
    round_commands,
    score_command,
)
from awardbot.bot.errors import OperatorError
from awardbot.bot.settings import Settings, SettingsError, load_settings
from awardbot.db.engine import DatabaseURLError

USAGE_ERROR = 2
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock; tests hand ``main`` one of their own."""
    return datetime.now(UTC)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="awardbot", description=__doc__)
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
    export_command.add_parser(sub)
    score_command.add_parser(sub)
    return parser


def _settings(args: argparse.Namespace, *, require_token: bool = False) -> Settings:
    return load_settings(args.config, require_token=require_token)


def _run(args: argparse.Namespace, clock: Clock) -> int:
    from awardbot.bot import runner

    return runner.run(_settings(args, require_token=True), clock=clock)


def _demo(args: argparse.Namespace) -> int:
    from awardbot.bot import demo

    return demo.main(_settings(args), scripted=args.script)


def _emulator(args: argparse.Namespace) -> int:
    from awardbot.emulator import __main__ as emulator

    emulator.main(["--port", str(args.port)])
    return 0


def _dispatch(args: argparse.Namespace, clock: Clock) -> Callable[[argparse.Namespace], int]:
    if args.command == "run":
        return lambda a: _run(a, clock)
    if args.command == "demo":
        return _demo
    if args.command == "emulator":
        return _emulator
    if args.command == "score":
        return score_command.run
    if args.command == "round":
        return lambda a: asyncio.run(round_commands.run(a, _settings(a), clock=clock))
    if args.command == "export":
        return lambda a: asyncio.run(export_command.run(a, _settings(a), clock=clock))
    if args.command == "calendar":
        return lambda a: asyncio.run(calendar_commands.run(a, _settings(a), clock=clock))
    return lambda a: asyncio.run(admin_commands.run(a, _settings(a), clock=clock))


def main(argv: Sequence[str] | None = None, *, clock: Clock = utc_now) -> int:
    """Run one command; ``clock`` is "now" for every command that needs it."""
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args, clock)(args)
    except (SettingsError, OperatorError, DatabaseURLError) as exc:
        print(f"awardbot: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        return 130
