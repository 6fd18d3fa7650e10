"""Sales: recording them, correcting them in the history, voiding them."""

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from office_core import audit, renewals, settings
from office_core.accounts import Actor, require_admin
from office_core.customers import MAX_NAME, clean_name, customer_for_phone
from office_core.dates import expiry_date, now, parse_date, today
from office_core.durations import check_months, parse_duration
from office_core.errors import NotFound, StaleEdit, UnknownProduct, ValidationError
from office_core.grid import read_changes
from office_core.invoices import next_invoice_number, reserve_legacy_number
from office_core.models import Platform, Product, Sale, SaleLine, Subscription
from office_core.money import format_rupiah, parse_rupiah
from office_core.phones import display_phone, mask_phone, normalize_phone
from office_core.platforms import platform_by_id, resolve_platform
from office_core.text import clean_text, whole_number

log = logging.getLogger(__name__)

COMPLETED = "completed"
VOID = "void"
CASH = "cash"
# Method names, compared case-insensitively, that mean money handed over.
CASH_NAMES = frozenset({CASH, "tunai"})
MAX_QTY = 10_000
MAX_NOTES = 500
HEADER_COLUMNS = {
    "customer_name",
    "customer_phone",
    "platform",
    "payment_method",
    "notes",
}
GRID_COLUMNS = HEADER_COLUMNS | {"duration_months"}
GRID_LABELS = {
    "invoice_no": "No Faktur",
    "sold_on": "Tanggal",
    "customer_name": "Pelanggan",
    "customer_phone": "No HP",
    "product_name": "Produk",
    "platform": "Platform",
    "duration_months": "Durasi",
    "qty": "Qty",
    "subtotal": "Subtotal",
    "total": "Total",
    "payment_method": "Pembayaran",
    "notes": "Catatan",
}
LINE_COLUMNS = (
    "product_id",
    "product_name",
    "unit_price",
    "qty",
    "discount",
    "subtotal",
    "duration_months",
)


@dataclass
class LineDraft:
    """One line as typed at the register, before it is checked."""

    product_id: int | None
    qty: object = 1
    unit_price: object = None
    discount: object = 0
    duration_months: object = None
    product_name: str | None = None


@dataclass
class SaleDraft:
    """A sale as typed at the register, before it is checked."""

    platform_id: int
    lines: list[LineDraft] = field(default_factory=list)
    sold_on: object = None
    customer_name: str = ""
    customer_phone: str = ""
    payment_method: str = ""
    amount_paid: object = None
    notes: str = ""
    # A walk-in buyer on the direct channel: no customer, no subscription.
    walk_in: bool = False
    # The subscription "Perpanjang" was pressed for; see office_core.renewals.
    renews_subscription_id: int | None = None


@dataclass(frozen=True)
class SaleFilter:
    start: dt.date | None = None
    end: dt.date | None = None
    platform_ids: tuple[int, ...] = ()
    search: str = ""
    status: str = COMPLETED


def line_subtotal(unit_price: int, qty: int, discount: int) -> int:
    """Return price × qty − discount, refusing a discount out of range."""
    gross = unit_price * qty
    if not 0 <= discount <= gross:
        raise ValidationError(
            f"Diskon Rp{discount:,} harus antara Rp0 dan harga × jumlah "
            f"(Rp{gross:,}).".replace(",", ".")
        )
    return gross - discount


