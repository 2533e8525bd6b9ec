"""The interactive demo: be any sample person, type messages, press buttons, move the clock.

Plain text is always sent as text (a staff number, a score); pressing a button has its own
syntax. After each act the console waits for the bot's answer — the first message, or the
answer to the press — then for what the outbox sends on, and shows what arrived.
"""

from __future__ import annotations

import asyncio
import shlex
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from awardbot.bot.demo.session import Demo, SamplePerson
from awardbot.emulator import ChatEntry, Person
from awardbot.emulator.errors import BotDidNotAnswerError, EmulatorUsageError
from awardbot.workflow import delivery

STRANGER_ID = 99_999
ANSWER_WAIT = 30.0  # seconds for the bot's first answer: generous on a busy machine
SHANGHAI = ZoneInfo("Asia/Shanghai")
HELP = """\
  :users              the sample people          :as STAFF_ID   become one (:as stranger)
  :bind               open your invite link      :lang en|zh    your Telegram language
  :press N            press button N of the latest message with buttons
  :press MSG N        press button N of message #MSG (numbers as in :show)
  :press LABEL        press the button labelled LABEL (the latest that has it)
  :reply TEXT         answer the latest question that asks for a reply
  :photo PATH [TEXT]  send a photo               :doc PATH      send a document
  :time               the demo's date and time   :advance WHEN  move the clock on
                      (WHEN: 2026-11-13 17:31, +3d, +2h) and run what falls due then
  :wait               show what has arrived      :show          the whole chat
  :help               this list                  :quit          stop
  anything else is sent as a message, e.g. /help or 2002"""


