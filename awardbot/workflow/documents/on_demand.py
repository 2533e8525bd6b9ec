"""/papers: an admin picks a round and gets its papers and charts in chat, by buttons.

What a round offers follows its stage: the overview per unit (who waits longest) always;
the survey's ballots once a survey exists; the ranking from the evaluation on; the 公示 as
PDF and Word once published; the winners' picture and every certificate in one printable
PDF once final. The evaluation group leader reaches the ranking chart from /progress.
Charts come with their text summary, for screen readers and for people who prefer text.
Rendering runs through ``svc.offload``, never on the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.callbacks import Kind, data
from awardbot.db.models import Round, Survey
from awardbot.documents.certificates import certificates_pdf
from awardbot.documents.charts_ballots import ballots_chart
from awardbot.documents.charts_model import Chart
from awardbot.documents.charts_overview import overview_chart
from awardbot.documents.charts_ranking import ranking_chart
from awardbot.documents.notice import notice_file_name, notice_pdf
from awardbot.documents.notice_docx import notice_docx
from awardbot.documents.winners_image import winners_png
from awardbot.workflow.documents.charts import ballots_data, overview_data, ranking_data
from awardbot.workflow.documents.queries import (
    Papers,
    certificate_batch,
    notice_data,
    winners_data,
)
from awardbot.workflow.messages import Button, Message, Text
from awardbot.workflow.policy import Permission, require_person
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.rounds import stages
from awardbot.workflow.rounds.stages import Stage
from awardbot.workflow.services import Services

PICK, MAKE = Kind.PAPERS_PICK, Kind.PAPERS_MAKE
OVERVIEW, BALLOTS, RANKING, NOTICE, WINNERS, CERTIFICATES = (
    "ov", "bl", "rk", "nt", "wn", "ct")
AFTER_EVALUATION = frozenset({Stage.EVALUATION, Stage.RANKED, Stage.DECIDED, Stage.NOTICE,
                              Stage.FINAL})


@dataclass(frozen=True)
class Paper:
    kind: str  # "photo" | "document"
    content: bytes
    name: str
    summary: str = ""  # a chart's words, sent beside it


async def rounds(svc: Services, staff_id: int) -> Message:
    async with svc.sessions() as session:
        await require_person(session, staff_id, Permission.EXPORT)
        found = list(await session.scalars(select(Round).order_by(Round.id.desc())))
    if not found:
        return Message(Text("papers.menu.no_rounds"))
    return Message(Text("papers.menu.pick"), tuple(
        (Button(Text("papers.menu.round", stages.label(r)), data(PICK, r.id)),)
        for r in found[:20]))


async def round_menu(svc: Services, staff_id: int, round_id: int) -> Message:
    async with svc.sessions() as session:
        await require_person(session, staff_id, Permission.EXPORT)
        round_ = await _round(session, round_id)
        has_survey = await session.scalar(
            select(Survey.id).where(Survey.round_id == round_id)) is not None
    stage = stages.stored(round_)
    offered = [OVERVIEW]
    offered += [BALLOTS] if has_survey else []
    offered += [RANKING] if stage in AFTER_EVALUATION else []
    offered += [NOTICE] if stage in (Stage.NOTICE, Stage.FINAL) else []
    offered += [WINNERS, CERTIFICATES] if stage is Stage.FINAL else []
    return Message(Text("papers.menu.menu", {**stages.label(round_),
                                                  "stage": Text(f"rounds.stage.{stage.value}")}),
                   tuple((Button(Text(f"papers.menu.{what}"),
                                 data(MAKE, round_id, what)),) for what in offered))


async def make(svc: Services, staff_id: int, round_id: int, what: str, now: datetime,
               lang: str = "zh") -> list[Paper]:
    """The papers asked for, rendered; a refusal when the round has none of them yet."""
    papers = Papers(svc.awards, svc.rules, svc.style, lang)
    async with svc.sessions() as session:
        await _may(session, staff_id, what)
        await _round(session, round_id)
        if what == OVERVIEW:
            return [_chart(await svc.offload(overview_chart, await overview_data(
                session, papers, round_id, now)), "overview")]
        if what == BALLOTS:
            return [_chart(await svc.offload(ballots_chart, await ballots_data(
                session, papers, round_id)), "ballots")]
        if what == RANKING:
            charts = await ranking_data(session, svc, round_id, now, lang)
            if not charts:
                raise Refusal("papers.menu.nothing_ranked")
            return [_chart(await svc.offload(ranking_chart, data), f"ranking-{n}")
                    for n, data in enumerate(charts, start=1)]
        if what == NOTICE:
            data = await notice_data(session, papers, round_id)
            return [Paper("document", await svc.offload(notice_pdf, data),
                          notice_file_name(data, "pdf")),
                    Paper("document", await svc.offload(notice_docx, data),
                          notice_file_name(data, "docx"))]
        if what == WINNERS:
            winners = await winners_data(session, papers, round_id)
            return [Paper("photo", png, f"winners-{n}.png") for n, png in
                    enumerate(await svc.offload(winners_png, winners), start=1)]
        if what == CERTIFICATES:
            batch = await certificate_batch(session, papers, round_id)
            name = f"荣誉证书-{batch.certificates[0].round.family}.pdf".replace("/", "-")
            return [Paper("document", await svc.offload(certificates_pdf, batch), name)]
    raise Refusal("errors.stale_button")


def _chart(chart: Chart, name: str) -> Paper:
    return Paper("photo", chart.png, f"{name}.png", chart.summary)


async def _may(session: AsyncSession, staff_id: int, what: str) -> None:
    """Admins get everything; the evaluation group leader the ranking too."""
    try:
        await require_person(session, staff_id, Permission.EXPORT)
    except Refusal:
        if what != RANKING:
            raise
        await require_person(session, staff_id, Permission.LEAD_EVALUATION)


async def _round(session: AsyncSession, round_id: int) -> Round:
    found = await session.get(Round, round_id)
    if found is None:
        raise Refusal("errors.stale_button")
    return found

