"""The database handle, the signed-in account and running one action per click."""

import logging
import os
import time
from collections.abc import Callable
from typing import Any

import streamlit as st

from office_core import accounts
from office_core.accounts import ADMIN, Actor
from office_core.config import database_url
from office_core.db import Database, DatabaseUnavailable
from office_core.errors import OfficeError

log = logging.getLogger(__name__)

ACTOR_KEY = "auth_actor"
SEEN_KEY = "auth_last_seen"
# Shown only when a page is opened before app.py routed it; "./" reloads the
# app through app.py, which then shows the sign-in page.
DATABASE_DOWN = (
    "Database tidak dapat dihubungi. Tidak ada yang tersimpan; "
    "coba muat ulang halaman sebentar lagi."
)
SIGN_IN_FIRST = "Silakan masuk terlebih dahulu: [buka halaman masuk](./)."
IDLE_MINUTES = int(os.environ.get("DWIGITAL_IDLE_MINUTES", "30"))


@st.cache_resource(show_spinner=False)
def _database(url: str) -> Database:
    database = Database(url)
    database.migrate()
    return database


def database() -> Database:
    """Return this process's database, migrated on first use."""
    try:
        return _database(database_url())
    except Exception:
        # Not cached: the next run tries again, so the app recovers by itself.
        log.exception("database could not be opened")
        st.error(DATABASE_DOWN)
        st.stop()


def current_actor() -> Actor | None:
    """Return the signed-in account, signing it out after a long idle time."""
    actor = st.session_state.get(ACTOR_KEY)
    if not isinstance(actor, Actor):
        return None
    last_seen = st.session_state.get(SEEN_KEY, 0.0)
    if time.time() - last_seen > IDLE_MINUTES * 60:
        return _end_session("Sesi berakhir karena lama tidak aktif.")
    # A disabled account or a changed role takes effect on the next click.
    fresh = read(accounts.refresh_actor, actor)
    if fresh is None:
        return _end_session("Akun Anda tidak aktif lagi. Silakan masuk kembali.")
    st.session_state[ACTOR_KEY] = fresh
    st.session_state[SEEN_KEY] = time.time()
    return fresh


def _end_session(notice: str) -> None:
    sign_out()
    st.session_state["auth_notice"] = notice


def sign_in(actor: Actor) -> None:
    """Remember the account that just signed in for this browser session."""
    st.session_state[ACTOR_KEY] = actor
    st.session_state[SEEN_KEY] = time.time()


def sign_out() -> None:
    """Forget the signed-in account."""
    st.session_state.pop(ACTOR_KEY, None)
    st.session_state.pop(SEEN_KEY, None)


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
