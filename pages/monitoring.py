"""Monitoring Langganan: non-platform subscriptions and their WhatsApp follow-up."""

import zlib

import pandas as pd
import streamlit as st

from office_core import dates, monitoring, settings
from office_core.durations import format_duration
from office_core.whatsapp import PLACEHOLDERS
from ui import state
from ui.format import date_column

PAGE_SIZE = 50
DEFAULT_STATUSES = [monitoring.EXPIRING, monitoring.ACTIVE]


def render_filters(products: list[str]) -> monitoring.MonitorFilter:
    left, middle, right = st.columns([3, 2, 3])
    statuses = left.multiselect(
        "Status",
        monitoring.STATUSES,
        default=DEFAULT_STATUSES,
        format_func=str.capitalize,
        placeholder="Semua status",
        key="mon_status",
        help="Kosongkan untuk menampilkan semua status.",
    )
    product = middle.selectbox(
        "Produk",
        ["", *products],
        format_func=lambda name: name or "Semua produk",
        key="mon_product",
    )
    search = right.text_input(
        "Cari nama, nomor WhatsApp, atau no faktur", key="mon_search"
    )
    return monitoring.MonitorFilter(
        statuses=tuple(statuses), search=search, product=product
    )


def render_pager(filters: monitoring.MonitorFilter, on) -> int:
    count = state.read(monitoring.count_subscriptions, filters, on=on)
    pages = max(1, -(-count // PAGE_SIZE))
    page = 1
    if pages > 1:
        # A narrower filter can leave the remembered page past the last one.
        if st.session_state.get("mon_page", 1) > pages:
            st.session_state["mon_page"] = pages
        page = int(
            st.number_input(f"Halaman (dari {pages})", 1, pages, 1, key="mon_page")
        )
    first = (page - 1) * PAGE_SIZE
    shown_to = min(count, first + PAGE_SIZE)
    if count:
        st.caption(
            f"Menampilkan {first + 1}–{shown_to} dari {count} langganan, "
            "yang paling cepat berakhir di atas."
        )
    return page - 1


def table_key(filters: monitoring.MonitorFilter, page: int) -> str:
    """Return a table key per filter and page, so a selection never moves rows."""
    return f"mon_table_{zlib.crc32(repr((filters, page)).encode()):08x}"


def render_table(frame: pd.DataFrame, key: str) -> pd.Series | None:
    event = st.dataframe(
        _shown(frame),
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        column_config={
            "Sisa Hari": st.column_config.NumberColumn("Sisa Hari", format="%d"),
            "Kirim WA": st.column_config.LinkColumn(
                "Kirim WA", display_text="Kirim WA"
            ),
        },
    )
    rows = [r for r in event.selection.rows if 0 <= r < len(frame)]
    return frame.iloc[rows[0]] if rows else None


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Nama": frame["customer_name"],
            "No WhatsApp": frame["phone"],
            "Produk": frame["product"],
            "No Faktur": frame["invoice_no"],
            "Tanggal Faktur": date_column(frame, "invoice_date"),
            "Durasi": frame["months"].map(format_duration),
            "Tanggal Kedaluwarsa": date_column(frame, "expires_on"),
            "Sisa Hari": frame["days_left"],
            "Status": frame["status"].map(str.capitalize),
            "Kirim WA": frame["wa_link"],
        }
    )


def render_follow_up(row: pd.Series | None) -> None:
    if row is None:
        st.caption("Pilih satu baris untuk melihat pesan tindak lanjutnya.")
        return
    # The name is shown as plain text: a button label would render Markdown.
    st.text(f"Pelanggan: {row['customer_name']}")
    st.link_button("Kirim WA", row["wa_link"], type="primary", icon=":material/chat:")
    st.caption("Pesan yang akan terisi di WhatsApp:")
    st.text(row["message"])


def render_template_editor(actor) -> None:
    if not state.is_admin(actor):
        return
    with st.expander("Template pesan tindak lanjut"):
        current = state.read(settings.get, "follow_up_template")
        st.caption(
            "Placeholder yang bisa dipakai: "
            + ", ".join(
                f"`{{{name}}}` ({label})" for name, label in PLACEHOLDERS.items()
            )
        )
        with st.form("mon_template_form"):
            text = st.text_area(
                "Template", value=str(current), height=150, key="mon_template_text"
            )
            submitted = st.form_submit_button("Simpan template", type="primary")
    if submitted:
        done, _ = state.act(settings.update, "follow_up_template", text)
        if done:
            st.session_state["mon_flash"] = "Template pesan tersimpan."
            st.rerun()


def main() -> None:
    actor = state.require_actor()
    st.title("Monitoring Langganan")
    flash = st.session_state.pop("mon_flash", None)
    if flash:
        st.success(flash)
    on = dates.today()
    filters = render_filters(state.read(monitoring.subscription_products))
    page = render_pager(filters, on)
    frame = state.read(
        monitoring.list_subscriptions, filters, PAGE_SIZE, page * PAGE_SIZE, on=on
    )
    if frame.empty:
        st.info("Tidak ada langganan yang cocok dengan filter ini.")
    else:
        render_follow_up(render_table(frame, table_key(filters, page)))
    render_template_editor(actor)


main()
