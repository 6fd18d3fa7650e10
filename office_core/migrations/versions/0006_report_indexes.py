"""indexes for reports at scale and the data version read by caches

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Each index holds every column its report reads, so the database answers
# from the index alone and never visits the million-row tables themselves.
INDEXES = [
    ("ix_sales_report", "sales", ["status", "sold_on", "platform_id", "total"]),
    (
        "ix_sale_lines_report",
        "sale_lines",
        ["sale_id", "product_name", "qty", "subtotal"],
    ),
    (
        "ix_withdrawals_report",
        "withdrawals",
        ["withdrawn_on", "platform_id", "amount", "deleted_at"],
    ),
    # Live or deleted first: the restore list reads the few deleted ones, not
    # all 100,000, and the live totals are read from this index alone.
    (
        "ix_withdrawals_deleted",
        "withdrawals",
        ["deleted_at", "withdrawn_on", "platform_id", "amount"],
    ),
    (
        "ix_subscriptions_report",
        "subscriptions",
        ["expires_on", "starts_on", "renewed_by_sale_id", "sale_line_id"],
    ),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    data_version = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(data_version, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("data_version")
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
