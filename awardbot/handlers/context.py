"""What every handler is handed: typed dependencies instead of an untyped ``bot_data``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from awardbot.i18n import Catalogue, pick_language
from awardbot.workflow.arrival import PeopleCache
from awardbot.workflow.roster.identity import Person, lookup
from awardbot.workflow.services import Services


@dataclass
class Deps:
    catalogue: Catalogue
    clock: Callable[[], datetime]
    services: Services
    default_language: str = "zh"
    people: PeopleCache = field(default_factory=PeopleCache)


class BotData:
    """The application's ``bot_data``: holds :class:`Deps`, set when the app is built."""

    deps: Deps
    scheduler: object  # the bot's scheduler, for operators' tests and tools


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any], **kw: Any) -> None:
        super().__init__(application=application, **kw)
        self.person: Person | None = None

    @property
    def deps(self) -> Deps:
        return self.bot_data.deps

    def now(self) -> datetime:
        return self.deps.clock()

    def lang(self, update: Update) -> str:
        person = self.person
        user = update.effective_user
        return pick_language(
            person.language if person else None,
            user.language_code if user else None,
            self.deps.default_language,
        )

    def t(self, update: Update, key: str, **params: Any) -> str:
        return self.deps.catalogue.text(self.lang(update), key, **params)

    async def whoami(self, update: Update) -> Person | None:
        user = update.effective_user
        if user is None:
            return None
        self.person = await lookup(self.deps.services.sessions, user.id)
        return self.person
