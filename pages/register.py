"""Kasir: record a completed sale with one or more lines."""

import streamlit as st

from office_core import products, sales, settings
from office_core.dates import today
from office_core.durations import MAX_MONTHS, MIN_MONTHS, format_duration
from office_core.errors import ValidationError
from office_core.money import format_rupiah
from office_core.platforms import NON_PLATFORM, list_platforms
from ui import state
from ui.format import escape_markdown

DRAFT = "reg_draft"
FLASH = "reg_flash"
# Header widgets and the draft field each one keeps its value in.
HEADER = {
    "reg_platform": "platform",
    "reg_date": "sold_on",
    "reg_name": "customer_name",
    "reg_phone": "customer_phone",
    "reg_buyer": "buyer_name",
    "reg_payment": "payment_method",
    "reg_paid": "amount_paid",
    "reg_notes": "notes",
}
ADD_ROW = ("reg_add_qty", "reg_add_price", "reg_add_discount", "reg_add_months")
# Kept from one sale to the next: the counter usually sells on one channel.
CARRIED = ("platform", "sold_on", "payment_method")


def new_draft(previous: dict | None = None) -> dict:
    """Return an empty sale draft; lines are dicts so the draft can grow."""
    draft = {
        "platform": NON_PLATFORM,
        "sold_on": today(),
        "customer_name": "",
        "customer_phone": "",
        "buyer_name": "",
        "payment_method": None,
        "amount_paid": None,
        "notes": "",
        "lines": [],
        "next_line": 1,
    }
    for field in CARRIED if previous else ():
        draft[field] = previous[field]
    return draft


def current_draft() -> dict:
    if DRAFT not in st.session_state:
        st.session_state[DRAFT] = new_draft()
    return st.session_state[DRAFT]


def bound(widget, label: str, key: str, draft: dict, **kwargs):
    """Show a widget whose value lives in the draft, so it survives page changes."""
    field = HEADER[key]
    if key not in st.session_state:
        st.session_state[key] = draft[field]
    draft[field] = widget(label, key=key, **kwargs)
    return draft[field]


def render_channel(draft: dict, platforms: list) -> object:
    by_name = {p.name: p for p in platforms}
    if draft["platform"] not in by_name:
        draft["platform"] = next(iter(by_name))
        st.session_state.pop("reg_platform", None)
    left, right = st.columns([2, 1])
    name = bound(
        left.selectbox, "Platform", "reg_platform", draft, options=list(by_name)
    )
    bound(right.date_input, "Tanggal", "reg_date", draft, format="DD/MM/YYYY")
    platform = by_name[name]
    left, right = st.columns(2)
    if platform.is_marketplace:
        bound(
            left.text_input,
            "Nama pengguna pembeli di marketplace (opsional)",
            "reg_buyer",
            draft,
            max_chars=160,
        )
    else:
        bound(left.text_input, "Nama pelanggan", "reg_name", draft, max_chars=160)
        bound(
            right.text_input,
            "Nomor WhatsApp",
            "reg_phone",
            draft,
            placeholder="0812-3456-7890",
            max_chars=30,
        )
    return platform


def _forget_add_row() -> None:
    for key in ADD_ROW:
        st.session_state.pop(key, None)


def render_add_line(draft: dict, catalogue: list, direct: bool) -> None:
    st.subheader("Tambah produk")
    by_id = {p.id: p for p in catalogue}
    columns = st.columns([3, 1, 2, 2, 2] if direct else [3, 1, 2, 2])
    product_id = columns[0].selectbox(
        "Produk",
        list(by_id),
        format_func=lambda i: f"{by_id[i].name} · {format_rupiah(by_id[i].price)}",
        key="reg_add_product",
        on_change=_forget_add_row,
    )
    product = by_id[product_id]
    line = {
        "product_id": product.id,
        "product_name": product.name,
        "qty": columns[1].number_input(
            "Jumlah", min_value=1, max_value=sales.MAX_QTY, value=1, key="reg_add_qty"
        ),
        "unit_price": columns[2].number_input(
            "Harga satuan (Rp)",
            min_value=0,
            value=product.price,
            step=1000,
            key="reg_add_price",
        ),
        "discount": columns[3].number_input(
            "Diskon (Rp)", min_value=0, value=0, step=1000, key="reg_add_discount"
        ),
        "duration_months": _months_input(columns, product, direct),
    }
    if _preview(line) and st.button("Tambah baris", key="reg_add"):
        add_line(draft, line)


def _months_input(columns, product, direct: bool) -> int:
    default = min(max(product.default_months, MIN_MONTHS), MAX_MONTHS)
    if not direct:
        return default
    return columns[4].number_input(
        "Durasi (bulan)",
        min_value=MIN_MONTHS,
        max_value=MAX_MONTHS,
        value=default,
        key="reg_add_months",
    )


