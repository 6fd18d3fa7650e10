"""Produk: the catalogue the register sells from, kept by admins."""

import pandas as pd
import streamlit as st

from office_core import products
from office_core.durations import MAX_MONTHS, MIN_MONTHS, format_duration
from office_core.money import format_rupiah
from ui import grid, state
from ui.format import escape_markdown

FLASH = "prod_flash"
NEW_KEYS = ("prod_new_code", "prod_new_name", "prod_new_price", "prod_new_months")


def render_catalogue(catalogue: list) -> None:
    if not catalogue:
        st.info("Katalog masih kosong. Tambahkan produk pertama di bawah.")
        return
    frame = pd.DataFrame(
        {
            "Kode": [p.code for p in catalogue],
            "Nama": [p.name for p in catalogue],
            "Harga": [format_rupiah(p.price) for p in catalogue],
            "Durasi default": [format_duration(p.default_months) for p in catalogue],
            "Aktif": ["Ya" if p.active else "Tidak" for p in catalogue],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def render_add_form(expanded: bool) -> None:
    with (
        st.expander("Tambah produk", expanded=expanded),
        st.form("prod_add_form"),
    ):
        code = st.text_input("Kode", max_chars=20, key="prod_new_code")
        name = st.text_input("Nama produk", max_chars=120, key="prod_new_name")
        price = st.text_input("Harga", placeholder="Rp 85.000", key="prod_new_price")
        months = st.number_input(
            "Durasi default (bulan)", MIN_MONTHS, MAX_MONTHS, 1, key="prod_new_months"
        )
        active = st.checkbox("Aktif", value=True, key="prod_new_active")
        submitted = st.form_submit_button("Simpan produk baru", type="primary")
    if submitted:
        save(NEW_KEYS, code, name, price, months, active)


def render_edit_form(catalogue: list) -> None:
    if not catalogue:
        return
    by_id = {p.id: p for p in catalogue}
    with st.expander("Ubah produk"):
        product_id = st.selectbox(
            "Pilih produk",
            list(by_id),
            format_func=lambda i: f"{by_id[i].code} · {by_id[i].name}",
            key="prod_edit_pick",
        )
        render_product_form(by_id[product_id])
        render_delete(by_id[product_id])


def render_product_form(product) -> None:
    # Keys carry the product id so each product's form starts from its values.
    keys = tuple(f"prod_edit_{part}_{product.id}" for part in ("c", "n", "p", "m"))
    with st.form(f"prod_edit_form_{product.id}"):
        code = st.text_input("Kode", product.code, max_chars=20, key=keys[0])
        name = st.text_input("Nama produk", product.name, max_chars=120, key=keys[1])
        price = st.text_input("Harga", format_rupiah(product.price), key=keys[2])
        months = st.number_input(
            "Durasi default (bulan)",
            MIN_MONTHS,
            MAX_MONTHS,
            min(max(product.default_months, MIN_MONTHS), MAX_MONTHS),
            key=keys[3],
        )
        active = st.checkbox(
            "Aktif (dijual di Kasir)", product.active, key=f"prod_edit_a_{product.id}"
        )
        submitted = st.form_submit_button("Simpan perubahan", type="primary")
    if submitted:
        save(keys, code, name, price, months, active, product.id)


def render_delete(product) -> None:
    sure = st.checkbox(
        "Saya yakin ingin menghapus produk ini", key=f"prod_del_ok_{product.id}"
    )
    if not st.button(
        "Hapus produk", key=f"prod_delete_{product.id}", disabled=not sure
    ):
        return
    done, deleted = state.act(products.delete_product, product.id)
    if done:
        label = escape_markdown(f"{deleted.code} · {deleted.name}")
        st.session_state[FLASH] = (
            f"Produk {label} dihapus; bisa dipulihkan dari daftar Dihapus."
        )
        st.rerun()


def render_deleted() -> None:
    with st.expander("Dihapus (bisa dipulihkan)"):
        hidden = state.read(products.list_products, active_only=False, deleted=True)
        if not hidden:
            st.caption("Tidak ada produk yang dihapus.")
            return
        labels = {
            p.id: f"{p.code} · {p.name} · dihapus oleh {p.deleted_by}" for p in hidden
        }
        restored = grid.restore_picker(
            "prod", "produk", labels, products.restore_product
        )
        if restored is not None:
            label = escape_markdown(f"{restored.code} · {restored.name}")
            st.session_state[FLASH] = f"Produk {label} dipulihkan."
            st.rerun()


def save(keys, code, name, price, months, active, product_id=None) -> None:
    done, product = state.act(
        products.save_product, code, name, price, months, active, product_id
    )
    if not done:
        return
    for key in keys:
        st.session_state.pop(key, None)
    label = escape_markdown(f"{product.code} · {product.name}")
    st.session_state[FLASH] = f"Produk {label} tersimpan."
    st.rerun()


def main() -> None:
    state.require_actor(admin_only=True)
    st.title("Produk")
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash)
    catalogue = state.read(products.list_products, active_only=False)
    render_catalogue(catalogue)
    render_add_form(expanded=not catalogue)
    render_edit_form(catalogue)
    render_deleted()


main()
