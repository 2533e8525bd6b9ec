"""The rule book's open decisions as settings: one frozen :class:`Rules` value.

Every "Decision" of RULES.md is a field here with the documented default; the
``[rules]`` section of the configuration overrides any of them through
:meth:`Rules.from_mapping`, which rejects unknown keys, wrong types and values out of
range with a :class:`RulesError` naming the key path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import time
from decimal import Decimal
from functools import partial
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from . import config_values as cv
from .errors import RulesError

SANNIU_AWARDS = ("ruzi_niu", "tuohuang_niu", "laohuang_niu")
EXTERNAL_LEVELS = ("kunshan", "suzhou", "provincial")
RATING_LEVELS = ("very_satisfied", "satisfied", "fairly_satisfied", "average", "dissatisfied")

D = Decimal
_ZERO, _ONE, _TWO, _FIVE, _TEN, _NINETY = D(0), D(1), D(2), D(5), D(10), D(90)
_TENTH, _HALF = D("0.1"), D("0.5")


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Rules:
    """Settings of the rule book. Defaults are the documented decisions."""

    sanniu_total: int = 90
    sanniu_split: Mapping[str, int] = field(
        default_factory=lambda: _frozen(dict.fromkeys(SANNIU_AWARDS, 30))
    )
    sanniu_move_unused: bool = False
    zuimei_staff_quota: int = 80
    zuimei_window_quota: int = 12
    hall_total: int = 24
    most_beautiful_quota: int = 8
    grade_min: Decimal = _ZERO
    grade_max: Decimal = _TEN
    judged_step: Decimal = _TENTH
    key_work_item_min: Decimal = _ONE
    key_work_item_max: Decimal = _TWO
    pilot_reform_points: Decimal = _FIVE
    info_external_points: Mapping[str, Decimal] = field(
        default_factory=lambda: _frozen(
            {"kunshan": D(1), "suzhou": D("1.5"), "provincial": D(2)}
        )
    )
    info_not_adopted_quarter_cap: Decimal = _HALF
    rating_points: Mapping[str, Decimal] = field(
        default_factory=lambda: _frozen(
            dict(zip(RATING_LEVELS, map(D, (20, 18, 15, 10, 0)), strict=True))
        )
    )
    survey_min_votes: int = 10
    window_gate_threshold: Decimal = _NINETY
    window_unit_threshold: Decimal = _NINETY
    min_service_years: int = 1
    serious_accident_holds: bool = True
    notice_working_days: int = 3
    office_hours_end: time = time(17, 30)
    timezone: str = "Asia/Shanghai"

    @property
    def tz(self) -> ZoneInfo:
        """The bureau's time zone."""
        return ZoneInfo(self.timezone)

    def setting(self, dotted: str) -> Any:
        """Read a setting by its key path, e.g. ``"sanniu_split.ruzi_niu"``."""
        head, _, tail = dotted.partition(".")
        if head not in _READERS:
            raise KeyError(dotted)
        value = getattr(self, head)
        return value[tail] if tail else value

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], prefix: str = "rules") -> Rules:
        """Build from a ``[rules]`` table; omitted keys keep their defaults."""
        if not isinstance(data, Mapping):
            raise RulesError(prefix, "must be a table")
        values: dict[str, Any] = {}
        data = _renamed(data, prefix)
        for key, raw in data.items():
            reader = _READERS.get(key)
            if reader is None:
                raise RulesError(f"{prefix}.{key}", "unknown setting")
            values[key] = reader(f"{prefix}.{key}", raw)
        base = cls()
        for key in ("sanniu_split", "info_external_points", "rating_points"):
            if key in values:
                values[key] = _frozen({**getattr(base, key), **values[key]})
        rules = replace(base, **values)
        _check_consistency(rules, data, prefix)
        return rules


# Award codes renamed to one spelling rule (the modifier's pinyin, then ``_niu``); a
# config written before still reads. Old → new.
RENAMED_AWARDS = {"lao_huangniu": "laohuang_niu"}


def _renamed(data: Mapping[str, Any], prefix: str) -> Mapping[str, Any]:
    split = data.get("sanniu_split")
    if not isinstance(split, Mapping) or not RENAMED_AWARDS.keys() & split.keys():
        return data
    moved = dict(split)
    for old, new in RENAMED_AWARDS.items():
        if old in moved:
            if new in moved:
                raise RulesError(f"{prefix}.sanniu_split.{old}",
                                 f"is the old name of {new}, which is given too; keep {new}")
            moved[new] = moved.pop(old)
    return {**data, "sanniu_split": moved}


def _check_consistency(rules: Rules, given: Mapping[str, Any], prefix: str) -> None:
    split_sum = sum(rules.sanniu_split.values())
    if split_sum != rules.sanniu_total:
        where = "sanniu_split" if "sanniu_split" in given else "sanniu_total"
        raise RulesError(
            f"{prefix}.{where}",
            f"the sanniu split sums to {split_sum} but sanniu_total is "
            f"{rules.sanniu_total}; change both together",
        )
    if rules.most_beautiful_quota > rules.hall_total:
        raise RulesError(
            f"{prefix}.most_beautiful_quota",
            f"must not exceed hall_total ({rules.hall_total})",
        )
    if rules.grade_min >= rules.grade_max:
        raise RulesError(f"{prefix}.grade_max",
                         f"must be greater than grade_min ({rules.grade_min})")
    if rules.key_work_item_min > rules.key_work_item_max:
        raise RulesError(
            f"{prefix}.key_work_item_max",
            f"must not be below key_work_item_min ({rules.key_work_item_min})",
        )


def _num(low: int | str, high: int | str | None = None) -> Callable[[str, Any], Decimal]:
    return partial(cv.number, low=D(low), high=None if high is None else D(high))


def _step(path: str, value: Any) -> Decimal:
    result = cv.number(path, value, D("0.0001"), D(1))
    if D(1) % result:
        raise RulesError(path, "must divide 1 exactly (e.g. 0.1, 0.5, 1)")
    return result


_READERS: dict[str, Callable[[str, Any], Any]] = {
    "sanniu_total": partial(cv.whole, low=0),
    "sanniu_split": partial(
        cv.table, keys=SANNIU_AWARDS, read=partial(cv.whole, low=0)
    ),
    "sanniu_move_unused": cv.boolean,
    "zuimei_staff_quota": partial(cv.whole, low=0),
    "zuimei_window_quota": partial(cv.whole, low=0),
    "hall_total": partial(cv.whole, low=0),
    "most_beautiful_quota": partial(cv.whole, low=0),
    "grade_min": _num(0, 100),
    "grade_max": _num(0, 100),
    "judged_step": _step,
    "key_work_item_min": _num(0, 10),
    "key_work_item_max": _num(0, 10),
    "pilot_reform_points": _num(0, 5),
    "info_external_points": partial(cv.table, keys=EXTERNAL_LEVELS, read=_num(0, "2.5")),
    "info_not_adopted_quarter_cap": _num(0, "2.5"),
    "rating_points": partial(cv.table, keys=RATING_LEVELS, read=_num(0, 20)),
    "survey_min_votes": partial(cv.whole, low=0),
    "window_gate_threshold": _num(0, 100),
    "window_unit_threshold": _num(0, 100),
    "min_service_years": partial(cv.whole, low=0, high=50),
    "serious_accident_holds": cv.boolean,
    "notice_working_days": partial(cv.whole, low=1, high=30),
    "office_hours_end": cv.clock_time,
    "timezone": cv.timezone_name,
}

