"""Dwigital Office: the entry point that builds the page list for each role."""

import logging
from pathlib import Path

import streamlit as st

from office_core.accounts import ADMIN, ROLES
from ui import state, web

ADMIN_PAGES = [
    ("pages/dashboard.py", "Dasbor", ":material/monitoring:"),
    ("pages/reports.py", "Laporan", ":material/summarize:"),
    ("pages/register.py", "Kasir", ":material/point_of_sale:"),
    ("pages/history.py", "Riwayat Penjualan", ":material/receipt_long:"),
    ("pages/sale.py", "Detail Penjualan", ":material/receipt:"),
    ("pages/withdrawals.py", "Penarikan Dana", ":material/account_balance:"),
    ("pages/monitoring.py", "Monitoring Langganan", ":material/notifications:"),
    ("pages/customer.py", "Pelanggan", ":material/person_search:"),
    ("pages/renewals.py", "Efektivitas Perpanjangan", ":material/autorenew:"),
    ("pages/messages.py", "Log Pesan", ":material/outbox:"),
    ("pages/products.py", "Produk", ":material/inventory_2:"),
    ("pages/legacy_import.py", "Impor Data", ":material/upload_file:"),
    ("pages/accounts.py", "Akun Pengguna", ":material/group:"),
    ("pages/audit_log.py", "Log Audit", ":material/history:"),
]
MANAGEMENT_PAGES = [
    ("pages/dashboard.py", "Dasbor", ":material/monitoring:"),
    ("pages/reports.py", "Laporan", ":material/summarize:"),
    ("pages/history.py", "Riwayat Penjualan", ":material/receipt_long:"),
    ("pages/sale.py", "Detail Penjualan", ":material/receipt:"),
    ("pages/withdrawals.py", "Penarikan Dana", ":material/account_balance:"),
    ("pages/monitoring.py", "Monitoring Langganan", ":material/notifications:"),
    ("pages/customer.py", "Pelanggan", ":material/person_search:"),
    ("pages/renewals.py", "Efektivitas Perpanjangan", ":material/autorenew:"),
    ("pages/messages.py", "Log Pesan", ":material/outbox:"),
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
        # A form posting to the sign-out route, which clears the cookie.
        st.html(web.SIGN_OUT_FORM)


def pages_for(actor) -> list[st.Page]:
    """Return the pages this role may open; others cannot be reached by URL."""
    table = ADMIN_PAGES if actor.role == ADMIN else MANAGEMENT_PAGES
    return [st.Page(path, title=title, icon=icon) for path, title, icon in table]


def admins_only() -> None:
    """Stand in for an admin page that a management account opened by URL."""
    st.error("Halaman ini hanya untuk admin. Akun Anda tidak dapat membukanya.")
    st.page_link(
        "pages/dashboard.py", label="Kembali ke Dasbor", icon=":material/home:"
    )


def stand_ins(shown: list[st.Page], page) -> list[st.Page]:
    """Pages answering every other known URL with `page`.

    Without them Streamlit meets an unknown URL with its own English "page
    not found" dialog; with them a signed-out visitor gets the sign-in form
    and a management account an Indonesian refusal. The sidebar lists only
    `shown`.
    """
    taken = {item.url_path for item in shown}
    known = sorted({Path(path).stem for path, _, _ in ADMIN_PAGES + MANAGEMENT_PAGES})
    title = "Tidak tersedia" if callable(page) else "Masuk"
    return [
        st.Page(page, title=title, url_path=stem) for stem in known if stem not in taken
    ]


def main() -> None:
    configure_logging()
    st.set_page_config(page_title="Dwigital Office", page_icon="💼", layout="wide")
    actor = state.current_actor()
    if actor is None:
        sign_in = st.Page("pages/sign_in.py", title="Masuk", icon=":material/login:")
        others = stand_ins([sign_in], "pages/sign_in.py")
        st.navigation([sign_in, *others], position="hidden").run()
        return
    pages = pages_for(actor)
    hidden = stand_ins(pages, admins_only)
    current = st.navigation([*pages, *hidden], position="hidden")
    render_sidebar(actor, pages)
    current.run()


# Streamlit runs this script as __main__; tests import it for the page lists.
if __name__ == "__main__":
    main()
