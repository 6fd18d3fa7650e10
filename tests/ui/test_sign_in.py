"""Sign-in page: first admin, the HTML sign-in form, notices, token checks."""

import datetime as dt
import re

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from office_core import accounts, sessions
from office_core.dates import now
from office_core.models import User
from tests.conftest import PASSWORD
from tests.ui.conftest import APP, TIMEOUT, open_app, posted_forms, texts
from ui import web
from ui.state import ACTOR_KEY, PASSWORD_CHANGED, TOKEN_KEY

SIGN_IN_TITLE = "Masuk ke Dwigital Office"


def _submit(at, form: str):
    at.form(key=form).button[0].click()
    return at.run()


def _users(database) -> list[User]:
    with database.transaction() as session:
        return list(session.scalars(select(User)))


def _create_first_admin(at, password: str, repeat: str):
    at.text_input(key="setup_username").input("Admin")
    at.text_input(key="setup_password").input(password)
    at.text_input(key="setup_repeat").input(repeat)
    return _submit(at, "setup_form")


def _opened_with(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def _token(database, actor, at: dt.datetime | None = None) -> str:
    with database.transaction() as session:
        return sessions.start(session, actor, at)


def _tab_with(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[TOKEN_KEY] = token
    return at.run()


def test_an_empty_database_asks_for_the_first_admin_with_no_default_password(app_db):
    at = open_app()

    assert "Belum ada akun" in texts(at)
    assert [box.value for box in at.text_input] == ["", "", ""]
    assert ACTOR_KEY not in at.session_state
    assert _users(app_db) == []


def test_creating_the_first_admin_then_asks_to_sign_in(app_db):
    at = _create_first_admin(open_app(), PASSWORD, PASSWORD)

    assert not at.exception
    assert at.title[0].value == SIGN_IN_TITLE
    assert "Akun admin pertama sudah dibuat" in texts(at)
    assert ACTOR_KEY not in at.session_state
    (user,) = _users(app_db)
    assert (user.username, user.role) == ("admin", "admin")
    assert user.password_hash.startswith("$argon2id$")


def test_the_setup_form_keeps_no_password_in_the_session(app_db):
    at = _create_first_admin(open_app(), PASSWORD, PASSWORD)

    for key in ("setup_password", "setup_repeat"):
        assert key not in at.session_state or at.session_state[key] == ""


def test_the_first_admin_needs_the_password_twice(app_db):
    at = _create_first_admin(open_app(), PASSWORD, PASSWORD + "x")

    assert "tidak sama" in texts(at)
    assert _users(app_db) == []


@pytest.mark.parametrize(
    ("password", "message"),
    [("pendek", "minimal 10 karakter"), ("qwertyuiop", "terlalu umum")],
)
def test_the_first_admin_needs_a_good_password(app_db, password, message):
    at = _create_first_admin(open_app(), password, password)

    assert message in texts(at)
    assert _users(app_db) == []


def test_the_sign_in_form_posts_labelled_fields_to_the_route(ui_admin):
    at = open_app()

    assert at.title[0].value == SIGN_IN_TITLE
    assert posted_forms(at) == [web.SIGN_IN_PATH]
    body = at.get("html")[0].proto.body
    assert re.search(r'<form[^>]*method="post"', body)
    for label, name, kind in [
        ("Nama pengguna", "username", "text"),
        ("Kata sandi", "password", "password"),
    ]:
        field = re.search(rf'<label for="([^"]+)">{label}</label>', body).group(1)
        assert re.search(rf'id="{field}" name="{name}" type="{kind}"', body)
    assert "value=" not in body


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("salah", accounts.WRONG_PASSWORD),
        ("dikunci", accounts.locked_message()),
        ("nonaktif", accounts.DISABLED),
        ("<script>", accounts.WRONG_PASSWORD),
    ],
)
def test_a_refused_sign_in_comes_back_with_its_message(ui_admin, reason, message):
    at = _opened_with(masuk=reason)

    assert [error.value for error in at.error] == [message]
    assert posted_forms(at) == [web.SIGN_IN_PATH]


def test_after_sign_out_the_page_says_so(ui_admin):
    at = _opened_with(keluar="1")

    assert [success.value for success in at.success] == ["Anda sudah keluar."]


def test_a_valid_token_opens_the_dashboard_with_a_sign_out_form(ui_admin, app_db):
    at = _tab_with(_token(app_db, ui_admin))

    assert not at.exception
    assert at.title[0].value == "Dasbor"
    assert at.session_state[ACTOR_KEY] == ui_admin
    assert "admin" in "\n".join(str(c.value) for c in at.sidebar.caption)
    assert posted_forms(at.sidebar) == [web.SIGN_OUT_PATH]


def test_an_idle_token_is_signed_out_with_a_notice(ui_admin, app_db):
    token = _token(app_db, ui_admin, now() - dt.timedelta(minutes=31))

    at = _tab_with(token)

    assert at.title[0].value == SIGN_IN_TITLE
    assert sessions.IDLE in texts(at)
    assert ACTOR_KEY not in at.session_state


def test_signing_out_elsewhere_ends_this_tab_on_its_next_click(ui_admin, app_db):
    token = _token(app_db, ui_admin)
    at = _tab_with(token)
    assert at.title[0].value == "Dasbor"

    with app_db.transaction() as session:
        sessions.end(session, token)
    at.run()

    assert at.title[0].value == SIGN_IN_TITLE
    assert sessions.REVOKED in texts(at)


def test_a_forged_token_shows_the_sign_in_page(ui_admin, app_db):
    token = _token(app_db, ui_admin)

    at = _tab_with(token[:-3] + "xyz")

    assert at.title[0].value == SIGN_IN_TITLE
    assert sessions.INVALID in texts(at)


def test_changing_the_own_password_signs_out_with_a_notice(ui_manager, app_db):
    at = open_app(ui_manager, "pages/accounts.py")
    at.text_input(key="acc_own_old").input(PASSWORD)
    at.text_input(key="acc_own_new").input("sandi-baru-yang-panjang")
    at.text_input(key="acc_own_repeat").input("sandi-baru-yang-panjang")

    at = _submit(at, "acc_own_form")

    assert at.title[0].value == SIGN_IN_TITLE
    assert PASSWORD_CHANGED in texts(at)
    assert ACTOR_KEY not in at.session_state
