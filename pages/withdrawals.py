"""Penarikan Dana: the withdrawal ledger with totals, a grid and a form."""

import pandas as pd
import streamlit as st

from office_core import withdrawals
from office_core.dates import today
from office_core.money import format_rupiah
from office_core.platforms import list_platforms
from ui import cache, grid, state
from ui.format import date_column, rupiah_column

PAGE_SIZE = 200
GRID = "wd"


def render_filters(seen: int, platforms) -> withdrawals.WithdrawalFilter:
    names = [p.name for p in platforms]
    left, right = st.columns([2, 3])
    chosen = left.multiselect(
        "Platform", names, placeholder="Semua platform", key="wd_platforms"
    )
    first = cache.read(seen, withdrawals.first_date) or today()
    period = right.date_input(
        "Periode",
        value=(first, today()),
        format="DD/MM/YYYY",
        key="wd_period",
    )
    start, end = (*tuple(period), None, None)[:2]
    ids = tuple(p.id for p in platforms if p.name in chosen)
    return withdrawals.WithdrawalFilter(start=start, end=end, platform_ids=ids)


def render_totals(seen: int, filters: withdrawals.WithdrawalFilter) -> None:
    # The default period holds every withdrawal: totalled once per write.
    rows = cache.read(seen, withdrawals.totals_by_platform, filters)
    total = sum(amount for _, _, amount in rows)
    st.metric("Total penarikan", format_rupiah(total))
    if rows:
        columns = st.columns(len(rows))
        for column, (name, count, amount) in zip(columns, rows, strict=True):
            column.metric(
                name,
                format_rupiah(amount),
                f"{count} kali",
                delta_color="off",
                delta_arrow="off",
            )
    with st.expander("Total per bulan"):
        render_monthly(seen, filters)


def render_monthly(seen: int, filters: withdrawals.WithdrawalFilter) -> None:
    rows = cache.read(seen, withdrawals.totals_by_month, filters)
    if not rows:
        st.caption("Belum ada penarikan pada periode ini.")
        return
    frame = pd.DataFrame(rows, columns=["tahun", "bulan", "platform", "total"])
    frame["bulan"] = frame.tahun.astype(str) + "-" + frame.bulan.map("{:02d}".format)
    table = frame.pivot_table(
        index="bulan", columns="platform", values="total", aggfunc="sum", fill_value=0
    )
    table["Total"] = table.sum(axis=1)
    st.dataframe(table.map(format_rupiah), width="stretch")


def render_grid(actor, filters, platforms, page: int) -> None:
    def load() -> pd.DataFrame:
        return state.read(
            withdrawals.list_withdrawals, filters, PAGE_SIZE, page * PAGE_SIZE
        )

    if not state.is_admin(actor):
        render_read_only(load())
        return
    frame = grid.source_frame(GRID, (filters, page), load)
    grid.keep_source(GRID, frame)
    st.data_editor(
        frame,
        key=grid.editor_key(GRID),
        num_rows="dynamic",
        hide_index=True,
        column_order=["platform", "amount", "withdrawn_on", "notes", "created_by"],
        column_config=_columns([p.name for p in platforms]),
        disabled=["created_by"],
        placeholder="-",
        width="stretch",
    )
    if st.button("Simpan perubahan tabel", type="primary", key="wd_save"):
        save_grid(frame)


def _columns(platform_names: list[str]) -> dict:
    return {
        "platform": st.column_config.SelectboxColumn(
            "Platform", options=platform_names, required=True
        ),
        # No min_value: the grid would drop a typed minus sign (-100 -> 100);
        # office_core refuses a negative amount with its own message.
        "amount": st.column_config.NumberColumn(
            "Nominal (Rp)", step=1, format="localized", required=True
        ),
        "withdrawn_on": st.column_config.DateColumn(
            "Tanggal", format="DD/MM/YYYY", required=True
        ),
        "notes": st.column_config.TextColumn("Keterangan", max_chars=500),
        "created_by": st.column_config.TextColumn("Dicatat oleh"),
    }


def save_grid(frame: pd.DataFrame) -> None:
    rows = list(zip(frame["id"].tolist(), frame["version"].tolist(), strict=True))
    done, changes = grid.save(GRID, withdrawals.apply_grid, rows, grid.edit_state(GRID))
    if not done:
        return
    if changes.is_empty():
        st.info("Tidak ada perubahan untuk disimpan.")
        return
    grid.reset(GRID)
    st.session_state["wd_flash"] = (
        f"Tersimpan: {len(changes.added)} baru, {len(changes.updated)} diubah, "
        f"{len(changes.deleted)} dihapus."
    )
    st.rerun()


def render_read_only(frame: pd.DataFrame) -> None:
    shown = pd.DataFrame(
        {
            "Tanggal": date_column(frame, "withdrawn_on"),
            "Platform": frame["platform"],
            "Nominal": rupiah_column(frame, "amount"),
            "Keterangan": frame["notes"],
            "Dicatat oleh": frame["created_by"],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")


def render_add_form(platforms) -> None:
    names = [p.name for p in platforms]
    with st.expander("Tambah penarikan lewat formulir"), st.form("wd_add_form"):
        platform = st.selectbox("Platform", names, key="wd_f_p")
        amount = st.text_input("Nominal", placeholder="Rp 1.500.000", key="wd_f_a")
        date = st.date_input(
            "Tanggal", value=today(), format="DD/MM/YYYY", key="wd_f_d"
        )
        notes = st.text_input("Keterangan", key="wd_f_n")
        submitted = st.form_submit_button("Simpan penarikan", type="primary")
    if submitted:
        done, record = state.act(
            withdrawals.record_withdrawal, platform, amount, date, notes
        )
        if done:
            grid.reset(GRID)
            st.session_state["wd_flash"] = (
                f"Penarikan {format_rupiah(record.amount)} dari {platform} tersimpan."
            )
            st.rerun()


def render_deleted(actor) -> None:
    if not state.is_admin(actor):
        return
    with st.expander("Dihapus (bisa dipulihkan)"):
        frame = state.read(
            withdrawals.list_withdrawals, withdrawals.WithdrawalFilter(deleted=True)
        )
        if frame.empty:
            st.caption("Tidak ada penarikan yang dihapus.")
            return
        labels = {
            int(r.id): f"#{r.id} · {r.platform} · {format_rupiah(r.amount)} · "
            f"{r.withdrawn_on:%d/%m/%Y}"
            for r in frame.itertuples()
        }
        restored = grid.restore_picker(
            GRID, "penarikan", labels, withdrawals.restore_withdrawal
        )
        if restored is not None:
            st.session_state["wd_flash"] = f"Penarikan #{restored.id} dipulihkan."
            st.rerun()


def render_pager(seen: int, filters) -> int:
    count = cache.read(seen, withdrawals.count_withdrawals, filters)
    return grid.pager(GRID, count, PAGE_SIZE, "penarikan")


def main() -> None:
    actor = state.require_actor()
    st.title("Penarikan Dana")
    flash = st.session_state.pop("wd_flash", None)
    if flash:
        st.success(flash)
    platforms = state.read(list_platforms, marketplaces_only=True)
    seen = cache.version()
    filters = render_filters(seen, platforms)
    render_totals(seen, filters)
    if state.is_admin(actor):
        render_add_form(platforms)
    page = render_pager(seen, filters)
    render_grid(actor, filters, platforms, page)
    render_deleted(actor)


main()
