"""The evaluation ranking of one award as a chart, for the group leader's ``/progress``.

A bar per ranked candidate (its total), best at the top; the quota's line (or each
tier's) across the bars; entries tied exactly at a line hatched and marked, since the
party group decides them; held-back candidates listed apart below, with their reasons,
as they take no place.
"""

from __future__ import annotations

from awardbot.documents.charts_base import ROW_IN, figure, png, style
from awardbot.documents.charts_model import HELD_BACK, Chart, RankedCandidate, RankingChartData
from awardbot.documents.texts import Words

COLOURS = {"shortlisted": "#c0392b", "tier": "#c0392b", "not_shortlisted": "#b8b8b8",
           "tie_at_cut": "#e6a23c"}
TIER_COLOURS = ("#c0392b", "#e67e22", "#d4a017")
CUT_COLOUR = "#1f4e79"


def _cuts(data: RankingChartData) -> tuple[tuple[int, str], ...]:
    return data.cuts or ((data.quota, ""),)


def _colour(candidate: RankedCandidate, tiers: list[str]) -> str:
    if candidate.outcome == "tier" and candidate.tier in tiers:
        return TIER_COLOURS[tiers.index(candidate.tier) % len(TIER_COLOURS)]
    return COLOURS.get(candidate.outcome, COLOURS["not_shortlisted"])


def _outcome(words: Words, candidate: RankedCandidate) -> str:
    return words(f"chart.ranking.outcome.{candidate.outcome}", tier=candidate.tier) \
        if candidate.outcome == "tier" else words(f"chart.ranking.outcome.{candidate.outcome}")


def summary(data: RankingChartData) -> str:
    words = Words(data.lang)
    ranked = [c for c in data.candidates if c.outcome != HELD_BACK]
    held = [c for c in data.candidates if c.outcome == HELD_BACK]
    lines = [words("chart.ranking.summary_head", award=data.award, count=len(data.candidates),
                   quota=data.quota, held=len(held))]
    for position, tier in _cuts(data):
        lines.append(words("chart.ranking.summary_cut", position=position,
                           tier=f"（{tier}）" if tier and data.lang == "zh" else
                           (f" ({tier})" if tier else "")))
    for c in ranked:
        lines.append(words("chart.ranking.summary_line", rank=c.rank or "—", name=c.name,
                           total=c.total_text or words("chart.ranking.no_total"),
                           outcome=_outcome(words, c)))
    ties = [c.name for c in ranked if c.outcome == "tie_at_cut"]
    if ties:
        lines.append(words("chart.ranking.summary_ties", names="、".join(ties)))
    lines += [words("chart.ranking.summary_held", name=c.name, reasons="；".join(c.reasons))
              for c in held]
    return "\n".join(lines)


TICK_CHARS = 16  # about what fits left of the bars at 11 pt


