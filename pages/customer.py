"""Pelanggan: one customer's purchases, subscriptions and follow-ups."""

import streamlit as st

from office_core import followups
from office_core.durations import format_duration
from ui import state
from ui.format import date_column, escape_markdown, rupiah_column

CUSTOMER_KEY = "customer_id"


def render_picker() -> int | None:
    """Let the user find a customer by name or number; return the chosen id."""
    search = st.text_input("Cari nama atau nomor WhatsApp", key="cust_search")
    found = state.read(followups.search_customers, search)
    chosen = st.session_state.get(CUSTOMER_KEY)
    # A typed search that matches nobody must say so, not show the last pick.
    if chosen is not None and chosen not in found and not search.strip():
        found = {chosen: "(dipilih dari monitoring)"} | found
    if not found:
        st.info("Tidak ada pelanggan yang cocok.")
        return None
    ids = list(found)
    picked = st.selectbox(
        "Pelanggan",
        ids,
        index=ids.index(chosen) if chosen in ids else 0,
        format_func=found.get,
        key="cust_pick",
    )
    st.session_state[CUSTOMER_KEY] = picked
    return picked


def render_header(file: followups.CustomerFile, actor) -> None:
    st.subheader(escape_markdown(file.name))
    st.text(f"WhatsApp: {file.phone}")
    if len(file.names_used) > 1:
        st.text("Nama yang pernah dipakai: " + ", ".join(file.names_used))
    if not state.is_admin(actor):
        st.text("Tidak ingin pengingat" if file.no_reminders else "Menerima pengingat")
        return
    wanted = st.toggle(
        "Tidak ingin dihubungi untuk pengingat",
        value=file.no_reminders,
        key=f"cust_no_reminders_{file.id}",
    )
    if wanted != file.no_reminders:
        done, _ = state.act(followups.set_no_reminders, file.id, wanted)
        if done:
            st.rerun()


def render_table(title: str, columns: dict, empty: str) -> None:
    """Show one part of the customer's file, or a line saying it is empty."""
    st.markdown(f"**{title}**")
    if not len(next(iter(columns.values()))):
        st.caption(empty)
        return
    st.dataframe(columns, hide_index=True, width="stretch")


def render_subscriptions(file: followups.CustomerFile) -> None:
    frame = file.subscriptions
    columns = {
        "Produk": frame["product"],
        "No Faktur": frame["invoice_no"],
        "Durasi": frame["months"].map(format_duration),
        "Tanggal Kedaluwarsa": date_column(frame, "expires_on"),
        "Sisa Hari": frame["days_left"],
        "Status": frame["status"].map(str.capitalize),
    }
    render_table("Langganan", columns, "Belum ada langganan.")


def render_purchases(file: followups.CustomerFile) -> None:
    frame = file.purchases
    columns = {
        "No Faktur": frame["invoice_no"],
        "Tanggal": date_column(frame, "sold_on"),
        "Nama di faktur": frame["customer_name"],
        "Produk": frame["product_name"],
        "Subtotal": rupiah_column(frame, "subtotal"),
        "Pembayaran": frame["payment_method"],
    }
    render_table("Pembelian", columns, "Belum ada pembelian.")


def render_follow_ups(file: followups.CustomerFile) -> None:
    frame = file.follow_ups
    columns = {
        "Waktu": frame["created_at"].map(lambda at: f"{at:%d/%m/%Y %H:%M}"),
        "Oleh": frame["created_by"],
        "Cara": frame["channel"].map(followups.CHANNELS.get),
        "Produk": frame["product_name"],
        "Pesan": frame["message"],
    }
    render_table("Tindak lanjut", columns, "Belum pernah dihubungi.")


def main() -> None:
    actor = state.require_actor()
    st.title("Pelanggan")
    customer_id = render_picker()
    if customer_id is None:
        st.stop()
    file = state.read(followups.customer_file, customer_id)
    render_header(file, actor)
    render_subscriptions(file)
    render_purchases(file)
    render_follow_ups(file)


main()