def _preview(line: dict) -> bool:
    """Show the new line's subtotal; tell whether the line can be added."""
    try:
        subtotal = subtotal_of(line)
    except ValidationError as exc:
        st.warning(exc.message)
        st.button("Tambah baris", key="reg_add", disabled=True)
        return False
    st.caption(f"Subtotal baris: {format_rupiah(subtotal)}")
    return True


def subtotal_of(line: dict) -> int:
    return sales.line_subtotal(
        int(line["unit_price"]), int(line["qty"]), int(line["discount"])
    )


def add_line(draft: dict, line: dict) -> None:
    line["uid"] = draft["next_line"]
    draft["next_line"] += 1
    draft["lines"].append(line)
    _forget_add_row()
    st.rerun()


def render_lines(draft: dict, direct: bool) -> int:
    """Show the sale's lines with a remove button each; return the total."""
    if not draft["lines"]:
        st.caption("Belum ada baris. Pilih produk lalu klik Tambah baris.")
        return 0
    st.subheader("Baris penjualan")
    for line in draft["lines"]:
        render_line(draft, line, direct)
    total = sum(subtotal_of(line) for line in draft["lines"])
    st.subheader(f"Total: {format_rupiah(total)}")
    return total


def render_line(draft: dict, line: dict, direct: bool) -> None:
    name, price, discount, months, subtotal, remove = st.columns([3, 2, 2, 1, 2, 1])
    name.markdown(escape_markdown(line["product_name"]))
    price.markdown(f"{line['qty']} × {format_rupiah(line['unit_price'])}")
    discount.markdown(f"Diskon {format_rupiah(line['discount'])}")
    if direct:
        months.markdown(format_duration(line["duration_months"]))
    subtotal.markdown(f"**{format_rupiah(subtotal_of(line))}**")
    if remove.button("Hapus", key=f"reg_remove_{line['uid']}"):
        draft["lines"].remove(line)
        st.rerun()


def render_payment(draft: dict, methods: list[str], total: int) -> None:
    if draft["payment_method"] not in methods:
        draft["payment_method"] = methods[0]
        st.session_state.pop("reg_payment", None)
    left, right = st.columns(2)
    bound(left.selectbox, "Metode pembayaran", "reg_payment", draft, options=methods)
    paid = bound(
        right.number_input,
        "Dibayar (Rp)",
        "reg_paid",
        draft,
        min_value=0,
        step=1000,
        placeholder=f"Kosong = pas {format_rupiah(total)}",
    )
    if paid is not None and paid >= total:
        right.caption(f"Kembalian: {format_rupiah(paid - total)}")
    elif paid is not None:
        right.caption(f"Kurang: {format_rupiah(total - paid)}")
    bound(st.text_input, "Catatan", "reg_notes", draft, max_chars=sales.MAX_NOTES)


def sale_draft(draft: dict, platform) -> sales.SaleDraft:
    """Turn the page's draft into what office_core checks and records."""
    direct = not platform.is_marketplace
    lines = [
        sales.LineDraft(
            product_id=line["product_id"],
            qty=line["qty"],
            unit_price=line["unit_price"],
            discount=line["discount"],
            duration_months=line["duration_months"] if direct else None,
        )
        for line in draft["lines"]
    ]
    return sales.SaleDraft(
        platform_id=platform.id,
        lines=lines,
        sold_on=draft["sold_on"],
        customer_name=draft["customer_name" if direct else "buyer_name"],
        customer_phone=draft["customer_phone"] if direct else "",
        payment_method=draft["payment_method"],
        amount_paid=draft["amount_paid"],
        notes=draft["notes"],
    )


def render_save(draft: dict, platform) -> None:
    if not st.button("Simpan penjualan", type="primary", key="reg_save"):
        return
    if not draft["lines"]:
        st.warning("Belum ada baris produk. Tambahkan minimal satu produk.")
        return
    done, sale = state.act(sales.record_sale, sale_draft(draft, platform))
    if not done:
        return
    # Clear the draft before anything else is drawn, so a second click finds
    # nothing to record.
    st.session_state[DRAFT] = new_draft(draft)
    for key in HEADER:
        st.session_state.pop(key, None)
    st.session_state[FLASH] = receipt_message(sale)
    st.rerun()


def receipt_message(sale) -> str:
    message = (
        f"Penjualan tersimpan. No faktur {escape_markdown(sale.invoice_no)}, "
        f"total {format_rupiah(sale.total)}"
    )
    if sale.amount_paid > sale.total:
        message += f", kembalian {format_rupiah(sale.amount_paid - sale.total)}"
    return message + "."


def main() -> None:
    state.require_actor(admin_only=True)
    st.title("Kasir")
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash)
    catalogue = state.read(products.list_products)
    if not catalogue:
        st.info("Belum ada produk aktif. Tambahkan produk di halaman Produk.")
        st.stop()
    draft = current_draft()
    platform = render_channel(draft, state.read(list_platforms))
    direct = not platform.is_marketplace
    render_add_line(draft, catalogue, direct)
    total = render_lines(draft, direct)
    render_payment(draft, state.read(settings.get, "payment_methods"), total)
    render_save(draft, platform)


main()