def ranking_chart(data: RankingChartData) -> Chart:
    """The ranking as a PNG (1080 px wide) and its text summary."""
    words = Words(data.lang)
    ranked = [c for c in data.candidates if c.outcome != HELD_BACK]
    held = [c for c in data.candidates if c.outcome == HELD_BACK]
    tiers = [tier for _, tier in _cuts(data) if tier]
    rows = max(len(ranked), 1)
    held_in = 0.6 + 0.32 * len(held) if held else 0.0
    ticks = [_tick(c) for c in ranked]
    most = max((t.count("\n") for t in ticks), default=0)
    row_in = ROW_IN * (1 + 0.5 * most)  # room for the longest label's lines
    with style():
        fig = figure(2.3 + rows * row_in + held_in)
        top = 1 - 1.55 / fig.get_figheight()
        bottom = (held_in + 0.55) / fig.get_figheight()
        ax = fig.add_axes((0.30, bottom, 0.50, top - bottom))
        y = list(range(len(ranked)))
        totals = [float(c.total) if c.total is not None else 0.0 for c in ranked]
        bars = ax.barh(y, totals, color=[_colour(c, tiers) for c in ranked], height=0.72)
        for bar, c in zip(bars, ranked, strict=True):
            if c.outcome == "tie_at_cut":
                bar.set_hatch("//")
                bar.set_edgecolor("#8a5a00")
            label = c.total_text + (f"  {words('chart.ranking.tie_mark')}"
                                    if c.outcome == "tie_at_cut" else "")
            ax.annotate(label, (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                        xytext=(4, 0), textcoords="offset points", va="center", fontsize=11)
        ax.set_yticks(y, ticks, fontsize=11)
        ax.set_ylim(len(ranked) - 0.5, -0.5)
        ax.set_xlim(0, max(totals, default=1.0) * 1.15 or 1.0)
        ax.set_xlabel(words("chart.ranking.axis"))
        for position, tier in _cuts(data):
            if 0 < position < len(ranked) + 1:
                ax.axhline(position - 0.5, color=CUT_COLOUR, linestyle="--", linewidth=1.6)
                label = (words("chart.ranking.tier_cut", tier=tier, position=position) if tier
                         else words("chart.ranking.cut", position=position))
                ax.text(1.01, position - 0.5, label, transform=ax.get_yaxis_transform(),
                        ha="left", va="center", color=CUT_COLOUR, fontsize=10.5)
        fig.suptitle(words("chart.ranking.title", award=data.award),
                     y=1 - 0.3 / fig.get_figheight(), fontsize=18)
        fig.text(0.5, 1 - 0.72 / fig.get_figheight(), words(
            "chart.ranking.subtitle", quota=data.quota, count=len(data.candidates), held=len(held)),
            ha="center", fontsize=12, color="#555555")
        _legend(ax, words, tiers)
        if held:
            _held(fig, words, held, held_in)
        image = png(fig)
    return Chart(image, summary(data))


def _tick(candidate: RankedCandidate) -> str:
    """A row's label; a long one goes on more lines — the unit under the name, then a
    nested unit under that — so it is not cut off at the picture's edge."""
    lines = [f"{candidate.rank}. {candidate.name}"]
    while len(lines[-1]) > TICK_CHARS:
        last = lines.pop()
        cut = last.find("（", 1)
        if cut <= 0 or cut > TICK_CHARS:
            cut = TICK_CHARS
        lines += [last[:cut], last[cut:]]
    return "\n".join(lines)


def _legend(ax: object, words: Words, tiers: list[str]) -> None:
    from matplotlib.patches import Patch

    kinds = ([Patch(color=TIER_COLOURS[i % len(TIER_COLOURS)], label=tier)
              for i, tier in enumerate(tiers)] if tiers
             else [Patch(color=COLOURS["shortlisted"], label=words("chart.ranking.legend_in"))])
    kinds += [Patch(facecolor=COLOURS["tie_at_cut"], hatch="//", edgecolor="#8a5a00",
                    label=words("chart.ranking.legend_tie")),
              Patch(color=COLOURS["not_shortlisted"], label=words("chart.ranking.legend_out"))]
    ax.legend(handles=kinds, loc="lower center", bbox_to_anchor=(0.5, 1.0),  # type: ignore[attr-defined]
              ncol=len(kinds), frameon=False, fontsize=11)


def _held(fig: object, words: Words, held: list[RankedCandidate], height_in: float) -> None:
    total = fig.get_figheight()  # type: ignore[attr-defined]
    y = (height_in + 0.1) / total
    fig.text(0.04, y, words("chart.ranking.held_title"), fontsize=13,  # type: ignore[attr-defined]
             color="#8a1c1c", va="top")
    for index, c in enumerate(held, start=1):
        line = words("chart.ranking.held_line", name=c.name, reasons="；".join(c.reasons))
        fig.text(0.06, y - index * 0.32 / total, line, fontsize=11,  # type: ignore[attr-defined]
                 va="top", color="#333333")
