"""A round's evaluation as a workbook for the party-group meeting and the files.

One sheet per award with the ranking (rank, ref, nominee, unit, every section, total,
outcome or tier, hold reasons), one with every member's scores (recusals and
abstentions included) and one with the party group's changes and reasons. Headers are
from the text catalogue; sheets are set up for printing on A4 landscape.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from awardbot.db.models import Nomination, Review, Round, Staff
from awardbot.documents.text_input import clean
from awardbot.i18n import Catalogue
from awardbot.scoring import fmt
from awardbot.workflow.evaluation.decision import STEP
from awardbot.workflow.evaluation.ranking import Entry, entries, rank, ranking_record
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import render
from awardbot.workflow.policy import Permission, require_person
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services

EVALUATED = tuple(s.value for s in (
    State.CHECKED, State.SCORED, State.SHORTLISTED, State.NOT_SHORTLISTED, State.DECIDED,
    State.ON_NOTICE, State.AWARDED, State.OBJECTION_UPHELD))
THIN = Side(style="thin", color="999999")
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
MAX_WIDTH = 60


class Texts:
    def __init__(self, catalogue: Catalogue, lang: str) -> None:
        self.catalogue, self.lang = catalogue, lang

    def __call__(self, key: str, **params: Any) -> str:
        return self.catalogue.text(self.lang, f"export.{key}", **params)

    def show(self, value: Any) -> str:
        return render(self.catalogue, self.lang, value)


async def export_round(svc: Services, catalogue: Catalogue, round_id: int,
                       now: datetime, *, staff_id: int | None = None,
                       lang: str = "zh") -> tuple[str, bytes]:
    """The workbook's file name and bytes; ``staff_id`` (from chat) must be an admin."""
    async with svc.sessions.begin() as session:
        if staff_id is not None:
            await require_person(session, staff_id, Permission.EXPORT,
                                         refusal="decision.refuse.not_admin")
        round_ = await session.get(Round, round_id)
        if round_ is None:
            raise Refusal("export.no_round", round=round_id)
        found = await entries(session, svc, round_id, EVALUATED, lock=False)
        rankings = kept_rankings(svc, found, now)
        reviews = list(await session.execute(
            select(Review, Staff.name).join(Staff, Staff.id == Review.actor_id)
            .join(Nomination, Nomination.id == Review.nomination_id)
            .where(Nomination.round_id == round_id, Review.step == STEP)
            .order_by(Review.id)))
    t = Texts(catalogue, lang)
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    by_award: dict[str, list[Entry]] = defaultdict(list)
    for entry in found:
        by_award[entry.award].append(entry)
    for award, group in by_award.items():
        _ranking_sheet(book, svc, t, award, group, rankings)
    _scores_sheet(book, t, found)
    by_id = {e.row.id: e for e in found}
    _decision_sheet(book, t, [(r, name, by_id.get(r.nomination_id)) for r, name in reviews],
                    svc)
    out = io.BytesIO()
    book.save(out)
    family = svc.awards.families[round_.family].names.get(lang)
    return f"{family}-{round_.period}.xlsx", out.getvalue()


def kept_rankings(svc: Services, found: list[Entry], now: datetime
              ) -> dict[int, dict[str, Any]]:
    """The record kept at closing; for a round still scoring, a provisional one."""
    kept = {e.row.id: dict(e.row.ranking) for e in found if e.row.ranking}
    open_ = [e for e in found if not e.row.ranking]
    if open_:
        try:
            result = rank(svc, open_)
        except Refusal:
            return kept
        for ranking in result.rankings.values():
            for ranked in ranking.entries:
                record = ranking_record(ranked, result.sheets[ranked.nomination_id], now)
                kept[int(ranked.nomination_id)] = {**record, "provisional": True}
    return kept


def _ranking_sheet(book: Workbook, svc: Services, t: Texts, award: str,
                   group: list[Entry], rankings: dict[int, dict[str, Any]]) -> None:
    spec = svc.awards.award(award)
    sheet = book.create_sheet(getattr(spec.names, t.lang)[:31])
    sections = [s.key for s in spec.sections]
    tiers = {tier.code: tier.names for tier in spec.tiers}
    _append(sheet, [t("rank"), t("ref"), t("nominee"), t("unit"),
                  *[getattr(s.names, t.lang) for s in spec.sections],
                  t("total"), t("outcome_header"), t("state"), t("reasons")])

    def order(entry: Entry) -> tuple[int, str]:
        return (rankings.get(entry.row.id, {}).get("rank") or 10**9, entry.ref)

    for entry in sorted(group, key=order):
        record = rankings.get(entry.row.id, {})
        tier = tiers.get(record.get("tier") or "")
        outcome = getattr(tier, t.lang) if tier else t(f"outcome.{record.get('outcome', 'none')}")
        if record.get("provisional"):
            outcome = t("provisional", outcome=outcome)
        reasons = "；".join(r.get(t.lang, "") for r in record.get("reasons", []))
        _append(sheet, [record.get("rank"), entry.ref, entry.subject.name, entry.subject.unit,
                      *[_number(record.get("sections", {}).get(k)) for k in sections],
                      _number(record.get("total")), outcome,
                      t.show({"$text": f"states.{entry.row.state}"}), reasons])
    _format(sheet)


def _scores_sheet(book: Workbook, t: Texts, found: list[Entry]) -> None:
    sheet = book.create_sheet(t("scores_title"))
    _append(sheet, [t("ref"), t("nominee"), t("member"), t("staff_no"), t("item"),
                  t("score"), t("status_header")])
    for entry in found:
        for member in entry.judging.members:
            recused = entry.judging.recused(member, entry.row)
            for item in entry.items:
                score = entry.judging.scores.get((member.staff_id, item.key))
                value = None
                if recused:
                    status = t("status.recused")
                elif score is None:
                    status = t("status.missing")
                elif score.abstained or score.value is None:
                    status = t("status.abstained")
                else:
                    status, value = t("status.scored"), _number(fmt(score.value))
                _append(sheet, [entry.ref, entry.subject.name, member.name, member.staff_no,
                              t.show(item.label), value, status])
    _format(sheet)


def _decision_sheet(book: Workbook, t: Texts, reviews: list[tuple[Review, str, Entry | None]],
                    svc: Services) -> None:
    sheet = book.create_sheet(t("decision_title"))
    _append(sheet, [t("ref"), t("nominee"), t("decision_made"), t("reason"), t("actor"), t("time")])
    tz = svc.rules.tz
    for review, actor, entry in reviews:
        _append(sheet, [entry.ref if entry else review.nomination_id,
                      entry.subject.name if entry else "",
                      t(f"decision.{review.decision}"), review.comment or "", actor,
                      review.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")])
    _format(sheet)


def _number(value: Any) -> Any:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return int(number) if number.is_integer() else number


def _append(sheet: Worksheet, values: list[Any]) -> None:
    """A row; text cleaned of what a spreadsheet cannot hold (pasted control characters)."""
    sheet.append([clean(v) if isinstance(v, str) else v for v in values])


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    longest = max((sum(2 if ord(ch) > 0x2E7F else 1 for ch in line)
                   for line in text.split("\n")), default=0)
    return min(MAX_WIDTH, longest + 2)


def _format(sheet: Worksheet) -> None:
    """Header row bold and repeated on every page, frozen; widths fit; A4 landscape."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in sheet.iter_rows():
        for cell in row:
            cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
            if cell.row > 1:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    for index, column in enumerate(sheet.iter_cols(), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            8, *(_width(c.value) for c in column))
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
