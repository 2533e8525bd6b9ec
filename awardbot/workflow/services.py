"""The one services value every use case is handed: the session factory, the rule book and
the settings each wing reads. Built once in ``bot/app.py`` (or by a command or a test);
frozen, so it can be passed anywhere and never changes under a use case.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.engine import SessionFactory
from awardbot.documents.application_form import FormData
from awardbot.documents.model import DocumentStyle
from awardbot.scoring import Catalogue as AwardCatalogue
from awardbot.scoring import Rules, WorkingCalendar, default_catalogue
from awardbot.storage.evidence_store import EvidenceStore
from awardbot.workflow.rounds.plan import SchedulePlan

CalendarSource = Callable[[AsyncSession], Awaitable[WorkingCalendar]]
# Runs a slow pure function (a renderer) away from the event loop: fn(arg) -> result.
Offload = Callable[[Callable[[Any], Any], Any], Awaitable[Any]]


async def in_thread(fn: Callable[[Any], Any], arg: Any) -> Any:
    """The default :data:`Offload`: a thread (the bot uses its worker process)."""
    return await asyncio.to_thread(fn, arg)


async def package_calendar(_session: AsyncSession) -> WorkingCalendar:
    """The official calendar package only (no admin-loaded years)."""
    return WorkingCalendar()


@dataclass(frozen=True)
class Limits:
    """How much people may send: a statement's length, evidence files, an objection."""

    statement_max_chars: int = 1000
    max_evidence: int = 20
    max_file_bytes: int = 20 * 1024 * 1024
    objection_max_chars: int = 2000
    objection_max_files: int = 10


@dataclass(frozen=True)
class Services:
    sessions: SessionFactory
    awards: AwardCatalogue = field(default_factory=default_catalogue)
    rules: Rules = field(default_factory=Rules)
    plan: SchedulePlan = field(default_factory=SchedulePlan)
    limits: Limits = field(default_factory=Limits)
    store: EvidenceStore | None = None  # evidence files (intake, objections)
    # Builds the 申报表; the bot runs it in a worker process so that a burst of
    # submissions does not slow everyone else's answers (default: a thread).
    form_builder: Callable[[FormData], Awaitable[bytes]] | None = None
    calendar: CalendarSource = package_calendar  # the working days notices are counted in
    channel_chat_id: int | None = None  # where notices are also posted; None: nowhere
    style: DocumentStyle = field(default_factory=DocumentStyle)  # the papers' wording
    offload: Offload = in_thread  # where notices, certificates and charts are rendered

    @property
    def evidence(self) -> EvidenceStore:
        """The evidence store, which every use case that keeps files needs."""
        if self.store is None:
            raise RuntimeError("these services were built without an evidence store")
        return self.store
