"""The register's draft sale: holding, resuming, cancelling and completing it.

A draft is what the counter has typed so far. It is lenient: a held sale may
still miss a phone number or a price. Completing it goes through
sales.record_sale, which checks everything.
"""

import datetime as dt
import json
import logging
import operator
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from office_core import audit, sales
from office_core.accounts import Actor, require_admin
from office_core.dates import now, parse_date
from office_core.errors import (
    HeldSaleNotFound,
    HeldSaleUnavailable,
    InvalidDate,
    ValidationError,
)
from office_core.models import HeldSale, Platform, Product, Sale
from office_core.text import whole_number

log = logging.getLogger(__name__)

HELD = "held"
COMPLETED = "completed"
CANCELLED = "cancelled"
MAX_LINES = 100
MAX_TYPED = 40
TEXT_LIMITS = {
    "customer_name": 160,
    "customer_phone": 30,
    "payment_method": 60,
    "notes": sales.MAX_NOTES,
    "product_name": 120,
}
HEADER_TEXTS = ("customer_name", "customer_phone", "payment_method", "notes")
MAX_HELD_LISTED = 200
# The column is a TEXT, 64 KB on MariaDB.
MAX_DRAFT_BYTES = 60_000


def new_token() -> str:
    """Return a fresh token that identifies one draft until it is recorded."""
    return str(uuid.uuid4())


@dataclass
class DraftLine:
    """One line as typed; the fields are those of sales.LineDraft."""

    product_id: int | None = None
    product_name: str = ""
    qty: object = 1
    unit_price: object = None
    discount: object = 0
    duration_months: object = None

    @classmethod
    def from_dict(cls, data: object) -> "DraftLine":
        """Read a line from a page or from storage, keeping unfinished values."""
        if not isinstance(data, Mapping):
            raise ValidationError("Baris penjualan tidak terbaca. Muat ulang halaman.")
        return cls(
            product_id=_record_id(data.get("product_id")),
            product_name=_text(data, "product_name"),
            qty=_typed(data.get("qty", 1)),
            unit_price=_typed(data.get("unit_price")),
            discount=_typed(data.get("discount", 0)),
            duration_months=_typed(data.get("duration_months")),
        )

    def to_line_draft(self) -> sales.LineDraft:
        """Return the line for record_sale; the name comes from the catalogue."""
        return sales.LineDraft(
            product_id=self.product_id,
            qty=self.qty,
            unit_price=self.unit_price,
            discount=self.discount,
            duration_months=self.duration_months,
        )


@dataclass
class Draft:
    """A sale as typed at the register; `to_dict` is its one stored shape."""

    platform_id: int | None = None
    sold_on: object = None
    customer_name: str = ""
    customer_phone: str = ""
    payment_method: str = ""
    amount_paid: object = None
    notes: str = ""
    walk_in: bool = False
    # Set by "Perpanjang" on the monitoring page: the subscription this renews.
    renews_subscription_id: int | None = None
    lines: list[DraftLine] = field(default_factory=list)
    client_token: str = field(default_factory=new_token)
    held_id: int | None = None
    held_version: int | None = None

    @classmethod
    def from_dict(cls, data: object) -> "Draft":
        """Read a draft from a page or from storage; unknown keys are ignored."""
        if not isinstance(data, Mapping):
            raise ValidationError("Draf penjualan tidak terbaca. Muat ulang halaman.")
        lines = data.get("lines") or []
        if not isinstance(lines, list | tuple) or len(lines) > MAX_LINES:
            raise ValidationError(
                f"Satu penjualan berisi paling banyak {MAX_LINES} baris."
            )
        texts = {name: _text(data, name) for name in HEADER_TEXTS}
        return cls(
            platform_id=_record_id(data.get("platform_id")),
            sold_on=_day(data.get("sold_on")),
            amount_paid=_typed(data.get("amount_paid")),
            walk_in=data.get("walk_in") is True,
            renews_subscription_id=_record_id(data.get("renews_subscription_id")),
            lines=[DraftLine.from_dict(line) for line in lines],
            client_token=sales.check_client_token(data.get("client_token"))
            or new_token(),
            held_id=_record_id(data.get("held_id")),
            held_version=_record_id(data.get("held_version")),
            **texts,
        )

    def to_dict(self) -> dict:
        """Return the draft as plain JSON-ready values."""
        values = asdict(self)
        if isinstance(self.sold_on, dt.date):
            values["sold_on"] = self.sold_on.isoformat()
        return values

    def to_sale_draft(self) -> sales.SaleDraft:
        """Return the sale record_sale checks strictly."""
        if self.platform_id is None:
            raise ValidationError("Pilih platform penjualan.")
        return sales.SaleDraft(
            platform_id=self.platform_id,
            lines=[line.to_line_draft() for line in self.lines],
            sold_on=self.sold_on,
            customer_name=self.customer_name,
            customer_phone=self.customer_phone,
            payment_method=self.payment_method,
            amount_paid=self.amount_paid,
            notes=self.notes,
            walk_in=self.walk_in,
            renews_subscription_id=self.renews_subscription_id,
        )

    def is_empty(self) -> bool:
        """Tell whether nothing worth keeping has been typed yet."""
        typed = (self.customer_name, self.customer_phone, self.notes)
        return not self.lines and not any(text.strip() for text in typed)


