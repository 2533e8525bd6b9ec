"""The one way a use case says no: :class:`Refusal`, carrying the catalogue text that says why.

Every wing raises it (an act not allowed to this person, a button that no longer fits the
state, a stage the round is not in); the chat layer answers with its text, politely, in
the person's language. Nothing is written when a use case refuses: it raises inside its
transaction, which rolls back.
"""

from __future__ import annotations

from typing import Any

from awardbot.workflow.messages import Text


class Refusal(Exception):
    """The act is not possible now; ``text`` says why.

    ``Refusal("key", name=value)`` or ``Refusal(Text(...))`` for a text built elsewhere.
    """

    def __init__(self, key: str | Text, /, **params: Any) -> None:
        text = key if isinstance(key, Text) else Text(key, dict(params))
        super().__init__(text.key)
        self.text = text
