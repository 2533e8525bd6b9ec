"""award codes follow one spelling rule: lao_huangniu becomes laohuang_niu

The three 三牛奖 codes are the modifier's pinyin, then ``_niu``: ruzi_niu, tuohuang_niu,
laohuang_niu. Stored nominations and the messages still waiting in the outbox (their text
keys name the award) move to the new code. The audit log keeps its words as written: it
is a record, hash-chained, never rewritten.

Revision ID: 0004
Revises: 0003
"""
from typing import Sequence, Union

from alembic import op

revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

RENAMED = (("lao_huangniu", "laohuang_niu"),)


def _rename(old: str, new: str) -> None:
    op.execute(f"UPDATE nominations SET award = '{new}' WHERE award = '{old}'")
    waiting = "state IN ('pending', 'sending')"
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"UPDATE notifications SET payload = "
                   f"replace(payload::text, '{old}', '{new}')::json "
                   f"WHERE {waiting} AND payload::text LIKE '%{old}%'")
    else:
        op.execute(f"UPDATE notifications SET payload = replace(payload, '{old}', '{new}') "
                   f"WHERE {waiting} AND payload LIKE '%{old}%'")


def upgrade() -> None:
    for old, new in RENAMED:
        _rename(old, new)


def downgrade() -> None:
    for old, new in RENAMED:
        _rename(new, old)
