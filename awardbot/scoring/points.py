"""Typed point tables of the point-scored awards, read from the catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .errors import CatalogueError

HONOUR_LEVELS = ("county", "municipal", "provincial")
LEADER_KINDS = ("in_charge", "principal")
INNOVATION_LEVELS = ("national", "provincial", "city")
MEDIA_LEVELS = ("national", "provincial")


def _num(path: str, value: Any) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise CatalogueError(path, "must be a number")
    result = Fraction(value)
    if result < 0:
        raise CatalogueError(path, "must be ≥ 0")
    return result


def _levels(path: str, value: Any, keys: tuple[str, ...]) -> Mapping[str, Fraction]:
    if not isinstance(value, Mapping) or set(value) != set(keys):
        raise CatalogueError(path, f"must be a table with keys {', '.join(keys)}")
    return {key: _num(f"{path}.{key}", value[key]) for key in keys}


def _take(path: str, data: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Fraction]:
    if not isinstance(data, Mapping):
        raise CatalogueError(path, "must be a table")
    unknown = set(data) - set(names)
    if unknown:
        raise CatalogueError(f"{path}.{sorted(unknown)[0]}", "unknown key")
    missing = [name for name in names if name not in data]
    if missing:
        raise CatalogueError(f"{path}.{missing[0]}", "missing")
    return {name: _num(f"{path}.{name}", data[name]) for name in names}


@dataclass(frozen=True)
class WindowPoints:
    """最美政务窗口 points: deductions, bonus bands and item caps."""

    safety_per_accident: Fraction
    staffing_per_violation: Fraction
    case_volume_bands: tuple[tuple[int, Fraction], ...]
    honour_points: Mapping[str, Fraction]
    honours_cap: Fraction
    info_adopted: Fraction
    info_not_adopted: Fraction
    info_cap: Fraction
    leader_points: Mapping[str, Fraction]
    leaders_cap: Fraction
    key_work_cap: Fraction

    _SCALARS = (
        "safety_per_accident", "staffing_per_violation", "honours_cap", "info_adopted",
        "info_not_adopted", "info_cap", "leaders_cap", "key_work_cap",
    )

    @classmethod
    def from_mapping(cls, path: str, data: Mapping[str, Any]) -> WindowPoints:
        tables = ("case_volume_bands", "honour_points", "leader_points")
        rest = {k: v for k, v in data.items() if k not in tables}
        scalars = _take(path, rest, cls._SCALARS)
        return cls(
            case_volume_bands=_bands(f"{path}.case_volume_bands", data.get("case_volume_bands")),
            honour_points=_levels(f"{path}.honour_points", data.get("honour_points"),
                                  HONOUR_LEVELS),
            leader_points=_levels(f"{path}.leader_points", data.get("leader_points"), LEADER_KINDS),
            **scalars,
        )

    def case_volume(self, cases: int) -> Fraction:
        """Points of the highest band reached; 0 below the first band."""
        points = Fraction(0)
        for lower, band_points in self.case_volume_bands:
            if cases >= lower:
                points = band_points
        return points


def _bands(path: str, value: Any) -> tuple[tuple[int, Fraction], ...]:
    if not isinstance(value, list) or not value:
        raise CatalogueError(path, "must be a list of [lower bound, points] pairs")
    bands: list[tuple[int, Fraction]] = []
    for index, pair in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(pair, list) or len(pair) != 2 or not isinstance(pair[0], int):
            raise CatalogueError(where, "must be [lower bound, points]")
        if bands and (pair[0] <= bands[-1][0] or _num(where, pair[1]) < bands[-1][1]):
            raise CatalogueError(where, "bands must rise in both bound and points")
        bands.append((pair[0], _num(where, pair[1])))
    return tuple(bands)


@dataclass(frozen=True)
class HallPoints:
    """Service-hall competition points: item maxima, per-finding steps, caps."""

    onboarding_max: Fraction
    functions_max: Fraction
    one_window_max: Fraction
    epidemic_max: Fraction
    guide_max: Fraction
    resumption_max: Fraction
    per_shortfall: Fraction
    utility_each: Fraction
    utilities_cap: Fraction
    service_item_max: Fraction
    innovation_points: Mapping[str, Fraction]
    innovations_cap: Fraction
    media_points: Mapping[str, Fraction]
    media_cap: Fraction

    @classmethod
    def from_mapping(cls, path: str, data: Mapping[str, Any]) -> HallPoints:
        tables = ("innovation_points", "media_points")
        names = tuple(f for f in cls.__dataclass_fields__ if f not in tables)
        rest = {k: v for k, v in data.items() if k not in tables}
        return cls(
            innovation_points=_levels(
                f"{path}.innovation_points", data.get("innovation_points"), INNOVATION_LEVELS
            ),
            media_points=_levels(f"{path}.media_points", data.get("media_points"), MEDIA_LEVELS),
            **_take(path, rest, names),
        )
