"""``python -m awardbot.emulator --port 8081``: serve the Bot API emulator until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging

from awardbot.emulator.server import BotApiEmulator


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m awardbot.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", help="accept only this token (default: any well-formed one)")
    parser.add_argument("--username", default="awardbot_test_bot", help="the bot's username")
    parser.add_argument("--first-name", default="Award Bot", help="the bot's name")
    parser.add_argument("--seed", type=int, default=0, help="seed for fault injection")
    parser.add_argument(
        "--person", action="append", default=[], metavar="ID:NAME",
        help="create a user up front, e.g. 1001:Alice (repeatable)",
    )  # fmt: skip
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    emulator = BotApiEmulator(
        token=args.token, bot_username=args.username, bot_first_name=args.first_name,
        host=args.host, port=args.port, seed=args.seed,
    )  # fmt: skip
    for spec in args.person:
        user_id, _, name = spec.partition(":")
        emulator.person(int(user_id), name or f"User {user_id}")
    await emulator.start()
    print(f"Bot API emulator on {emulator.url}")
    print(f"  base_url      {emulator.base_url}")
    print(f"  base_file_url {emulator.file_base_url}")
    print(f"  control       {emulator.url}/_emulator/  (stats, people, chats, faults)")
    try:
        await asyncio.Event().wait()
    finally:
        await emulator.stop()


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":
    main()
