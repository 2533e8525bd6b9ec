"""``awardbot demo --script``: a scripted walk through the bot, printed as a transcript."""

from __future__ import annotations

from awardbot.bot.demo.console import Console
from awardbot.bot.demo.session import Demo

# (who, what they do). Who is a sample staff id or "stranger"; what is console input.
TOUR: tuple[tuple[str, str], ...] = (
    ("stranger", "你好"),
    ("stranger", "/help"),
    ("1008", ":bind"),
    ("1008", "/help"),
    ("2001", ":bind"),
    ("2001", "/language"),
    ("2001", "2"),
    ("2001", "/help"),
    ("2001", "/language"),
    ("2001", "1"),
    ("stranger", ":bind"),
    ("1004", ":bind"),
    ("1004", "/cancel"),
)


async def run(demo: Demo) -> str:
    console = Console(demo)
    lines: list[str] = []
    for who, action in TOUR:
        console.become(who)
        name = console.sample.name if console.sample else "路人 (stranger)"
        lines.append(f"\n{name}> {action}")
        answer = await console.act(action)
        lines.append(answer or "")
    return "\n".join(lines).strip()
