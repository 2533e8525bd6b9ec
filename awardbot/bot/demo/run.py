"""Start the demo: the console for a person at the terminal, or the scripted tour."""

from __future__ import annotations

import asyncio

from awardbot.bot.demo import console, tour
from awardbot.bot.demo.session import running_demo
from awardbot.bot.settings import Settings


def main(settings: Settings, *, scripted: bool) -> int:
    async def go() -> int:
        async with running_demo(settings) as demo:
            if scripted:
                print(await tour.run(demo))
                return 0
            return await console.run(demo)

    return asyncio.run(go())
