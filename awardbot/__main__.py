"""``python -m awardbot`` is the ``awardbot`` command."""

from awardbot.bot.cli.main import main

raise SystemExit(main())