def _record_id(value: object) -> int | None:
    number = None if value is None else whole_number(value)
    return number if number is not None and number > 0 else None


def _text(data: Mapping, name: str) -> str:
    value = data.get(name)
    text = "" if value is None else str(value)
    if len(text) > TEXT_LIMITS[name]:
        raise ValidationError(
            f"Isian {name} terlalu panjang (maks. {TEXT_LIMITS[name]} huruf)."
        )
    return text


def _typed(value: object) -> object:
    """Keep a typed number as int, or as the text typed, for record_sale to judge."""
    if isinstance(value, bool):
        return str(value)
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, str):
        return value.strip()[:MAX_TYPED]
    if hasattr(value, "__index__"):
        return operator.index(value)  # numpy integers from a page widget
    if isinstance(value, float | Decimal) and _whole(value):
        return int(value)
    return str(value)[:MAX_TYPED]


def _whole(value: float | Decimal) -> bool:
    try:
        return value == int(value)
    except (ValueError, OverflowError):
        return False


def _day(value: object) -> object:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(value)
    except InvalidDate:
        return str(value)[:MAX_TYPED]


def draft_total(draft: Draft) -> int | None:
    """Return the draft's total, or None while a line cannot be priced yet."""
    try:
        return sum(
            sales.line_total(line.unit_price, line.qty, line.discount)
            for line in draft.lines
        )
    except ValidationError:
        return None


@dataclass(frozen=True)
class HeldSummary:
    """One row of the held list: who parked which sale, when, and its total."""

    id: int
    reference: str
    version: int
    platform: str
    customer: str
    lines: tuple[str, ...]
    total: int | None
    created_by: str
    created_at: dt.datetime
    updated_by: str
    updated_at: dt.datetime


def hold_sale(
    session: Session,
    actor: Actor,
    draft: Mapping,
    held_id: int | None = None,
    expected_version: int | None = None,
) -> HeldSale:
    """Park a draft ("Tahan"); a resumed one updates its own held sale."""
    require_admin(session, actor)
    parsed = _for_hold(session, Draft.from_dict(draft))

    held_id = held_id if held_id is not None else parsed.held_id
    held = _existing(session, held_id, parsed.client_token)
    if held is None:
        return _park(session, actor, parsed)
    version = _expected(expected_version, parsed, held)
    return _repark(session, actor, held, version, parsed)


def _for_hold(session: Session, draft: Draft) -> Draft:
    if draft.is_empty():
        raise ValidationError(
            "Belum ada yang bisa ditahan. Tambahkan produk atau isi pelanggan dulu."
        )
    for line in draft.lines:
        product = session.get(Product, line.product_id) if line.product_id else None
        if product is not None:
            # The held sale keeps the price it was parked at.
            line.product_name = line.product_name or product.name
            if line.unit_price in (None, ""):
                line.unit_price = product.price
    return draft


def _existing(session: Session, held_id: int | None, token: str) -> HeldSale | None:
    if held_id is None:
        query = select(HeldSale).where(HeldSale.client_token == token)
        return session.scalar(query)
    held = get_held(session, held_id)
    if held.client_token != token:
        raise ValidationError(
            f"Draf ini bukan penjualan tahan {held.reference}. Muat ulang halaman."
        )
    return held


def _expected(expected: int | None, draft: Draft, held: HeldSale) -> int:
    if expected is not None:
        return expected
    return draft.held_version if draft.held_version is not None else held.version


def _park(session: Session, actor: Actor, draft: Draft) -> HeldSale:
    held = HeldSale(
        status=HELD,
        client_token=draft.client_token,
        created_by=actor.username,
        updated_by=actor.username,
    )
    _store(held, draft)
    try:
        with session.begin_nested():
            session.add(held)
    except IntegrityError:
        # The same draft was held twice at once; the first one stands.
        query = select(HeldSale).where(HeldSale.client_token == draft.client_token)
        return session.scalars(query).one()
    audit.record(
        session, actor.username, "hold", "held_sale", held.id, after=held_view(held)
    )
    log.info("sale held: %s", held.reference)
    return held


