"""The business's records as SQLAlchemy 2 typed models."""

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from office_core.dates import now

Money = BigInteger


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict] = {
        str: String(255),
        dt.datetime: DateTime(timezone=True),
    }


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str]
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class SignInSession(Base):
    """One browser's sign-in: its token's hash, last activity and revocation."""

    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # SHA-256 of the token's random part: a copied table signs nobody in.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=now)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
    revoked_at: Mapped[dt.datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(20))


class Platform(Base):
    """A sales channel: a marketplace, or the non-platform (direct) channel."""

    __tablename__ = "platforms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    is_marketplace: Mapped[bool] = mapped_column(default=True)
    fee_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    price: Mapped[int] = mapped_column(Money)
    default_months: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)
    # Deleted products are hidden but kept: old sale lines point at them.
    deleted_at: Mapped[dt.datetime | None]
    deleted_by: Mapped[str | None] = mapped_column(String(64))


class Customer(Base):
    """A non-platform customer, known by their WhatsApp number."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    # Asked not to be reminded: no follow-up button by default, no automatic message.
    no_reminders: Mapped[bool] = mapped_column(default=False)


class Sale(Base):
    __tablename__ = "sales"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="completed")
    sold_on: Mapped[dt.date]
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    customer_name: Mapped[str] = mapped_column(String(160), default="")
    customer_phone: Mapped[str | None] = mapped_column(String(20))
    payment_method: Mapped[str] = mapped_column(String(60), default="")
    total: Mapped[int] = mapped_column(Money, default=0)
    amount_paid: Mapped[int] = mapped_column(Money, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(12), default="register")
    version: Mapped[int] = mapped_column(default=1)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    voided_at: Mapped[dt.datetime | None]
    voided_by: Mapped[str | None] = mapped_column(String(64))
    # The register's draft token: a second submit of the same draft finds it.
    client_token: Mapped[str | None] = mapped_column(String(36))

    platform: Mapped[Platform] = relationship(lazy="joined")
    lines: Mapped[list["SaleLine"]] = relationship(
        back_populates="sale", order_by="SaleLine.position", cascade="all"
    )

    __table_args__ = (
        Index("ix_sales_status_sold_on", "status", "sold_on"),
        Index("ix_sales_client_token", "client_token", unique=True),
        Index("ix_sales_report", "status", "sold_on", "platform_id", "total"),
    )

    @property
    def change(self) -> int:
        """Return the change to hand back: paid minus total, never below zero."""
        return max(self.amount_paid - self.total, 0)


class SaleLine(Base):
    __tablename__ = "sale_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    position: Mapped[int]
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    product_name: Mapped[str] = mapped_column(String(120))
    unit_price: Mapped[int] = mapped_column(Money)
    qty: Mapped[int]
    discount: Mapped[int] = mapped_column(Money, default=0)
    subtotal: Mapped[int] = mapped_column(Money)
    duration_months: Mapped[int | None]

    sale: Mapped[Sale] = relationship(back_populates="lines")
    subscription: Mapped["Subscription | None"] = relationship(
        back_populates="line", cascade="all"
    )

    __table_args__ = (
        Index("ix_sale_lines_report", "sale_id", "product_name", "qty", "subtotal"),
        # Which products started subscriptions (the monitoring page's filter).
        Index("ix_sale_lines_product_duration", "product_id", "duration_months"),
    )


class Subscription(Base):
    """What a non-platform sale line started: a product until an expiry date."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_lines.id"), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    starts_on: Mapped[dt.date]
    months: Mapped[int]
    expires_on: Mapped[dt.date] = mapped_column(index=True)
    renewed_by_sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"))

    line: Mapped[SaleLine] = relationship(back_populates="subscription")
    customer: Mapped[Customer] = relationship()

    __table_args__ = (
        Index(
            "ix_subscriptions_report",
            "expires_on",
            "starts_on",
            "renewed_by_sale_id",
            "sale_line_id",
        ),
    )


class FollowUp(Base):
    """One contact with a customer about a subscription, by link or by the API."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id"), index=True
    )
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(12))
    template: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class OutboxMessage(Base):
    """A reminder for one subscription and step, from queued to its last status."""

    __tablename__ = "reminder_outbox"
    __table_args__ = (UniqueConstraint("subscription_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id"))
    step: Mapped[int]
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    phone: Mapped[str] = mapped_column(String(20))
    provider: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    params: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(36))
    claimed_until: Mapped[dt.datetime | None]
    provider_message_id: Mapped[str | None] = mapped_column(String(128), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=now)
    sent_at: Mapped[dt.datetime | None]


class Withdrawal(Base):
    """Money taken out of a marketplace's balance (penarikan dana)."""

    __tablename__ = "withdrawals"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"))
    amount: Mapped[int] = mapped_column(Money)
    withdrawn_on: Mapped[dt.date] = mapped_column(index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    updated_at: Mapped[dt.datetime | None]
    deleted_at: Mapped[dt.datetime | None]
    deleted_by: Mapped[str | None] = mapped_column(String(64))

    platform: Mapped[Platform] = relationship(lazy="joined")

    __table_args__ = (
        Index(
            "ix_withdrawals_report",
            "withdrawn_on",
            "platform_id",
            "amount",
            "deleted_at",
        ),
        # Live or deleted first: the few deleted ones are found without
        # reading the live ones, and the live totals from this index alone.
        Index(
            "ix_withdrawals_deleted",
            "deleted_at",
            "withdrawn_on",
            "platform_id",
            "amount",
        ),
    )


class HeldSale(Base):
    """A sale parked at the register ("Tahan"): no invoice number, no revenue."""

    __tablename__ = "held_sales"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(12), default="held", index=True)
    client_token: Mapped[str] = mapped_column(String(36), unique=True)
    draft_json: Mapped[str] = mapped_column(Text)
    total: Mapped[int | None] = mapped_column(Money)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(default=now)
    version: Mapped[int] = mapped_column(default=1)
    completed_sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"))

    completed_sale: Mapped[Sale | None] = relationship()

    @property
    def reference(self) -> str:
        """Return the number shown to users, e.g. T-000123."""
        return f"T-{self.id:06d}"


class InvoiceCounter(Base):
    """The last sequence number given for one invoice prefix (e.g. DW2509)."""

    __tablename__ = "invoice_counters"

    prefix: Mapped[str] = mapped_column(String(30), primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DataVersion(Base):
    """A number every write to the business records raises; caches key on it."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=now, index=True)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(30))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(40), default="")
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


class ImportedRow(Base):
    """A fingerprint of a legacy spreadsheet row already written."""

    __tablename__ = "imported_rows"
    __table_args__ = (UniqueConstraint("kind", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    fingerprint: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(default=now)
