"""Builds the Application: settings in, handlers registered in one ordered list."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy.orm import Session
from telegram import Bot
from telegram.ext import Application, ApplicationBuilder, BaseHandler, ContextTypes

from awardbot.bot.audit_checkpoints import checkpoint_publisher
from awardbot.bot.broadcast_progress import resume_progress
from awardbot.bot.http_retry import bot_requests, sender_request
from awardbot.bot.inbox import DurableUpdateQueue, RecordingBot
from awardbot.bot.processor import PerPersonUpdateProcessor
from awardbot.bot.scheduler import Scheduler
from awardbot.bot.sender.loop import Sender
from awardbot.bot.settings import Settings
from awardbot.db.engine import SessionFactory, after_commit, create_engine, session_factory
from awardbot.db.migrate import ensure_migrated
from awardbot.documents.application_form import FormData, build_form
from awardbot.handlers import errors, gate, language, menu, start
from awardbot.handlers import help as help_handlers
from awardbot.handlers.broadcast import compose as broadcast
from awardbot.handlers.context import BotContext, BotData, Deps
from awardbot.handlers.documents import papers
from awardbot.handlers.evaluation import correct as correct_facts
from awardbot.handlers.evaluation import decision, scoring
from awardbot.handlers.evaluation import lead as scoring_lead
from awardbot.handlers.intake import apply, evidence, mine
from awardbot.handlers.notice import objection, survey
from awardbot.handlers.notice import publish as notice
from awardbot.handlers.reminders import mute
from awardbot.handlers.review import delegate, history
from awardbot.handlers.review import signoff as review
from awardbot.handlers.rounds import admin as rounds_admin
from awardbot.i18n import Catalogue
from awardbot.scoring import Rules, default_catalogue
from awardbot.storage.evidence_store import LocalEvidenceStore
from awardbot.workflow import outbox
from awardbot.workflow.documents.deliver import deliver_due as deliver_papers
from awardbot.workflow.notice.close import close_due_notices
from awardbot.workflow.notice.survey import close_due_surveys
from awardbot.workflow.rounds.calendar import working_calendar
from awardbot.workflow.rounds.evaluation import open_due as open_due_evaluations
from awardbot.workflow.services import Limits, Offload, Services, in_thread
from awardbot.workflow.updates import forget_old

log = logging.getLogger(__name__)

# The gate runs first for every update. Then, each in a group of its own, messages that
# flows are owed and let pass when they are not theirs: a broadcast's content, the
# evaluation flow's scores and reasons, an objection's text and files. Feature handlers
# share group 0, in order.
GATE_GROUP = -4
BROADCAST_GROUP = -3  # an admin's broadcast text or photo
SCORES_GROUP = -2
OBJECTIONS_GROUP = -1
FORM_WORKER_NICENESS = 19  # the most a process can yield: the form waits, answers do not

Handlers = Sequence[BaseHandler[Any, Any, Any]]


def features(scheduler: Scheduler) -> list[Handlers]:
    """Every feature's handlers, in the order they are tried."""
    return [
        start.HANDLERS,
        help_handlers.HANDLERS,
        language.HANDLERS,
        apply.HANDLERS,
        mine.HANDLERS,
        review.HANDLERS,
        delegate.HANDLERS,
        history.HANDLERS,
        scoring.HANDLERS,
        scoring_lead.HANDLERS,
        correct_facts.HANDLERS,
        decision.HANDLERS,
        notice.HANDLERS,
        papers.HANDLERS,
        survey.HANDLERS,
        objection.HANDLERS,
        mute.HANDLERS,
        broadcast.HANDLERS,
        evidence.HANDLERS,
        # Typed answers, most specific first; plain text left over is the walkthrough's.
        rounds_admin.handlers(scheduler.plan, scheduler.reschedule),  # a new deadline
        review.TEXT_HANDLERS,  # a reviewer's owed reason
        apply.TEXT_HANDLERS,
        help_handlers.UNKNOWN,  # a command no feature took
        errors.HANDLERS,  # any press left over: answered as a stale button
    ]


def utc_now() -> datetime:
    return datetime.now(UTC)


def wake_if_due(sender: Sender, session: Session) -> None:
    if session.info.pop(outbox.DUE_NOW, False):
        sender.wake()