def record_sale(
    session: Session,
    actor: Actor,
    draft: SaleDraft,
    invoice_no: str | None = None,
    source: str = "register",
    allow_any_payment: bool = False,
    client_token: str | None = None,
) -> Sale:
    """Complete a sale: number it, save it with its lines and subscriptions.

    `allow_any_payment` keeps a payment method outside the configured list as
    written; the legacy import needs it for methods typed in old spreadsheets.
    A `client_token` already recorded returns that sale instead of a second one
    (double click, refresh, two tabs).
    """
    require_admin(session, actor)
    token = check_client_token(client_token)
    earlier = sale_for_token(session, token)
    if earlier is not None:
        return _repeated(earlier, *_draft_shape(session, draft))

    sale = _priced_sale(session, actor, draft, allow_any_payment)
    sale.source = source
    sale.client_token = token
    sale.invoice_no = invoice_no
    if invoice_no:
        reserve_legacy_number(session, invoice_no)
    sync_subscriptions(session, sale)
    winner = _insert(session, sale)
    if winner is not sale:
        return _repeated(winner, len(sale.lines), sale.total)
    renewals.link_renewals(session, sale, draft.renews_subscription_id)
    # Numbered last: the counter row stays locked until commit, and concurrent
    # registers queue on it, so as little as possible happens after this.
    sale.invoice_no = invoice_no or next_invoice_number(session)
    audit.record(
        session, actor.username, "create", "sale", sale.id, after=sale_view(sale)
    )
    log.info("sale completed: %s, total %s", sale.invoice_no, sale.total)
    return sale


def _priced_sale(session, actor: Actor, draft: SaleDraft, any_payment: bool) -> Sale:
    sale = Sale(status=COMPLETED, created_by=actor.username)
    sale.platform = platform_by_id(session, draft.platform_id)
    sale.sold_on = sale_date(draft.sold_on)
    anonymous = sale.platform.is_marketplace or draft.walk_in is True
    sale.lines = _lines(session, draft.lines, not anonymous)
    sale.total = sum(line.subtotal for line in sale.lines)
    _set_customer(session, sale, draft.customer_name, draft.customer_phone, anonymous)
    _set_payment(session, sale, draft.payment_method, draft.amount_paid, any_payment)
    sale.notes = _notes(draft.notes)
    return sale


def _insert(session: Session, sale: Sale) -> Sale:
    """Insert `sale`; return the earlier sale if its token won a race."""
    if sale.client_token is None:
        session.add(sale)
        session.flush()
        return sale
    try:
        with session.begin_nested():
            session.add(sale)
    except IntegrityError:
        winner = sale_for_token(session, sale.client_token)
        if winner is None:
            raise
        return winner
    return sale


def _draft_shape(session: Session, draft: SaleDraft) -> tuple[int, int | None]:
    """Return a draft's line count and total, the total None if it cannot be priced.

    Read without recording anything: no customer is created on the way.
    """
    try:
        total = sum(
            line_total(_price(session, line), line.qty, line.discount)
            for line in draft.lines
        )
    except ValidationError:
        total = None
    return len(draft.lines), total


def _price(session: Session, line: LineDraft) -> object:
    if line.unit_price not in (None, ""):
        return line.unit_price
    product = session.get(Product, line.product_id) if line.product_id else None
    return product.price if product is not None else None


def _repeated(earlier: Sale, line_count: int, total: int | None) -> Sale:
    """Return the sale a token already recorded, if the draft is still that sale.

    A second submit of the same form (double click, refresh, two tabs) gets
    the earlier sale; a form changed since would silently lose its changes.
    """
    if (len(earlier.lines), earlier.total) != (line_count, total):
        raise ValidationError(
            f"Formulir ini sudah dicatat sebagai penjualan {earlier.invoice_no} "
            "dengan isi yang berbeda; perubahan sesudahnya tidak disimpan. "
            "Buka penjualan itu dari Riwayat untuk mengoreksinya."
        )
    log.info("repeated submit of sale %s ignored", earlier.invoice_no)
    return earlier


def check_client_token(token: object) -> str | None:
    """Return the register's draft token in one canonical form, or None."""
    if token is None or token == "":
        return None
    try:
        return str(uuid.UUID(str(token)))
    except ValueError:
        raise ValidationError(
            "Formulir penjualan tidak sah. Muat ulang halaman lalu ulangi."
        ) from None


def sale_for_token(session: Session, token: str | None) -> Sale | None:
    """Return the sale recorded from the draft with this token, if any."""
    if token is None:
        return None
    sale_id = session.scalar(select(Sale.id).where(Sale.client_token == token))
    return None if sale_id is None else session.get(Sale, sale_id)


