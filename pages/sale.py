"""Detail Penjualan: one sale with its lines and receipt; admins correct or void it.

Opened from the history (or by URL) as `?faktur=<no faktur>`.
"""

import pandas as pd
import streamlit as st

from office_core import products, receipts, sales
from office_core.dates import format_date_id
from office_core.durations import format_duration
from office_core.errors import NotFound
from office_core.money import format_rupiah
from office_core.phones import display_phone
from ui import sale_lines, state
from ui.format import escape_markdown
from ui.receipt import render_receipt

FLASH = "sale_flash"
FIX = "sale_fix"
FIX_LINES = "sale_fix_lines"
FIX_OF = "sale_fix_of"
LINE_FIELDS = ("product_id", "product_name", "qty", "unit_price", "discount")


def chosen_number() -> str:
    """Return the invoice number asked for, by URL or typed in the box."""
    if "sale_no" not in st.session_state:
        st.session_state["sale_no"] = st.query_params.get("faktur", "")
    number = st.text_input(
        "No faktur", key="sale_no", max_chars=40, placeholder="mis. DW251000123"
    ).strip()
    if number:
        st.query_params["faktur"] = number
    return number


def find_sale(number: str):
    """Return the sale, or stop with a message that names the number asked for."""
    try:
        return state.read(sales.sale_by_invoice, number)
    except NotFound as exc:
        st.error(escape_markdown(exc.message))
        st.stop()


def render_header(sale) -> None:
    status = " — DIBATALKAN" if sale.status == sales.VOID else ""
    st.subheader(f"Faktur {escape_markdown(sale.invoice_no)}{status}")
    rows = {
        "Tanggal": format_date_id(sale.sold_on),
        "Platform": sale.platform.name,
        "Pelanggan": sale.customer_name or "Umum",
        "Nomor WhatsApp": display_phone(sale.customer_phone) or "-",
        "Pembayaran": sale.payment_method,
        "Dicatat oleh": sale.created_by or "-",
    }
    columns = st.columns(3)
    for position, (label, value) in enumerate(rows.items()):
        columns[position % 3].markdown(f"{label}  \n**{escape_markdown(value)}**")
    if sale.notes:
        st.text(f"Catatan: {sale.notes}")


def render_lines(sale) -> None:
    frame = pd.DataFrame(
        {
            "Produk": [line.product_name for line in sale.lines],
            "Harga": [format_rupiah(line.unit_price) for line in sale.lines],
            "Qty": [line.qty for line in sale.lines],
            "Diskon": [format_rupiah(line.discount) for line in sale.lines],
            "Subtotal": [format_rupiah(line.subtotal) for line in sale.lines],
            "Durasi": [_term(line) for line in sale.lines],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    total, paid, change = st.columns(3)
    total.metric("Total", format_rupiah(sale.total))
    paid.metric("Dibayar", format_rupiah(sale.amount_paid))
    change.metric("Kembalian", format_rupiah(sale.change))


def _term(line) -> str:
    if not line.duration_months:
        return "-"
    ends = line.subscription.expires_on if line.subscription else None
    until = f", s.d. {format_date_id(ends)}" if ends else ""
    return format_duration(line.duration_months) + until


def render_correction(sale) -> None:
    """Let an admin change the lines; the sale keeps its number and customer."""
    with st.expander("Koreksi baris penjualan"):
        lines = correction_lines(sale)
        sale_lines.render_picker(FIX, state.read(products.list_products), lines)
        months = not sale.platform.is_marketplace and sale.customer_id is not None
        total, problems = sale_lines.render_lines(FIX, lines, months)
        shown = "–" if total is None else format_rupiah(total)
        st.markdown(f"Total baru: **{shown}**")
        box = st.container()
        refused = False
        if st.button("Simpan koreksi", type="primary", key="sale_fix_save"):
            refused = not save_correction(sale, lines, months)
        # A refusal already names what is wrong: one message, not two.
        if not refused:
            sale_lines.show_problems(box, problems)


def correction_lines(sale) -> list[dict]:
    """Return the lines being corrected, started afresh for each sale version."""
    if st.session_state.get(FIX_OF) != (sale.id, sale.version):
        st.session_state[FIX_OF] = (sale.id, sale.version)
        st.session_state[FIX_LINES] = [
            {field: getattr(line, field) for field in LINE_FIELDS}
            | {"duration_months": line.duration_months}
            for line in sale.lines
        ]
        sale_lines.forget(FIX)
    return st.session_state[FIX_LINES]


def save_correction(sale, lines: list[dict], months: bool) -> bool:
    """Save the corrected lines; return False if office_core refused them."""
    drafts = [
        sales.LineDraft(
            product_id=line["product_id"],
            qty=line["qty"],
            unit_price=line["unit_price"],
            discount=line["discount"],
            duration_months=line["duration_months"] if months else None,
            product_name=line["product_name"],
        )
        for line in lines
    ]
    done, fixed = state.act(sales.correct_lines, sale.id, sale.version, drafts)
    if done:
        st.session_state[FLASH] = (
            f"Baris penjualan {escape_markdown(fixed.invoice_no)} dikoreksi; "
            f"total sekarang {format_rupiah(fixed.total)}."
        )
        st.rerun()
    return False


def render_void(sale) -> None:
    if sale.status == sales.VOID:
        if st.button("Pulihkan penjualan", key="sale_restore"):
            run(sales.restore_sale, sale, "dipulihkan")
        return
    with st.expander("Batalkan penjualan"):
        sure = st.checkbox(
            "Ya, batalkan penjualan ini. Nomor fakturnya tetap tersimpan dan "
            "penjualan bisa dipulihkan.",
            key="sale_void_sure",
        )
        if st.button("Batalkan penjualan", key="sale_void"):
            if sure:
                run(sales.void_sale, sale, "dibatalkan")
            else:
                st.warning("Centang konfirmasi dulu sebelum membatalkan penjualan.")


def run(action, sale, done_word: str) -> None:
    done, _ = state.act(action, sale.id)
    if done:
        st.session_state.pop("sale_void_sure", None)
        number = escape_markdown(sale.invoice_no)
        st.session_state[FLASH] = f"Penjualan {number} {done_word}."
        st.rerun()


def main() -> None:
    actor = state.require_actor()
    st.title("Detail Penjualan")
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash)
    number = chosen_number()
    if not number:
        st.info("Ketik no faktur, atau buka penjualan dari Riwayat Penjualan.")
        st.stop()
    sale = find_sale(number)
    render_header(sale)
    render_lines(sale)
    render_receipt(state.read(receipts.receipt, sale.id), "sale")
    if state.is_admin(actor):
        if sale.status == sales.COMPLETED:
            render_correction(sale)
        render_void(sale)


main()
