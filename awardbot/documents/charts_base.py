"""Drawing charts with matplotlib in Noto Sans SC, without pyplot or global state.

Figures are made with :class:`matplotlib.figure.Figure` and rendered by the Agg canvas,
so nothing touches matplotlib's global backend; the font and the options below apply
only inside :func:`style`. Before a figure is saved every text on it is checked against
the font, so a name the font cannot draw is refused rather than drawn as boxes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from awardbot.documents.fonts import SANS, fonts, require_covered

WIDTH_PX = 1080
DPI = 100
ROW_IN = 0.34
MAX_HEIGHT_IN = 90.0  # Telegram refuses photos beyond ~10,000 px a side


@cache
def _registered() -> str:
    from matplotlib import font_manager

    path = str(fonts().path(SANS))
    font_manager.fontManager.addfont(path)
    return str(font_manager.FontProperties(fname=path).get_name())


@contextmanager
def style() -> Iterator[None]:
    import matplotlib

    family = _registered()
    options: dict[str, Any] = {
        "font.family": [family], "font.size": 13, "axes.unicode_minus": False,
        "text.parse_math": False, "axes.spines.top": False, "axes.spines.right": False,
        "axes.titlesize": 18, "axes.titleweight": "normal", "figure.dpi": DPI,
        "savefig.dpi": DPI}
    with matplotlib.rc_context(options):  # type: ignore[arg-type]
        yield


def figure(height_in: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH_PX / DPI, min(height_in, MAX_HEIGHT_IN)), dpi=DPI)


def png(fig: Any) -> bytes:
    """The figure as PNG bytes, after checking the font draws every text on it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    require_covered([t.get_text() for t in fig.findobj(Text)], families=(SANS,))
    FigureCanvasAgg(fig)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()