def sale_date(value: object) -> dt.date:
    """Return a sale's date (today when blank); refuse one after today."""
    if value in (None, ""):
        return today()
    sold_on = parse_date(value, "Tanggal penjualan")
    if sold_on > today():
        raise ValidationError(f"Tanggal penjualan {sold_on:%d/%m/%Y} setelah hari ini.")
    return sold_on


def line_total(unit_price: object, qty: object, discount: object) -> int:
    """Return a typed line's subtotal, refusing values that cannot be sold."""
    price = parse_rupiah(unit_price, "Harga")
    return line_subtotal(price, _qty(qty), parse_rupiah(discount or 0, "Diskon"))


def _lines(
    session: Session, drafts: list[LineDraft], direct: bool, kept=frozenset()
) -> list[SaleLine]:
    """Check and price the lines; `kept` are products already on the sale.

    A product switched off since may stay on a sale being corrected, but no
    new line may sell it.
    """
    if not drafts:
        raise ValidationError("Penjualan harus punya minimal satu baris produk.")
    # One query for all the lines' products; holding the list keeps them in the
    # session's identity map, so each line's lookup below needs no query.
    wanted = {d.product_id for d in drafts if isinstance(d.product_id, int)}
    _products = session.scalars(select(Product).where(Product.id.in_(wanted))).all()
    return [
        _line(session, draft, position, direct, kept)
        for position, draft in enumerate(drafts, start=1)
    ]


def _line(session: Session, draft: LineDraft, position: int, direct: bool, kept):
    try:
        return _checked_line(session, draft, position, direct, kept)
    except ValidationError as exc:
        raise type(exc)(f"Baris {position}: {exc.message}") from exc


def _checked_line(session, draft: LineDraft, position: int, direct: bool, kept):
    product = _product(session, draft, kept)
    price = parse_rupiah(
        product.price if draft.unit_price in (None, "") else draft.unit_price, "Harga"
    )
    qty = _qty(draft.qty)
    discount = parse_rupiah(draft.discount or 0, "Diskon")
    months = _months(draft.duration_months, product) if direct else None
    return SaleLine(
        position=position,
        product_id=product.id,
        product_name=draft.product_name or product.name,
        unit_price=price,
        qty=qty,
        discount=discount,
        subtotal=line_subtotal(price, qty, discount),
        duration_months=months,
        subscription=None,  # a new line has none: no need to ask the database
    )


def _product(session: Session, draft: LineDraft, kept=frozenset()) -> Product:
    product = session.get(Product, draft.product_id) if draft.product_id else None
    if product is None:
        raise UnknownProduct("Pilih produk dari katalog.")
    if product.deleted_at is not None:
        raise UnknownProduct(
            f"Produk {product.name} sudah dihapus dari katalog; "
            "pulihkan dulu di halaman Produk."
        )
    if not product.active and product.id not in kept:
        raise UnknownProduct(
            f"Produk {product.name} tidak aktif dan tidak bisa dijual; "
            "aktifkan dulu di halaman Produk."
        )
    return product


def _qty(value: object) -> int:
    qty = whole_number(value)
    if qty is None:
        raise ValidationError(f"Jumlah '{value}' harus bilangan bulat.")
    if not 1 <= qty <= MAX_QTY:
        raise ValidationError(f"Jumlah harus 1–{MAX_QTY}, bukan {qty}.")
    return qty


def _months(value: object, product: Product) -> int:
    if value in (None, ""):
        return check_months(product.default_months)
    return parse_duration(value)


