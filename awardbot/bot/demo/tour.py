"""``awardbot demo --script``: a scripted walk through the bot, printed as a transcript."""

from __future__ import annotations

from awardbot.bot.demo.console import Console
from awardbot.bot.demo.session import DEMO_DIR, Demo

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
    ("1002", ":bind"),
    ("2001", "/apply"),
    ("2001", "1"),
    ("2001", "1"),
    ("2001", "1"),
    ("2001", "1"),
    ("2001", "3"),
    ("2001", "4"),
    ("2001", "坚持延时服务，为群众办理急件二十余件，收到表扬信和锦旗。"),
    ("2001", ":photo {photo} 群众赠送的锦旗"),
    ("2001", "1"),
    ("2001", "1"),
    ("2001", "/mynominations"),
    ("1002", ":wait"),
    ("1002", "1"),
    ("1004", ":wait"),
    ("1004", "1"),
    ("2001", ":wait"),
)

# A 1×1 PNG, enough for the evidence step.
PHOTO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f80f00000101000518d84e0000000049454e44ae426082")


async def run(demo: Demo) -> str:
    console = Console(demo)
    photo = DEMO_DIR / "tour-photo.png"
    photo.write_bytes(PHOTO)
    lines: list[str] = []
    for who, template in TOUR:
        action = template.format(photo=photo)
        console.become(who)
        name = console.sample.name if console.sample else "路人 (stranger)"
        lines.append(f"\n{name}> {action}")
        try:
            answer = await console.act(action)
        except (ValueError, OSError) as exc:
            answer = f"(cannot: {exc})"
        lines.append(answer or "")
    return "\n".join(lines).strip()
