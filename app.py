"""Dwigital Office: the entry point that builds the page list for each role."""

import logging

import streamlit as st

from office_core.accounts import ADMIN, ROLES
from ui import state

ADMIN_PAGES = [
    ("pages/dashboard.py", "Dasbor", ":material/monitoring:"),
    ("pages/register.py", "Kasir", ":material/point_of_sale:"),
    ("pages/history.py", "Riwayat Penjualan", ":material/receipt_long:"),
    ("pages/withdrawals.py", "Penarikan Dana", ":material/account_balance:"),
    ("pages/monitoring.py", "Monitoring Langganan", ":material/notifications:"),
    ("pages/products.py", "Produk", ":material/inventory_2:"),
    ("pages/legacy_import.py", "Impor Data", ":material/upload_file:"),
    ("pages/accounts.py", "Akun Pengguna", ":material/group:"),
    ("pages/audit_log.py", "Log Audit", ":material/history:"),
]
MANAGEMENT_PAGES = [
    ("pages/dashboard.py", "Dasbor", ":material/monitoring:"),
    ("pages/history.py", "Riwayat Penjualan", ":material/receipt_long:"),
    ("pages/withdrawals.py", "Penarikan Dana", ":material/account_balance:"),
    ("pages/monitoring.py", "Monitoring Langganan", ":material/notifications:"),
    ("pages/accounts.py", "Akun Saya", ":material/person:"),
    ("pages/audit_log.py", "Log Audit", ":material/history:"),
]


def configure_logging() -> None:
    """Send INFO and above to the console once per process."""
    if not logging.getLogger("office_core").handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        for name in ("office_core", "ui"):
            logging.getLogger(name).addHandler(handler)
            logging.getLogger(name).setLevel(logging.INFO)


def render_sidebar(actor, pages: list[st.Page]) -> None:
    """Show the role's pages, who is signed in and the sign-out button."""
    with st.sidebar:
        # Drawn here rather than by Streamlit: its own sidebar list is switched
        # off (config.toml) so that it never lists the pages/ folder's files.
        for page in pages:
            st.page_link(page)
        st.divider()
        st.caption(f"Masuk sebagai **{actor.username}** ({ROLES[actor.role]})")
        if st.button("Keluar", key="app_sign_out", icon=":material/logout:"):
            state.sign_out()
            st.rerun()


def pages_for(actor) -> list[st.Page]:
    """Return the pages this role may open; others cannot be reached by URL."""
    table = ADMIN_PAGES if actor.role == ADMIN else MANAGEMENT_PAGES
    return [st.Page(path, title=title, icon=icon) for path, title, icon in table]


def main() -> None:
    configure_logging()
    st.set_page_config(page_title="Dwigital Office", page_icon="💼", layout="wide")
    actor = state.current_actor()
    if actor is None:
        sign_in = st.Page("pages/sign_in.py", title="Masuk", icon=":material/login:")
        st.navigation([sign_in], position="hidden").run()
        return
    pages = pages_for(actor)
    current = st.navigation(pages, position="hidden")
    render_sidebar(actor, pages)
    current.run()


# Streamlit runs this script as __main__; tests import it for the page lists.
if __name__ == "__main__":
    main()
