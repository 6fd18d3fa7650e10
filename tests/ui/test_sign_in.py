"""Sign-in page: first admin on an empty database, sign-in, sign-out."""

import time

from sqlalchemy import select

from office_core.accounts import MAX_FAILED_ATTEMPTS
from office_core.models import User
from tests.conftest import PASSWORD
from tests.ui.conftest import open_app, texts
from ui.state import ACTOR_KEY, SEEN_KEY


def _submit(at, form: str):
    at.form(key=form).button[0].click()
    return at.run()


def _sign_in(at, username: str, password: str):
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(password)
    return _submit(at, "sign_in_form")


def _users(database) -> list[User]:
    with database.transaction() as session:
        return list(session.scalars(select(User)))


def _create_first_admin(at, password: str, repeat: str):
    at.text_input(key="setup_username").input("Admin")
    at.text_input(key="setup_password").input(password)
    at.text_input(key="setup_repeat").input(repeat)
    return _submit(at, "setup_form")


def test_an_empty_database_asks_for_the_first_admin_with_no_default_password(app_db):
    at = open_app()

    assert "Belum ada akun" in texts(at)
    assert [box.value for box in at.text_input] == ["", "", ""]
    assert ACTOR_KEY not in at.session_state
    assert _users(app_db) == []


def test_creating_the_first_admin_signs_in_and_opens_the_dashboard(app_db):
    at = _create_first_admin(open_app(), PASSWORD, PASSWORD)

    assert not at.exception
    assert at.title[0].value == "Dasbor"
    assert at.session_state[ACTOR_KEY].username == "admin"
    (user,) = _users(app_db)
    assert (user.username, user.role) == ("admin", "admin")
    assert user.password_hash.startswith("$argon2id$")


def test_the_first_admin_needs_the_password_twice(app_db):
    at = _create_first_admin(open_app(), PASSWORD, PASSWORD + "x")

    assert "tidak sama" in texts(at)
    assert _users(app_db) == []


def test_the_first_admin_needs_a_long_enough_password(app_db):
    at = _create_first_admin(open_app(), "pendek", "pendek")

    assert "minimal" in texts(at)
    assert _users(app_db) == []


def test_with_an_admin_the_page_asks_to_sign_in(ui_admin):
    at = open_app()

    assert at.title[0].value == "Masuk ke Dwigital Office"
    assert "Belum ada akun" not in texts(at)


def test_a_wrong_password_is_refused_with_a_message(ui_admin, app_db):
    at = _sign_in(open_app(), "admin", "bukan-sandinya")

    assert "Nama pengguna atau kata sandi salah." in texts(at)
    assert ACTOR_KEY not in at.session_state
    assert at.title[0].value == "Masuk ke Dwigital Office"
    assert _users(app_db)[0].failed_attempts == 1


def test_repeated_wrong_passwords_lock_the_account(ui_admin):
    at = open_app()
    for _ in range(MAX_FAILED_ATTEMPTS):
        _sign_in(at, "admin", "bukan-sandinya")

    _sign_in(at, "admin", PASSWORD)

    assert "dikunci" in texts(at)
    assert ACTOR_KEY not in at.session_state


def test_the_right_password_reaches_the_dashboard(ui_admin):
    at = _sign_in(open_app(), "admin", PASSWORD)

    assert not at.exception
    assert at.title[0].value == "Dasbor"
    assert at.session_state[ACTOR_KEY] == ui_admin
    assert "admin" in "\n".join(str(c.value) for c in at.sidebar.caption)


def test_sign_out_returns_to_the_sign_in_page(ui_admin):
    at = _sign_in(open_app(), "admin", PASSWORD)

    at.button(key="app_sign_out").click().run()

    assert at.title[0].value == "Masuk ke Dwigital Office"
    assert ACTOR_KEY not in at.session_state


def test_an_idle_session_is_signed_out_with_a_notice(ui_admin):
    at = open_app(ui_admin)
    at.session_state[SEEN_KEY] = time.time() - 24 * 3600

    at.run()

    assert at.title[0].value == "Masuk ke Dwigital Office"
    assert "Sesi berakhir" in texts(at)
    assert ACTOR_KEY not in at.session_state
