"""/rounds for admins: the rounds with extend and close buttons.

Extending asks for a date: the bot's question carries quick picks (later working days)
and takes a typed date as a reply to it. The question's own buttons name the round, so a
reply is routed without any conversation state (a restart loses nothing); once answered,
the buttons are removed and a late reply falls through to the other text handlers.

Register with :func:`handlers` *before* ``apply.TEXT_HANDLERS`` (the reply is plain text).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from awardbot import callbacks
from awardbot.callbacks import Kind
from awardbot.handlers import render
from awardbot.handlers.context import BotContext
from awardbot.workflow import asks
from awardbot.workflow.messages import Text, names
from awardbot.workflow.naming import local_time
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.roles import Role
from awardbot.workflow.rounds import admin as schedule
from awardbot.workflow.rounds import evaluation
from awardbot.workflow.rounds.admin import AdminRound
from awardbot.workflow.rounds.plan import SchedulePlan
from awardbot.workflow.rounds.stages import NEEDS, Act, Stage
from awardbot.workflow.services import Services

# rd:<id>:ext|close|closeok|eval|evalok   rx:<id>:<YYYYMMDD>|cancel
ROUND, PICK = Kind.ROUND_ADMIN, Kind.ROUND_PICK
ACTIONS = ("ext", "close", "closeok", "eval", "evalok")
OnChange = Callable[[], Awaitable[Any]]


def _prompt_round(message: Message | None) -> int | None:
    """The round a reply is about: read from the question's own buttons."""
    reply = message.reply_to_message if message else None
    markup = reply.reply_markup if reply else None
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            data = callbacks.decode(str(button.callback_data or ""), PICK, 2)
            if data is not None:
                return data.int_field(0)
    return None


class _ExtensionReply(filters.MessageFilter):
    def filter(self, message: Message) -> bool:
        return _prompt_round(message) is not None


