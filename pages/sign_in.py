"""Sign-in, and creating the first admin account on an empty database."""

import streamlit as st

from office_core import accounts
from office_core.errors import OfficeError
from ui import state


def render_first_admin() -> None:
    st.title("Selamat datang di Dwigital Office")
    st.info("Belum ada akun. Buat akun admin pertama untuk mulai.")
    with st.form("setup_form"):
        username = st.text_input("Nama pengguna", key="setup_username")
        password = st.text_input("Kata sandi", type="password", key="setup_password")
        repeat = st.text_input("Ulangi kata sandi", type="password", key="setup_repeat")
        submitted = st.form_submit_button("Buat akun admin", type="primary")
    if not submitted:
        return
    if password != repeat:
        st.error("Kedua kata sandi tidak sama.")
        return
    _finish(accounts.create_first_admin, username, password)


def render_sign_in() -> None:
    st.title("Masuk ke Dwigital Office")
    notice = st.session_state.pop("auth_notice", None)
    if notice:
        st.info(notice)
    with st.form("sign_in_form"):
        username = st.text_input("Nama pengguna", key="sign_in_username")
        password = st.text_input("Kata sandi", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Masuk", type="primary")
    if not submitted:
        return
    outcome = state.read(accounts.attempt_sign_in, username, password)
    if isinstance(outcome, OfficeError):
        st.error(outcome.message)
        return
    state.sign_in(outcome)
    st.rerun()


def _finish(action, username: str, password: str) -> None:
    try:
        with state.database().transaction() as session:
            actor = action(session, username, password)
    except OfficeError as exc:
        st.error(exc.message)
        return
    state.sign_in(actor)
    st.rerun()


def main() -> None:
    if state.read(accounts.needs_first_admin):
        render_first_admin()
    else:
        render_sign_in()


main()
