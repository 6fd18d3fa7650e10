"""Seeding the catalogue and sales for the sales pages' tests."""

import csv
import datetime as dt

from sqlalchemy import select

from office_core import products, sales
from office_core.models import Platform, Sale
from office_core.platforms import NON_PLATFORM
from tests.paths import legacy_file

# The paper's customer (black_box_tests.csv, monitoring.csv).
ARIF = "Pak Arif Wibowo"
ARIF_PHONE = "081298760001"
PAPER_DAY = dt.date(2025, 9, 7)


def seed_catalogue(db, admin) -> dict[str, int]:
    """Save the products of the legacy produk.csv; return their ids by code."""
    with legacy_file("produk.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with db.transaction() as session:
        saved = [
            products.save_product(
                session,
                admin,
                row["Kode"],
                row["Nama Produk"],
                row["Harga"],
                int(row["Durasi Default (bulan)"]),
            )
            for row in rows
        ]
        return {product.code: product.id for product in saved}


def platform_id(db, name: str) -> int:
    with db.transaction() as session:
        return session.scalar(select(Platform.id).where(Platform.name == name))


def record(db, admin, lines, platform: str = NON_PLATFORM, **header) -> Sale:
    """Record a completed sale; `lines` are (product id, qty, months) tuples."""
    header.setdefault("sold_on", PAPER_DAY)
    header.setdefault("payment_method", "QRIS")
    if platform == NON_PLATFORM:
        header.setdefault("customer_name", ARIF)
        header.setdefault("customer_phone", ARIF_PHONE)
    draft = sales.SaleDraft(
        platform_id=platform_id(db, platform),
        lines=[
            sales.LineDraft(product_id=pid, qty=qty, duration_months=months)
            for pid, qty, months in lines
        ],
        **header,
    )
    with db.transaction() as session:
        return sales.record_sale(session, admin, draft)


def all_sales(db) -> list[Sale]:
    """Return every sale in the database, voided ones included, with lines."""
    with db.transaction() as session:
        found = list(session.scalars(select(Sale).order_by(Sale.id)))
        for sale in found:
            for line in sale.lines:
                _ = line.subscription
        return found
