"""Laporan: lists of sales, lines, withdrawals and subscriptions, with exports."""

import datetime as dt

import pandas as pd
import streamlit as st

from office_core import dates, exports
from office_core.errors import OfficeError
from office_core.platforms import list_platforms
from ui import grid, state
from ui.format import date_column, rupiah_column

# The first year a date may have anywhere in the office (see dates.parse_date).
EARLIEST = dt.date(2000, 1, 1)
PAGE_SIZE = 100
PREFIX = "rep"
FILE = "rep_file"
FORMATS = {
    "xlsx": (
        "XLSX",
        exports.export_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "csv": ("CSV", exports.export_csv, "text/csv"),
}


def render_filters() -> tuple[str, exports.ReportFilter]:
    end = dates.today()
    name = st.radio(
        "Laporan",
        list(exports.REPORT_TITLES),
        format_func=exports.REPORT_TITLES.get,
        horizontal=True,
        key="rep_kind",
    )
    left, right = st.columns([2, 3])
    period = left.date_input(
        "Periode",
        value=(end.replace(day=1), end),
        min_value=EARLIEST,
        format="DD/MM/YYYY",
        key="rep_period",
    )
    platforms = state.read(list_platforms)
    names = right.multiselect(
        "Platform",
        [p.name for p in platforms],
        placeholder="Semua platform",
        key="rep_platforms",
    )
    if len(period) != 2:
        st.info("Pilih tanggal awal dan tanggal akhir periode.")
        st.stop()
    ids = tuple(p.id for p in platforms if p.name in names)
    return name, exports.ReportFilter(period[0], period[1], ids)


def shown(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Return the page with Rupiah, dates and headings as people read them."""
    columns = exports.columns_of(name)
    table = frame.copy()
    for column in columns:
        if column.kind == exports.MONEY:
            table[column.key] = rupiah_column(table, column.key)
        elif column.kind == exports.DATE:
            table[column.key] = date_column(table, column.key)
        elif column.kind == exports.INTEGER:
            table[column.key] = table[column.key].astype("Int64")
    return table.rename(columns={c.key: c.label for c in columns})


def render_list(name: str, filters: exports.ReportFilter) -> int:
    count = state.read(exports.count_rows, name, filters)
    index = grid.pager(PREFIX, count, PAGE_SIZE, "baris")
    frame = state.read(exports.page, name, filters, PAGE_SIZE, index * PAGE_SIZE)
    if frame.empty:
        st.info("Tidak ada data untuk filter ini.")
    else:
        st.dataframe(shown(frame, name), hide_index=True, key="rep_table")
    return count


def render_export(name: str, filters: exports.ReportFilter, count: int) -> None:
    st.subheader("Ekspor")
    wanted = (name, filters)
    columns = st.columns(len(FORMATS))
    for column, (kind, (label, _, _)) in zip(columns, FORMATS.items(), strict=True):
        clicked = column.button(
            f"Siapkan {label}", key=f"rep_make_{kind}", disabled=not count
        )
        if clicked:
            prepare(kind, name, filters, count)
    ready = st.session_state.get(FILE)
    if ready and ready["wanted"] == wanted:
        label, _, mime = FORMATS[ready["kind"]]
        st.download_button(
            f"Unduh {label}",
            ready["data"],
            file_name=ready["file_name"],
            mime=mime,
            key="rep_download",
            on_click="ignore",
        )


def prepare(kind: str, name: str, filters: exports.ReportFilter, count: int) -> None:
    """Build the file with a progress bar and keep it for the download button."""
    label, export, _ = FORMATS[kind]
    bar = st.progress(0.0, text=f"Menyiapkan {label}: 0 dari {count} baris")

    def progress(done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), f"{done} dari {total} baris")

    try:
        # state.read: each chunk in a short transaction of its own.
        data = export(state.read, name, filters, progress)
    except OfficeError as exc:
        st.error(exc.message)
        return
    finally:
        bar.empty()
    st.session_state[FILE] = {
        "wanted": (name, filters),
        "kind": kind,
        "data": data,
        "file_name": file_name(name, filters, kind),
    }


FILE_WORDS = {
    "sales": "penjualan",
    "sale_lines": "baris-penjualan",
    "withdrawals": "penarikan",
    "subscriptions": "langganan",
    exports.MONTHLY: "ringkasan-bulanan",
}


def file_name(name: str, filters: exports.ReportFilter, kind: str) -> str:
    """Return e.g. laporan-penjualan-2025-09-01-2025-09-30.xlsx."""
    word = FILE_WORDS.get(name, name)
    return f"laporan-{word}-{filters.start}-{filters.end}.{kind}"


def main() -> None:
    state.require_actor()
    st.title("Laporan")
    name, filters = render_filters()
    if filters.start > filters.end:
        st.warning("Tanggal awal sesudah tanggal akhir. Pilih periode lain.")
        st.stop()
    count = render_list(name, filters)
    render_export(name, filters, count)


main()
