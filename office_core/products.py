"""The product catalogue and matching the names people typed to it."""

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from office_core import audit
from office_core.accounts import Actor, require_admin
from office_core.dates import now
from office_core.durations import parse_duration
from office_core.errors import NotFound, UnknownProduct, ValidationError
from office_core.models import Product
from office_core.money import parse_rupiah
from office_core.text import clean_text

CODE = re.compile(r"[A-Z0-9_-]{1,20}")
_NOISE = {
    "premium",
    "plus",
    "pro",
    "platinum",
    "family",
    "jasa",
    "hotstar",
    "bulan",
    "bln",
    "thn",
    "tahun",
    "akun",
    "paket",
}
_SYNONYMS = {
    "yt": "youtube",
    "ms": "microsoft",
    "office": "microsoft",
    "web": "website",
    "gpt": "chatgpt",
    "disney+": "disney",
    "netflix": "netflix",
}


def product_key(name: str) -> str:
    """Return the word that identifies a product however it was written."""
    text = str(name).casefold().replace("chat gpt", "chatgpt")
    for token in re.findall(r"[a-z+]+|\d+", text):
        token = _SYNONYMS.get(token, token.rstrip("+"))
        if token and token not in _NOISE and not token.isdigit():
            return token
    return ""


def match_product(products: list[Product], text: str) -> Product:
    """Return the one catalogue product that `text` names."""
    wanted = str(text or "").strip()
    for product in products:
        if wanted.casefold() in (product.name.casefold(), product.code.casefold()):
            return product
    key = product_key(wanted)
    found = [p for p in products if key and product_key(p.name) == key]
    if len(found) != 1:
        raise UnknownProduct(f"Produk '{text}' tidak ada di katalog.")
    return found[0]


def list_products(
    session: Session, active_only: bool = True, deleted: bool = False
) -> list[Product]:
    """Return the catalogue by name; `deleted` gives the hidden products instead."""
    hidden = Product.deleted_at.is_not(None)
    query = select(Product).where(hidden if deleted else ~hidden)
    if active_only:
        query = query.where(Product.active)
    return list(session.scalars(query.order_by(Product.name)))


def delete_product(session: Session, actor: Actor, product_id: int) -> Product:
    """Hide a product from the catalogue and the register; it can be restored."""
    require_admin(session, actor)
    product = _product(session, product_id)
    product.deleted_at = now()
    product.deleted_by = actor.username
    audit.record(
        session, actor.username, "delete", "product", product.id, before=_view(product)
    )
    return product


def restore_product(session: Session, actor: Actor, product_id: int) -> Product:
    """Bring a deleted product back into the catalogue."""
    require_admin(session, actor)
    product = session.get(Product, product_id)
    if product is None or product.deleted_at is None:
        raise NotFound(f"Produk #{product_id} tidak ada di daftar terhapus.")
    product.deleted_at = None
    product.deleted_by = None
    audit.record(
        session, actor.username, "restore", "product", product.id, after=_view(product)
    )
    return product


def save_product(
    session: Session,
    actor: Actor,
    code: str,
    name: str,
    price: object,
    default_months: int,
    active: bool = True,
    product_id: int | None = None,
) -> Product:
    """Create a product, or update the one with `product_id`; admins only."""
    require_admin(session, actor)
    code = clean_text(code, "Kode produk", 20, required=True).upper()
    name = " ".join(clean_text(name, "Nama produk", 120, required=True).split())
    if not CODE.fullmatch(code):
        raise ValidationError(
            f"Kode produk '{code}' hanya boleh huruf, angka, '-' dan '_'."
        )
    product = _product(session, product_id) if product_id else Product()
    before = _view(product) if product_id else None
    _refuse_taken(session, product_id, code, name)
    product.code, product.name = code, name
    product.price = parse_rupiah(price, "Harga")
    product.default_months = parse_duration(default_months, "Durasi default")
    product.active = bool(active)
    session.add(product)
    session.flush()
    action = "update" if product_id else "create"
    audit.record(
        session, actor.username, action, "product", product.id, before, _view(product)
    )
    return product


def _product(session: Session, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None or product.deleted_at is not None:
        raise UnknownProduct(f"Produk dengan id {product_id} tidak ditemukan.")
    return product


def _refuse_taken(session: Session, product_id, code: str, name: str) -> None:
    # "netflix premium" beside "Netflix Premium" would be two entries for one
    # product in every picker, so names are compared without case.
    same_name = func.lower(Product.name) == name.lower()
    query = select(Product).where((Product.code == code) | same_name)
    for other in session.scalars(query):
        if other.id != product_id:
            where = " oleh produk yang dihapus" if other.deleted_at else ""
            raise ValidationError(
                f"Kode '{code}' atau nama '{name}' sudah dipakai{where}."
            )


def _view(product: Product) -> dict:
    return {
        "code": product.code,
        "name": product.name,
        "price": product.price,
        "default_months": product.default_months,
        "active": product.active,
    }
