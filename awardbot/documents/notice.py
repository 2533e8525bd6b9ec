"""公示 as a PDF: the form a bureau posts on its website and bulletin board.

The title (关于2026年度最美政务人评选结果的公示), an opening paragraph, a table of winners
per award (a tier such as 最美政务大厅 is its own group), the notice period with its
closing moment, how to object, and the issuer with the date. :func:`notice_text` writes
the words once; the PDF (here) and the Word file (``notice_docx.py``) lay out the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from awardbot.documents.fonts import require_covered
from awardbot.documents.model import AwardGroup, NoticeData
from awardbot.documents.texts import Words
from awardbot.documents.typeset import template, typeset


@dataclass(frozen=True)
class GroupText:
    heading: str
    columns: tuple[str, str, str]
    rows: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class NoticeText:
    title: str
    opening: str
    groups: tuple[GroupText, ...]
    period: str
    objection: str
    issuer: str
    dated: str
    seal: str

    def all_text(self) -> list[str]:
        cells = [cell for group in self.groups for row in group.rows for cell in row]
        headers = [text for group in self.groups for text in (group.heading, *group.columns)]
        return [self.title, self.opening, *headers, *cells, self.period, self.objection,
                self.issuer, self.dated, self.seal]


def _group(words: Words, group: AwardGroup) -> GroupText:
    count = len(group.winners)
    if group.subject == "person":
        heading = words("notice.group_person", award=group.award, count=count)
        columns = (words("notice.col_no"), words("notice.col_person"),
                   words("notice.col_person_unit"))
    else:
        heading = words("notice.group_unit", award=group.award, count=count)
        columns = (words("notice.col_no"), words("notice.col_name"), words("notice.col_parent"))
    rows = tuple((str(number), winner.name, winner.unit or words("notice.none"))
                 for number, winner in enumerate(group.winners, start=1))
    return GroupText(heading, columns, rows)


def notice_text(data: NoticeData) -> NoticeText:
    words = Words(data.lang)
    period = words.period(data.round)
    style = data.style
    return NoticeText(
        title=words("notice.title", period=period, family=data.round.family),
        opening=words("notice.opening", period=period, family=data.round.family),
        groups=tuple(_group(words, group) for group in data.groups if group.winners),
        period=words("notice.period", start=words.day(data.starts_on),
                     end=words.day(data.ends_on), days=data.working_days,
                     closes=words.moment(data.closes_at)),
        objection=words("notice.objection", contact=style.objection_contact),
        issuer=style.bureau_name, dated=words.day(data.published_on), seal=style.seal_text)


def notice_file_name(data: NoticeData, suffix: str) -> str:
    """e.g. ``公示-2026年度最美政务人.pdf``."""
    words = Words(data.lang)
    stem = words("notice.file_name", period=words.period(data.round), family=data.round.family)
    return f"{stem.replace('/', '-').replace(' ', '_')}.{suffix}"


def notice_pdf(data: NoticeData) -> bytes:
    """The 公示 as PDF bytes (A4, the fonts embedded)."""
    text = notice_text(data)
    require_covered(text.all_text())
    payload = {
        "title": text.title, "opening": text.opening, "period": text.period,
        "objection": text.objection, "issuer": text.issuer, "date": text.dated,
        "seal": text.seal, "lang": data.lang,
        "groups": [{"heading": g.heading, "columns": list(g.columns),
                    "rows": [list(row) for row in g.rows]} for g in text.groups],
    }
    return typeset(template("common") + template("notice"), payload, dated=data.published_on)