@dataclass(frozen=True)
class RoundsAdmin:
    plan: SchedulePlan
    on_change: OnChange | None = None

    def _time(self, moment: datetime) -> str:
        return f"{moment.astimezone(self.plan.tz):%Y-%m-%d %H:%M}"

    def _params(self, context: BotContext, item: AdminRound) -> dict[str, Any]:
        family = context.deps.services.awards.families[item.family].names
        return {"id": item.id, "family": names(family.zh, family.en), "period": item.period,
                "opens": self._time(item.opens_at), "closes": self._time(item.closes_at)}

    async def _changed(self) -> None:
        if self.on_change is not None:
            await self.on_change()

    async def list_rounds(self, update: Update, context: BotContext) -> None:
        assert update.effective_message is not None
        if not (context.person and context.person.has(Role.ADMIN)):
            await update.effective_message.reply_text(
                context.t(update, "schedule.rounds.not_admin"))
            return
        now = context.now()
        items = await schedule.admin_rounds(context.deps.services.sessions, now)
        lines, rows = [context.t(update, "schedule.rounds.header")], []
        for item in items:
            upcoming = item.stage is Stage.ACCEPTING and not item.accepting
            state = Text("schedule.rounds.upcoming") if upcoming else Text(
                f"rounds.stage.{item.stage.value}")
            lines.append(render.text(update, context, Text("schedule.rounds.line", {
                **self._params(context, item), "state": state})))
            row = [(context.t(update, f"schedule.rounds.{key}_button", id=item.id),
                    callbacks.CallbackData(ROUND, (str(item.id), action)))
                   for act, key, action in ((Act.EXTEND, "extend", "ext"),
                                            (Act.CLOSE_APPLICATIONS, "close", "close"),
                                            (Act.OPEN_EVALUATION, "evaluate", "eval"))
                   if item.stage in NEEDS[act]]
            if row:
                rows.append(row)
        if not items:
            lines = [context.t(update, "schedule.rounds.none")]
        await update.effective_message.reply_text(
            "\n".join(lines), reply_markup=render.buttons(rows) if rows else None)

    async def pressed(self, update: Update, context: BotContext) -> None:
        query = update.callback_query
        assert query is not None
        data = callbacks.decode(query.data, ROUND, 2)
        round_id = data.int_field(0) if data else None
        if not (context.person and context.person.has(Role.ADMIN)):
            await query.answer(context.t(update, "schedule.rounds.not_admin"), show_alert=True)
            return
        if data is None or round_id is None or data.fields[1] not in ACTIONS:
            await query.answer(context.t(update, "errors.stale_button"))
            return
        try:
            if data.fields[1] == "ext":
                await self._ask_date(update, context, round_id)
            elif data.fields[1] == "close":
                await self._ask_close(update, context, round_id)
            elif data.fields[1] == "closeok":
                await self._close(update, context, round_id)
            elif data.fields[1] == "eval":
                await self._ask_evaluation(update, context, round_id)
            else:
                await self._open_evaluation(update, context, round_id)
        except Refusal as refusal:
            await query.answer(render.text(update, context, refusal.text), show_alert=True)
            return
        await query.answer()

    def _services(self, context: BotContext) -> Services:
        return context.deps.services

    def _evaluation_params(self, context: BotContext,
                           plan: evaluation.EvaluationPlan) -> dict[str, Any]:
        rules = context.deps.services.rules
        survey = Text("rounds.evaluation.no_survey") if plan.survey_deadline is None else Text(
            "rounds.evaluation.with_survey",
            {"deadline": local_time(plan.survey_deadline, rules)})
        return {**plan.label, "checked": plan.checked, "in_review": plan.in_review,
                "scoring": local_time(plan.scoring_deadline, rules), "survey": survey}

    async def _ask_evaluation(self, update: Update, context: BotContext, round_id: int) -> None:
        assert update.effective_chat is not None and context.person is not None
        plan = await evaluation.preview(self._services(context), context.person.staff_id,
                                        round_id, context.now())
        await self._confirm_or_cancel(
            update, context, round_id,
            Text("rounds.evaluation.ask", self._evaluation_params(context, plan)),
            "rounds.evaluation.confirm", "evalok")

    async def _confirm_or_cancel(self, update: Update, context: BotContext, round_id: int,
                                 question: Text, confirm: str, act: str) -> None:
        """Ask before an act on a round, in a message of its own: confirm, or cancel."""
        assert update.effective_chat is not None
        rows = [[(context.t(update, confirm), callbacks.CallbackData(ROUND, (str(round_id), act))),
                 (context.t(update, "schedule.rounds.cancel_button"),
                  callbacks.CallbackData(PICK, (str(round_id), "cancel")))]]
        await context.bot.send_message(update.effective_chat.id,
                                       render.text(update, context, question),
                                       reply_markup=render.buttons(rows))

    async def _open_evaluation(self, update: Update, context: BotContext, round_id: int) -> None:
        assert context.person is not None and update.callback_query is not None
        plan = await evaluation.open_now(self._services(context), context.person.staff_id,
                                         round_id, context.now())
        await self._changed()
        await update.callback_query.edit_message_text(render.text(update, context, Text(
            "rounds.evaluation.opened", self._evaluation_params(context, plan))))

    async def _ask_date(self, update: Update, context: BotContext, round_id: int) -> None:
        assert update.effective_chat is not None and context.person is not None
        options = await schedule.extension_options(context.deps.services.sessions, round_id,
                                                   plan=self.plan, now=context.now(),
                                                   actor_id=context.person.staff_id)
        picks = [(context.t(update, "schedule.rounds.pick", date=day.isoformat()),
                  callbacks.CallbackData(PICK, (str(round_id), f"{day:%Y%m%d}")))
                 for day in options.choices]
        cancel = (context.t(update, "schedule.rounds.cancel_button"),
                  callbacks.CallbackData(PICK, (str(round_id), "cancel")))
        body = render.text(update, context, Text("schedule.rounds.extend_ask",
                                                 self._params(context, options.round)))
        sent = await context.bot.send_message(update.effective_chat.id, body,
                                              reply_markup=render.buttons([picks, [cancel]]))
        # Remembered, so that /cancel can end the question (and strip its buttons).
        await asks.ask(context.deps.services.sessions, context.person.staff_id, asks.DEADLINE,
                       round_id, context.now(), chat_id=sent.chat_id,
                       message_id=sent.message_id)

    async def _ask_close(self, update: Update, context: BotContext, round_id: int) -> None:
        assert update.effective_chat is not None
        items = {r.id: r for r in await schedule.admin_rounds(context.deps.services.sessions,
                                                              context.now(), limit=100)}
        if round_id not in items:
            raise Refusal("schedule.rounds.gone")
        await self._confirm_or_cancel(
            update, context, round_id,
            Text("schedule.rounds.close_ask", self._params(context, items[round_id])),
            "schedule.rounds.close_confirm", "closeok")

    async def _close(self, update: Update, context: BotContext, round_id: int) -> None:
        assert context.person is not None and update.callback_query is not None
        item = await schedule.close_round(context.deps.services.sessions, round_id,
                                          now=context.now(), actor_id=context.person.staff_id)
        await self._changed()
        await update.callback_query.edit_message_text(render.text(
            update, context, Text("schedule.rounds.closed_now", self._params(context, item))))

    async def picked(self, update: Update, context: BotContext) -> None:
        query = update.callback_query
        assert query is not None
        data = callbacks.decode(query.data, PICK, 2)
        round_id = data.int_field(0) if data else None
        if not (context.person and context.person.has(Role.ADMIN)):
            await query.answer(context.t(update, "schedule.rounds.not_admin"), show_alert=True)
            return
        if data is None or round_id is None:
            await query.answer(context.t(update, "errors.stale_button"))
            return
        if data.fields[1] == "cancel":
            await self._answered(context, round_id)
            await query.answer()
            await query.edit_message_text(context.t(update, "schedule.rounds.cancelled"))
            return
        try:
            day = datetime.strptime(data.fields[1], "%Y%m%d").date()
        except ValueError:
            await query.answer(context.t(update, "errors.stale_button"))
            return
        closes_at = self.plan.local(day, self.plan.office_end)
        text = await self._extend(update, context, round_id, closes_at)
        await query.answer()
        await query.edit_message_text(render.text(update, context, text))

    async def typed(self, update: Update, context: BotContext) -> None:
        message = update.effective_message
        assert message is not None
        round_id = _prompt_round(message)
        if round_id is None or not (context.person and context.person.has(Role.ADMIN)):
            await message.reply_text(context.t(update, "schedule.rounds.not_admin"))
            return
        closes_at = schedule.parse_deadline(message.text or "", self.plan)
        if closes_at is None:
            await message.reply_text(context.t(update, "schedule.rounds.bad_date",
                                               text=message.text or ""))
            return
        text = await self._extend(update, context, round_id, closes_at)
        await message.reply_text(render.text(update, context, text))
        if message.reply_to_message is not None and text.key == "schedule.rounds.extended":
            with contextlib.suppress(BadRequest):  # answered: its buttons go
                await message.reply_to_message.edit_reply_markup(None)

    async def _extend(self, update: Update, context: BotContext, round_id: int,
                      closes_at: datetime) -> Text:
        assert context.person is not None
        try:
            item = await schedule.extend_round(
                context.deps.services.sessions, round_id, closes_at, plan=self.plan,
                now=context.now(),
                actor_id=context.person.staff_id)
        except Refusal as refusal:
            return refusal.text
        await self._answered(context, round_id)
        await self._changed()
        return Text("schedule.rounds.extended", self._params(context, item))

    async def _answered(self, context: BotContext, round_id: int) -> None:
        assert context.person is not None
        await asks.withdraw(context.deps.services.sessions, context.person.staff_id,
                            asks.DEADLINE, round_id)


def handlers(plan: SchedulePlan, on_change: OnChange | None = None
             ) -> list[BaseHandler[Any, Any, Any]]:
    admin = RoundsAdmin(plan, on_change)
    return [
        CommandHandler("rounds", admin.list_rounds),
        CallbackQueryHandler(admin.pressed, pattern=callbacks.pattern(ROUND)),
        CallbackQueryHandler(admin.picked, pattern=callbacks.pattern(PICK)),
        MessageHandler(filters.TEXT & ~filters.COMMAND & filters.REPLY & _ExtensionReply(),
                       admin.typed),
    ]


__all__ = ["RoundsAdmin", "handlers"]
