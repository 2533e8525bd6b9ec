"""The satisfaction survey's ballots per candidate: a bar per candidate stacked by level
(很满意 … 不满意), its total at the end, and a line at the minimum number of votes a
candidate needs for the section to count (fewer: held back)."""

from __future__ import annotations

from awardbot.documents.charts_base import ROW_IN, figure, png, style
from awardbot.documents.charts_model import LEVELS, BallotsChartData, Chart
from awardbot.documents.texts import Words

COLOURS = ("#1a9850", "#91cf60", "#d9ef8b", "#fdae61", "#d73027")
LINE = "#1f4e79"


def summary(data: BallotsChartData) -> str:
    words = Words(data.lang)
    period = words.period(data.round)
    lines = [words("chart.ballots.summary_head", family=data.round.family, period=period,
                   count=len(data.candidates), minimum=data.minimum)]
    for c in data.candidates:
        levels = words("chart.ballots.separator").join(
            words("chart.ballots.summary_level", level=words.other(f"survey.level.{level}"),
                  count=count) for level, count in zip(LEVELS, c.counts, strict=True))
        short = words("chart.ballots.short") if c.total < data.minimum else ""
        lines.append(words("chart.ballots.summary_line", name=c.name, total=c.total,
                           levels=levels, short=short))
    return "\n".join(lines)


def ballots_chart(data: BallotsChartData) -> Chart:
    """The ballots as a PNG (1080 px wide) and its text summary."""
    words = Words(data.lang)
    candidates = list(data.candidates)
    with style():
        fig = figure(2.5 + max(len(candidates), 1) * ROW_IN)
        height = fig.get_figheight()
        ax = fig.add_axes((0.30, 0.75 / height, 0.60, 1 - 2.35 / height))
        y = list(range(len(candidates)))
        left = [0] * len(candidates)
        for index, level in enumerate(LEVELS):
            values = [c.counts[index] for c in candidates]
            ax.barh(y, values, left=left, color=COLOURS[index], height=0.7,
                    label=words.other(f"survey.level.{level}"))
            left = [a + b for a, b in zip(left, values, strict=True)]
        for row, c in enumerate(candidates):
            ax.text(c.total, row, f" {c.total}", va="center", fontsize=11,
                    color="#b00020" if c.total < data.minimum else "#111111")
        ax.set_yticks(y, [c.name for c in candidates], fontsize=11)
        for label, c in zip(ax.get_yticklabels(), candidates, strict=True):
            if c.total < data.minimum:
                label.set_color("#b00020")
        ax.set_ylim(len(candidates) - 0.5, -0.5)
        ax.set_xlim(0, max(max(left, default=0), data.minimum, 1) * 1.12)
        ax.axvline(data.minimum, color=LINE, linestyle="--", linewidth=1.5)
        ax.text(data.minimum, 1.0, words("chart.ballots.minimum", minimum=data.minimum),
                transform=ax.get_xaxis_transform(), ha="center", va="bottom", color=LINE,
                fontsize=10.5)
        ax.set_xlabel(words("chart.ballots.axis"))
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.06), ncol=len(LEVELS),
                  frameon=False, fontsize=11)
        period = words.period(data.round)
        fig.suptitle(words("chart.ballots.title", family=data.round.family, period=period),
                     y=1 - 0.3 / height, fontsize=18)
        fig.text(0.5, 1 - 0.72 / height, words("chart.ballots.subtitle",
                                                count=len(candidates), minimum=data.minimum),
                 ha="center", fontsize=12, color="#555555")
        image = png(fig)
    return Chart(image, summary(data))