def _set_customer(
    session: Session, sale: Sale, name: object, phone: object, anonymous=False
) -> None:
    """Set the buyer; a marketplace or walk-in buyer is a name at most, no number."""
    if anonymous or sale.platform.is_marketplace:
        buyer = clean_text(name, "Nama pembeli", MAX_NAME)
        sale.customer_name = " ".join(buyer.split())
        sale.customer_phone = None
        sale.customer_id = None
        return
    sale.customer_name = clean_name(name)
    sale.customer_phone = normalize_phone(phone)
    customer = customer_for_phone(session, sale.customer_phone, sale.customer_name)
    sale.customer_id = customer.id


def _set_payment(
    session: Session, sale: Sale, method: object, paid: object, any_method=False
) -> None:
    sale.payment_method = _payment_method(session, method, any_method)
    sale.amount_paid = (
        sale.total if paid in (None, "") else parse_rupiah(paid, "Dibayar")
    )
    if is_cash(sale.payment_method):
        if sale.amount_paid < sale.total:
            raise ValidationError("Uang tunai yang dibayar kurang dari total belanja.")
    elif sale.amount_paid != sale.total:
        # Only cash can be handed over in excess and get change back.
        raise ValidationError(
            f"Pembayaran {sale.payment_method} harus sama dengan total belanja "
            f"({format_rupiah(sale.total)}), bukan {format_rupiah(sale.amount_paid)}."
        )


def is_cash(method: object) -> bool:
    """Tell whether a payment method is cash, the one that may get change back."""
    return str(method or "").strip().casefold() in CASH_NAMES


def _payment_method(session: Session, method: object, any_method=False) -> str:
    text = str(method or "").strip()
    allowed = settings.get(session, "payment_methods")
    for known in allowed:
        if known.casefold() == text.casefold():
            return known
    if any_method and text:
        return text
    raise ValidationError(
        f"Metode pembayaran '{text}' tidak dikenal. Pilihan: {', '.join(allowed)}."
    )


def _notes(notes: object) -> str:
    return clean_text(notes, "Catatan", MAX_NOTES)


def sync_subscriptions(session: Session, sale: Sale) -> None:
    """Make each non-platform line's subscription match the sale as it is now."""
    direct = not sale.platform.is_marketplace and sale.customer_id is not None
    for line in sale.lines:
        if direct and line.duration_months:
            _upsert_subscription(session, sale, line)
        elif line.subscription is not None:
            session.delete(line.subscription)
            line.subscription = None


def _upsert_subscription(session: Session, sale: Sale, line: SaleLine) -> None:
    subscription = line.subscription or Subscription(sale_line_id=line.id)
    subscription.customer_id = sale.customer_id
    subscription.starts_on = sale.sold_on
    subscription.months = line.duration_months
    subscription.expires_on = expiry_date(sale.sold_on, line.duration_months)
    # Saved with its line (cascade), also when the line itself is not yet saved.
    line.subscription = subscription


def void_sale(session: Session, actor: Actor, sale_id: int) -> Sale:
    """Void a completed sale: it leaves lists and revenue but is kept."""
    require_admin(session, actor)
    sale = _sale(session, sale_id, COMPLETED)
    sale.status = VOID
    sale.voided_at = now()
    sale.voided_by = actor.username
    sale.version += 1
    renewals.unlink_renewals(session, sale)
    audit.record(
        session, actor.username, "void", "sale", sale.id, before=sale_view(sale)
    )
    log.info("sale voided: %s", sale.invoice_no)
    return sale


def restore_sale(session: Session, actor: Actor, sale_id: int) -> Sale:
    """Bring a voided sale back into the history."""
    require_admin(session, actor)
    sale = _sale(session, sale_id, VOID)
    sale.status = COMPLETED
    sale.voided_at = None
    sale.voided_by = None
    sale.version += 1
    session.flush()
    renewals.link_renewals(session, sale)
    audit.record(
        session, actor.username, "restore", "sale", sale.id, after=sale_view(sale)
    )
    return sale


def _versioned(session: Session, sale_id: int, version: int) -> Sale:
    """Return a completed sale still at `version`; a voided one is a stale edit."""
    sale = session.get(Sale, sale_id)
    if sale is not None and (sale.status == VOID or sale.version != version):
        _check_version(session, sale, version)
    return _sale(session, sale_id, COMPLETED)


