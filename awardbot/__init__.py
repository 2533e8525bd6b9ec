"""awardbot: a Telegram bot that runs a government-service bureau's staff awards."""

__version__ = "0.1.0"
