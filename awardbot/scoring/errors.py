"""Errors raised by the rule-book layer; each names what was wrong and where."""

from __future__ import annotations


class ScoringError(Exception):
    """Base class of every error the scoring layer raises on bad input."""


class PathError(ScoringError):
    """An error about one value, located by a key path such as ``honours[2].level``."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}" if path else reason)


class RulesError(PathError):
    """A ``[rules]`` configuration value is unknown, of the wrong type or out of range."""


class FactsError(PathError):
    """A nomination's facts do not follow the documented schema (docs/facts.md).

    ``code`` names the kind of problem (``whole``, ``number``, ``choice`` …) and ``params``
    its bounds, so a chat can say it in the reader's language; ``reason`` is the English
    the command line prints."""

    def __init__(self, path: str, reason: str, code: str = "", **params: object) -> None:
        super().__init__(path, reason)
        self.code, self.params = code, params


class CatalogueError(PathError):
    """The award catalogue table is malformed (a packaging bug, caught at load)."""


class CalendarError(PathError):
    """An admin-loaded working-day calendar is malformed."""


class CalendarUnavailable(ScoringError):
    """No official working-day data exists for ``year``; we refuse to guess."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"no official working-day calendar for {year}: load the State Council "
            f"schedule for {year} before computing deadlines or notice periods in it"
        )
