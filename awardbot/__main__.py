"""``python -m awardbot`` is the ``awardbot`` command."""

from awardbot.bot.cli import main

raise SystemExit(main())
