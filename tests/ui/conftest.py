"""AppTest helpers: run the real app script on a fresh SQLite database."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from office_core import sessions
from office_core.accounts import Actor
from office_core.config import database_url
from tests.conftest import make_admin, make_manager
from tests.ui.served_app import run_like_a_server
from ui.database import open_database
from ui.state import TOKEN_KEY

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 30


@pytest.fixture(autouse=True)
def served_by_app(request, monkeypatch):
    """Route every run through app.py, as a running server does.

    Tests marked `pages_folder` keep Streamlit's pages-folder mode, the way a
    process's very first request may be served.
    """
    if request.node.get_closest_marker("pages_folder") is None:
        run_like_a_server(monkeypatch)


@pytest.fixture
def app_db(sqlite_db, monkeypatch):
    """The database the app under test uses."""
    monkeypatch.setenv("DWIGITAL_DATABASE_URL", sqlite_db.url)
    return sqlite_db


@pytest.fixture
def ui_admin(app_db) -> Actor:
    return make_admin(app_db)


@pytest.fixture
def ui_manager(app_db, ui_admin) -> Actor:
    return make_manager(app_db, ui_admin)


def sign_in_tab(at: AppTest, actor: Actor) -> str:
    """Give a tab a real sign-in token for `actor`, as its cookie would."""
    with open_database(database_url()).transaction() as session:
        token = sessions.start(session, actor)
    at.session_state[TOKEN_KEY] = token
    return token


def open_app(actor: Actor | None = None, page: str | None = None) -> AppTest:
    """Return the app, signed in as `actor`, after running `page`."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if actor is not None:
        sign_in_tab(at, actor)
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    return at


def texts(at: AppTest) -> str:
    """Return every message, title and markdown text the page shows."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "success",
                 "info", "warning", "error"):  # fmt: skip
        parts.extend(str(element.value) for element in getattr(at, kind))
    return "\n".join(parts)


def posted_forms(block) -> list[str]:
    """Return where the HTML forms in an app or block post to (sign-in, sign-out)."""
    bodies = [html.proto.body for html in block.get("html")]
    return re.findall(r'<form[^>]*action="([^"]+)"', "".join(bodies))
