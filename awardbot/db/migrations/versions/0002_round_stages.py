"""rounds carry their lifecycle stage (workflow/rounds/stages.py)

A round's ``state`` was ``open`` or ``closed``; it is now one of the lifecycle's stages.
Rounds already further on are placed by what their nominations show.

Revision ID: 0002
Revises: 0001
"""
from typing import Sequence, Union

from alembic import op

revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Latest first: a round is in the stage its furthest nomination shows.
_BY_NOMINATIONS = (
    ("notice", ("on_notice",)),
    ("final", ("awarded", "objection_upheld")),
    ("decided", ("decided",)),
    ("ranked", ("scored", "shortlisted", "not_shortlisted")),
)


def upgrade() -> None:
    op.execute("UPDATE rounds SET state = 'accepting' WHERE state = 'open'")
    for stage, states in _BY_NOMINATIONS:
        listed = ", ".join(f"'{s}'" for s in states)
        op.execute(
            f"UPDATE rounds SET state = '{stage}' WHERE state IN ('accepting', 'closed') "
            f"AND EXISTS (SELECT 1 FROM nominations n WHERE n.round_id = rounds.id "
            f"AND n.state IN ({listed}))")


def downgrade() -> None:
    op.execute("UPDATE rounds SET state = 'open' WHERE state = 'accepting'")
    op.execute("UPDATE rounds SET state = 'closed' WHERE state <> 'open'")
