"""A local Telegram Bot API emulator for end-to-end tests, demos and benchmarks.

    emu = BotApiEmulator(token="123:abc")
    await emu.start()
    app = (ApplicationBuilder().token("123:abc").base_url(emu.base_url)
           .base_file_url(emu.file_base_url).build())
    ...  # start the app and its polling
    alice = emu.person(1001, "Alice")
    reply = await alice.ask_text("hello")
    await alice.press("Approve")
    await emu.settle()
    await emu.stop()

Switches at run time: ``emu.rate_limit.configure(...)``, ``emu.faults.configure(...)``,
``emu.faults.fail_next(...)``; counters in ``emu.stats`` and ``emu.stats_snapshot()``.
"""

from awardbot.emulator.client import GroupChat, Person
from awardbot.emulator.errors import ApiError, BotDidNotAnswerError, EmulatorUsageError
from awardbot.emulator.server import BotApiEmulator
from awardbot.emulator.views import ChatEntry

__all__ = [
    "ApiError",
    "BotApiEmulator",
    "BotDidNotAnswerError",
    "ChatEntry",
    "EmulatorUsageError",
    "GroupChat",
    "Person",
]
