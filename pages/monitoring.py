"""Monitoring Langganan: non-platform subscriptions and their WhatsApp follow-up.

"Kirim WA" is a link button that also reruns the page: the browser opens the
chat and the server is told of the click, which is when the follow-up is
logged. A link opened any other way (copied, shared) is not seen by the
server, so the table itself offers no link, only the button does.
"""

import datetime as dt
import zlib

import pandas as pd
import streamlit as st

from office_core import dates, followups, monitoring, settings
from office_core.durations import format_duration
from office_core.whatsapp import PLACEHOLDERS, render_template
from ui import cache, state
from ui.format import date_column

PAGE_SIZE = 50
DEFAULT_STATUSES = [monitoring.EXPIRING, monitoring.EXPIRED, monitoring.ACTIVE]
TEMPLATES = {
    "follow_up_template": "Tindak lanjut lewat tautan (Kirim WA)",
    "reminder_template": "Pengingat otomatis (Fonnte)",
}
CUSTOMER_KEY = "customer_id"


def render_filters(products: list[str], on) -> monitoring.MonitorFilter:
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
    start, end = render_expiry_range(on)
    return monitoring.MonitorFilter(
        statuses=tuple(statuses),
        search=search,
        product=product,
        expires_from=start,
        expires_to=end,
    )


def render_expiry_range(on):
    left, right, _ = st.columns([2, 2, 4])
    start = left.date_input(
        "Berakhir dari",
        value=on - dt.timedelta(days=monitoring.RECENT_DAYS),
        format="DD/MM/YYYY",
        key="mon_from",
        help="Bawaan: yang berakhir sejak 30 hari lalu. Kosongkan untuk semua.",
    )
    end = right.date_input(
        "Berakhir sampai", value=None, format="DD/MM/YYYY", key="mon_to"
    )
    return start, end


def render_pager(seen: int, filters: monitoring.MonitorFilter, on) -> int:
    count = cache.read(seen, monitoring.count_subscriptions, filters, on)
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
            f"Menampilkan {first + 1}–{shown_to} dari {count} langganan: yang segera "
            "berakhir, lalu yang baru lewat, lalu sisanya."
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
            "Terakhir Dihubungi": [
                last_contact(at, by)
                for at, by in zip(
                    frame["last_contact_at"], frame["last_contact_by"], strict=True
                )
            ],
            "Pengingat": frame["no_reminders"].map(
                lambda no: "Tidak mau" if no else "Ya"
            ),
        }
    )


def last_contact(at, by: str) -> str:
    """Say when and by whom a customer was last contacted, or '-'."""
    if at is None or pd.isna(at):
        return "-"
    return f"{at:%d/%m/%Y %H:%M} oleh {by}"


def record_click(subscription_id: int, even_if_opted_out: bool) -> None:
    """Log the follow-up the "Kirim WA" click just opened (a button callback)."""
    done, _ = state.act(followups.record_follow_up, subscription_id, even_if_opted_out)
    if done:
        st.session_state["mon_flash"] = "Tindak lanjut dicatat."


def render_follow_up(row: pd.Series | None, actor) -> None:
    if row is None:
        st.caption("Pilih satu baris untuk melihat pesan tindak lanjutnya.")
        return
    # The name is shown as plain text: a button label would render Markdown.
    st.text(f"Pelanggan: {row['customer_name']}")
    st.caption(
        f"Terakhir dihubungi: "
        f"{last_contact(row['last_contact_at'], row['last_contact_by'])}"
    )
    if state.is_admin(actor):
        render_actions(row)
    st.caption("Pesan yang akan terisi di WhatsApp:")
    st.text(row["message"])


