"""What the documents and pictures are made from: plain frozen values, no database rows.

Every renderer takes these and returns bytes, so it can run in a worker process (they
pickle). Names are display-ready (an award's name, not its code); wording comes from
the text catalogue (``i18n/*/documents.toml``) and from :class:`DocumentStyle`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

SubjectKind = Literal["person", "unit"]

DEFAULT_PERSON_WORDING = ("{name}同志：\n在{period}{family}评选活动中表现突出，"
                          "荣获“{award}”称号。\n特发此证，以资鼓励。")
DEFAULT_UNIT_WORDING = ("{name}：\n在{period}{family}评选活动中表现突出，"
                        "荣获“{award}”称号。\n特发此证，以资鼓励。")
WORDING_FIELDS = frozenset({"name", "unit", "award", "period", "family", "issuer"})


@dataclass(frozen=True)
class DocumentStyle:
    """The bureau's own words (the ``[documents]`` settings)."""

    bureau_name: str = "市行政审批局"
    objection_contact: str = "督查科"
    seal_text: str = ""
    """Text of a red seal drawn by the issuer; empty draws none (the real seal is stamped)."""
    certificate_title: str = "荣誉证书"
    certificate_person: str = DEFAULT_PERSON_WORDING
    certificate_unit: str = DEFAULT_UNIT_WORDING
    certificate_layout: Path | None = None
    """A Typst file replacing the packaged certificate layout; None keeps the default."""

    def texts(self) -> tuple[str, ...]:
        """Every fixed text a document draws from the settings (for the font check)."""
        return (self.bureau_name, self.objection_contact, self.seal_text,
                self.certificate_title, self.certificate_person, self.certificate_unit)


@dataclass(frozen=True)
class RoundLabel:
    """Which competition: the family's display name and its period."""

    family: str
    """e.g. 最美政务人, 三牛奖, 最美政务大厅、优秀政务大厅"""
    year: int
    quarter: int | None = None


@dataclass(frozen=True)
class Winner:
    name: str
    unit: str = ""
    """The person's unit, or the window's or hall's parent unit; empty when none."""


@dataclass(frozen=True)
class AwardGroup:
    """One award (or one tier, such as 最美政务大厅) and its winners in rank order."""

    award: str
    subject: SubjectKind
    winners: tuple[Winner, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "winners", tuple(self.winners))


@dataclass(frozen=True)
class NoticeData:
    """公示: the decided list and its period (see ``workflow/papers.py`` to build it)."""

    round: RoundLabel
    groups: tuple[AwardGroup, ...]
    published_on: date
    starts_on: date
    ends_on: date
    closes_at: datetime
    """The closing moment in the bureau's time zone."""
    working_days: int = 3
    style: DocumentStyle = field(default_factory=DocumentStyle)
    lang: str = "zh"

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", tuple(self.groups))


@dataclass(frozen=True)
class WinnersData:
    """The final list as a picture for the channel."""

    round: RoundLabel
    groups: tuple[AwardGroup, ...]
    dated: date
    style: DocumentStyle = field(default_factory=DocumentStyle)
    lang: str = "zh"

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", tuple(self.groups))


@dataclass(frozen=True)
class Certificate:
    """荣誉证书 for one winner."""

    round: RoundLabel
    award: str
    subject: SubjectKind
    name: str
    unit: str
    issued_on: date
    number: str = ""
    """Printed small in a corner (the nomination's reference); empty prints none."""


@dataclass(frozen=True)
class CertificateBatch:
    """A round's certificates, printed as one PDF (a page each)."""

    certificates: tuple[Certificate, ...]
    style: DocumentStyle = field(default_factory=DocumentStyle)
    lang: str = "zh"

    def __post_init__(self) -> None:
        object.__setattr__(self, "certificates", tuple(self.certificates))

