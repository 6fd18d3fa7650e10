"""Riwayat Penjualan: completed sales, corrected in a grid and voided by admins."""

import pandas as pd
import streamlit as st

from office_core import sales, settings
from office_core.durations import format_duration
from office_core.money import format_rupiah
from office_core.platforms import list_platforms
from ui import cache, grid, state
from ui.format import date_column, escape_markdown, rupiah_column

PAGE_SIZE = 200
GRID = "hist"
FLASH = "hist_flash"
READ_ONLY = ["invoice_no", "sold_on", "product_name", "qty", "subtotal", "total"]
SHOWN = [
    "invoice_no",
    "sold_on",
    "customer_name",
    "customer_phone",
    "product_name",
    "platform",
    "duration_months",
    "qty",
    "subtotal",
    "total",
    "payment_method",
    "notes",
]
LABELS = {
    "invoice_no": "No Faktur",
    "sold_on": "Tanggal",
    "customer_name": "Pelanggan",
    "customer_phone": "Nomor HP",
    "product_name": "Produk",
    "platform": "Platform",
    "duration_months": "Durasi (bulan)",
    "qty": "Qty",
    "subtotal": "Subtotal",
    "total": "Total",
    "payment_method": "Pembayaran",
    "notes": "Catatan",
}


def render_filters(platforms) -> sales.SaleFilter:
    start, end, chosen, search = st.columns([3, 3, 4, 6])
    first = start.date_input(
        "Dari tanggal", value=None, format="DD/MM/YYYY", key="hist_start"
    )
    last = end.date_input(
        "Sampai tanggal", value=None, format="DD/MM/YYYY", key="hist_end"
    )
    names = chosen.multiselect(
        "Platform",
        [p.name for p in platforms],
        placeholder="Semua platform",
        key="hist_pf",
    )
    text = search.text_input(
        "Cari",
        placeholder="No faktur, pelanggan, produk, atau nomor HP",
        max_chars=100,
        key="hist_search",
    )
    if first and last and first > last:
        st.warning("Tanggal awal sesudah tanggal akhir; tidak ada yang cocok.")
    ids = tuple(p.id for p in platforms if p.name in names)
    return sales.SaleFilter(start=first, end=last, platform_ids=ids, search=text)


def render_totals(seen: int, filters: sales.SaleFilter) -> None:
    count, revenue = cache.read(seen, sales.history_totals, filters)
    left, right = st.columns(2)
    left.metric("Jumlah penjualan", f"{count}")
    right.metric("Pendapatan", format_rupiah(revenue))


def render_pager(seen: int, filters: sales.SaleFilter) -> int:
    # Counting every line of a million is slow: done once per write, not per run.
    count = cache.read(seen, sales.count_history, filters)
    return grid.pager(GRID, count, PAGE_SIZE, "baris penjualan")


def page_frame(filters: sales.SaleFilter, page: int) -> pd.DataFrame:
    """Return this page's rows; keep the edited rows while edits are pending."""
    return grid.source_frame(
        GRID,
        (filters, page),
        lambda: shown_frame(
            state.read(sales.list_history, filters, PAGE_SIZE, page * PAGE_SIZE)
        ),
    )


def shown_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Write read-only money and dates the Indonesian way; keep the keys."""
    shown = frame.copy()
    shown["sold_on"] = date_column(frame, "sold_on")
    shown["subtotal"] = rupiah_column(frame, "subtotal")
    shown["total"] = rupiah_column(frame, "total")
    shown["duration_months"] = frame["duration_months"].astype("Int64")
    return shown


def render_editor(frame: pd.DataFrame, platforms, methods: list[str]) -> None:
    grid.keep_source(GRID, frame)
    st.data_editor(
        frame,
        key=grid.editor_key(GRID),
        num_rows="fixed",
        hide_index=True,
        column_order=SHOWN,
        column_config=_columns(platforms, methods, frame),
        disabled=READ_ONLY,
        placeholder="-",
        width="stretch",
    )
    save, discard = st.columns([1, 4])
    if save.button("Simpan perubahan tabel", type="primary", key="hist_save"):
        save_grid(frame)
    if discard.button("Buang perubahan", key="hist_discard"):
        grid.reset(GRID)
        st.rerun()


def _columns(platforms, methods: list[str], frame: pd.DataFrame) -> dict:
    config = {
        name: st.column_config.TextColumn(label) for name, label in LABELS.items()
    }
    config["customer_name"] = st.column_config.TextColumn("Pelanggan", max_chars=160)
    config["notes"] = st.column_config.TextColumn("Catatan", max_chars=500)
    config["platform"] = st.column_config.SelectboxColumn(
        "Platform", options=[p.name for p in platforms], required=True
    )
    # Imported sales may carry a method no longer offered; keep it visible.
    shown_methods = list(dict.fromkeys([*methods, *frame["payment_method"].dropna()]))
    config["payment_method"] = st.column_config.SelectboxColumn(
        "Pembayaran", options=shown_methods, required=True
    )
    # No min/max: the grid would drop a typed minus sign (-3 -> 3 months);
    # office_core refuses a duration outside its range with its own message.
    config["duration_months"] = st.column_config.NumberColumn("Durasi (bulan)", step=1)
    config["qty"] = st.column_config.NumberColumn("Qty")
    return config


def save_grid(frame: pd.DataFrame) -> None:
    rows = list(
        zip(
            frame["line_id"].tolist(),
            frame["sale_id"].tolist(),
            frame["version"].tolist(),
            strict=True,
        )
    )
    done, changed = grid.save(
        GRID, sales.apply_history_grid, rows, grid.edit_state(GRID)
    )
    if not done:
        return
    if not changed:
        st.info("Tidak ada perubahan untuk disimpan.")
        return
    grid.reset(GRID)
    st.session_state[FLASH] = f"Tersimpan: {changed} penjualan diperbarui."
    st.rerun()


def read_only_view(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the rows of list_history as a reader sees them."""
    shown = shown_frame(frame)[SHOWN]
    shown["duration_months"] = shown["duration_months"].map(
        lambda v: "" if pd.isna(v) else format_duration(int(v))
    )
    return shown.rename(columns=LABELS)


