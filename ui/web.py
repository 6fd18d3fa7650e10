"""The HTTP routes beside Streamlit: sign-in and sign-out set or clear the cookie.

Streamlit's page script can read cookies but not set them, so the sign-in
form posts here. The password travels only in the POST body: never in a
URL, a log line or the Streamlit session. Both routes refuse a request that
does not come from this site's own pages (Origin check against Host), and
the cookie is HttpOnly, SameSite=Lax, and Secure when served over https.
"""

import logging
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from streamlit import config

from office_core import accounts, sessions
from office_core.config import cookie_always_secure, database_url, sign_in_policy
from office_core.db import DatabaseUnavailable
from office_core.errors import AuthenticationFailed
from ui.database import open_database

log = logging.getLogger(__name__)

SIGN_IN_PATH = "/auth/masuk"
SIGN_OUT_PATH = "/auth/keluar"
# Query parameter that tells the sign-in page why it is shown again.
REFUSAL_PARAM = "masuk"
SIGNED_OUT_PARAM = "keluar"
MAX_FORM_BYTES = 4096


async def sign_in(request: Request) -> Response:
    """Check the posted credentials; on success set the cookie and go home."""
    refusal = _refuse_foreign(request)
    if refusal:
        return refusal
    form = await request.form()
    username = str(form.get("username", ""))[:64]
    password = str(form.get("password", ""))[: accounts.MAX_PASSWORD_LENGTH]
    previous = request.cookies.get(sessions.COOKIE_NAME)
    try:
        outcome = await run_in_threadpool(_sign_in, username, password, previous)
    except DatabaseUnavailable:
        return _home({REFUSAL_PARAM: "database"})
    if isinstance(outcome, AuthenticationFailed):
        return _home({REFUSAL_PARAM: outcome.reason})
    response = _home()
    response.set_cookie(
        sessions.COOKIE_NAME,
        outcome,
        max_age=sign_in_policy().session_hours * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_is_https(request),
    )
    return response


async def sign_out(request: Request) -> Response:
    """Revoke this browser's token and clear its cookie."""
    refusal = _refuse_foreign(request)
    if refusal:
        return refusal
    token = request.cookies.get(sessions.COOKIE_NAME)
    if token:
        try:
            await run_in_threadpool(_sign_out, token)
        except DatabaseUnavailable:
            log.warning("sign-out could not revoke the token: database down")
    response = _home({SIGNED_OUT_PARAM: "1"})
    response.delete_cookie(
        sessions.COOKIE_NAME,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_is_https(request),
    )
    return response


def _sign_in(
    username: str, password: str, previous: str | None
) -> str | AuthenticationFailed:
    """Check the credentials and open a session, in one transaction.

    A token this browser still had is revoked: its cookie is replaced.
    """
    with open_database(database_url()).transaction() as session:
        outcome = accounts.attempt_sign_in(session, username, password)
        if isinstance(outcome, AuthenticationFailed):
            log.warning("sign-in refused (%s)", outcome.reason)
            return outcome
        if previous:
            sessions.end(session, previous)
        log.info("signed in: %s", outcome.username)
        return sessions.start(session, outcome)


def _sign_out(token: str) -> None:
    with open_database(database_url()).transaction() as session:
        if sessions.end(session, token):
            log.info("signed out")


def _refuse_foreign(request: Request) -> Response | None:
    """Refuse a cross-site or oversized post (CSRF and abuse)."""
    if not same_origin(request):
        log.warning("refused a post from another site")
        return PlainTextResponse("Permintaan ditolak: asal tidak sah.", 403)
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > MAX_FORM_BYTES:
        return PlainTextResponse("Permintaan ditolak: isian terlalu besar.", 413)
    return None


def same_origin(request: Request) -> bool:
    """Tell whether a post comes from a page of this host (Origin or Referer).

    The host must also be one of server.allowedHosts, or a site whose name
    was pointed at this server (DNS rebinding) would pass as its own origin.
    """
    source = request.headers.get("origin") or request.headers.get("referer")
    host = request.headers.get("host", "").lower()
    if not source or source == "null" or not host_allowed(host):
        return False
    return urlsplit(source).netloc.lower() == host


def host_allowed(host: str, allowed: list[str] | None = None) -> bool:
    """Tell whether a Host header names one of Streamlit's allowed hosts."""
    if allowed is None:
        allowed = config.get_option("server.allowedHosts") or ["*"]
    name = urlsplit(f"//{host}").hostname or ""
    return bool(name) and any(_matches(name, pattern) for pattern in allowed)


def _matches(name: str, pattern: str) -> bool:
    pattern = pattern.strip().lower()
    if pattern == "*":
        return True
    if pattern.startswith("*."):
        return name.endswith(pattern[1:])
    return name == pattern


def _is_https(request: Request) -> bool:
    return request.url.scheme == "https" or cookie_always_secure()


def _home(query: dict[str, str] | None = None) -> RedirectResponse:
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return RedirectResponse("/" + suffix, status_code=303)


_STYLE = """
<style>
  form.dw-sign-in { display: grid; gap: .4rem; max-width: 24rem; }
  form.dw-sign-in input { padding: .5rem; border: 1px solid #bbb;
    border-radius: .4rem; font-size: 1rem; }
  form.dw-sign-in button { margin-top: .6rem; justify-self: start;
    padding: .5rem 1rem; border: 0; border-radius: .4rem;
    background: #0F766E; color: white; font-size: 1rem; cursor: pointer; }
  form.dw-sign-out button { padding: .4rem .9rem; border: 1px solid #bbb;
    border-radius: .4rem; background: white; font-size: .95rem;
    cursor: pointer; }
</style>
"""
SIGN_IN_FORM = f"""{_STYLE}
<form class="dw-sign-in" method="post" action="{SIGN_IN_PATH}">
  <label for="dw-username">Nama pengguna</label>
  <input id="dw-username" name="username" type="text" maxlength="64"
         autocomplete="username" required>
  <label for="dw-password">Kata sandi</label>
  <input id="dw-password" name="password" type="password" maxlength="256"
         autocomplete="current-password" required>
  <button type="submit">Masuk</button>
</form>
"""
SIGN_OUT_FORM = f"""{_STYLE}
<form class="dw-sign-out" method="post" action="{SIGN_OUT_PATH}">
  <button type="submit">Keluar</button>
</form>
"""

ROUTES = [
    Route(SIGN_IN_PATH, sign_in, methods=["POST"]),
    Route(SIGN_OUT_PATH, sign_out, methods=["POST"]),
]
