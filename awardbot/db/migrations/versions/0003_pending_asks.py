"""pending_asks: questions waiting for a person's answer (a deadline, a confirmation)

Revision ID: 0003
Revises: 0002
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('pending_asks',
    sa.Column('staff_id', _ID, autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('subject_id', _ID, autoincrement=False, nullable=False),
    sa.Column('chat_id', _ID, nullable=True),
    sa.Column('message_id', _ID, nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_pending_asks_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id', 'kind', 'subject_id', name=op.f('pk_pending_asks'))
    )


def downgrade() -> None:
    op.drop_table('pending_asks')
