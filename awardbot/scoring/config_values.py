"""Typed readers for configuration values, each naming the key path on failure."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import RulesError

T = TypeVar("T")


def whole(path: str, value: Any, low: int = 0, high: int | None = None) -> int:
    """A whole number within ``[low, high]``."""
    bound = f" ≥ {low}" if high is None else f" between {low} and {high}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesError(path, f"must be a whole number{bound}")
    if value < low or (high is not None and value > high):
        raise RulesError(path, f"must be a whole number{bound}")
    return value


def number(path: str, value: Any, low: Decimal, high: Decimal | None = None) -> Decimal:
    """A decimal number within ``[low, high]`` (floats are read by their shortest text)."""
    bound = f" ≥ {low}" if high is None else f" between {low} and {high}"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise RulesError(path, f"must be a number{bound}")
    try:
        result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - float('nan') and the like
        raise RulesError(path, f"must be a number{bound}") from exc
    if not result.is_finite() or result < low or (high is not None and result > high):
        raise RulesError(path, f"must be a number{bound}")
    return result


def boolean(path: str, value: Any) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise RulesError(path, "must be true or false")
    return value


def clock_time(path: str, value: Any) -> time:
    """A wall-clock time written ``"HH:MM"``."""
    if isinstance(value, time):
        return value
    reason = 'must be a time written "HH:MM", e.g. "17:30"'
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        raise RulesError(path, reason)
    try:
        return time(int(value[:2]), int(value[3:]))
    except ValueError as exc:
        raise RulesError(path, reason) from exc


def timezone_name(path: str, value: Any) -> str:
    """An IANA time-zone name such as ``"Asia/Shanghai"``."""
    if not isinstance(value, str) or not value:
        raise RulesError(path, 'must be an IANA time-zone name, e.g. "Asia/Shanghai"')
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RulesError(path, f"unknown time zone {value!r}") from exc
    return value


def table(
    path: str,
    value: Any,
    keys: tuple[str, ...],
    read: Callable[[str, Any], T],
    *,
    partial: bool = True,
) -> dict[str, T]:
    """A table with exactly the named keys (missing keys allowed when ``partial``)."""
    if not isinstance(value, Mapping):
        raise RulesError(path, f"must be a table with keys {', '.join(keys)}")
    for key in value:
        if key not in keys:
            raise RulesError(f"{path}.{key}", f"unknown key (expected one of {', '.join(keys)})")
    if not partial:
        for key in keys:
            if key not in value:
                raise RulesError(f"{path}.{key}", "missing")
    return {key: read(f"{path}.{key}", value[key]) for key in keys if key in value}
