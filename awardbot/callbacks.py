"""Callback data, built and parsed in one place; buttons are routed by it, never by label.

Format: ``<kind>:<field>:<field>…`` — ASCII, at most 64 bytes (the Bot API's limit).
Every kind is a member of :class:`Kind` (one list, each kind once); workflow builds a
button's data with :func:`data`, handlers read it with :func:`decode` (strict: anything
malformed or unknown is ``None``, answered as a stale or forged button) and take ids with
:meth:`CallbackData.int_field` (whole numbers in the database's range, else ``None``).
Layer-neutral: workflow and handlers both import it; it imports nothing of ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum, unique

MAX_BYTES = 64
_SAFE = re.compile(r"^[A-Za-z0-9_.\-]+$")
ID_MAX = 2**63 - 1  # ids are 64-bit in the database: anything larger is forged


class CallbackDataError(ValueError):
    pass


@unique
class Kind(StrEnum):
    """Every kind of button, with its fields (``<id>`` fields are whole numbers)."""

    APPLY_ROUND = "ar"  # ar:<round>                      /apply: start in a round
    APPLY_PRESS = "ap"  # ap:<nomination>:<version>:<act>  a walkthrough's answer
    DRAFT = "dr"  # dr:<nomination>:resume|discard|drok|back   /mydrafts
    MINE = "mn"  # mn:<nomination>:form|pdf|withdraw|mnok|back /mynominations
    NOMINEE = "nm"  # nm:<nomination>:decline          a colleague declines a nomination
    REVIEW = "rv"  # rv:<nomination>:<stage>:ok|ret|rej|x   a review card
    HISTORY = "hi"  # hi:<nomination>                  a nomination's timeline
    QUEUE = "rq"  # rq:<nomination>                    /queue: open a card
    DELEGATE = "dg"  # dg:<act>[:<field>]              /delegate by buttons
    LANGUAGE = "lang"  # lang:zh|en                    /language
    BROADCAST = "bc"  # bc:<broadcast>:<act>:<arg>     /broadcast
    ROUND_ADMIN = "rd"  # rd:<round>:ext|close|closeok|eval|evalok   /rounds
    ROUND_PICK = "rx"  # rx:<round>:<YYYYMMDD>|cancel  a new deadline, or cancel
    SCORE = "sc"  # sc:<act>:<nomination>[:<item>:<value>]   /score
    LEAD = "sl"  # sl:<act>:<round>                    /progress
    DECIDE = "dc"  # dc:<act>:<round>[:<nomination>]    /decide, /export
    SURVEY_ADMIN = "sa"  # sa:<act>:<round>[:<YYYYMMDD>]  /survey for who runs it
    CORRECT = "fx"  # fx:<act>:<nomination>[:<token>]  /correct by buttons
    SURVEY_SHOW = "svb"  # svb:<survey>:<position>     a ballot card
    SURVEY_VOTE = "svv"  # svv:<survey>:<nomination>:<level>
    PUBLISH_PICK = "pbp"  # pbp:<round>                /publish: preview
    PUBLISH_DO = "pbc"  # pbc:<round>:go|no
    OBJECT_START = "obs"  # obs:<notice>               the notice's Object button
    OBJECT_PICK = "obn"  # obn:<nomination>
    OBJECT_DRAFT = "obd"  # obd:<objection>:review|submit|cancel
    OBJECT_RULE = "obr"  # obr:<objection>:uphold|dismiss   督查科's ruling
    PAPERS_PICK = "pp"  # pp:<round>                   /papers: a round's menu
    PAPERS_MAKE = "pm"  # pm:<round>:<what>            one paper or chart


@dataclass(frozen=True)
class CallbackData:
    kind: str
    fields: tuple[str, ...] = ()

    def encode(self) -> str:
        parts = (self.kind, *self.fields)
        for part in parts:
            if not _SAFE.match(part):
                raise CallbackDataError(f"unsafe callback field {part!r}")
        data = ":".join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise CallbackDataError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data

    def int_field(self, index: int) -> int | None:
        """A field as a database id or number: digits only, 0 … 2⁶³−1; else None."""
        try:
            field = self.fields[index]
        except IndexError:
            return None
        if not field.isdigit() or len(field) > 19:
            return None
        value = int(field)
        return value if value <= ID_MAX else None


def data(kind: Kind, *fields: object) -> str:
    """A button's data: ``kind:field:…``, checked (safe characters, within 64 bytes)."""
    return CallbackData(kind, tuple(str(f) for f in fields)).encode()


def decode(data: str | None, kind: str, arity: int) -> CallbackData | None:
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    if parts[0] != kind or len(parts) != arity + 1:
        return None
    if not all(_SAFE.match(part) for part in parts):
        return None
    return CallbackData(kind, tuple(parts[1:]))


def pattern(kind: str) -> str:
    """The regex a CallbackQueryHandler uses to receive this kind of button."""
    return rf"^{re.escape(kind)}(:|$)"
