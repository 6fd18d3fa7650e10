"""Schema upgrades: a database made by an older release upgrades with its data."""

import datetime as dt

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text

from office_core import register, sales
from office_core.db import MIGRATIONS, Database
from office_core.models import Base, Product, Sale
from tests.conftest import BACKENDS, fresh_database_url, make_admin


@pytest.fixture(params=BACKENDS)
def empty_db(request, tmp_path):
    """An empty database on each backend, not migrated yet."""
    url, drop = fresh_database_url(request.param, tmp_path)
    database = Database(url)
    try:
        yield database
    finally:
        database.dispose()
        drop()


def upgrade(database: Database, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def insert_0001_sale(database: Database) -> None:
    """Write a product and a sale the way release 0001 stored them."""
    now = dt.datetime(2025, 9, 7, 3, 0)
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO products (code, name, price, default_months, active) "
                "VALUES ('NFX', 'Netflix Premium', 45000, 1, :yes)"
            ),
            {"yes": True},
        )
        connection.execute(
            text(
                "INSERT INTO sales (invoice_no, status, sold_on, platform_id, "
                "customer_name, payment_method, total, amount_paid, notes, source, "
                "version, created_by, created_at) VALUES ('DW250900007', 'completed', "
                ":day, 1, 'sari', 'QRIS', 45000, 45000, '', 'register', 1, 'admin', "
                ":now)"
            ),
            {"day": dt.date(2025, 9, 7), "now": now},
        )
        connection.execute(
            text(
                "INSERT INTO sale_lines (sale_id, position, product_id, product_name, "
                "unit_price, qty, discount, subtotal) SELECT id, 1, 1, "
                "'Netflix Premium', 45000, 1, 0, 45000 FROM sales"
            )
        )


def test_a_0001_database_upgrades_with_its_sales_kept(empty_db):
    upgrade(empty_db, "0001")
    insert_0001_sale(empty_db)

    upgrade(empty_db, "head")

    columns = {c["name"] for c in inspect(empty_db.engine).get_columns("sales")}
    assert "client_token" in columns
    assert "held_sales" in inspect(empty_db.engine).get_table_names()
    admin = make_admin(empty_db)
    with empty_db.transaction() as session:
        old = session.scalar(select(Sale))
        assert (old.invoice_no, old.client_token, old.lines[0].subtotal) == (
            "DW250900007",
            None,
            45_000,
        )
        product_id = session.scalar(select(Product.id))
    draft = register.Draft(
        platform_id=1, lines=[register.DraftLine(product_id=product_id)]
    )
    draft.payment_method = "QRIS"
    with empty_db.transaction() as session:
        new = register.complete_sale(session, admin, draft.to_dict())
        assert new.client_token == draft.client_token
        assert len(sales.list_history(session, sales.SaleFilter())) == 2


def test_the_migrated_schema_matches_the_models(empty_db):
    upgrade(empty_db, "head")

    with empty_db.engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection), Base.metadata
        )

    assert differences == []
