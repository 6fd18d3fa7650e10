"""Two admins editing the same record: the second save is refused, not merged."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from office_core import accounts, sales, withdrawals
from office_core.errors import StaleEdit
from office_core.models import AuditEntry, Sale, Withdrawal
from tests.conftest import PASSWORD
from tests.integration.test_sales import draft, grid_rows, record

SEPT_7 = dt.date(2025, 9, 7)


@pytest.fixture
def second_admin(db, admin) -> accounts.Actor:
    with db.transaction() as session:
        return accounts.create_user(session, admin, "rina", PASSWORD, accounts.ADMIN)


@pytest.fixture
def withdrawal_rows(db, admin) -> list[tuple[int, int]]:
    """The withdrawal grid both admins loaded: one Shopee row at version 1."""
    with db.transaction() as session:
        withdrawals.record_withdrawal(session, admin, "Shopee", 150_000, SEPT_7)
        frame = withdrawals.list_withdrawals(session, withdrawals.WithdrawalFilter())
    return list(zip(frame["id"].tolist(), frame["version"].tolist(), strict=True))


def _save_withdrawals(db, actor, rows, edit_state) -> None:
    with db.transaction() as session:
        withdrawals.apply_grid(session, actor, rows, edit_state)


def _audit_count(db) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count(AuditEntry.id)))


def test_second_withdrawal_save_is_refused_naming_who_changed_what(
    db, admin, second_admin, withdrawal_rows
):
    _save_withdrawals(
        db, second_admin, withdrawal_rows, {"edited_rows": {0: {"amount": 175_000}}}
    )
    entries = _audit_count(db)

    with pytest.raises(StaleEdit) as refused:
        _save_withdrawals(
            db, admin, withdrawal_rows, {"edited_rows": {0: {"notes": "punya saya"}}}
        )

    message = refused.value.message
    assert "sudah diubah orang lain" in message
    assert "diubah oleh rina" in message
    assert "nominal Rp150.000 → Rp175.000" in message
    with db.transaction() as session:
        stored = session.scalars(select(Withdrawal)).one()
        assert (stored.amount, stored.notes, stored.version) == (175_000, "", 2)
    assert _audit_count(db) == entries


def test_editing_a_withdrawal_another_admin_deleted_is_refused(
    db, admin, second_admin, withdrawal_rows
):
    _save_withdrawals(db, second_admin, withdrawal_rows, {"deleted_rows": [0]})

    with pytest.raises(StaleEdit, match="dihapus oleh rina"):
        _save_withdrawals(
            db, admin, withdrawal_rows, {"edited_rows": {0: {"amount": 1_000}}}
        )

    with db.transaction() as session:
        stored = session.scalars(select(Withdrawal)).one()
        assert (stored.amount, stored.deleted_by) == (150_000, "rina")


@pytest.fixture
def sale_rows(db, admin, catalogue) -> list[tuple[int, int, int]]:
    """The history grid both admins loaded: one ChatGPT sale at version 1."""
    record(db, admin, draft(db, [{"product_id": catalogue["GPT"]}]))
    return grid_rows(db)


def _save_history(db, actor, rows, edited_rows) -> None:
    with db.transaction() as session:
        sales.apply_history_grid(session, actor, rows, {"edited_rows": edited_rows})


def _stored_sale(db) -> Sale:
    with db.transaction() as session:
        return session.scalars(select(Sale)).one()


def test_second_history_save_is_refused_naming_who_changed_what(
    db, admin, second_admin, sale_rows
):
    _save_history(db, second_admin, sale_rows, {0: {"payment_method": "Cash"}})
    entries = _audit_count(db)

    with pytest.raises(StaleEdit) as refused:
        _save_history(db, admin, sale_rows, {0: {"notes": "belakangan"}})

    assert "diubah oleh rina (pembayaran QRIS → Cash)" in refused.value.message
    sale = _stored_sale(db)
    assert (sale.payment_method, sale.notes, sale.version) == ("Cash", "", 2)
    assert _audit_count(db) == entries


def test_correcting_lines_of_a_sale_voided_meanwhile_is_refused(
    db, admin, second_admin, catalogue, sale_rows
):
    sale_id = sale_rows[0][1]
    with db.transaction() as session:
        sales.void_sale(session, second_admin, sale_id)
    fresh = [sales.LineDraft(product_id=catalogue["NFX"])]

    stale = pytest.raises(StaleEdit, match="dibatalkan oleh rina")
    with stale, db.transaction() as session:
        sales.correct_lines(session, admin, sale_id, 1, fresh)

    with db.transaction() as session:
        sale = session.scalars(select(Sale)).one()
        names = [line.product_name for line in sale.lines]
    assert (sale.status, names) == ("void", ["ChatGPT Plus"])