def render_actions(row: pd.Series) -> None:
    anyway = False
    if row["no_reminders"]:
        st.warning("Pelanggan ini tidak ingin dihubungi untuk pengingat.")
        # Keyed per subscription: ticking it for one customer is not for the next.
        anyway = st.checkbox(
            "Tetap hubungi kali ini", key=f"mon_anyway_{row['subscription_id']}"
        )
    send, renew, profile = st.columns([1, 1, 1])
    if not row["no_reminders"] or anyway:
        send.link_button(
            "Kirim WA",
            row["wa_link"],
            type="primary",
            icon=":material/chat:",
            key="mon_send",
            on_click=record_click,
            args=(int(row["subscription_id"]), anyway),
        )
    if row["status"] != monitoring.RENEWED and renew.button(
        "Perpanjang", key="mon_renew", icon=":material/autorenew:"
    ):
        open_register(int(row["subscription_id"]))
    if profile.button("Lihat pelanggan", key="mon_customer"):
        st.session_state[CUSTOMER_KEY] = int(row["customer_id"])
        st.switch_page("pages/customer.py")


def open_register(subscription_id: int) -> None:
    """Hand the register a draft that renews this subscription, and go there."""
    done, draft = state.act(followups.renewal_draft, subscription_id)
    if done:
        st.session_state["register_prefill"] = draft
        st.switch_page("pages/register.py")


def render_template_editor(actor, sample: pd.Series | None) -> None:
    if not state.is_admin(actor):
        return
    with st.expander("Template pesan dan pengingat"):
        key = st.radio(
            "Template", list(TEMPLATES), format_func=TEMPLATES.get, key="mon_tpl_kind"
        )
        st.caption(
            "Placeholder yang bisa dipakai: "
            + ", ".join(
                f"`{{{name}}}` ({label})" for name, label in PLACEHOLDERS.items()
            )
        )
        current = state.read(settings.get, key)
        with st.form("mon_template_form"):
            text = st.text_area(
                "Isi template", value=str(current), height=150, key=f"mon_{key}"
            )
            submitted = st.form_submit_button("Simpan template", type="primary")
        render_preview(text, sample)
        render_reminder_settings()
    if submitted:
        done, _ = state.act(settings.update, key, text)
        if done:
            st.session_state["mon_flash"] = "Template pesan tersimpan."
            st.rerun()


def render_preview(text: str, sample: pd.Series | None) -> None:
    if sample is None:
        return
    business = str(state.read(settings.get, "business_name"))
    values = monitoring.message_values(business, sample)
    st.caption(f"Contoh dengan data {sample['customer_name']}:")
    st.text(render_template(text, values))


def render_reminder_settings() -> None:
    days = state.read(settings.get, "reminder_days")
    soon = state.read(settings.get, "expiring_soon_days")
    with st.form("mon_reminder_form"):
        typed = st.text_input(
            "Kirim pengingat otomatis … hari sebelum berakhir",
            value=", ".join(str(day) for day in days),
            key="mon_reminder_days",
        )
        # No min/max in the browser: office_core names the 0–90 range.
        threshold = st.number_input(
            "Batas 'segera berakhir' (hari)", value=int(soon), key="mon_soon"
        )
        saved = st.form_submit_button("Simpan pengaturan pengingat")
    if saved:
        steps = [part for part in typed.split(",") if part.strip()]
        if (
            state.act(settings.update, "reminder_days", steps)[0]
            and state.act(settings.update, "expiring_soon_days", int(threshold))[0]
        ):
            st.session_state["mon_flash"] = "Pengaturan pengingat tersimpan."
            st.rerun()


def main() -> None:
    actor = state.require_actor()
    st.title("Monitoring Langganan")
    flash = st.session_state.pop("mon_flash", None)
    if flash:
        st.success(flash)
    on = dates.today()
    seen = cache.version()
    products = cache.read(seen, monitoring.subscription_products)
    filters = render_filters(products, on)
    page = render_pager(seen, filters, on)
    frame = state.read(
        monitoring.list_subscriptions, filters, PAGE_SIZE, page * PAGE_SIZE, on=on
    )
    selected = None
    if frame.empty:
        st.info("Tidak ada langganan yang cocok dengan filter ini.")
    else:
        selected = render_table(frame, table_key(filters, page))
        render_follow_up(selected, actor)
    sample = selected if selected is not None else _first(frame)
    render_template_editor(actor, sample)


def _first(frame: pd.DataFrame) -> pd.Series | None:
    return None if frame.empty else frame.iloc[0]


main()