def _sale(session: Session, sale_id: int, status: str) -> Sale:
    sale = session.get(Sale, sale_id)
    if sale is None or sale.status != status:
        word = "selesai" if status == COMPLETED else "dibatalkan"
        raise NotFound(f"Penjualan #{sale_id} tidak ada di daftar {word}.")
    return sale


def correct_lines(
    session: Session,
    actor: Actor,
    sale_id: int,
    expected_version: int,
    lines: list[LineDraft],
    amount_paid: object = None,
) -> Sale:
    """Replace a completed sale's lines; it keeps its number, date and customer.

    Without `amount_paid`, a non-cash sale is paid its new total and a cash
    sale keeps what was handed over, which must still cover the total.
    """
    require_admin(session, actor)
    sale = _versioned(session, sale_id, expected_version)
    before = sale_view(sale)

    direct = not sale.platform.is_marketplace and not _walk_in(sale)
    fresh = _lines(session, lines, direct, {line.product_id for line in sale.lines})
    _replace_lines(session, sale, fresh)
    sale.total = sum(line.subtotal for line in sale.lines)
    cash = is_cash(sale.payment_method)
    paid = sale.amount_paid if amount_paid in (None, "") and cash else amount_paid
    _set_payment(session, sale, sale.payment_method, paid, any_method=True)
    sale.version += 1
    session.flush()
    sync_subscriptions(session, sale)

    audit.record(
        session, actor.username, "update", "sale", sale.id, before, sale_view(sale)
    )
    log.info("sale lines corrected: %s, total %s", sale.invoice_no, sale.total)
    return sale


def _check_version(session: Session, sale: Sale, expected_version: int) -> None:
    if sale.version != expected_version:
        missed = audit.changes_since(
            session, "sale", sale.id, sale.version - expected_version
        )
        raise StaleEdit(
            f"Penjualan {sale.invoice_no or f'#{sale.id}'} sudah diubah orang lain "
            f"sejak dimuat: {missed}. Tabel dimuat ulang; ulangi perubahan Anda "
            "bila masih perlu."
        )


def _replace_lines(session: Session, sale: Sale, fresh: list[SaleLine]) -> None:
    # Lines are updated in place by position, so a kept line keeps its
    # subscription (and the renewal that may point at it).
    kept = sale.lines[: len(fresh)]
    for line, new in zip(kept, fresh, strict=False):
        for column in LINE_COLUMNS:
            setattr(line, column, getattr(new, column))
    for line in sale.lines[len(fresh) :]:
        session.delete(line)
    sale.lines = kept + fresh[len(kept) :]


def apply_history_grid(
    session: Session, actor: Actor, rows: list[tuple[int, int, int]], edit_state
) -> int:
    """Save the history grid's corrections; `rows` are (line id, sale id, version)."""
    require_admin(session, actor)
    changes = read_changes(
        edit_state, list(range(len(rows))), GRID_COLUMNS, False, False, GRID_LABELS
    )
    per_sale = _group_by_sale(changes.updated, rows)
    for sale_id, (version, header, durations) in per_sale.items():
        _correct_sale(session, actor, sale_id, version, header, durations)
    return len(per_sale)


def _group_by_sale(updated: dict[int, dict], rows) -> dict[int, tuple]:
    per_sale: dict[int, tuple] = {}
    for position, values in updated.items():
        line_id, sale_id, version = rows[position]
        _, header, durations = per_sale.setdefault(sale_id, (version, {}, {}))
        for column in HEADER_COLUMNS & set(values):
            if column in header and header[column] != values[column]:
                raise ValidationError(
                    f"Kolom {GRID_LABELS[column]} diisi berbeda di dua baris "
                    f"penjualan yang sama (baris {position + 1})."
                )
            header[column] = values[column]
        if "duration_months" in values:
            durations[line_id] = values["duration_months"]
    return per_sale


