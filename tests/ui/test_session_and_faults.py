"""An open session follows the account's state; a database fault is explained."""

from office_core import accounts
from tests.ui.conftest import open_app, posted_forms, texts
from ui import web
from ui.state import ACTOR_KEY, DATABASE_DOWN

WITHDRAWALS = "pages/withdrawals.py"


def test_a_disabled_account_is_signed_out_on_its_next_click(
    app_db, ui_admin, ui_manager
):
    at = open_app(ui_manager, WITHDRAWALS)
    assert at.title[0].value == "Penarikan Dana"

    with app_db.transaction() as session:
        accounts.set_active(session, ui_admin, ui_manager.user_id, False)
    at.run()

    assert ACTOR_KEY not in at.session_state
    assert "Akun Anda tidak aktif lagi" in texts(at)
    assert posted_forms(at) == [web.SIGN_IN_PATH]


def test_a_session_claiming_admin_for_a_management_account_gets_management_pages(
    app_db, ui_admin, ui_manager
):
    forged = accounts.Actor(ui_manager.user_id, ui_manager.username, accounts.ADMIN)
    at = open_app(forged, WITHDRAWALS)

    assert at.session_state[ACTOR_KEY].role == accounts.MANAGEMENT
    assert not at.data_editor
    assert not at.form


def test_an_unreachable_database_shows_an_indonesian_message(monkeypatch):
    # Port 1 on loopback: nothing listens there, the connection is refused.
    monkeypatch.setenv(
        "DWIGITAL_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/test"
    )
    at = open_app()

    assert not at.exception
    assert [error.value for error in at.error] == [DATABASE_DOWN]
