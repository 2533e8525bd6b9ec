"""The award catalogue: families, awards, criteria, sections and points as data.

The table lives in ``catalogue.toml`` beside this module; :func:`parse_catalogue`
validates it into frozen dataclasses and :func:`default_catalogue` loads the packaged
copy once. Quotas are read from :class:`~awardbot.scoring.rules.Rules` through each
award's ``quota_setting``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

from .errors import CatalogueError
from .points import HallPoints, WindowPoints
from .rules import Rules

CYCLES = ("quarterly", "annual")
SUBJECTS = ("person", "window", "hall")
SHEETS = ("grades", "staff", "window", "hall")
UNIT_KINDS = ("window", "section", "institution", "subcentre", "hall", "bureau")


@dataclass(frozen=True)
class Names:
    """A text in Simplified Chinese with an English gloss."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class SectionSpec:
    key: str
    names: Names
    maximum: Fraction


@dataclass(frozen=True)
class Tier:
    code: str
    names: Names
    size_setting: str  # a Rules key path, or "rest"


@dataclass(frozen=True)
class Award:
    code: str
    family: str
    names: Names
    theme: Names | None
    subject: str
    sheet: str
    unit_kinds: frozenset[str]
    window_gate: bool
    min_service: bool
    quota_setting: str
    criteria: tuple[Names, ...]
    sections: tuple[SectionSpec, ...]
    tiers: tuple[Tier, ...]
    points: WindowPoints | HallPoints | None

    def section(self, key: str) -> SectionSpec:
        for spec in self.sections:
            if spec.key == key:
                return spec
        raise KeyError(key)


@dataclass(frozen=True)
class Family:
    code: str
    names: Names
    cycle: str
    awards: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    families: Mapping[str, Family]
    awards: Mapping[str, Award]
    items: Mapping[str, Names]
    terms: Mapping[str, Names]

    def award(self, code: str) -> Award:
        try:
            return self.awards[code]
        except KeyError:
            raise KeyError(f"unknown award {code!r}") from None

    def cycle(self, award: str) -> str:
        return self.families[self.award(award).family].cycle

    def quota(self, award: str, rules: Rules) -> int:
        """Places available to ``award`` under ``rules``."""
        return int(rules.setting(self.award(award).quota_setting))

    def tier_sizes(self, award: str, rules: Rules) -> tuple[tuple[Tier, int], ...]:
        """Outcome tiers with their sizes; empty for single-outcome awards."""
        spec = self.award(award)
        left = self.quota(award, rules)
        sizes: list[tuple[Tier, int]] = []
        for tier in spec.tiers:
            size = left if tier.size_setting == "rest" else int(rules.setting(tier.size_setting))
            size = min(size, left)
            sizes.append((tier, size))
            left -= size
        return tuple(sizes)

    def item(self, key: str) -> Names:
        return self.items[key]

    def term(self, code: str) -> Names:
        """A code of the facts or the roster (``hall``, ``power``, ``national``) in words;
        the code itself only if the rule book has no words for it."""
        return self.terms.get(code) or Names(code, code)


SUBJECT_NAMES = {
    "person": Names("个人", "person"),
    "window": Names("窗口", "window"),
    "hall": Names("政务大厅", "service hall"),
}


def _names(path: str, data: Any) -> Names:
    if not isinstance(data, Mapping):
        raise CatalogueError(path, "must be a table")
    zh, en = data.get("name_zh", data.get("zh")), data.get("name_en", data.get("en"))
    if not isinstance(zh, str) or not isinstance(en, str) or not zh or not en:
        raise CatalogueError(path, "needs a zh and an en name")
    return Names(zh, en)


