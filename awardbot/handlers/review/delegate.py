"""/delegate (委办): bare, the current delegation with buttons to delegate or end it;
with arguments, the typed shortcut. The button flow's steps are in
:mod:`awardbot.workflow.review.delegation_chat`; here presses and typed text become calls.

Buttons: ``dg:new`` ``dg:end`` ``dg:endok`` ``dg:back`` ``dg:who:<staff>``
``dg:p:<staff>:<1|3|7|c>`` ``dg:ok:<staff>:<YYYYMMDD>:<YYYYMMDD>``.
"""

from __future__ import annotations

from datetime import date, datetime

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from awardbot import callbacks
from awardbot.callbacks import CallbackData, Kind
from awardbot.handlers import render
from awardbot.handlers.context import BotContext
from awardbot.workflow.messages import Text
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.review import delegation
from awardbot.workflow.review import delegation_chat as chat
from awardbot.workflow.review.delegation_chat import Period, Person

KIND = Kind.DELEGATE
CUSTOM = "c"
Rows = list[list[tuple[str, CallbackData]]]


def _label(update: Update, context: BotContext, key: str, **params: object) -> str:
    return render.text(update, context, Text(f"review.delegate.{key}", params))


def _back(update: Update, context: BotContext) -> list[tuple[str, CallbackData]]:
    return [(_label(update, context, "back_button"), CallbackData(KIND, ("back",)))]


def _people(update: Update, context: BotContext, people: list[Person]) -> Rows:
    return [[(_label(update, context, "person", name=p.name, unit=p.unit),
              CallbackData(KIND, ("who", str(p.id))))] for p in people]


def _day(value: date) -> str:
    return f"{value:%Y%m%d}"


def _parse_day(value: str) -> date | None:
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


def _confirmation(update: Update, context: BotContext, period: Period) -> tuple[str, Rows]:
    deputy = period.deputy
    text = _label(update, context, "confirm", deputy=deputy.name, unit=deputy.unit,
                  starts=period.starts.isoformat(), ends=period.ends.isoformat())
    ok = CallbackData(KIND, ("ok", str(deputy.id), _day(period.starts), _day(period.ends)))
    return text, [[(_label(update, context, "confirm_button"), ok), *_back(update, context)]]


def _periods(update: Update, context: BotContext, deputy: Person) -> tuple[str, Rows]:
    text = _label(update, context, "period", deputy=deputy.name, unit=deputy.unit)

    def button(key: str, code: str) -> tuple[str, CallbackData]:
        return _label(update, context, key), CallbackData(KIND, ("p", str(deputy.id), code))

    return text, [[button("today", "1"), button("three_days", "3")],
                  [button("week", "7"), button("custom", CUSTOM)], _back(update, context)]


async def delegate(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None and context.person is not None
    sessions, staff_id = context.deps.services.sessions, context.person.staff_id
    markup: InlineKeyboardMarkup | None = None
    try:
        if context.args:
            answer = await delegation.delegate(sessions, staff_id, list(context.args),
                                               context.now())
        else:
            shown = await chat.overview(sessions, staff_id, context.now())
            answer = shown.current if shown.active else Text("review.delegate.offer")
            row = [(_label(update, context, "start_button"), CallbackData(KIND, ("new",)))]
            if shown.active:
                row.append((_label(update, context, "end_button"), CallbackData(KIND, ("end",))))
            markup = render.buttons([row])
    except Refusal as refusal:
        answer = refusal.text
    await message.reply_text(render.text(update, context, answer), reply_markup=markup)


async def _step(update: Update, context: BotContext, fields: tuple[str, ...]
                ) -> tuple[str, Rows | None]:
    """One press of the flow: the text and buttons the pressed message becomes."""
    assert context.person is not None and update.effective_chat is not None
    sessions, staff_id, now = (context.deps.services.sessions, context.person.staff_id,
                               context.now())
    act, args = fields[0], fields[1:]
    deputy_id = CallbackData(KIND, args).int_field(0) if args else None
    if act == "new" and not args:
        people = await chat.candidates(sessions, staff_id, now)
        key = "pick" if people else "pick_none"
        return _label(update, context, key), [*_people(update, context, people),
                                              _back(update, context)]
    if act == "end" and not args:
        await chat.ask_end(sessions, staff_id, now)
        return _label(update, context, "end_confirm"), [[
            (_label(update, context, "end_confirm_button"), CallbackData(KIND, ("endok",))),
            *_back(update, context)]]
    if act == "endok" and not args:
        return render.text(update, context, await chat.confirm_end(sessions, staff_id, now)), None
    if act == "back" and not args:
        await chat.back(sessions, staff_id)
        return _label(update, context, "kept"), None
    if act == "who" and deputy_id is not None and len(args) == 1:
        return _periods(update, context, await chat.chosen(sessions, staff_id, deputy_id))
    if act == "p" and deputy_id is not None and len(args) == 2:
        if args[1] == CUSTOM:
            await chat.wait_for_dates(sessions, staff_id, deputy_id, now)
            return _label(update, context, "ask_period"), [_back(update, context)]
        starts, ends = chat.quick_period(args[1], now)
        period = await chat.ask_confirm(sessions, staff_id, deputy_id, starts, ends, now)
        return _confirmation(update, context, period)
    if act == "ok" and deputy_id is not None and len(args) == 3:
        first, last = _parse_day(args[1]), _parse_day(args[2])
        if first is not None and last is not None:
            done = await chat.confirm(sessions, staff_id, deputy_id, first, last, now)
            return render.text(update, context, done), None
    raise Refusal("errors.stale_button")


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    data = callbacks.decode(query.data, KIND, (query.data or "").count(":"))
    try:
        if data is None or not data.fields:
            raise Refusal("errors.stale_button")
        text, rows = await _step(update, context, data.fields)
    except Refusal as refusal:
        await query.answer(render.text(update, context, refusal.text), show_alert=True)
        return
    await query.edit_message_text(text, reply_markup=render.buttons(rows) if rows else None)
    await query.answer()


async def on_text(update: Update, context: BotContext) -> bool:
    """A name or a period typed while /delegate waits for it; False when it does not."""
    message = update.effective_message
    assert message is not None and context.person is not None
    try:
        answer = await chat.typed(context.deps.services.sessions, context.person.staff_id,
                                  message.text or "", context.now())
    except Refusal as refusal:
        lines = [render.text(update, context, refusal.text)]
        if refusal.text.key in ("review.delegate.bad_range", "review.delegate.past_start",
                                "review.delegate.bad_date"):
            lines.append(_label(update, context, "ask_period"))
        await message.reply_text("\n".join(lines))
        return True
    if answer is None:
        return False
    if isinstance(answer, Period):
        text, rows = _confirmation(update, context, answer)
    else:
        text = _label(update, context, "matches")
        rows = [*_people(update, context, answer), _back(update, context)]
    await message.reply_text(text, reply_markup=render.buttons(rows))
    return True


HANDLERS = [
    CommandHandler("delegate", delegate),
    CallbackQueryHandler(on_button, pattern=callbacks.pattern(KIND)),
]
