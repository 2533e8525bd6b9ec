"""The rounds wing: a family's competition for one period, its stages and its deadlines.

``opening`` opens, extends and closes a round by hand (the command line); ``stages`` is the
round's lifecycle — every stage, every move between them and what each act needs.
"""

from awardbot.workflow.rounds.opening import (
    CLOSED,
    OPEN,
    RoundError,
    RoundView,
    open_now,
    open_round,
    set_closing,
    view,
)

__all__ = ["CLOSED", "OPEN", "RoundError", "RoundView", "open_now", "open_round",
           "set_closing", "view"]
