"""Impor Data: load the legacy spreadsheets, preview every row, then write."""

import pandas as pd
import streamlit as st

from office_core import legacy_import as li
from ui import state
from ui.format import date_column, rupiah_column

PREVIEWS = "li_previews"
RESULT = "li_result"
MONEY_COLUMNS = ("Harga", "Nominal", "Total")
RECORD_WORDS = {
    li.PRODUCTS: "produk",
    li.WITHDRAWALS: "penarikan",
    li.SALES: "penjualan",
}
HINTS = {
    li.PRODUCTS: "Kolom: " + ", ".join(li.COLUMNS[li.PRODUCTS]) + ".",
    li.WITHDRAWALS: "Kolom: " + ", ".join(li.COLUMNS[li.WITHDRAWALS]) + ".",
    li.SALES: "Kolom: " + ", ".join(li.COLUMNS[li.SALES]) + ". Produknya harus "
    "sudah ada di katalog: impor Produk lebih dulu.",
}


def render_choice() -> tuple[str, object]:
    kind = st.radio(
        "Jenis data",
        list(li.KIND_LABELS),
        format_func=li.KIND_LABELS.get,
        horizontal=True,
        key="li_kind",
    )
    st.caption(HINTS[kind])
    upload = st.file_uploader(
        "Berkas CSV atau XLSX", type=["csv", "xlsx"], key=f"li_file_{kind}"
    )
    # The browser refuses a bigger file with only a red icon and never sends
    # it, so the page cannot react: the limit is said beforehand instead.
    st.caption(
        f"Ukuran berkas maksimal {st.get_option('server.maxUploadSize')} MB. "
        "Berkas yang lebih besar ditolak browser (ikon merah, tanpa pesan): "
        "pecah menjadi beberapa berkas."
    )
    return kind, upload


def preview_for(kind: str, upload) -> tuple[str, li.Preview]:
    """Return the preview of this exact file, parsing it only once."""
    data = upload.getvalue()
    key = f"{kind}:{li.file_digest(data)}"
    previews = st.session_state.setdefault(PREVIEWS, {})
    if key not in previews:
        with st.spinner("Memeriksa setiap baris..."):
            done, preview = state.act(li.preview_import, kind, upload.name, data)
        if not done:
            st.stop()
        previews.clear()
        previews[key] = preview
    return key, previews[key]


def render_counts(preview: li.Preview) -> None:
    st.subheader(f"Pratinjau {preview.file_name}")
    counts = [
        ("Baris data", preview.rows),
        ("Siap diimpor", preview.ready_rows),
        ("Sudah diimpor", preview.already_rows),
        ("Bermasalah", preview.problem_rows),
        ("Duplikat", preview.duplicates),
        ("Dilewati (kosong/TOTAL)", preview.skipped),
    ]
    for column, (label, value) in zip(st.columns(len(counts)), counts, strict=True):
        column.metric(label, value)
    if preview.kind == li.SALES:
        st.caption(
            f"{len(preview.pending)} penjualan baru; {len(preview.warnings)} "
            "peringatan (tetap diimpor)."
        )


def render_problems(preview: li.Preview) -> None:
    if not preview.problems:
        st.success("Tidak ada masalah: setiap baris dapat dibaca.")
        return
    st.markdown("**Masalah, duplikat dan peringatan**")
    frame = pd.DataFrame(
        {
            "Baris": [p.row for p in preview.problems],
            "Jenis": [li.LEVEL_LABELS[p.level] for p in preview.problems],
            "Kolom": [p.column for p in preview.problems],
            "Nilai": [p.value for p in preview.problems],
            "Alasan": [p.reason for p in preview.problems],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def records_frame(items: list[li.Item]) -> pd.DataFrame:
    """Return the records of an import as a table fit to read."""
    frame = pd.DataFrame([item.summary for item in items])
    for column in MONEY_COLUMNS:
        if column in frame:
            frame[column] = rupiah_column(frame, column)
    if "Tanggal" in frame:
        frame["Tanggal"] = date_column(frame, "Tanggal")
    return frame


def render_write(key: str, preview: li.Preview) -> None:
    pending = preview.pending
    if not pending:
        st.info("Tidak ada baris baru untuk diimpor dari berkas ini.")
        return
    with st.expander(
        f"Yang akan diimpor ({len(pending)} {RECORD_WORDS[preview.kind]})"
    ):
        st.dataframe(records_frame(pending), hide_index=True, width="stretch")
    label = f"Impor {preview.ready_rows} baris yang valid"
    if st.button(label, type="primary", key="li_write"):
        done, result = state.act(li.write_import, preview)
        if done:
            st.session_state[PREVIEWS].pop(key, None)
            st.session_state[RESULT] = result
            st.rerun()


def render_result() -> None:
    result = st.session_state.pop(RESULT, None)
    if result is None:
        return
    st.success(
        f"Tersimpan dari {result.file_name}: {len(result.written)} "
        f"{RECORD_WORDS[result.kind]} ({result.rows} baris)."
    )
    if result.already:
        st.info(f"{result.already} {RECORD_WORDS[result.kind]} sudah ada sebelumnya.")
    if result.written:
        with st.expander("Yang baru saja disimpan", expanded=True):
            st.dataframe(
                records_frame(result.written), hide_index=True, width="stretch"
            )


def main() -> None:
    state.require_actor(admin_only=True)
    st.title("Impor Data Lama")
    st.caption(
        "Urutan yang dianjurkan: Produk, lalu Penarikan Dana, lalu Penjualan. "
        "Tidak ada yang disimpan sebelum tombol impor ditekan."
    )
    render_result()
    kind, upload = render_choice()
    if upload is None:
        st.info("Pilih berkas untuk melihat pratinjaunya.")
        st.stop()
    key, preview = preview_for(kind, upload)
    render_counts(preview)
    render_problems(preview)
    render_write(key, preview)


main()