class Console:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.me: Person = demo.emulator.person(STRANGER_ID, "路人")
        self.sample: SamplePerson | None = None
        self.seen: dict[int, dict[int, tuple[str | None, list[str]]]] = {}
        self.toasts_seen: dict[int, int] = {}

    def become(self, staff_no: str) -> str:
        if staff_no == "stranger":
            self.me, self.sample = self.demo.emulator.person(STRANGER_ID, "路人"), None
            return "you are now a stranger (not on the roster)"
        sample = self.demo.people.get(staff_no)
        if sample is None:
            return f"no sample person {staff_no}; see :users"
        self.sample = sample
        self.me = self.demo.emulator.person(sample.user_id, sample.name)
        return f"you are now {sample.name} ({sample.unit}, {sample.roles})"

    def users(self) -> str:
        return "\n".join(
            f"  {p.staff_no}  {p.name}  {p.unit}  [{p.roles}]"
            + (f"  leads: {p.leads}" if p.leads else "")
            for p in self.demo.people.values()
        )

    def now(self) -> str:
        local = self.demo.clock().astimezone(SHANGHAI)
        return f"🕒 demo time {local:%Y-%m-%d %H:%M %A} (Asia/Shanghai)"

    def fresh(self) -> list[str]:
        """Bot messages that are new or changed since last shown, and popups answered."""
        seen = self.seen.setdefault(self.me.user_id, {})
        out = []
        for m in self.me.bot_messages:
            before = seen.get(m.message_id)
            if before is None or before[0] != m.text or (before[1] != m.labels and m.labels):
                out.append(f"bot> {m}")
            seen[m.message_id] = (m.text, m.labels)
        toasts = self.me.toasts
        for toast in toasts[self.toasts_seen.get(self.me.user_id, 0):]:
            if toast.get("text"):
                kind = "popup" if toast.get("show_alert") else "toast"
                out.append(f"{kind}> {toast['text']}")
        self.toasts_seen[self.me.user_id] = len(toasts)
        return out

    async def act(self, line: str) -> str | None:
        words = shlex.split(line) if line.startswith(":") else [line]
        head, args = words[0], words[1:]
        if head == ":quit":
            return None
        commands = {":help": lambda: HELP, ":users": self.users, ":show": self.me.transcript,
                    ":time": self.now}
        if head in commands:
            return commands[head]()
        if head == ":as" and args:
            return self.become(args[0])
        if head == ":lang" and args:
            self.me.user.language_code = "en" if args[0] == "en" else "zh-hans"
            return f"Telegram language: {self.me.user.language_code}"
        if head == ":advance" and args:
            return await self.advance(" ".join(args))
        if head == ":wait":
            await self.drained()
        else:
            answered = await self.send(head, args)
            if not answered:
                return "\n".join([*self.fresh(), "(no answer)"])
            await self.drained()
        return "\n".join(self.fresh()) or "(nothing new)"

    async def send(self, head: str, args: list[str]) -> bool:
        """Do it; whether the bot answered (a message, or the answer to a press)."""
        self.me.mark()
        if head == ":press" and args:
            query_id = await self.press(args)
            return await self._toasted(query_id)
        if head == ":bind":
            code = self.sample.code if self.sample else "unknown-code"
            await self.me.send_command("start", code)
        elif head == ":reply" and args:
            await self.me.send_text(" ".join(args), reply_to=self._question())
        elif head == ":photo" and args:
            await self.me.send_photo(Path(args[0]), caption=" ".join(args[1:]) or None)
        elif head == ":doc" and args:
            path = Path(args[0])
            await self.me.send_document(path, path.name)
        else:
            await self.me.send_text(" ".join([head, *args]) if args else head)
        try:
            await self.me.wait_for_bot(1, ANSWER_WAIT)
        except BotDidNotAnswerError:
            return False
        return True

    async def _toasted(self, query_id: str) -> bool:
        deadline = time.monotonic() + ANSWER_WAIT
        while time.monotonic() < deadline:
            if any(t["query_id"] == query_id for t in self.me.toasts):
                return True
            await asyncio.sleep(0.05)  # polling for the answer, not waiting for time
        return False

    def _question(self) -> ChatEntry | None:
        asking = [m for m in self.me.bot_messages
                  if "回复本消息" in (m.text or "") or "reply to this" in (m.text or "").lower()]
        return asking[-1] if asking else self.me.last_bot_message

    async def press(self, args: list[str]) -> str:
        with_buttons = [m for m in self.me.bot_messages if m.labels]
        if len(args) == 2 and all(a.isdigit() for a in args):
            found = [m for m in with_buttons if m.message_id == int(args[0])]
            if not found:
                raise ValueError(f"message #{args[0]} has no buttons; see :show")
            return await self._press_number(found[0], int(args[1]))
        if len(args) == 1 and args[0].isdigit():
            if not with_buttons:
                raise ValueError("no message with buttons yet")
            return await self._press_number(with_buttons[-1], int(args[0]))
        try:
            return await self.me.press(" ".join(args))
        except EmulatorUsageError:
            raise ValueError(f"no button labelled {' '.join(args)!r}; see :show") from None

    async def _press_number(self, message: ChatEntry, number: int) -> str:
        if not 1 <= number <= len(message.labels):
            raise ValueError(f"message #{message.message_id} has buttons 1–{len(message.labels)}")
        return await self.me.press(message.labels[number - 1], message.message_id)

    async def advance(self, when: str) -> str:
        """Move the demo's clock on and do what the scheduler does then."""
        now = self.demo.clock()
        target = _moment(when, now)
        if target is None:
            raise ValueError("write :advance 2026-11-13 17:31, :advance +3d or :advance +2h")
        if target <= now:
            raise ValueError("the demo's clock only moves forward; see :time")
        self.demo.clock.move_to(target)
        assert self.demo.app is not None
        await self.demo.app.bot_data.scheduler.tick(target)
        await self.drained()
        return "\n".join([self.now(), *self.fresh()])

    async def drained(self, timeout: float = 40.0) -> None:  # noqa: ASYNC109
        """Until the outbox has nothing left to send, then until the bot has sent it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            counts = await delivery.counts(self.demo.sessions)
            if not counts.get("pending") and not counts.get("sending"):
                break
            await asyncio.sleep(0.1)  # polling the outbox's state
        await self.demo.emulator.settle(quiet=0.3, timeout=timeout)


def _moment(text: str, now: datetime) -> datetime | None:
    text = text.strip()
    if text.startswith("+") and text[-1:] in ("d", "h", "m") and text[1:-1].isdigit():
        unit = {"d": "days", "h": "hours", "m": "minutes"}[text[-1]]
        return now + timedelta(**{unit: int(text[1:-1])})
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=SHANGHAI)
        except ValueError:
            continue
    return None


async def run(demo: Demo) -> int:
    console = Console(demo)
    print("awardbot demo — the bot is running against the local Bot API emulator.")
    print(HELP)
    print(console.now())
    print("Sample people:\n" + console.users())
    while True:
        try:
            line = (await asyncio.to_thread(input, f"\n{console.me.first_name}> ")).strip()
        except EOFError:
            return 0
        if not line:
            continue
        try:
            answer = await console.act(line)
        except (ValueError, OSError) as exc:
            answer = f"(cannot: {exc})"
        if answer is None:
            return 0
        print(answer)
