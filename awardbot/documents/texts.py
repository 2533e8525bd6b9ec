"""The words of the documents, from the text catalogue (``i18n/*/documents.toml``).

Renderers run in worker processes, so the catalogue is loaded once per process here
rather than handed in. Dates and periods are written as the documents write them:
"2026年10月10日", "2026年度", "2026年第四季度".
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from awardbot.documents.model import RoundLabel
from awardbot.i18n import Catalogue


@cache
def catalogue() -> Catalogue:
    return Catalogue.load()


class Words:
    """``words("notice.title", ...)`` is the catalogue's ``documents.notice.title``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **params: Any) -> str:
        return catalogue().text(self.lang, f"documents.{key}", **params)

    def other(self, key: str, **params: Any) -> str:
        """A text outside the documents' own file (e.g. ``survey.level.satisfied``)."""
        return catalogue().text(self.lang, key, **params)

    def day(self, day: date) -> str:
        return self("date", year=day.year, month=day.month, day=day.day)

    def moment(self, moment: datetime) -> str:
        return self("moment", date=self.day(moment.date()), time=moment.strftime("%H:%M"))

    def period(self, label: RoundLabel) -> str:
        if label.quarter is None:
            return self("period.year", year=label.year)
        return self("period.quarter", year=label.year,
                    quarter=self(f"quarter.q{label.quarter}"))


def document_texts(lang: str) -> list[str]:
    """Every document text of a language (for the start-up font check)."""
    found = catalogue()
    return [found.text(lang, key) for key in sorted(found.keys())
            if key.startswith(("documents.", "survey.level."))]
