"""Produk: the catalogue kept by admins, sold from at the register."""

import pytest
from streamlit.testing.v1 import AppTest

from office_core import products
from tests.paths import REPO
from tests.ui.conftest import TIMEOUT, open_app, sign_in_tab, texts

PRODUCTS = "pages/products.py"


def catalogue(db) -> list[tuple]:
    with db.transaction() as session:
        return [
            (p.code, p.name, p.price, p.default_months, p.active)
            for p in products.list_products(session, active_only=False)
        ]


def click(at: AppTest, label: str) -> AppTest:
    next(button for button in at.button if button.label == label).click().run()
    assert not at.exception
    return at


def fill_new(at: AppTest, code: str, name: str, price: str, months: int) -> None:
    at.text_input(key="prod_new_code").input(code)
    at.text_input(key="prod_new_name").input(name)
    at.text_input(key="prod_new_price").input(price)
    at.number_input(key="prod_new_months").set_value(months)


@pytest.fixture
def netflix(app_db, ui_admin):
    with app_db.transaction() as session:
        return products.save_product(
            session, ui_admin, "NFX", "Netflix Premium", 45_000, 1
        )


def test_admin_adds_a_product_with_a_price_typed_the_indonesian_way(app_db, ui_admin):
    at = open_app(ui_admin, PRODUCTS)
    assert "Katalog masih kosong" in texts(at)
    fill_new(at, "gpt", "ChatGPT Plus", "Rp 85.000", 1)

    click(at, "Simpan produk baru")

    assert "Produk GPT · ChatGPT Plus tersimpan." in texts(at)
    assert catalogue(app_db) == [("GPT", "ChatGPT Plus", 85_000, 1, True)]
    table = at.dataframe[0].value
    assert table["Harga"].tolist() == ["Rp85.000"]
    assert table["Durasi default"].tolist() == ["1 bulan"]
    assert at.text_input(key="prod_new_code").value == ""


def test_a_taken_code_is_refused_and_the_typing_stays(app_db, ui_admin, netflix):
    at = open_app(ui_admin, PRODUCTS)
    fill_new(at, "NFX", "Netflix Lain", "50000", 1)

    click(at, "Simpan produk baru")

    assert [e.value for e in at.error] == [
        "Kode 'NFX' atau nama 'Netflix Lain' sudah dipakai."
    ]
    assert len(catalogue(app_db)) == 1
    assert at.text_input(key="prod_new_name").value == "Netflix Lain"


def test_an_unreadable_price_is_refused(app_db, ui_admin):
    at = open_app(ui_admin, PRODUCTS)
    fill_new(at, "CNV", "Canva Pro", "tiga puluh ribu", 12)

    click(at, "Simpan produk baru")

    assert "tidak dapat dibaca sebagai Rupiah" in at.error[0].value
    assert catalogue(app_db) == []


def test_admin_edits_a_product_and_an_inactive_one_leaves_the_register(
    app_db, ui_admin, netflix
):
    at = open_app(ui_admin, PRODUCTS)
    at.text_input(key=f"prod_edit_p_{netflix.id}").input("Rp50.000")
    at.number_input(key=f"prod_edit_m_{netflix.id}").set_value(3)
    at.checkbox(key=f"prod_edit_a_{netflix.id}").uncheck()

    click(at, "Simpan perubahan")

    assert catalogue(app_db) == [("NFX", "Netflix Premium", 50_000, 3, False)]
    assert at.dataframe[0].value["Aktif"].tolist() == ["Tidak"]
    register = open_app(ui_admin, "pages/register.py")
    assert "Belum ada produk aktif" in texts(register)


def test_management_cannot_open_the_catalogue(ui_manager):
    at = open_app(ui_manager)
    with pytest.raises(ValueError):
        at.switch_page(PRODUCTS)

    page = AppTest.from_file(str(REPO / PRODUCTS), default_timeout=TIMEOUT)
    sign_in_tab(page, ui_manager)
    page.run()
    assert [e.value for e in page.error] == ["Halaman ini hanya untuk admin."]
    assert not page.text_input
