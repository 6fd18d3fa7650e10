"""Akun Pengguna (admins) and Akun Saya (everyone): accounts and passwords."""

import pandas as pd
import streamlit as st

from office_core import accounts
from ui import state
from ui.format import escape_markdown


def render_account_list() -> list:
    users = state.read(accounts.list_users)
    shown = pd.DataFrame(
        {
            "Nama pengguna": [user.username for user in users],
            "Peran": [accounts.ROLES.get(user.role, user.role) for user in users],
            "Status": ["Aktif" if user.active else "Nonaktif" for user in users],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    return users


def render_create_form() -> None:
    with (
        st.expander("Buat akun baru"),
        st.form("acc_create_form", clear_on_submit=True),
    ):
        username = st.text_input("Nama pengguna", key="acc_new_username")
        password = st.text_input("Kata sandi", type="password", key="acc_new_pw")
        repeat = st.text_input(
            "Ulangi kata sandi", type="password", key="acc_new_repeat"
        )
        role = st.selectbox(
            "Peran",
            list(accounts.ROLES),
            format_func=accounts.ROLES.get,
            key="acc_new_role",
        )
        submitted = st.form_submit_button("Buat akun", type="primary")
    if not submitted:
        return
    if password != repeat:
        st.error("Kedua kata sandi tidak sama.")
        return
    done, created = state.act(accounts.create_user, username, password, role)
    if done:
        _flash(f"Akun {created.username} dibuat.")


def render_manage(actor, users: list) -> None:
    if not users:
        return
    st.subheader("Kelola akun")
    labels = {user.id: _label(user) for user in users}
    chosen = st.selectbox(
        "Pilih akun", list(labels), format_func=labels.get, key="acc_pick"
    )
    user = next(user for user in users if user.id == chosen)
    render_active_switch(actor, user)
    render_reset_form(user)


def _label(user) -> str:
    status = "aktif" if user.active else "nonaktif"
    return f"{user.username} ({accounts.ROLES.get(user.role, user.role)}, {status})"


def render_active_switch(actor, user) -> None:
    if user.id == actor.user_id:
        st.caption("Akun Anda sendiri tidak dapat dinonaktifkan.")
        return
    label = "Nonaktifkan akun" if user.active else "Aktifkan akun"
    if st.button(label, key="acc_toggle"):
        done, _ = state.act(accounts.set_active, user.id, not user.active)
        if done:
            verb = "dinonaktifkan" if user.active else "diaktifkan"
            _flash(f"Akun {user.username} {verb}.")


def render_reset_form(user) -> None:
    with st.form("acc_reset_form", clear_on_submit=True):
        st.markdown("**Atur ulang kata sandi akun terpilih**")
        password = st.text_input("Kata sandi baru", type="password", key="acc_reset_pw")
        repeat = st.text_input(
            "Ulangi kata sandi baru", type="password", key="acc_reset_repeat"
        )
        submitted = st.form_submit_button("Atur ulang kata sandi")
    if not submitted:
        return
    if password != repeat:
        st.error("Kedua kata sandi tidak sama.")
        return
    done, _ = state.act(accounts.reset_password, user.id, password)
    if done:
        _flash(f"Kata sandi akun {user.username} diatur ulang.")


def render_own_password() -> None:
    st.subheader("Ganti kata sandi saya")
    with st.form("acc_own_form", clear_on_submit=True):
        old = st.text_input("Kata sandi lama", type="password", key="acc_own_old")
        new = st.text_input("Kata sandi baru", type="password", key="acc_own_new")
        repeat = st.text_input(
            "Ulangi kata sandi baru", type="password", key="acc_own_repeat"
        )
        submitted = st.form_submit_button("Ganti kata sandi")
    if not submitted:
        return
    if new != repeat:
        st.error("Kata sandi baru dan ulangannya tidak sama.")
        return
    done, _ = state.act(accounts.change_own_password, old, new)
    if done:
        # The change ended every sign-in of this account, this one included.
        st.session_state[state.NOTICE_KEY] = state.PASSWORD_CHANGED
        st.rerun()


def _flash(message: str) -> None:
    st.session_state["acc_flash"] = message
    st.rerun()


def main() -> None:
    actor = state.require_actor()
    admin = state.is_admin(actor)
    st.title("Akun Pengguna" if admin else "Akun Saya")
    flash = st.session_state.pop("acc_flash", None)
    if flash:
        st.success(flash)
    role = accounts.ROLES.get(actor.role, actor.role)
    st.caption(f"Masuk sebagai {escape_markdown(actor.username)} ({role})")
    if admin:
        users = render_account_list()
        render_create_form()
        render_manage(actor, users)
        st.divider()
    render_own_password()


main()
