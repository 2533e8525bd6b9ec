"""Bot API methods about the bot itself: getMe, updates, webhooks, commands, chats."""

from __future__ import annotations

from typing import Any

from awardbot.emulator.api_messages import Handler
from awardbot.emulator.commands import validate_commands
from awardbot.emulator.errors import bad_request, conflict
from awardbot.emulator.models import JSON
from awardbot.emulator.params import Params
from awardbot.emulator.state import EmulatorState
from awardbot.emulator.webhook import WebhookConfig, validate_secret


async def get_me(state: EmulatorState, p: Params) -> JSON:
    return state.bot.to_api() | {
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def get_updates(state: EmulatorState, p: Params) -> list[JSON]:
    if state.webhook.config is not None:
        raise conflict(
            "can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first"
        )
    return await state.updates.get_updates(
        offset=p.integer("offset"),
        limit=p.integer("limit", 100) or 100,
        poll_seconds=p.number("timeout", 0.0) or 0.0,
        allowed=p.obj("allowed_updates"),
    )


async def set_webhook(state: EmulatorState, p: Params) -> bool:
    url = p.text("url") or ""
    if p.flag("drop_pending_updates"):
        state.updates.drop_all()
    if not url:
        await state.webhook.set(None)
        return True
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.text("secret_token")
    validate_secret(secret)
    max_connections = p.integer("max_connections", 40) or 40
    if not 1 <= max_connections <= 100:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")
    state.updates.interrupt_polls()
    config = WebhookConfig(url, secret, max_connections, p.obj("allowed_updates"))
    await state.webhook.set(config)
    return True


async def delete_webhook(state: EmulatorState, p: Params) -> bool:
    if p.flag("drop_pending_updates"):
        state.updates.drop_all()
    await state.webhook.set(None)
    return True


async def get_webhook_info(state: EmulatorState, p: Params) -> JSON:
    pending = len(state.updates.pending)
    config = state.webhook.config
    if config is None:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": pending}
    return config.info(pending)


async def set_my_commands(state: EmulatorState, p: Params) -> bool:
    commands = validate_commands(p.obj("commands"))
    scope = p.obj("scope")
    _check_scope_chat(state, scope)
    state.commands.set(scope, p.text("language_code"), commands)
    return True


def _check_scope_chat(state: EmulatorState, scope: Any) -> None:
    if isinstance(scope, dict) and scope.get("chat_id") is not None:
        chat_id = scope["chat_id"]
        state.chat(chat_id if str(chat_id).startswith("@") else int(chat_id))


async def get_my_commands(state: EmulatorState, p: Params) -> list[JSON]:
    return state.commands.get(p.obj("scope"), p.text("language_code"))


async def delete_my_commands(state: EmulatorState, p: Params) -> bool:
    state.commands.delete(p.obj("scope"), p.text("language_code"))
    return True


async def set_chat_menu_button(state: EmulatorState, p: Params) -> bool:
    button = p.obj("menu_button") or {"type": "default"}
    if button.get("type") not in ("default", "commands", "web_app"):
        raise bad_request("wrong menu button type specified")
    if p.has("chat_id"):
        state.chat(p.chat_ref()).menu_button = button
    else:
        state.default_menu_button = button
    return True


async def get_chat_menu_button(state: EmulatorState, p: Params) -> JSON:
    if p.has("chat_id"):
        button = state.chat(p.chat_ref()).menu_button
        if button and button.get("type") != "default":
            return button
    return state.default_menu_button


async def get_chat(state: EmulatorState, p: Params) -> JSON:
    chat = state.chat(p.chat_ref())
    gifts = {"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
             "premium_subscription": False, "gifts_from_channels": False}  # fmt: skip
    return chat.to_api() | {
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": gifts,
    }


async def get_chat_member(state: EmulatorState, p: Params) -> JSON:
    state.chat(p.chat_ref())
    user_id = p.integer("user_id")
    if user_id == state.bot.id:
        return {"status": "member", "user": state.bot.to_api()}
    person = state.chats.get(user_id or 0)
    if person is None or person.user is None:
        raise bad_request("PARTICIPANT_ID_INVALID")
    return {"status": "kicked" if person.blocked else "member", "user": person.user.to_api()}


def _bot_text(field: str) -> tuple[Handler, Handler]:
    async def setter(state: EmulatorState, p: Params) -> bool:
        state.bot_texts[f"{field}:{p.text('language_code') or ''}"] = p.text(field) or ""
        return True

    async def getter(state: EmulatorState, p: Params) -> JSON:
        return {field: state.bot_texts.get(f"{field}:{p.text('language_code') or ''}", "")}

    return setter, getter


async def accept(state: EmulatorState, p: Params) -> bool:
    return True


BOT_METHODS: dict[str, Handler] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    "getChat": get_chat,
    "getChatMember": get_chat_member,
    "logOut": accept,
    "close": accept,
}
for _field, _names in {"name": ("setMyName", "getMyName"),
                       "description": ("setMyDescription", "getMyDescription"),
                       "short_description": ("setMyShortDescription",
                                             "getMyShortDescription")}.items():  # fmt: skip
    BOT_METHODS[_names[0]], BOT_METHODS[_names[1]] = _bot_text(_field)
