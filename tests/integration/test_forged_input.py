"""Values a forged grid or form may send are refused, with nothing written."""

import datetime as dt

import pytest

from office_core import accounts, products, sales, withdrawals
from office_core.dates import today
from office_core.errors import ValidationError
from tests.conftest import PASSWORD
from tests.ui.sales_seed import ARIF, all_sales, record, seed_catalogue

TOMORROW = today() + dt.timedelta(days=1)


@pytest.fixture
def arif_sale(db, admin):
    codes = seed_catalogue(db, admin)
    return record(db, admin, [(codes["GPT"], 1, 3)])


@pytest.fixture
def shopee_sale(db, admin):
    codes = seed_catalogue(db, admin)
    return record(db, admin, [(codes["NFX"], 1, None)], "Shopee")


def _correct(db, admin, sale, values: dict):
    rows = [(line.id, sale.id, sale.version) for line in sale.lines]
    with db.transaction() as session:
        sales.apply_history_grid(session, admin, rows, {"edited_rows": {0: values}})


@pytest.mark.parametrize(
    "values",
    [
        {"customer_name": {"x": 1}},
        {"customer_name": ["a", "b"]},
        {"notes": ["a"]},
        {"notes": {"a": 1}},
        {"notes": "ada\x00nul"},
        {"customer_name": "A" * 161},
    ],
)
def test_history_grid_refuses_values_that_are_not_plain_text(
    db, admin, arif_sale, values
):
    with pytest.raises(ValidationError):
        _correct(db, admin, arif_sale, values)

    [sale] = all_sales(db)
    assert (sale.customer_name, sale.notes, sale.version) == (ARIF, "", 1)


def test_a_marketplace_buyer_name_that_is_too_long_is_refused(db, admin, shopee_sale):
    with pytest.raises(ValidationError, match="terlalu panjang"):
        _correct(db, admin, shopee_sale, {"customer_name": "b" * 200})


def test_a_phone_number_on_a_marketplace_sale_is_refused_not_dropped(
    db, admin, shopee_sale
):
    with pytest.raises(ValidationError, match="non-platform"):
        _correct(db, admin, shopee_sale, {"customer_phone": "081234567890"})

    [sale] = all_sales(db)
    assert sale.version == 1


def test_history_search_treats_percent_and_underscore_as_text(db, admin, arif_sale):
    with db.transaction() as session:
        for typed in ("%", "_", "%%"):
            found = sales.count_history(session, sales.SaleFilter(search=typed))
            assert found == 0, typed


def test_a_sale_dated_after_today_is_refused(db, admin, arif_sale):
    codes = seed_catalogue_ids(db)
    with pytest.raises(ValidationError, match="setelah hari ini"):
        record(db, admin, [(codes["GPT"], 1, 1)], sold_on=TOMORROW)


def seed_catalogue_ids(db) -> dict[str, int]:
    with db.transaction() as session:
        return {p.code: p.id for p in products.list_products(session)}


def _ledger(db, admin) -> withdrawals.Withdrawal:
    with db.transaction() as session:
        return withdrawals.record_withdrawal(
            session, admin, "Shopee", 150_000, dt.date(2026, 11, 21), "mingguan"
        )


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_clearing_a_withdrawal_date_is_refused_not_set_to_today(db, admin, blank):
    saved = _ledger(db, admin)

    with pytest.raises(ValidationError, match="wajib diisi"), db.transaction() as s:
        withdrawals.apply_grid(
            s, admin, [(saved.id, 1)], {"edited_rows": {0: {"withdrawn_on": blank}}}
        )

    with db.transaction() as session:
        frame = withdrawals.list_withdrawals(session, withdrawals.WithdrawalFilter())
    assert frame["withdrawn_on"].tolist() == [dt.date(2026, 11, 21)]


def test_a_withdrawal_dated_after_today_is_refused(db, admin):
    with (
        pytest.raises(ValidationError, match="setelah hari ini"),
        db.transaction() as s,
    ):
        withdrawals.record_withdrawal(s, admin, "Shopee", 5_000, TOMORROW)


def test_a_withdrawal_note_with_a_nul_character_is_refused(db, admin):
    with pytest.raises(ValidationError, match="karakter"), db.transaction() as s:
        withdrawals.record_withdrawal(s, admin, "Shopee", 5_000, today(), "a\x00b")


def test_grid_errors_name_the_row_and_column_the_user_sees(db, admin):
    saved = _ledger(db, admin)
    state = {"edited_rows": {0: {"created_by": "orang lain"}}}

    with pytest.raises(ValidationError) as refused, db.transaction() as session:
        withdrawals.apply_grid(session, admin, [(saved.id, 1)], state)

    assert refused.value.message == ("Kolom Dicatat oleh tidak boleh diubah (baris 1).")


def test_a_product_code_with_a_space_is_refused(db, admin):
    with pytest.raises(ValidationError, match="Kode produk"), db.transaction() as s:
        products.save_product(s, admin, "T8 X", "Produk Uji", 10_000, 1)


def test_a_product_name_differing_only_in_case_or_spaces_is_refused(db, admin):
    with db.transaction() as session:
        products.save_product(session, admin, "NFP", "Netflix Premium", 50_000, 1)

    with pytest.raises(ValidationError, match="sudah dipakai"), db.transaction() as s:
        products.save_product(s, admin, "NFP2", " netflix  premium ", 50_000, 1)
    with db.transaction() as session:
        names = [p.name for p in products.list_products(session)]
    assert names == ["Netflix Premium"]


def test_a_disabled_account_is_no_longer_an_actor(db, admin, manager):
    with db.transaction() as session:
        assert accounts.refresh_actor(session, manager) == manager
        accounts.set_active(session, admin, manager.user_id, False)
    with db.transaction() as session:
        assert accounts.refresh_actor(session, manager) is None


def test_a_changed_role_takes_effect_for_an_open_session(db, admin, manager):
    forged = accounts.Actor(manager.user_id, manager.username, accounts.ADMIN)
    with db.transaction() as session:
        assert accounts.refresh_actor(session, forged).role == accounts.MANAGEMENT


def test_a_disabled_account_is_told_so_only_with_the_right_password(db, admin, manager):
    with db.transaction() as session:
        accounts.set_active(session, admin, manager.user_id, False)
    with db.transaction() as session:
        wrong = accounts.attempt_sign_in(session, manager.username, "salah-sekali")
        right = accounts.attempt_sign_in(session, manager.username, PASSWORD)

    assert wrong.message == accounts.WRONG_PASSWORD
    assert "dinonaktifkan" in right.message
