"""The progress message: a broadcast's counts in words, with the buttons its state allows.

Pure: the same card is drawn by the handler right after a press and by the progress
updater every few seconds, so the two never disagree.
"""

from __future__ import annotations

import math

from awardbot.workflow import delivery
from awardbot.workflow.broadcast.model import (
    CANCELLED,
    CANCELLING,
    DONE,
    PAUSED,
    SENDING,
    Card,
    Choice,
)
from awardbot.workflow.broadcast.send import Progress
from awardbot.workflow.messages import Text


def eta_text(seconds: float | None) -> Text:
    """Time left at the observed rate, in whole minutes (hours past 90 minutes)."""
    if seconds is None or not math.isfinite(seconds):
        return Text("broadcast.eta.unknown")
    if seconds < 60:
        return Text("broadcast.eta.soon")
    minutes = math.ceil(seconds / 60)
    if minutes < 90:
        return Text("broadcast.eta.minutes", {"minutes": minutes})
    return Text("broadcast.eta.hours", {"hours": minutes // 60, "minutes": minutes % 60})


def _n(value: int) -> str:
    return f"{value:,}"


def progress_card(progress: Progress, eta_s: float | None = None, *,
                  final: bool = False) -> Card:
    """``final``: the broadcast has just been closed (done or cancelled), no buttons."""
    state = progress.state
    if final and state == CANCELLING:
        state = CANCELLED
    elif final and state in (SENDING, PAUSED):
        state = DONE
    params = {
        "id": progress.broadcast_id, "total": _n(progress.total),
        "sent": _n(progress.count(delivery.SENT)), "blocked": _n(progress.count(delivery.BLOCKED)),
        "failed": _n(progress.count(delivery.FAILED)),
        "cancelled": _n(progress.count(delivery.CANCELLED)),
    }
    if state == SENDING:
        params["eta"] = eta_text(eta_s)
    return Card(progress.broadcast_id, Text(f"broadcast.progress.{state}", params),
                _buttons(state))


def stop_question(progress: Progress) -> Card:
    """Asked in a message of its own, so that the progress updates cannot overwrite it."""
    text = Text("broadcast.progress.confirm_stop",
                {"id": progress.broadcast_id, "left": _n(progress.left)})
    rows = ((Choice(Text("broadcast.button.stop_yes"), "stopok"),
             Choice(Text("broadcast.button.stop_no"), "keep")),)
    return Card(progress.broadcast_id, text, rows, edit=False)


def _buttons(state: str) -> tuple[tuple[Choice, ...], ...]:
    stop = Choice(Text("broadcast.button.stop"), "stop")
    if state == SENDING:
        return ((Choice(Text("broadcast.button.pause"), "pause"), stop),)
    if state == PAUSED:
        return ((Choice(Text("broadcast.button.resume"), "resume"), stop),)
    return ()
