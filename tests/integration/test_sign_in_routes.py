"""The sign-in and sign-out routes through Starlette's test client."""

import logging

import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from office_core import accounts, sessions
from office_core.errors import SessionEnded
from office_core.models import AuditEntry, User
from tests.conftest import PASSWORD, make_admin, make_manager
from ui import web

SITE = "http://127.0.0.1:8501"


@pytest.fixture
def site_db(sqlite_db, monkeypatch):
    monkeypatch.setenv("DWIGITAL_DATABASE_URL", sqlite_db.url)
    return sqlite_db


@pytest.fixture
def admin(site_db):
    return make_admin(site_db)


def client(base: str = SITE) -> TestClient:
    app = Starlette(routes=web.ROUTES)
    return TestClient(app, base_url=base, follow_redirects=False)


def post_sign_in(password: str, username: str = "admin", **headers):
    headers = {"origin": SITE, **headers}
    return client().post(
        web.SIGN_IN_PATH,
        data={"username": username, "password": password},
        headers={k: v for k, v in headers.items() if v is not None},
    )


def _user(database, username: str = "admin") -> User:
    with database.transaction() as session:
        return session.scalar(select(User).where(User.username == username))


def _resume(database, token: str):
    with database.transaction() as session:
        return sessions.resume(session, token)


def test_the_right_password_sets_a_safe_cookie_and_goes_home(site_db, admin):
    reply = post_sign_in(PASSWORD)

    assert (reply.status_code, reply.headers["location"]) == (303, "/")
    cookie = reply.headers["set-cookie"]
    assert cookie.startswith(f"{sessions.COOKIE_NAME}=v1.")
    for attribute in ("HttpOnly", "SameSite=lax", "Path=/", "Max-Age=43200"):
        assert attribute in cookie
    assert "Secure" not in cookie
    assert _resume(site_db, reply.cookies[sessions.COOKIE_NAME]) == admin


def test_over_https_the_cookie_is_secure(site_db, admin):
    reply = client("https://127.0.0.1").post(
        web.SIGN_IN_PATH,
        data={"username": "admin", "password": PASSWORD},
        headers={"origin": "https://127.0.0.1"},
    )

    assert reply.status_code == 303
    assert "Secure" in reply.headers["set-cookie"]


@pytest.mark.parametrize(
    ("username", "password"), [("admin", "salah-sekali-123"), ("siapa", PASSWORD)]
)
def test_a_wrong_sign_in_comes_back_with_a_reason_and_no_cookie(
    site_db, admin, username, password
):
    reply = post_sign_in(password, username)

    assert (reply.status_code, reply.headers["location"]) == (303, "/?masuk=salah")
    assert "set-cookie" not in reply.headers
    assert password not in reply.headers["location"]


def test_failures_are_counted_and_lock_the_account(site_db, admin):
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        post_sign_in("salah-sekali-123")

    reply = post_sign_in(PASSWORD)

    assert reply.headers["location"] == "/?masuk=dikunci"
    assert "set-cookie" not in reply.headers
    assert _user(site_db).locked_until is not None


def test_a_disabled_account_is_refused(site_db, admin):
    manager = make_manager(site_db, admin)
    with site_db.transaction() as session:
        accounts.set_active(session, admin, manager.user_id, False)

    reply = post_sign_in(PASSWORD, "pemilik")

    assert reply.headers["location"] == "/?masuk=nonaktif"


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": None},
        {"origin": "https://penipu.example"},
        {"origin": "null"},
        {"origin": None, "referer": "https://penipu.example/halaman"},
        # DNS rebinding: a foreign name pointed at this server matches itself.
        {"origin": "http://penipu.example", "host": "penipu.example"},
    ],
    ids=["no-origin", "foreign", "null", "foreign-referer", "rebinding"],
)
def test_a_post_from_another_site_is_refused_before_any_check(site_db, admin, headers):
    reply = post_sign_in("salah-sekali-123", **headers)

    assert reply.status_code == 403
    assert _user(site_db).failed_attempts == 0


def test_a_referer_from_this_site_is_enough_without_origin(site_db, admin):
    reply = post_sign_in(PASSWORD, origin=None, referer=f"{SITE}/")

    assert reply.headers["location"] == "/"


def test_an_oversized_form_is_refused(site_db, admin):
    reply = post_sign_in("x" * 10_000)

    assert reply.status_code == 413
    assert _user(site_db).failed_attempts == 0


def test_credentials_cannot_be_sent_in_the_url(site_db, admin):
    reply = client().get(
        f"{web.SIGN_IN_PATH}?username=admin&password={PASSWORD}",
        headers={"origin": SITE},
    )

    assert reply.status_code == 405
    assert "set-cookie" not in reply.headers


def test_the_password_is_never_logged_nor_audited(site_db, admin, caplog):
    caplog.set_level(logging.DEBUG)
    post_sign_in(PASSWORD)
    post_sign_in(PASSWORD + "-salah")

    assert "signed in" in caplog.text
    assert PASSWORD not in caplog.text
    with site_db.transaction() as session:
        entries = session.scalars(select(AuditEntry)).all()
        assert {"sign_in", "sign_in_failed"} <= {e.action for e in entries}
        assert all(PASSWORD not in f"{e.before}{e.after}" for e in entries)


def test_sign_out_revokes_the_token_and_clears_the_cookie(site_db, admin):
    token = post_sign_in(PASSWORD).cookies[sessions.COOKIE_NAME]
    browser = client()
    browser.cookies.set(sessions.COOKIE_NAME, token)

    reply = browser.post(web.SIGN_OUT_PATH, headers={"origin": SITE})

    assert (reply.status_code, reply.headers["location"]) == (303, "/?keluar=1")
    cookie = reply.headers["set-cookie"]
    assert cookie.startswith(f'{sessions.COOKIE_NAME}="";')
    assert "Max-Age=0" in cookie
    with pytest.raises(SessionEnded, match="diakhiri"):
        _resume(site_db, token)


def test_a_cross_site_sign_out_is_refused(site_db, admin):
    token = post_sign_in(PASSWORD).cookies[sessions.COOKIE_NAME]
    browser = client()
    browser.cookies.set(sessions.COOKIE_NAME, token)

    reply = browser.post(web.SIGN_OUT_PATH, headers={"origin": "https://x.example"})

    assert reply.status_code == 403
    assert _resume(site_db, token) == admin


@pytest.mark.parametrize(
    ("host", "allowed", "expected"),
    [
        ("127.0.0.1:8501", ["localhost", "127.0.0.1"], True),
        ("kantor.dwigital.id", ["*.dwigital.id"], True),
        ("dwigital.id.penipu.example", ["*.dwigital.id"], False),
        ("penipu.example", ["localhost"], False),
        ("apa.saja:80", ["*"], True),
        ("", ["*"], False),
    ],
)
def test_hosts_are_matched_like_streamlits_allowed_hosts(host, allowed, expected):
    assert web.host_allowed(host, allowed) is expected


def test_signing_in_again_revokes_the_browsers_previous_token(site_db, admin):
    first = post_sign_in(PASSWORD).cookies[sessions.COOKIE_NAME]
    browser = client()
    browser.cookies.set(sessions.COOKIE_NAME, first)

    again = browser.post(
        web.SIGN_IN_PATH,
        data={"username": "admin", "password": PASSWORD},
        headers={"origin": SITE},
    )

    assert _resume(site_db, again.cookies[sessions.COOKIE_NAME]) == admin
    with pytest.raises(SessionEnded, match="diakhiri"):
        _resume(site_db, first)