def process_offload(pool: Executor) -> Offload:
    async def run(fn: Callable[[Any], Any], arg: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(pool, fn, arg)

    return run


def process_form_builder(pool: Executor) -> Callable[[FormData], Awaitable[bytes]]:
    async def build(data: FormData) -> bytes:
        return await asyncio.get_running_loop().run_in_executor(pool, build_form, data)

    return build


def build_services(
    settings: Settings, sessions: SessionFactory, pool: Executor | None = None
) -> Services:
    """The one services value every feature runs with, from the settings."""
    rules = Rules.from_mapping(settings.rules)
    return Services(
        sessions=sessions, awards=default_catalogue(), rules=rules,
        plan=settings.schedule.plan(rules),
        limits=Limits(
            statement_max_chars=settings.intake.statement_max_chars,
            max_evidence=settings.intake.max_evidence,
            max_file_bytes=settings.storage.max_file_mb * 1024 * 1024,
            objection_max_chars=settings.notice.objection_max_chars,
            objection_max_files=settings.notice.objection_max_files,
        ),
        store=LocalEvidenceStore(settings.storage.evidence_dir),
        form_builder=process_form_builder(pool) if pool is not None else None,
        calendar=working_calendar, channel_chat_id=settings.notice.channel_chat_id,
        style=settings.documents.style(),
        offload=process_offload(pool) if pool is not None else in_thread,
    )


def build_application(
    settings: Settings, *, clock: Callable[[], datetime] = utc_now
) -> Application[Any, Any, Any, Any, Any, Any]:
    token = settings.telegram.token
    assert token is not None, "load_settings(require_token=True) checks this"
    engine = create_engine(settings.database.url, echo=settings.database.echo)
    sessions = session_factory(engine, audit_key=settings.audit.key_bytes())
    # One worker process builds the Word forms and the papers (notices, certificates,
    # charts), off the event loop and its GIL, at a
    # lower priority: a burst of submissions must not slow everyone's answers.
    forms = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                initializer=os.nice, initargs=(FORM_WORKER_NICENESS,))
    services = build_services(settings, sessions, forms)
    deps = Deps(
        catalogue=Catalogue.load(), clock=clock, services=services,
        default_language=settings.bot.default_language,
    )

    sender: Sender | None = None
    scheduler: Scheduler | None = None
    own = sender_request()
    sender_bot = Bot(token.get_secret_value(), base_url=settings.telegram.api_base_url,
                     base_file_url=settings.telegram.file_base_url, request=own,
                     get_updates_request=own)

    async def post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        nonlocal sender
        await ensure_migrated(engine)
        await inbox.recover(app.bot)  # what a crash left unfinished, before anything new
        assert scheduler is not None
        await scheduler.start()
        await menu.publish_default(app.bot, deps.catalogue, deps.default_language)
        # The sender's own connection pool, without the replies' retries: it paces and
        # retries by itself.
        await sender_bot.initialize()
        sender = Sender(sender_bot, sessions, deps.catalogue, settings.sender,
                        default_language=deps.default_language, clock=clock,
                        files=services.evidence.open)
        # What a transaction made due goes out at once, not at the sender's next poll.
        after_commit(sessions, partial(wake_if_due, sender))
        await sender.start()
        # Live progress of broadcasts, those a restart interrupted included.
        resume_progress(app, interval_s=settings.sender.broadcast_progress_s)

    async def post_shutdown(_app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        if scheduler is not None:
            await scheduler.stop()
        if sender is not None:
            await sender.stop()
        await sender_bot.shutdown()
        forms.shutdown(wait=False, cancel_futures=True)
        await inbox.close()
        await engine.dispose()

    inbox = DurableUpdateQueue(sessions, clock)
    processor = PerPersonUpdateProcessor(settings.telegram.concurrent_updates, inbox.finished)
    calls, polling = bot_requests(pool_size=256)
    bot = RecordingBot(token.get_secret_value(), inbox,
                       base_url=settings.telegram.api_base_url,
                       base_file_url=settings.telegram.file_base_url,
                       request=calls, get_updates_request=polling)
    app = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .concurrent_updates(processor)
        .update_queue(inbox)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data.deps = deps
    app.add_handlers(gate.HANDLERS, group=GATE_GROUP)
    app.add_handlers(broadcast.ROUTED_HANDLERS, group=BROADCAST_GROUP)
    app.add_handlers(scoring.TEXT_HANDLERS, group=SCORES_GROUP)
    app.add_handlers(objection.ROUTED_HANDLERS, group=OBJECTIONS_GROUP)
    assert app.job_queue is not None
    scheduler = Scheduler(app.job_queue, sessions, engine, settings.schedule,
                          Rules.from_mapping(settings.rules), default_catalogue(), clock)
    async def prune_updates(now: datetime) -> int:
        return await forget_old(sessions, now=now)

    # The clock's round stages first: an evaluation opening by schedule opens its survey.
    # (The tick reads the services from deps, so that tests may swap them.)
    async def open_evaluations(now: datetime) -> object:
        return await open_due_evaluations(deps.services, now)

    async def close_surveys(now: datetime) -> object:
        return await close_due_surveys(deps.services, now)

    async def close_notices(now: datetime) -> object:
        return await close_due_notices(deps.services, now)

    async def send_papers(now: datetime) -> object:  # after a notice closed, its winners'
        return await deliver_papers(deps.services, now)

    for work in (open_evaluations, close_surveys, close_notices, send_papers, prune_updates):
        scheduler.also_each_tick(work)
    if (checkpoints := checkpoint_publisher(settings.audit, sessions)) is not None:
        scheduler.also_each_tick(checkpoints.publish)
    for handlers in features(scheduler):
        app.add_handlers(handlers)
    app.bot_data.scheduler = scheduler
    app.add_error_handler(errors.on_error)
    return app
