"""Log Pesan: the reminders the system sent through the WhatsApp provider."""

import streamlit as st

from office_core import reminders
from ui import state
from ui.grid import pager

PAGE_SIZE = 100


def render_filter() -> tuple[str, ...]:
    chosen = st.multiselect(
        "Status",
        list(reminders.STATUS_LABELS),
        format_func=reminders.STATUS_LABELS.get,
        placeholder="Semua status",
        key="msg_status",
    )
    return tuple(chosen)


def render_log(statuses: tuple[str, ...]) -> None:
    count = state.read(reminders.count_outbox, statuses)
    if not count:
        st.info(
            "Belum ada pengingat otomatis. Pengingat dikirim oleh perintah terjadwal "
            "`python -m office_core.cli send-reminders` bila penyedia WhatsApp diatur."
        )
        return
    page = pager("msg", count, PAGE_SIZE, "pesan")
    frame = state.read(reminders.list_outbox, statuses, PAGE_SIZE, page * PAGE_SIZE)
    st.dataframe(
        {
            "Dibuat": frame["created_at"].map(lambda at: f"{at:%d/%m/%Y %H:%M}"),
            "Pelanggan": frame["customer"],
            "No WhatsApp": frame["phone"],
            "Produk": frame["product"],
            "H-": frame["step"],
            "Penyedia": frame["provider"],
            "Status": frame["status"].map(reminders.STATUS_LABELS.get),
            "Percobaan": frame["attempts"],
            "ID pesan": frame["provider_message_id"].fillna(""),
            "Kesalahan": frame["error"].fillna(""),
        },
        hide_index=True,
        width="stretch",
    )


def main() -> None:
    state.require_actor()
    st.title("Log Pesan Pengingat")
    render_log(render_filter())


main()
