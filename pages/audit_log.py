"""Log Audit: who changed what and when, read-only, newest first."""

import datetime as dt

import pandas as pd
import streamlit as st

from office_core import audit
from office_core.dates import format_date_id, today
from ui import state

LIMIT = 500
ACTIONS = {
    "create": "Tambah",
    "update": "Ubah",
    "delete": "Hapus",
    "restore": "Pulihkan",
    "void": "Batalkan",
    "sign_in": "Masuk",
    "sign_in_failed": "Gagal masuk",
    "sign_out": "Keluar",
    "reset_password": "Atur ulang kata sandi",
    "change_password": "Ganti kata sandi",
    "import": "Impor",
    "cancel": "Batal",
    "complete": "Selesaikan",
    "hold": "Tahan",
}
ENTITIES = {
    "user": "Akun",
    "withdrawal": "Penarikan dana",
    "sale": "Penjualan",
    "product": "Produk",
    "setting": "Pengaturan",
    "customer": "Pelanggan",
    "legacy_import": "Impor data lama",
    "held_sale": "Transaksi ditahan",
    "subscription": "Langganan",
}


def render_filters() -> audit.AuditFilter:
    known = state.read(audit.known_values)
    left, middle, right = st.columns(3)
    actions = left.multiselect(
        "Aksi",
        known["actions"],
        format_func=_action,
        placeholder="Semua aksi",
        key="audit_actions",
    )
    entities = middle.multiselect(
        "Data",
        known["entities"],
        format_func=_entity,
        placeholder="Semua data",
        key="audit_entities",
    )
    username = right.text_input("Pengguna", max_chars=64, key="audit_user")
    period = st.date_input(
        "Periode",
        value=(today() - dt.timedelta(days=30), today()),
        format="DD/MM/YYYY",
        key="audit_period",
    )
    start, end = (*tuple(period), None, None)[:2]
    return audit.AuditFilter(
        actions=tuple(actions),
        entities=tuple(entities),
        username=username,
        start=start,
        end=end,
    )


def _action(action: str) -> str:
    return ACTIONS.get(action, action)


def _entity(entity: str) -> str:
    return ENTITIES.get(entity, entity)


def render_entries(filters: audit.AuditFilter) -> None:
    count = state.read(audit.count_entries, filters)
    if count == 0:
        st.info("Tidak ada catatan audit yang cocok dengan filter.")
        return
    frame = state.read(audit.list_entries, filters, LIMIT)
    shown_count = f"{len(frame)} terbaru dari {count}" if count > LIMIT else count
    st.caption(f"Menampilkan {shown_count} catatan, terbaru di atas.")
    shown = pd.DataFrame(
        {
            "Waktu (WIB)": frame["at"].map(_moment),
            "Pengguna": frame["username"],
            "Aksi": frame["action"].map(_action),
            "Data": frame["entity"].map(_entity),
            "ID": frame["entity_id"],
            "Sebelum": frame["before"],
            "Sesudah": frame["after"],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")


def _moment(moment: dt.datetime) -> str:
    return f"{format_date_id(moment.date())} {moment:%H:%M:%S}"


def main() -> None:
    state.require_actor()
    st.title("Log Audit")
    st.caption(
        "Setiap perubahan data dan upaya masuk, dengan nilai sebelum dan sesudah."
    )
    filters = render_filters()
    render_entries(filters)


main()
