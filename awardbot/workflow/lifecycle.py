"""The nomination lifecycle: states and the transitions allowed between them.

``draft → submitted → dept_approved → checked → scored → shortlisted → decided →
on_notice → awarded``, with ``returned`` (back to the applicant, who revises and resubmits
to the step that returned it), and the exits ``rejected``, ``withdrawn``, ``declined``
(the nominee said no) and ``objection_upheld``.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    DEPT_APPROVED = "dept_approved"
    CHECKED = "checked"
    SCORED = "scored"
    SHORTLISTED = "shortlisted"
    DECIDED = "decided"
    ON_NOTICE = "on_notice"
    AWARDED = "awarded"
    RETURNED = "returned"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    DECLINED = "declined"
    DISCARDED = "discarded"
    NOT_SHORTLISTED = "not_shortlisted"
    OBJECTION_UPHELD = "objection_upheld"


TRANSITIONS: dict[State, frozenset[State]] = {
    State.DRAFT: frozenset({State.SUBMITTED, State.DISCARDED}),
    State.SUBMITTED: frozenset(
        {State.DEPT_APPROVED, State.RETURNED, State.REJECTED, State.WITHDRAWN, State.DECLINED}
    ),
    State.DEPT_APPROVED: frozenset({State.CHECKED, State.RETURNED, State.REJECTED, State.DECLINED}),
    State.CHECKED: frozenset({State.SCORED, State.REJECTED, State.DECLINED}),
    State.SCORED: frozenset({State.SHORTLISTED, State.NOT_SHORTLISTED}),
    State.SHORTLISTED: frozenset({State.DECIDED, State.NOT_SHORTLISTED}),
    State.NOT_SHORTLISTED: frozenset({State.DECIDED}),  # the party group may add one back
    State.DECIDED: frozenset({State.ON_NOTICE, State.NOT_SHORTLISTED}),
    State.ON_NOTICE: frozenset({State.AWARDED, State.OBJECTION_UPHELD}),
    State.RETURNED: frozenset({State.SUBMITTED, State.DEPT_APPROVED, State.WITHDRAWN}),
}

# The applicant may still edit or withdraw in these states.
EDITABLE = frozenset({State.DRAFT, State.RETURNED})
# Counted against "nobody nominated twice for the same award in a round".
LIVE = frozenset(State) - {State.DRAFT, State.WITHDRAWN, State.DECLINED, State.DISCARDED,
                           State.REJECTED}
FINAL = frozenset({State.AWARDED, State.REJECTED, State.WITHDRAWN, State.DECLINED,
                   State.DISCARDED, State.OBJECTION_UPHELD})


class TransitionError(Exception):
    """A change the lifecycle does not allow from the nomination's current state."""

    def __init__(self, current: State, wanted: State) -> None:
        super().__init__(f"cannot go from {current} to {wanted}")
        self.current, self.wanted = current, wanted


def check(current: str, wanted: State) -> State:
    state = State(current)
    if wanted not in TRANSITIONS.get(state, frozenset()):
        raise TransitionError(state, wanted)
    return wanted
