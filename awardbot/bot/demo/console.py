"""The interactive demo: be any sample person, type messages, press buttons by number."""

from __future__ import annotations

import asyncio
import shlex
import time
from pathlib import Path

from awardbot.bot.demo.session import Demo, SamplePerson
from awardbot.emulator import ChatEntry, Person
from awardbot.workflow import delivery

STRANGER_ID = 99_999
HELP = """\
  :users              the sample people          :as STAFF_ID   become one (:as stranger)
  :bind               open your invite link      :lang en|zh    your Telegram language
  N                   press button N             :show          the whole chat
  :photo PATH [TEXT]  send a photo               :doc PATH      send a document
  :wait               show what has arrived      :help          this list
  :quit               stop
  anything else is sent as a message, e.g. /help"""


class Console:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.me: Person = demo.emulator.person(STRANGER_ID, "路人")
        self.sample: SamplePerson | None = None
        self.seen: dict[int, dict[int, tuple[str | None, list[str]]]] = {}

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
            for p in self.demo.people.values()
        )

    def fresh(self) -> list[ChatEntry]:
        """Bot messages that are new, or whose text changed, since last shown."""
        seen = self.seen.setdefault(self.me.user_id, {})
        out = []
        for m in self.me.bot_messages:
            before = seen.get(m.message_id)
            if before is None or before[0] != m.text or (before[1] != m.labels and m.labels):
                out.append(m)
            seen[m.message_id] = (m.text, m.labels)
        return out

    async def act(self, line: str) -> str | None:
        words = shlex.split(line) if line.startswith(":") else [line]
        head, args = words[0], words[1:]
        if head == ":quit":
            return None
        commands = {":help": lambda: HELP, ":users": self.users,
                    ":show": self.me.transcript}
        if head in commands:
            return commands[head]()
        if head == ":as" and args:
            return self.become(args[0])
        if head == ":wait":
            await self.drained()
            return "\n".join(f"bot> {m}" for m in self.fresh()) or "(nothing new)"
        if head == ":lang" and args:
            self.me.user.language_code = "en" if args[0] == "en" else "zh-hans"
            return f"Telegram language: {self.me.user.language_code}"
        await self.send(head, args)
        await self.demo.emulator.settle(quiet=0.3, timeout=10)
        return "\n".join(f"bot> {m}" for m in self.fresh()) or "(no answer)"

    async def send(self, head: str, args: list[str]) -> None:
        if head == ":bind":
            code = self.sample.code if self.sample else "unknown-code"
            await self.me.send_command("start", code)
        elif head.isdigit():
            await self.press(int(head))
        elif head == ":photo" and args:
            await self.me.send_photo(Path(args[0]), caption=" ".join(args[1:]) or None)
        elif head == ":doc" and args:
            path = Path(args[0])
            await self.me.send_document(path, path.name)
        else:
            await self.me.send_text(head)

    async def drained(self, timeout: float = 40.0) -> None:  # noqa: ASYNC109
        """Until the outbox has nothing left to send, then until the bot is quiet."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            counts = await delivery.counts(self.demo.sessions)
            if not counts.get("pending") and not counts.get("sending"):
                break
            await asyncio.sleep(0.2)
        await self.demo.emulator.settle(quiet=0.5, timeout=timeout)

    async def press(self, number: int) -> None:
        with_buttons = [m for m in self.me.bot_messages if m.labels]
        if not with_buttons or not 1 <= number <= len(with_buttons[-1].labels):
            raise ValueError("no such button on the latest message")
        await self.me.press(with_buttons[-1].labels[number - 1], with_buttons[-1].message_id)


async def run(demo: Demo) -> int:
    console = Console(demo)
    print("awardbot demo — the bot is running against the local Bot API emulator.")
    print(HELP)
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
