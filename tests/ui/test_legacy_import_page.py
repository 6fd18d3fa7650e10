"""Impor Data: an admin previews and imports the legacy files; nobody else can."""

import pytest
import streamlit as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from office_core.models import Product, Withdrawal
from tests.paths import REPO, legacy_file
from tests.ui.conftest import TIMEOUT, open_app, sign_in_tab, texts

PAGE = "pages/legacy_import.py"


def upload(at: AppTest, kind: str, name: str, data: bytes | None = None) -> AppTest:
    """Choose the kind of data, then upload a file as the browser would."""
    at.radio(key="li_kind").set_value(kind).run()
    content = legacy_file(name).read_bytes() if data is None else data
    at.file_uploader(key=f"li_file_{kind}").set_value((name, content, "text/csv"))
    at.run()
    assert not at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def count(db, model) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count(model.id)))


def test_admin_previews_and_imports_products_then_withdrawals(app_db, ui_admin):
    at = open_app(ui_admin, PAGE)

    upload(at, "products", "produk.csv")
    assert metrics(at)["Siap diimpor"] == "10"
    assert count(app_db, Product) == 0
    at.button(key="li_write").click().run()
    assert "Tersimpan dari produk.csv: 10 produk (10 baris)." in texts(at)
    assert count(app_db, Product) == 10
    assert metrics(at)["Sudah diimpor"] == "10"

    upload(at, "withdrawals", "withdraw.csv")
    assert metrics(at)["Siap diimpor"] == "171"
    assert at.button(key="li_write").label == "Impor 171 baris yang valid"
    at.button(key="li_write").click().run()
    assert "171 penarikan (171 baris)" in texts(at)
    assert count(app_db, Withdrawal) == 171
    assert "Tidak ada baris baru untuk diimpor dari berkas ini." in texts(at)


def test_the_preview_lists_each_problem_row_before_anything_is_written(
    app_db, ui_admin
):
    data = (
        b"Tanggal,Sumber Dana,Nominal,Keterangan\n"
        b"10/01/2025,tokopedia,Rp 378.000,Tarik\n"
        b"11/01/2025,Shopee,tiga ratus ribu,\n"
        b"10/01/2025,tokopedia,Rp 378.000,Tarik\n"
    )
    at = open_app(ui_admin, PAGE)

    upload(at, "withdrawals", "withdraw.csv", data)

    problems = at.dataframe[0].value
    assert problems[["Baris", "Jenis", "Kolom", "Nilai"]].values.tolist() == [
        [3, "Masalah", "Nominal", "tiga ratus ribu"],
        [4, "Duplikat", "", ""],
    ]
    assert (metrics(at)["Bermasalah"], metrics(at)["Duplikat"]) == ("1", "1")
    assert at.button(key="li_write").label == "Impor 1 baris yang valid"
    assert count(app_db, Withdrawal) == 0


def test_a_future_dated_row_is_a_problem_and_the_good_rows_import(app_db, ui_admin):
    data = (
        b"Tanggal,Sumber Dana,Nominal,Keterangan\n"
        b"10/01/2025,tokopedia,Rp 378.000,Tarik\n"
        b"01/01/2030,Shopee,100000,\n"
        b"11/01/2025,Shopee,250000,\n"
    )
    at = upload(open_app(ui_admin, PAGE), "withdrawals", "withdraw.csv", data)

    problems = at.dataframe[0].value
    assert problems[["Baris", "Kolom", "Nilai"]].values.tolist() == [
        [3, "Tanggal", "01/01/2030"]
    ]
    assert metrics(at)["Siap diimpor"] == "2"
    at.button(key="li_write").click().run()
    assert not at.error
    assert count(app_db, Withdrawal) == 2


def test_the_upload_size_limit_is_stated_before_choosing_a_file(app_db, ui_admin):
    at = open_app(ui_admin, PAGE)

    limit = st.get_option("server.maxUploadSize")
    assert f"Ukuran berkas maksimal {limit} MB" in texts(at)


def test_a_file_of_the_wrong_kind_is_refused_with_a_message(app_db, ui_admin):
    at = open_app(ui_admin, PAGE)

    upload(at, "products", "withdraw.csv")

    assert any("bukan berkas Produk" in error.value for error in at.error)
    assert not _has_write(at)


def _has_write(at: AppTest) -> bool:
    return any(button.key == "li_write" for button in at.button)


def test_management_cannot_open_the_import_page(app_db, ui_manager):
    at = open_app(ui_manager)
    with pytest.raises(ValueError):
        at.switch_page(PAGE)

    # Even run directly, the page itself refuses a management account.
    page = AppTest.from_file(str(REPO / PAGE), default_timeout=TIMEOUT)
    sign_in_tab(page, ui_manager)
    page.run()
    assert [e.value for e in page.error] == ["Halaman ini hanya untuk admin."]
    assert not page.get("file_uploader")
