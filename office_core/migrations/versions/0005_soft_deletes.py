"""soft deletes and row versions everywhere

Products are hidden, not removed: old sale lines keep pointing at them and an
admin can bring one back. Withdrawals and sales had their own columns already.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 19:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("deleted_by", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.drop_column("deleted_by")
        batch.drop_column("deleted_at")
