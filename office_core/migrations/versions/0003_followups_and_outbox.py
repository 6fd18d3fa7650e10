"""follow-ups, renewals and the reminder outbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 19:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN and separate indexes: SQLite needs no table rebuild.
    op.add_column(
        "customers",
        sa.Column(
            "no_reminders", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    op.create_index(
        "ix_sale_lines_product_duration",
        "sale_lines",
        ["product_id", "duration_months"],
    )
    _create_follow_ups()
    _create_outbox()


def _create_follow_ups() -> None:
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("template", sa.String(length=60), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
        sa.ForeignKeyConstraint(["subscription_id"], ["subscriptions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_follow_ups_customer_id", "follow_ups", ["customer_id"])
    op.create_index("ix_follow_ups_subscription_id", "follow_ups", ["subscription_id"])


def _create_outbox() -> None:
    op.create_table(
        "reminder_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=36), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provider_message_id", sa.String(length=128), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
        sa.ForeignKeyConstraint(["subscription_id"], ["subscriptions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subscription_id", "step"),
    )
    op.create_index("ix_reminder_outbox_status", "reminder_outbox", ["status"])
    op.create_index(
        "ix_reminder_outbox_provider_message_id",
        "reminder_outbox",
        ["provider_message_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_reminder_outbox_provider_message_id", "reminder_outbox")
    op.drop_index("ix_reminder_outbox_status", "reminder_outbox")
    op.drop_table("reminder_outbox")
    op.drop_index("ix_follow_ups_subscription_id", "follow_ups")
    op.drop_index("ix_follow_ups_customer_id", "follow_ups")
    op.drop_table("follow_ups")
    op.drop_index("ix_sale_lines_product_duration", "sale_lines")
    # A batch rebuilds the table on SQLite, which cannot drop a column in place
    # when a default is attached.
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("no_reminders")
