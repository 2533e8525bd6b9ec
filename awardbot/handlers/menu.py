"""The command menu: which commands each person sees, published per chat.

Feature modules add their commands to :data:`COMMANDS`; a command appears in a person's
menu when they hold one of its roles. Strangers see only the default scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from awardbot.i18n import LANGUAGES, Catalogue
from awardbot.workflow.roles import ALL_ROLES, Role
from awardbot.workflow.roster.identity import Person


@dataclass(frozen=True)
class MenuCommand:
    name: str
    roles: frozenset[Role]
    for_strangers: bool = False


EVERYONE = ALL_ROLES
COMMANDS: tuple[MenuCommand, ...] = (
    MenuCommand("start", EVERYONE, for_strangers=True),
    MenuCommand("help", EVERYONE, for_strangers=True),
    MenuCommand("apply", EVERYONE),
    MenuCommand("mydrafts", EVERYONE),
    MenuCommand("mynominations", EVERYONE),
    MenuCommand("history", EVERYONE),
    MenuCommand("queue", frozenset({Role.LEADER, Role.SUPERVISION})),
    MenuCommand("delegate", frozenset({Role.LEADER})),
    MenuCommand("score", frozenset({Role.EVALUATOR, Role.EVAL_LEADER})),
    MenuCommand("progress", frozenset({Role.EVAL_LEADER})),
    MenuCommand("correct", frozenset({Role.EVAL_LEADER})),
    MenuCommand("decide", frozenset({Role.ADMIN})),
    MenuCommand("export", frozenset({Role.ADMIN})),
    MenuCommand("publish", frozenset({Role.ADMIN})),
    MenuCommand("papers", frozenset({Role.ADMIN})),
    MenuCommand("broadcast", frozenset({Role.ADMIN})),
    MenuCommand("rounds", frozenset({Role.ADMIN})),
    MenuCommand("survey", EVERYONE),
    MenuCommand("objection", EVERYONE),
    MenuCommand("mute", EVERYONE),
    MenuCommand("unmute", EVERYONE),
    MenuCommand("language", EVERYONE),
    MenuCommand("cancel", EVERYONE),
)


def commands_for(person: Person) -> list[MenuCommand]:
    return [c for c in COMMANDS if c.roles & person.roles]


def _bot_commands(catalogue: Catalogue, lang: str, items: list[MenuCommand]) -> list[BotCommand]:
    return [BotCommand(c.name, catalogue.text(lang, f"commands.{c.name}")) for c in items]


async def publish_for(bot: Bot, catalogue: Catalogue, person: Person, lang: str) -> None:
    await bot.set_my_commands(
        _bot_commands(catalogue, lang, commands_for(person)),
        scope=BotCommandScopeChat(person.telegram_user_id),
    )


async def publish_default(bot: Bot, catalogue: Catalogue, default_language: str) -> None:
    strangers = [c for c in COMMANDS if c.for_strangers]
    await bot.set_my_commands(
        _bot_commands(catalogue, default_language, strangers), scope=BotCommandScopeDefault()
    )
    for lang in LANGUAGES:
        if lang != default_language:
            await bot.set_my_commands(
                _bot_commands(catalogue, lang, strangers), language_code=lang
            )
