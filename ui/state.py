"""The database handle, the signed-in account and running one action per click."""

import logging
from collections.abc import Callable
from typing import Any

import streamlit as st

from office_core import sessions
from office_core.accounts import ADMIN, Actor
from office_core.config import database_url
from office_core.db import Database, DatabaseUnavailable
from office_core.errors import OfficeError, SessionEnded
from ui.database import open_database

log = logging.getLogger(__name__)

ACTOR_KEY = "auth_actor"
# The sign-in token of this tab: the cookie it connected with (tests put
# one here directly, as AppTest cannot send cookies).
TOKEN_KEY = "auth_token"
NOTICE_KEY = "auth_notice"
PASSWORD_CHANGED = (
    "Kata sandi Anda sudah diganti. Silakan masuk dengan kata sandi baru."
)
# Shown only when a page is opened before app.py routed it; "./" reloads the
# app through app.py, which then shows the sign-in page.
DATABASE_DOWN = (
    "Database tidak dapat dihubungi. Tidak ada yang tersimpan; "
    "coba muat ulang halaman sebentar lagi."
)
SIGN_IN_FIRST = "Silakan masuk terlebih dahulu: [buka halaman masuk](./)."


def database() -> Database:
    """Return this process's database, migrated on first use."""
    try:
        return open_database(database_url())
    except Exception:
        # Not cached: the next run tries again, so the app recovers by itself.
        log.exception("database could not be opened")
        st.error(DATABASE_DOWN)
        st.stop()


def current_actor() -> Actor | None:
    """Return the account this tab's sign-in token stands for, or None.

    The token is checked on every run, so idle time, sign-out in another
    tab, a password change or a disabled account end the session at once.
    """
    token = _token()
    if token is None:
        return None
    try:
        actor = read(sessions.resume, token)
    except SessionEnded as ended:
        forget_sign_in()
        # A message set by the action that ended the session wins.
        st.session_state.setdefault(NOTICE_KEY, ended.message)
        return None
    st.session_state[TOKEN_KEY] = token
    st.session_state[ACTOR_KEY] = actor
    return actor


def _token() -> str | None:
    token = st.session_state.get(TOKEN_KEY) or st.context.cookies.get(
        sessions.COOKIE_NAME
    )
    # Only text counts (AppTest's stand-in browser answers with mock objects).
    return token if isinstance(token, str) and token else None


def forget_sign_in() -> None:
    """Forget this tab's token and account."""
    st.session_state.pop(TOKEN_KEY, None)
    st.session_state.pop(ACTOR_KEY, None)


def require_actor(admin_only: bool = False) -> Actor:
    """Return the signed-in actor, or stop the page with a message."""
    actor = current_actor()
    if actor is None:
        st.warning(SIGN_IN_FIRST)
        st.stop()
    if admin_only and actor.role != ADMIN:
        st.error("Halaman ini hanya untuk admin.")
        st.stop()
    return actor


def is_admin(actor: Actor) -> bool:
    return actor.role == ADMIN


def read(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a domain function that needs no signed-in actor, in one transaction."""
    try:
        with database().transaction() as session:
            return function(session, *args, **kwargs)
    except DatabaseUnavailable as exc:
        st.error(exc.message)
        st.stop()


def act(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[bool, Any]:
    """Run one user action as the signed-in actor; show its refusal if any."""
    actor = require_actor()
    try:
        with database().transaction() as session:
            return True, function(session, actor, *args, **kwargs)
    except OfficeError as exc:
        st.error(exc.message)
        return False, None
    except Exception:
        log.exception("unexpected error in %s", function.__name__)
        st.error("Terjadi kesalahan tak terduga. Tidak ada yang tersimpan.")
        return False, None
