"""Fixtures shared by the sales and register tests."""

import pytest
from sqlalchemy import select

from office_core import products
from office_core.models import Platform


@pytest.fixture
def catalogue(db, admin) -> dict[str, int]:
    """Three products of the real catalogue; their ids by code."""
    rows = [
        ("NFX", "Netflix Premium", 45_000, 1),
        ("GPT", "ChatGPT Plus", 85_000, 1),
        ("CNV", "Canva Pro", 30_000, 12),
    ]
    with db.transaction() as session:
        return {
            code: products.save_product(session, admin, code, name, price, months).id
            for code, name, price, months in rows
        }


@pytest.fixture
def channels(db) -> dict[str, int]:
    """The platforms' ids by name."""
    with db.transaction() as session:
        return dict(session.execute(select(Platform.name, Platform.id)).all())
