"""The admins' round overview as a chart: per unit, how many nominations are drafts,
submitted, approved by the department, checked by 督查科 and scored (stacked bars), and
below it the nominations that have waited longest for someone's act."""

from __future__ import annotations

from datetime import datetime

from awardbot.documents.charts_base import ROW_IN, figure, png, style
from awardbot.documents.charts_model import Chart, OverviewChartData, UnitProgress, Waiting
from awardbot.documents.texts import Words

STAGES = ("drafts", "submitted", "approved", "checked", "scored")
COLOURS = ("#c9c9c9", "#f0b44c", "#5b9bd5", "#2e75b6", "#548235")
SHOWN_WAITING = 5


def _counts(unit: UnitProgress) -> tuple[int, ...]:
    return tuple(getattr(unit, stage) for stage in STAGES)


def _waited(words: Words, item: Waiting, as_of: datetime) -> str:
    hours = max(0, int((as_of - item.since).total_seconds() // 3600))
    return words("chart.overview.waiting_line", name=item.name, unit=item.unit,
                 stage=words(f"chart.overview.waits.{item.state}"), days=hours // 24,
                 hours=hours % 24)


def summary(data: OverviewChartData) -> str:
    words = Words(data.lang)
    period = words.period(data.round)
    lines = [words("chart.overview.summary_head", family=data.round.family, period=period,
                   moment=words.moment(data.as_of), units=len(data.units))]
    lines += [words("chart.overview.summary_unit", unit=u.unit, drafts=u.drafts,
                    submitted=u.submitted, approved=u.approved, checked=u.checked,
                    scored=u.scored) for u in data.units]
    if data.waiting:
        lines.append(words("chart.overview.summary_waiting"))
        lines += [_waited(words, item, data.as_of) for item in data.waiting]
    else:
        lines.append(words("chart.overview.nobody_waiting"))
    return "\n".join(lines)


def overview_chart(data: OverviewChartData) -> Chart:
    """The overview as a PNG (1080 px wide) and its text summary."""
    words = Words(data.lang)
    units = list(data.units)
    waiting = list(data.waiting[:SHOWN_WAITING])
    waiting_in = 0.7 + 0.32 * max(len(waiting), 1)
    with style():
        fig = figure(2.3 + max(len(units), 1) * ROW_IN + waiting_in)
        height = fig.get_figheight()
        bottom = (waiting_in + 0.55) / height
        top = 1 - 1.55 / height
        ax = fig.add_axes((0.30, bottom, 0.64, top - bottom))
        y = list(range(len(units)))
        left = [0] * len(units)
        for index, stage in enumerate(STAGES):
            values = [_counts(u)[index] for u in units]
            bars = ax.barh(y, values, left=left, color=COLOURS[index], height=0.7,
                           label=words(f"chart.overview.stage.{stage}"))
            for bar, value in zip(bars, values, strict=True):
                if value:
                    ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2,
                            str(value), ha="center", va="center", fontsize=10, color="#111111")
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(y, [u.unit for u in units], fontsize=11)
        ax.set_ylim(len(units) - 0.5, -0.5)
        ax.set_xlim(0, max(max(left, default=0), 1) * 1.05)
        ax.set_xlabel(words("chart.overview.axis"))
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(STAGES),
                  frameon=False, fontsize=11)
        period = words.period(data.round)
        fig.suptitle(words("chart.overview.title", family=data.round.family, period=period),
                     y=1 - 0.3 / height, fontsize=18)
        fig.text(0.5, 1 - 0.72 / height, words("chart.overview.subtitle",
                                                moment=words.moment(data.as_of)),
                 ha="center", fontsize=12, color="#555555")
        y_text = (waiting_in + 0.05) / height
        fig.text(0.04, y_text, words("chart.overview.waiting_title"), fontsize=13,
                 color="#8a1c1c", va="top")
        lines = ([_waited(words, item, data.as_of) for item in waiting]
                 or [words("chart.overview.nobody_waiting")])
        for index, line in enumerate(lines, start=1):
            fig.text(0.06, y_text - index * 0.32 / height, line, fontsize=11, va="top",
                     color="#333333")
        image = png(fig)
    return Chart(image, summary(data))
