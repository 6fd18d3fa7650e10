"""Akun Pengguna (admin) and Akun Saya (management) pages."""

import pytest
from sqlalchemy import select

from office_core import accounts
from office_core.errors import AuthenticationFailed
from office_core.models import User
from tests.conftest import PASSWORD
from tests.ui.conftest import open_app, texts

PAGE = "pages/accounts.py"
NEW_PASSWORD = "sandi-baru-yang-panjang"


def _submit(at, form: str):
    at.form(key=form).button[0].click()
    return at.run()


def _fill(at, **values):
    for key, value in values.items():
        at.text_input(key=key).input(value)


def _user(database, username: str) -> User | None:
    with database.transaction() as session:
        return session.scalar(select(User).where(User.username == username))


def _signs_in(database, username: str, password: str) -> bool:
    with database.transaction() as session:
        outcome = accounts.attempt_sign_in(session, username, password)
    return not isinstance(outcome, AuthenticationFailed)


def _create(at, username, password, repeat, role=accounts.MANAGEMENT):
    _fill(at, acc_new_username=username, acc_new_pw=password, acc_new_repeat=repeat)
    at.selectbox(key="acc_new_role").set_value(role)
    return _submit(at, "acc_create_form")


def _pick(at, actor: accounts.Actor):
    at.selectbox(key="acc_pick").select(actor.user_id)
    return at.run()


def test_an_admin_sees_every_account_with_role_and_status(ui_admin, ui_manager):
    at = open_app(ui_admin, PAGE)

    assert not at.exception
    assert at.title[0].value == "Akun Pengguna"
    table = at.dataframe[0].value
    assert table.to_dict("records") == [
        {"Nama pengguna": "admin", "Peran": "Admin", "Status": "Aktif"},
        {"Nama pengguna": "pemilik", "Peran": "Manajemen", "Status": "Aktif"},
    ]


def test_an_admin_creates_a_management_account(ui_admin, app_db):
    at = _create(open_app(ui_admin, PAGE), "Kasir.Dua", PASSWORD, PASSWORD)

    assert "Akun kasir.dua dibuat." in texts(at)
    assert "kasir.dua" in at.dataframe[0].value["Nama pengguna"].tolist()
    assert _user(app_db, "kasir.dua").role == accounts.MANAGEMENT
    assert _signs_in(app_db, "kasir.dua", PASSWORD)


def test_a_new_account_needs_the_password_twice(ui_admin, app_db):
    at = _create(open_app(ui_admin, PAGE), "kasir", PASSWORD, PASSWORD + "x")

    assert "tidak sama" in texts(at)
    assert _user(app_db, "kasir") is None


def test_a_new_account_with_a_short_password_is_refused(ui_admin, app_db):
    at = _create(open_app(ui_admin, PAGE), "kasir", "pendek", "pendek")

    assert "minimal" in texts(at)
    assert _user(app_db, "kasir") is None


def test_an_admin_disables_and_enables_an_account(ui_admin, ui_manager, app_db):
    at = _pick(open_app(ui_admin, PAGE), ui_manager)

    at.button(key="acc_toggle").click().run()

    assert "Akun pemilik dinonaktifkan." in texts(at)
    assert not _user(app_db, "pemilik").active
    assert not _signs_in(app_db, "pemilik", PASSWORD)

    _pick(at, ui_manager)
    at.button(key="acc_toggle").click().run()

    assert "Akun pemilik diaktifkan." in texts(at)
    assert _signs_in(app_db, "pemilik", PASSWORD)


def test_an_admin_is_offered_no_button_to_disable_themself(ui_admin):
    at = _pick(open_app(ui_admin, PAGE), ui_admin)

    assert not [b for b in at.button if b.key == "acc_toggle"]
    assert "tidak dapat dinonaktifkan" in texts(at)


def test_an_admin_resets_another_accounts_password(ui_admin, ui_manager, app_db):
    at = _pick(open_app(ui_admin, PAGE), ui_manager)
    _fill(at, acc_reset_pw=NEW_PASSWORD, acc_reset_repeat=NEW_PASSWORD)

    at = _submit(at, "acc_reset_form")

    assert "Kata sandi akun pemilik diatur ulang." in texts(at)
    assert _signs_in(app_db, "pemilik", NEW_PASSWORD)
    assert not _signs_in(app_db, "pemilik", PASSWORD)


def test_a_reset_needs_the_new_password_twice(ui_admin, ui_manager, app_db):
    at = _pick(open_app(ui_admin, PAGE), ui_manager)
    _fill(at, acc_reset_pw=NEW_PASSWORD, acc_reset_repeat="lain-sekali-12345")

    at = _submit(at, "acc_reset_form")

    assert "tidak sama" in texts(at)
    assert _signs_in(app_db, "pemilik", PASSWORD)


@pytest.mark.parametrize("role", ["admin", "management"])
def test_anyone_changes_their_own_password(ui_admin, ui_manager, app_db, role):
    actor = ui_admin if role == "admin" else ui_manager
    at = open_app(actor, PAGE)
    _fill(
        at, acc_own_old=PASSWORD, acc_own_new=NEW_PASSWORD, acc_own_repeat=NEW_PASSWORD
    )

    at = _submit(at, "acc_own_form")

    assert "Kata sandi Anda sudah diganti." in texts(at)
    assert _signs_in(app_db, actor.username, NEW_PASSWORD)


def test_a_wrong_old_password_is_refused(ui_manager, app_db):
    at = open_app(ui_manager, PAGE)
    _fill(
        at,
        acc_own_old="bukan-sandinya",
        acc_own_new=NEW_PASSWORD,
        acc_own_repeat=NEW_PASSWORD,
    )

    at = _submit(at, "acc_own_form")

    assert "Kata sandi lama salah." in texts(at)
    assert _signs_in(app_db, "pemilik", PASSWORD)


def test_a_new_own_password_must_be_repeated_exactly(ui_manager, app_db):
    at = open_app(ui_manager, PAGE)
    _fill(at, acc_own_old=PASSWORD, acc_own_new=NEW_PASSWORD, acc_own_repeat="lain")

    at = _submit(at, "acc_own_form")

    assert "tidak sama" in texts(at)
    assert _signs_in(app_db, "pemilik", PASSWORD)


def test_management_sees_only_its_own_account_and_password_form(ui_manager):
    at = open_app(ui_manager, PAGE)

    assert not at.exception
    assert at.title[0].value == "Akun Saya"
    assert "pemilik" in texts(at)
    assert [form.key for form in at.form] == ["acc_own_form"]
    assert not at.dataframe
    assert not [box for box in at.selectbox if box.key == "acc_pick"]
    assert [b.key for b in at.main.button] == [
        "FormSubmitter:acc_own_form-Ganti kata sandi"
    ]