def _store(held: HeldSale, draft: Draft) -> None:
    held.draft_json = _draft_json(draft)
    held.total = draft_total(draft)


def _draft_json(draft: Draft) -> str:
    # Where a draft came from belongs to the page, not to what is stored.
    values = draft.to_dict() | {"held_id": None, "held_version": None}
    text = json.dumps(values, ensure_ascii=False)
    if len(text.encode()) > MAX_DRAFT_BYTES:
        raise ValidationError("Penjualan ini terlalu besar untuk ditahan.")
    return text


def _repark(
    session: Session, actor: Actor, held: HeldSale, version: int, draft: Draft
) -> HeldSale:
    before = held_view(held)
    _claim(
        session,
        held,
        version,
        actor,
        status=HELD,
        draft_json=_draft_json(draft),
        total=draft_total(draft),
    )
    audit.record(
        session, actor.username, "update", "held_sale", held.id, before, held_view(held)
    )
    log.info("held sale updated: %s", held.reference)
    return held


def _claim(
    session: Session, held: HeldSale, version: int, actor: Actor, **values
) -> None:
    """Change a held sale only if it is still held at `version`; else refuse."""
    changed = session.execute(
        update(HeldSale)
        .where(HeldSale.id == held.id)
        .where(HeldSale.status == HELD)
        .where(HeldSale.version == version)
        .values(
            version=version + 1, updated_by=actor.username, updated_at=now(), **values
        )
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise _unavailable(session, held.id)
    # Read the row again when next used: it now holds what the UPDATE wrote.
    session.expire(held)


def _unavailable(session: Session, held_id: int) -> HeldSaleUnavailable:
    # Read the row afresh: a concurrent register may have just changed it.
    query = (
        select(HeldSale)
        .where(HeldSale.id == held_id)
        .execution_options(populate_existing=True)
    )
    held = session.scalars(query).one()
    log.warning("held sale %s refused: %s", held.reference, held.status)
    return HeldSaleUnavailable(refusal(held, _invoice_no(session, held)))


def _invoice_no(session: Session, held: HeldSale) -> str | None:
    if held.completed_sale_id is None:
        return None
    query = select(Sale.invoice_no).where(Sale.id == held.completed_sale_id)
    return session.scalar(query)


def refusal(held: HeldSale, invoice_no: str | None = None) -> str:
    """Say why a held sale can no longer be changed, resumed or completed."""
    if held.status == COMPLETED:
        return (
            f"Penjualan tahan {held.reference} sudah diselesaikan oleh "
            f"{held.updated_by} dengan no faktur {invoice_no or '-'}. "
            "Tidak dicatat dua kali."
        )
    if held.status == CANCELLED:
        return (
            f"Penjualan tahan {held.reference} sudah dibatalkan oleh {held.updated_by}."
        )
    return (
        f"Penjualan tahan {held.reference} sudah diubah oleh {held.updated_by} "
        "sejak dibuka. Buka lagi dari daftar penjualan tahan."
    )


def stale_copy(session: Session, draft: Mapping) -> str | None:
    """Say why a draft resumed from a held sale can no longer be held back.

    None while its held sale is still held at the version the draft was
    opened at (or the draft came from no held sale): then holding it is safe.
    """
    parsed = Draft.from_dict(draft)
    if parsed.held_id is None:
        return None
    held = session.get(HeldSale, parsed.held_id)
    if held is None or held.client_token != parsed.client_token:
        return None  # hold_sale refuses a forged pairing with its own message
    if held.status == HELD and held.version == parsed.held_version:
        return None
    return refusal(held, _invoice_no(session, held))


def gone_message(session: Session, held_id: int) -> str:
    """Say why a held sale is no longer in the list (for a click that came late)."""
    try:
        held = get_held(session, held_id)
    except HeldSaleNotFound as exc:
        return exc.message
    if held.status == HELD:
        return f"Penjualan tahan {held.reference} tidak tampil lagi; muat ulang daftar."
    return refusal(held, _invoice_no(session, held))


def check_held(held: HeldSale, invoice_no: str | None = None) -> HeldSale:
    """Refuse a held sale that was already completed or cancelled."""
    if held.status != HELD:
        raise HeldSaleUnavailable(refusal(held, invoice_no))
    return held


def get_held(session: Session, held_id: int) -> HeldSale:
    """Return a held sale in any state, refusing an unknown id."""
    key = _record_id(held_id)
    held = session.get(HeldSale, key) if key is not None else None
    if held is None:
        raise HeldSaleNotFound(f"Penjualan tahan #{held_id} tidak ditemukan.")
    return held


def _still_held(session: Session, held_id: int) -> HeldSale:
    held = get_held(session, held_id)
    return check_held(held, _invoice_no(session, held))


def list_held(session: Session) -> list[HeldSummary]:
    """Return the sales still held, oldest first."""
    query = (
        select(HeldSale)
        .where(HeldSale.status == HELD)
        .order_by(HeldSale.id)
        .limit(MAX_HELD_LISTED)
    )
    platforms = dict(session.execute(select(Platform.id, Platform.name)).all())
    return [_summary(held, platforms) for held in session.scalars(query)]


def _summary(held: HeldSale, platforms: dict[int, str]) -> HeldSummary:
    draft = held_draft(held)
    return HeldSummary(
        id=held.id,
        reference=held.reference,
        version=held.version,
        platform=platforms.get(draft.platform_id, ""),
        customer=draft.customer_name.strip() or "Umum",
        lines=tuple(_line_label(line) for line in draft.lines),
        total=held.total,
        created_by=held.created_by,
        created_at=audit.local_time(held.created_at),
        updated_by=held.updated_by,
        updated_at=audit.local_time(held.updated_at),
    )


def _line_label(line: DraftLine) -> str:
    name = line.product_name or "(produk belum dipilih)"
    return f"{name} × {line.qty}"


def held_draft(held: HeldSale) -> Draft:
    """Return the draft stored in a held sale, marked with where it came from."""
    draft = Draft.from_dict(json.loads(held.draft_json))
    draft.held_id = held.id
    draft.held_version = held.version
    return draft


def held_view(held: HeldSale) -> dict:
    """Return the values of a held sale worth keeping in the audit log."""
    draft = Draft.from_dict(json.loads(held.draft_json))
    return {
        "reference": held.reference,
        "status": held.status,
        "customer_name": draft.customer_name,
        "lines": [[ln.product_name, ln.unit_price, ln.qty] for ln in draft.lines],
        "total": held.total,
    }


def resume_held(session: Session, actor: Actor, held_id: int) -> dict:
    """Bring a held sale back to the register, exactly as it was parked."""
    require_admin(session, actor)
    held = _still_held(session, held_id)
    log.info("held sale resumed: %s", held.reference)
    return held_draft(held).to_dict()


def cancel_held(
    session: Session, actor: Actor, held_id: int, expected_version: int | None = None
) -> HeldSale:
    """Discard a held sale ("Batal"); it is kept, marked cancelled."""
    require_admin(session, actor)
    held = _still_held(session, held_id)
    before = held_view(held)

    version = held.version if expected_version is None else expected_version
    _claim(session, held, version, actor, status=CANCELLED)

    audit.record(
        session, actor.username, "cancel", "held_sale", held.id, before, held_view(held)
    )
    log.info("held sale cancelled: %s", held.reference)
    return held


def complete_held(
    session: Session,
    actor: Actor,
    held_id: int,
    draft: Mapping,
    expected_version: int | None = None,
) -> Sale:
    """Record a held sale as a sale; a second completion is refused."""
    require_admin(session, actor)
    parsed = Draft.from_dict(draft)
    held = _still_held(session, held_id)
    if parsed.client_token != held.client_token:
        raise ValidationError(
            f"Draf ini bukan penjualan tahan {held.reference}. Muat ulang halaman."
        )
    before = held_view(held)

    # Claiming the row first makes a second register wait here, then refuse.
    version = _expected(expected_version, parsed, held)
    _claim(session, held, version, actor, status=COMPLETED)
    sale = sales.record_sale(
        session, actor, parsed.to_sale_draft(), client_token=held.client_token
    )
    held.completed_sale_id = sale.id
    held.draft_json = _draft_json(parsed)
    held.total = sale.total

    after = held_view(held) | {"invoice_no": sale.invoice_no}
    audit.record(
        session, actor.username, "complete", "held_sale", held.id, before, after
    )
    log.info("held sale %s completed as %s", held.reference, sale.invoice_no)
    return sale


def complete_sale(session: Session, actor: Actor, draft: Mapping) -> Sale:
    """Record the register's draft; a held one is completed as that held sale.

    Both ways end in a function that checks the actor is an admin before
    writing anything.
    """
    parsed = Draft.from_dict(draft)
    held_id = parsed.held_id
    if held_id is None:
        # A draft held earlier and submitted as new completes its held sale.
        held_id = session.scalar(
            select(HeldSale.id)
            .where(HeldSale.client_token == parsed.client_token)
            .where(HeldSale.status == HELD)
        )
    if held_id is not None:
        return complete_held(session, actor, held_id, draft)
    return sales.record_sale(
        session, actor, parsed.to_sale_draft(), client_token=parsed.client_token
    )