def _correct_sale(session, actor, sale_id, version, header, durations) -> None:
    sale = _versioned(session, sale_id, version)
    label = sale.invoice_no or f"#{sale.id}"
    before = sale_view(sale)
    try:
        _apply_header(session, sale, header)
        _apply_durations(sale, durations)
    except ValidationError as exc:
        raise type(exc)(f"Penjualan {label}: {exc.message}") from exc
    sale.version += 1
    session.flush()
    sync_subscriptions(session, sale)
    audit.record(
        session, actor.username, "update", "sale", sale.id, before, sale_view(sale)
    )


def _apply_header(session: Session, sale: Sale, header: dict) -> None:
    was_walk_in = _walk_in(sale)
    if "platform" in header:
        sale.platform = resolve_platform(session, header["platform"])
        sale.platform_id = sale.platform.id
    if "payment_method" in header:
        sale.payment_method = _payment_method(session, header["payment_method"])
        if not is_cash(sale.payment_method):
            sale.amount_paid = sale.total  # no change is given but in cash
    if "notes" in header:
        sale.notes = _notes(header["notes"])
    name = header.get("customer_name", sale.customer_name)
    phone = header.get("customer_phone", sale.customer_phone)
    if sale.platform.is_marketplace and clean_text(
        header.get("customer_phone"), "Nomor HP", 40
    ):
        raise ValidationError("Nomor HP hanya dicatat untuk penjualan non-platform.")
    # A walk-in sale stays one until a number is typed for it.
    anonymous = was_walk_in and not clean_text(phone, "Nomor HP", 40)
    _set_customer(session, sale, name, phone, anonymous)
    for line in sale.lines:
        # A marketplace or walk-in sale starts no subscription: no duration.
        line.duration_months = (
            None
            if sale.platform.is_marketplace or anonymous
            else line.duration_months or check_months(_default_months(session, line))
        )


def _walk_in(sale: Sale) -> bool:
    """Tell whether a direct-channel sale was made to a walk-in buyer."""
    return not sale.platform.is_marketplace and sale.customer_id is None


def _default_months(session: Session, line: SaleLine) -> int:
    product = session.get(Product, line.product_id) if line.product_id else None
    return product.default_months if product else 1


def _apply_durations(sale: Sale, durations: dict[int, object]) -> None:
    lines = {line.id: line for line in sale.lines}
    for line_id, value in durations.items():
        if sale.platform.is_marketplace:
            raise ValidationError("Durasi hanya untuk penjualan non-platform.")
        if _walk_in(sale):
            raise ValidationError("Durasi hanya untuk pelanggan dengan nomor WA.")
        lines[line_id].duration_months = parse_duration(value)


def list_history(
    session: Session, filters: SaleFilter, limit: int = 500, offset: int = 0
) -> pd.DataFrame:
    """Return one page of sale lines with their sale's header, newest first."""
    query = (
        select(
            SaleLine.id.label("line_id"),
            Sale.id.label("sale_id"),
            Sale.version,
            Sale.invoice_no,
            Sale.sold_on,
            Sale.customer_name,
            Sale.customer_phone,
            SaleLine.product_name,
            Platform.name.label("platform"),
            SaleLine.duration_months,
            SaleLine.qty,
            SaleLine.subtotal,
            Sale.total,
            Sale.payment_method,
            Sale.notes,
        )
        .join(SaleLine.sale)
        .join(Sale.platform)
        .order_by(Sale.sold_on.desc(), Sale.id.desc(), SaleLine.position)
        .limit(limit)
        .offset(offset)
    )
    frame = pd.DataFrame(session.execute(_where(query, filters)).mappings().all())
    if frame.empty:
        return pd.DataFrame(columns=list(query.selected_columns.keys()))
    # Marketplace sales have no number; pandas reads their NULL as NaN.
    frame["customer_phone"] = [
        display_phone(phone) if isinstance(phone, str) else ""
        for phone in frame["customer_phone"]
    ]
    return frame