def _choice(path: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise CatalogueError(path, f"must be one of {', '.join(allowed)}")
    return str(value)


def _sections(path: str, data: Any) -> tuple[SectionSpec, ...]:
    if not isinstance(data, Mapping) or not data:
        raise CatalogueError(path, "needs at least one section")
    specs = []
    for key, body in data.items():
        maximum = body.get("max") if isinstance(body, Mapping) else None
        if not isinstance(maximum, int | Decimal) or isinstance(maximum, bool) or maximum <= 0:
            raise CatalogueError(f"{path}.{key}.max", "must be a number > 0")
        specs.append(SectionSpec(key, _names(f"{path}.{key}", body), Fraction(maximum)))
    return tuple(specs)


def _quota_setting(path: str, value: Any) -> str:
    try:
        Rules().setting(str(value))
    except KeyError:
        raise CatalogueError(path, f"names no [rules] setting: {value!r}") from None
    return str(value)


def _award(code: str, data: Mapping[str, Any], families: Mapping[str, Any]) -> Award:
    path = f"awards.{code}"
    sheet = _choice(f"{path}.sheet", data.get("sheet"), SHEETS)
    kinds = data.get("unit_kinds")
    if not isinstance(kinds, list) or not kinds:
        raise CatalogueError(f"{path}.unit_kinds", "must be a non-empty list")
    for index, kind in enumerate(kinds):
        _choice(f"{path}.unit_kinds[{index}]", kind, UNIT_KINDS)
    points_cls: type[WindowPoints] | type[HallPoints] | None = {
        "window": WindowPoints, "hall": HallPoints}.get(sheet)
    tiers = tuple(
        Tier(
            str(t.get("code")), _names(f"{path}.tiers[{i}]", t),
            t.get("size_setting") if t.get("size_setting") == "rest"
            else _quota_setting(f"{path}.tiers[{i}].size_setting", t.get("size_setting")),
        )
        for i, t in enumerate(data.get("tiers", []))
    )
    return Award(
        code=code,
        family=_choice(f"{path}.family", data.get("family"), tuple(families)),
        names=_names(path, data),
        theme=Names(data["theme_zh"], data["theme_en"]) if "theme_zh" in data else None,
        subject=_choice(f"{path}.subject", data.get("subject"), SUBJECTS),
        sheet=sheet,
        unit_kinds=frozenset(kinds),
        window_gate=bool(data.get("window_gate")),
        min_service=bool(data.get("min_service")),
        quota_setting=_quota_setting(f"{path}.quota_setting", data.get("quota_setting")),
        criteria=tuple(_names(f"{path}.criteria[{i}]", c) for i, c in enumerate(data["criteria"])),
        sections=_sections(f"{path}.sections", data.get("sections")),
        tiers=tiers,
        points=points_cls.from_mapping(f"{path}.points", data.get("points", {}))
        if points_cls else None,
    )


def parse_catalogue(text: str) -> Catalogue:
    """Validate the catalogue table's text; raises :class:`CatalogueError`."""
    data = tomllib.loads(text, parse_float=Decimal)
    families = {
        code: Family(
            code, _names(f"families.{code}", body),
            _choice(f"families.{code}.cycle", body.get("cycle"), CYCLES),
            tuple(body.get("awards", ())),
        )
        for code, body in data.get("families", {}).items()
    }
    awards = {code: _award(code, body, families) for code, body in data.get("awards", {}).items()}
    for family in families.values():
        for code in family.awards:
            if code not in awards or awards[code].family != family.code:
                raise CatalogueError(f"families.{family.code}.awards", f"bad award {code!r}")
    items = {key: _names(f"items.{key}", body) for key, body in data.get("items", {}).items()}
    terms = {key: _names(f"terms.{key}", body) for key, body in data.get("terms", {}).items()}
    unnamed = {kind for award in awards.values() for kind in award.unit_kinds} - set(terms)
    if unnamed:
        raise CatalogueError("terms", f"no words for unit kinds {sorted(unnamed)}")
    return Catalogue(families, awards, items, terms)


@cache
def default_catalogue() -> Catalogue:
    """The packaged catalogue, parsed once."""
    text = resources.files(__package__).joinpath("catalogue.toml").read_text(encoding="utf-8")
    return parse_catalogue(text)
