"""The ``awardbot`` command line: one module per command group, each importing only what
its commands use (``awardbot --help`` loads neither the Bot API stack nor the database)."""

from awardbot.bot.cli.main import main

__all__ = ["main"]
