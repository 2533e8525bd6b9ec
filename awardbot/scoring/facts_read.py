"""Path-aware readers for JSON-like facts; each raises FactsError naming the key path."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import FactsError
from .facts import RECUSED, Judged, Tally
from .rules import RATING_LEVELS


def at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def obj(path: str, value: Any, allowed: tuple[str, ...], required: tuple[str, ...] = ()
        ) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise FactsError(path, "must be an object", "object")
    for key in value:
        if key not in allowed:
            raise FactsError(at(path, str(key)), f"unknown key (expected {', '.join(allowed)})",
                             "unknown_key")
    for key in required:
        if key not in value:
            raise FactsError(at(path, key), "missing", "missing")
    return value


def _bounded(code: str, high: int | None) -> str:
    return f"{code}_range" if high is not None else code


def whole(path: str, value: Any, low: int = 0, high: int | None = None) -> int:
    bound = f" ≥ {low}" if high is None else f" between {low} and {high}"
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (
        high is not None and value > high
    ):
        raise FactsError(path, f"must be a whole number{bound}", _bounded("whole", high),
                         low=low, high=high)
    return value


def decimal(path: str, value: Any, low: int = 0, high: int | None = None) -> Decimal:
    bound = f" ≥ {low}" if high is None else f" between {low} and {high}"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise FactsError(path, f"must be a number{bound}", _bounded("number", high),
                         low=low, high=high)
    try:
        result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover
        raise FactsError(path, f"must be a number{bound}", _bounded("number", high),
                         low=low, high=high) from exc
    if not result.is_finite() or result < low or (high is not None and result > high):
        raise FactsError(path, f"must be a number{bound}", _bounded("number", high),
                         low=low, high=high)
    return result


def text(path: str, value: Any, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise FactsError(path, "must be a non-empty text", "text")
    return value


def choice(path: str, value: Any, options: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in options:
        raise FactsError(path, f"must be one of {', '.join(options)}", "choice")
    return value


def flag(path: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise FactsError(path, "must be true or false", "flag")
    return value


def items(path: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise FactsError(path, "must be a list", "list")
    return value


def judged(path: str, value: Any) -> Judged:
    """``{"member": score | null | "recused"}``: null = not scored yet."""
    if not isinstance(value, Mapping):
        raise FactsError(path, 'must be an object of member: score, null or "recused"', "judged")
    scores: list[tuple[str, Decimal | None]] = []
    recused: list[str] = []
    for member, score in value.items():
        where = at(path, str(member))
        if score == RECUSED:
            recused.append(str(member))
        elif score is None:
            scores.append((str(member), None))
        elif isinstance(score, int | float | Decimal) and not isinstance(score, bool):
            scores.append((str(member), decimal(where, score, -1000, 1000)))
        else:
            raise FactsError(where, 'must be a number, null (not scored yet) or "recused"',
                             "judged")
    return Judged(tuple(scores), tuple(recused))


def tally(path: str, value: Any) -> Tally:
    """Counts per rating level; omitted levels count 0."""
    data = obj(path, value, RATING_LEVELS)
    counts = tuple(whole(at(path, level), data.get(level, 0)) for level in RATING_LEVELS)
    return Tally(counts)  # type: ignore[arg-type]
