"""Score sheets per award, built from facts (RULES.md §1–4, §6)."""

from __future__ import annotations

from .base import Line, Section, Sheet, render_text
from .hall import HallBests, hall_bests, hall_sheet
from .persons import grade_sheet, staff_sheet
from .window import window_sheet

__all__ = [
    "HallBests", "Line", "Section", "Sheet", "grade_sheet", "hall_bests", "hall_sheet",
    "render_text", "staff_sheet", "window_sheet",
]
