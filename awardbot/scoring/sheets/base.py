"""The score sheet: sections of explained lines, an exact total, problems and holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..catalogue import Catalogue, Names, SectionSpec
from ..exact import ZERO, fmt, fraction_text
from ..messages import Message


@dataclass(frozen=True)
class Line:
    """One item: its input, the rule applied, the points, and what cut them."""

    item: str
    names: Names
    input: Message
    rule: Message
    points: Fraction
    uncut: Fraction
    cut: str | None = None  # "cap" | "floor" | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item, "name_zh": self.names.zh, "name_en": self.names.en,
            "input": self.input.to_dict(), "rule": self.rule.to_dict(),
            "points": fmt(self.points), "exact": fraction_text(self.points),
            "uncut": fmt(self.uncut), "cut": self.cut,
        }


@dataclass(frozen=True)
class Section:
    key: str
    names: Names
    maximum: Fraction
    lines: tuple[Line, ...]
    points: Fraction
    incomplete: bool = False


@dataclass(frozen=True)
class Sheet:
    award: str
    names: Names
    sections: tuple[Section, ...]
    total: Fraction
    problems: tuple[Message, ...] = ()
    holds: tuple[Message, ...] = ()
    criteria_count: int = 0

    @property
    def complete(self) -> bool:
        return not self.problems

    @property
    def rankable(self) -> bool:
        """Complete and not flagged for separate handling."""
        return not self.problems and not self.holds

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def render(self, lang: str = "zh") -> str:
        return render_text(self, lang)

    def to_dict(self) -> dict[str, Any]:
        return {
            "award": self.award, "name_zh": self.names.zh, "name_en": self.names.en,
            "total": fmt(self.total), "exact_total": fraction_text(self.total),
            "complete": self.complete, "criteria_count": self.criteria_count,
            "sections": [
                {"key": s.key, "name_zh": s.names.zh, "name_en": s.names.en,
                 "max": fmt(s.maximum), "points": fmt(s.points),
                 "exact": fraction_text(s.points), "incomplete": s.incomplete,
                 "lines": [line.to_dict() for line in s.lines]}
                for s in self.sections
            ],
            "problems": [m.to_dict() for m in self.problems],
            "holds": [m.to_dict() for m in self.holds],
        }


def line(item: str, catalogue: Catalogue, input_: Message, rule: Message, uncut: Fraction,
         low: Fraction = ZERO, high: Fraction | None = None) -> Line:
    """A line clamped to ``[low, high]``, recording which bound cut it."""
    points, cut = uncut, None
    if uncut < low:
        points, cut = low, "floor"
    elif high is not None and uncut > high:
        points, cut = high, "cap"
    return Line(item, catalogue.item(item), input_, rule, points, uncut, cut)


def section(spec: SectionSpec, lines: Sequence[Line], catalogue: Catalogue,
            incomplete: bool = False) -> Section:
    """A section whose points are the sum of its lines, adding a cap/floor line if cut."""
    subtotal = sum((ln.points for ln in lines), ZERO)
    extra: list[Line] = []
    if subtotal > spec.maximum:
        rule = Message("rule_section_cap", {"max": spec.maximum})
        extra.append(Line("cap", catalogue.item("cap"), Message("in_subtotal", {
            "subtotal": subtotal}), rule, spec.maximum - subtotal, spec.maximum - subtotal, "cap"))
    elif subtotal < 0:
        extra.append(Line("floor", catalogue.item("floor"), Message("in_subtotal", {
            "subtotal": subtotal}), Message("rule_section_floor"), -subtotal, -subtotal,
            "floor"))
    all_lines = (*lines, *extra)
    points = sum((ln.points for ln in all_lines), ZERO)
    return Section(spec.key, spec.names, spec.maximum, all_lines, points, incomplete)


def sheet(award: str, catalogue: Catalogue, sections: Sequence[Section],
          problems: Sequence[Message] = (), holds: Sequence[Message] = (),
          criteria_count: int = 0) -> Sheet:
    total = sum((s.points for s in sections), ZERO)
    return Sheet(award, catalogue.award(award).names, tuple(sections), total,
                 tuple(problems), tuple(holds), criteria_count)


def render_text(sh: Sheet, lang: str = "zh") -> str:
    """The sheet as plain text, one line per item."""
    zh = lang == "zh"
    colon = "：" if zh else ": "
    out = [f"{sh.names.get(lang)} — {'评分表' if zh else 'score sheet'}"]
    for sec in sh.sections:
        flag = (" （不完整）" if zh else " (incomplete)") if sec.incomplete else ""
        out.append(f"{sec.names.get(lang)}  {fmt(sec.points)} / {fmt(sec.maximum)}{flag}")
        for ln in sec.lines:
            cut = ""
            if ln.cut:
                word = {"cap": ("封顶", "capped"), "floor": ("保底", "floored")}[ln.cut]
                was = fmt(ln.uncut)
                cut = f" [{word[0]}，原 {was}]" if zh else f" [{word[1]}, was {was}]"
            out.append(f"  · {ln.names.get(lang)}{colon}{ln.input.render(lang)} | "
                       f"{ln.rule.render(lang)} | {fmt(ln.points)}{cut}")
    out.append(f"{'合计' if zh else 'Total'}{colon}{fmt(sh.total)}")
    for label, messages in ((("问题", "Problems"), sh.problems), (("另行处理", "Held"), sh.holds)):
        for message in messages:
            out.append(f"{label[0] if zh else label[1]}{colon}{message.render(lang)}")
    return "\n".join(out)
