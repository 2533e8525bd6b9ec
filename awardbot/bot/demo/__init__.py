"""``awardbot demo``: the real bot against the emulator, with a seeded sample bureau."""

from awardbot.bot.demo.session import main

__all__ = ["main"]
