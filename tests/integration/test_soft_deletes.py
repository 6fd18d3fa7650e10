"""Deleting a product hides it everywhere it could be used; an admin restores it."""

import pytest
from sqlalchemy import select

from office_core import products, sales
from office_core.errors import (
    NotFound,
    PermissionDenied,
    UnknownProduct,
    ValidationError,
)
from office_core.models import AuditEntry, Product
from tests.integration.test_sales import draft, record


def run(db, function, *args):
    with db.transaction() as session:
        return function(session, *args)


def names(db, **options) -> list[str]:
    with db.transaction() as session:
        return [p.name for p in products.list_products(session, **options)]


def test_a_deleted_product_leaves_the_catalogue_and_is_listed_as_deleted(
    db, admin, catalogue
):
    run(db, products.delete_product, admin, catalogue["NFX"])

    assert "Netflix Premium" not in names(db)
    assert "Netflix Premium" not in names(db, active_only=False)
    assert names(db, active_only=False, deleted=True) == ["Netflix Premium"]
    with db.transaction() as session:
        stored = session.get(Product, catalogue["NFX"])
        assert (stored.deleted_by, stored.deleted_at is not None) == ("admin", True)


def test_a_deleted_product_cannot_be_sold_or_edited(db, admin, catalogue):
    run(db, products.delete_product, admin, catalogue["NFX"])

    with pytest.raises(UnknownProduct, match="sudah dihapus dari katalog"):
        record(db, admin, draft(db, [{"product_id": catalogue["NFX"]}]))
    with pytest.raises(UnknownProduct):
        run(
            db,
            products.save_product,
            admin,
            "NFX",
            "Netflix",
            1,
            1,
            True,
            catalogue["NFX"],
        )
    with pytest.raises(ValidationError, match="dipakai oleh produk yang dihapus"):
        run(db, products.save_product, admin, "NFX", "Netflix Baru", 1, 1)


def test_a_restored_product_is_sold_again_and_both_steps_are_audited(
    db, admin, catalogue
):
    run(db, products.delete_product, admin, catalogue["NFX"])

    run(db, products.restore_product, admin, catalogue["NFX"])

    assert "Netflix Premium" in names(db)
    sale = record(db, admin, draft(db, [{"product_id": catalogue["NFX"]}]))
    assert sale.total == 45_000
    with db.transaction() as session:
        query = select(AuditEntry.action).where(
            AuditEntry.entity == "product",
            AuditEntry.entity_id == str(catalogue["NFX"]),
        )
        assert list(session.scalars(query.order_by(AuditEntry.id)))[-2:] == [
            "delete",
            "restore",
        ]


def test_restoring_a_product_that_is_not_deleted_is_refused(db, admin, catalogue):
    with pytest.raises(NotFound, match="tidak ada di daftar terhapus"):
        run(db, products.restore_product, admin, catalogue["NFX"])


def test_a_management_account_cannot_delete_or_restore(db, admin, manager, catalogue):
    for change in (products.delete_product, products.restore_product):
        with pytest.raises(PermissionDenied):
            run(db, change, manager, catalogue["NFX"])
    assert "Netflix Premium" in names(db)


def test_an_old_sale_of_a_deleted_product_keeps_its_line(db, admin, catalogue):
    sale = record(db, admin, draft(db, [{"product_id": catalogue["GPT"]}]))

    run(db, products.delete_product, admin, catalogue["GPT"])

    with db.transaction() as session:
        kept = sales.get_sale(session, sale.id)
        assert [line.product_name for line in kept.lines] == ["ChatGPT Plus"]
