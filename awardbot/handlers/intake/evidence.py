"""Photos, albums and documents sent as evidence; anything else a person sends by mistake."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from awardbot.handlers import render
from awardbot.handlers.context import BotContext
from awardbot.handlers.intake.apply import send_reply
from awardbot.workflow import prompts
from awardbot.workflow.intake import records
from awardbot.workflow.intake.evidence import IncomingFile, add_evidence, expecting_file
from awardbot.workflow.intake.model import StepAnswer
from awardbot.workflow.messages import Text
from awardbot.workflow.refusal import Refusal

ALBUM_SETTLE_SECONDS = 1.5


def incoming(update: Update) -> IncomingFile | None:
    message = update.effective_message
    if message is None:
        return None
    if message.photo:
        largest = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
        return IncomingFile("photo", largest.file_id, largest.file_unique_id, largest.file_size,
                            None, "image/jpeg", message.caption, message.media_group_id)
    document = message.document
    if document is not None:
        return IncomingFile("document", document.file_id, document.file_unique_id,
                            document.file_size, document.file_name, document.mime_type,
                            message.caption, message.media_group_id)
    return None


async def receive_file(update: Update, context: BotContext) -> None:
    item = incoming(update)
    assert item is not None and context.person is not None
    intake, staff_id, now = context.deps.services, context.person.staff_id, context.now()
    try:
        await expecting_file(intake, staff_id, item)
        telegram_file = await context.bot.get_file(item.file_id)
        data = bytes(await telegram_file.download_as_bytearray())
        reply = await add_evidence(intake, staff_id, item, data, now)
    except Refusal as refusal:
        await _refuse(update, context, refusal)
        return
    if item.media_group_id is None:
        await send_reply(update, context, reply)
        return
    _acknowledge_album_later(update, context, item.media_group_id, reply)


async def _refuse(update: Update, context: BotContext, refusal: Refusal) -> None:
    assert update.effective_message is not None and context.person is not None
    text = refusal.text
    if text.key == "intake.no_draft":  # a prompt waiting for words says what it wants
        text = await prompts.waiting_for_text(context.deps.services, context.person.staff_id,
                                              context.now()) or Text("apply.hint")
    await update.effective_message.reply_text(render.text(update, context, text))


def _acknowledge_album_later(update: Update, context: BotContext, group: str,
                             reply: StepAnswer) -> None:
    """One answer per album: each item pushes the answer back until the album is complete."""
    assert context.job_queue is not None and update.effective_chat is not None
    name = f"album:{update.effective_chat.id}:{group}"
    for job in context.job_queue.get_jobs_by_name(name):
        job.schedule_removal()

    async def acknowledge(_job_context: ContextTypes.DEFAULT_TYPE) -> None:
        await send_reply(update, context, reply)

    context.job_queue.run_once(acknowledge, ALBUM_SETTLE_SECONDS, name=name)


async def unsupported(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None and context.person is not None
    svc, staff_id = context.deps.services, context.person.staff_id
    step = await records.active_step(svc, staff_id)
    waiting = None if step else await prompts.waiting_for_text(svc, staff_id, context.now())
    key = "intake.unsupported_in_walkthrough" if step else "intake.unsupported"
    await update.effective_message.reply_text(
        render.text(update, context, waiting or Text(key)))


HANDLERS = [
    MessageHandler(filters.PHOTO | filters.Document.ALL, receive_file),
    MessageHandler(
        (filters.Sticker.ALL | filters.VOICE | filters.VIDEO | filters.AUDIO
         | filters.VIDEO_NOTE | filters.LOCATION | filters.CONTACT | filters.ANIMATION)
        & ~filters.COMMAND,
        unsupported,
    ),
]