def count_history(session: Session, filters: SaleFilter) -> int:
    """Return how many sale lines match the filters."""
    if filters == SaleFilter(status=filters.status):
        return session.scalar(_all_lines_with_status(filters.status)) or 0
    query = select(func.count(SaleLine.id)).join(SaleLine.sale).join(Sale.platform)
    return session.scalar(_where(query, filters)) or 0


def _all_lines_with_status(status: str):
    """Count every line of the sales with `status`, as one statement.

    Nearly every line belongs to a completed sale: counting all lines and
    taking away those of the few other sales reads one index, where joining
    each line to its sale costs a lookup per line (8 s at a million).
    `<` and `>` read the status index as two ranges; `!=` would read it all.
    """
    others = select(Sale.id).where(or_(Sale.status < status, Sale.status > status))
    every = select(func.count()).select_from(SaleLine).scalar_subquery()
    other = (
        select(func.count())
        .select_from(SaleLine)
        .where(SaleLine.sale_id.in_(others))
        .scalar_subquery()
    )
    return select(every - other)


def history_totals(session: Session, filters: SaleFilter) -> tuple[int, int]:
    """Return (number of sales, revenue) for the matching sales."""
    query = select(func.count(Sale.id), func.coalesce(func.sum(Sale.total), 0))
    query = query.select_from(Sale).join(Sale.platform)
    if filters.search:
        matching = _where(select(SaleLine.sale_id).join(SaleLine.sale), filters)
        query = query.where(Sale.id.in_(matching))
    count, total = session.execute(_where(query, filters, lines=False)).one()
    return count, int(total)


def _where(query, filters: SaleFilter, lines: bool = True):
    query = query.where(Sale.status == filters.status)
    if filters.start:
        query = query.where(Sale.sold_on >= filters.start)
    if filters.end:
        query = query.where(Sale.sold_on <= filters.end)
    if filters.platform_ids:
        query = query.where(Sale.platform_id.in_(filters.platform_ids))
    if filters.search and lines:
        query = query.where(_search(filters.search))
    return query


def _search(text: str):
    # autoescape: a typed % or _ is searched for, not used as a wildcard.
    wanted = text.strip().lower()
    conditions = [
        func.lower(column).contains(wanted, autoescape=True)
        for column in (Sale.invoice_no, Sale.customer_name, SaleLine.product_name)
    ]
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 4:
        conditions.append(Sale.customer_phone.like(f"%{digits.lstrip('0')}%"))
    return or_(*conditions)


def sale_by_invoice(session: Session, invoice_no: object) -> Sale:
    """Return the sale with this invoice number, refusing an unknown one."""
    wanted = str(invoice_no or "").strip()[:40]
    query = (
        select(Sale)
        .where(Sale.invoice_no == wanted)
        .options(selectinload(Sale.lines).selectinload(SaleLine.subscription))
    )
    sale = session.scalar(query)
    if sale is None:
        raise NotFound(f"Penjualan dengan no faktur '{wanted}' tidak ditemukan.")
    return sale


def get_sale(session: Session, sale_id: int) -> Sale:
    """Return a sale with its lines."""
    sale = session.get(Sale, sale_id)
    if sale is None:
        raise NotFound(f"Penjualan #{sale_id} tidak ditemukan.")
    return sale


def sale_view(sale: Sale) -> dict:
    """Return the values of a sale worth keeping in the audit log."""
    return {
        "invoice_no": sale.invoice_no,
        "status": sale.status,
        "sold_on": sale.sold_on,
        "platform": sale.platform.name,
        "customer_name": sale.customer_name,
        "customer_phone": mask_phone(sale.customer_phone),
        "payment_method": sale.payment_method,
        "total": sale.total,
        "notes": sale.notes,
        "lines": [
            [
                line.product_name,
                line.unit_price,
                line.qty,
                line.discount,
                line.duration_months,
            ]
            for line in sale.lines
        ],
    }