def sale_labels(frame: pd.DataFrame) -> dict[int, str]:
    """Return one label per sale on this page, keyed by sale id."""
    rows = frame.drop_duplicates("sale_id")
    return {
        int(row.sale_id): f"{row.invoice_no} · {row.sold_on} · "
        f"{row.customer_name or '-'} · {row.total}"
        for row in rows.itertuples()
    }


def render_void(frame: pd.DataFrame) -> None:
    labels = sale_labels(frame)
    if not labels:
        return
    with st.expander("Hapus/Batalkan penjualan"):
        chosen = st.selectbox(
            "Pilih penjualan (no faktur)",
            list(labels),
            format_func=labels.get,
            key="hist_void_pick",
        )
        sure = st.checkbox(
            "Ya, batalkan penjualan ini. Penjualan hilang dari riwayat, pendapatan, "
            "dan monitoring, tetapi tetap tersimpan dan bisa dipulihkan.",
            key="hist_void_sure",
        )
        if st.button("Hapus/Batalkan penjualan", key="hist_void"):
            void(chosen, sure)


def void(sale_id: int, sure: bool) -> None:
    if not sure:
        st.warning("Centang konfirmasi dulu sebelum membatalkan penjualan.")
        return
    done, sale = state.act(sales.void_sale, sale_id)
    if done:
        grid.reset(GRID)
        st.session_state.pop("hist_void_sure", None)
        st.session_state[FLASH] = (
            f"Penjualan {escape_markdown(sale.invoice_no)} dibatalkan."
        )
        st.rerun()


def render_voided() -> None:
    with st.expander("Dibatalkan"):
        filters = sales.SaleFilter(status=sales.VOID)
        frame = state.read(sales.list_history, filters, PAGE_SIZE)
        if frame.empty:
            st.caption("Tidak ada penjualan yang dibatalkan.")
            return
        st.dataframe(read_only_view(frame), hide_index=True, width="stretch")
        labels = sale_labels(shown_frame(frame))
        sale = grid.restore_picker(GRID, "penjualan", labels, sales.restore_sale)
        if sale is not None:
            number = escape_markdown(sale.invoice_no)
            st.session_state[FLASH] = f"Penjualan {number} dipulihkan."
            st.rerun()


def render_detail_link(frame: pd.DataFrame) -> None:
    """Open a sale's own page: its receipt, line corrections and voiding."""
    numbers = frame.drop_duplicates("sale_id")["invoice_no"].dropna().tolist()
    if not numbers:
        return
    pick, link = st.columns([3, 1], vertical_alignment="bottom")
    number = pick.selectbox(
        "Detail penjualan (struk, koreksi baris)", numbers, key="hist_detail"
    )
    link.page_link(
        "pages/sale.py",
        label="Buka detail",
        icon=":material/open_in_new:",
        query_params={"faktur": number},
    )


def main() -> None:
    actor = state.require_actor()
    st.title("Riwayat Penjualan")
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash)
    platforms = state.read(list_platforms)
    filters = render_filters(platforms)
    seen = cache.version()
    render_totals(seen, filters)
    page = render_pager(seen, filters)
    if not state.is_admin(actor):
        frame = state.read(sales.list_history, filters, PAGE_SIZE, page * PAGE_SIZE)
        st.dataframe(read_only_view(frame), hide_index=True, width="stretch")
        render_detail_link(frame)
        return
    frame = page_frame(filters, page)
    render_editor(frame, platforms, state.read(settings.get, "payment_methods"))
    render_detail_link(frame)
    render_void(frame)
    render_voided()


main()
