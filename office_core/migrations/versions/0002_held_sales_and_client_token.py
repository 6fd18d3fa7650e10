"""held sales and the register's client token

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-11 09:12:40.118204
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN and a separate unique index: SQLite needs no table
    # rebuild, which would trip over the foreign keys pointing at sales.
    op.add_column("sales", sa.Column("client_token", sa.String(36), nullable=True))
    op.create_index("ix_sales_client_token", "sales", ["client_token"], unique=True)

    op.create_table(
        "held_sales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("client_token", sa.String(length=36), nullable=False),
        sa.Column("draft_json", sa.Text(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("completed_sale_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["completed_sale_id"], ["sales.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("client_token"),
    )
    op.create_index("ix_held_sales_status", "held_sales", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_held_sales_status", table_name="held_sales")
    op.drop_table("held_sales")
    op.drop_index("ix_sales_client_token", table_name="sales")
    op.drop_column("sales", "client_token")
