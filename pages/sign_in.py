"""Sign-in, and creating the first admin account on an empty database.

The sign-in form is plain HTML that posts to the sign-in route (ui/web.py),
which sets the cookie; the password never passes through this script.
"""

import streamlit as st

from office_core import accounts
from office_core.errors import OfficeError
from ui import state, web

SIGNED_OUT = "Anda sudah keluar."
FIRST_ADMIN_MADE = "Akun admin pertama sudah dibuat. Silakan masuk."


def render_first_admin() -> None:
    st.title("Selamat datang di Dwigital Office")
    st.info("Belum ada akun. Buat akun admin pertama untuk mulai.")
    with st.form("setup_form", clear_on_submit=True):
        username = st.text_input("Nama pengguna", key="setup_username")
        password = st.text_input("Kata sandi", type="password", key="setup_password")
        repeat = st.text_input("Ulangi kata sandi", type="password", key="setup_repeat")
        submitted = st.form_submit_button("Buat akun admin", type="primary")
    if not submitted:
        return
    if password != repeat:
        st.error("Kedua kata sandi tidak sama.")
        return
    try:
        with state.database().transaction() as session:
            accounts.create_first_admin(session, username, password)
    except OfficeError as exc:
        st.error(exc.message)
        return
    st.session_state[state.NOTICE_KEY] = FIRST_ADMIN_MADE
    st.rerun()


def render_sign_in() -> None:
    st.title("Masuk ke Dwigital Office")
    render_notice()
    st.html(web.SIGN_IN_FORM)


def render_notice() -> None:
    """Show why the sign-in page is shown: a refusal, a sign-out, an end."""
    notice = st.session_state.pop(state.NOTICE_KEY, None)
    refusal = st.query_params.pop(web.REFUSAL_PARAM, None)
    signed_out = st.query_params.pop(web.SIGNED_OUT_PARAM, None)
    if refusal == "database":
        st.error(state.DATABASE_DOWN)
    elif refusal:
        st.error(accounts.refusal_message(refusal))
    elif signed_out:
        st.success(SIGNED_OUT)
    elif notice:
        st.info(notice)


def main() -> None:
    if state.read(accounts.needs_first_admin):
        render_first_admin()
    else:
        render_sign_in()


main()
