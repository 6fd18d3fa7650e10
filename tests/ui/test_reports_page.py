"""Laporan page: lists paged on the server and exports, for both roles."""

import csv
import datetime as dt
import io

import openpyxl
import pytest

from office_core import products, withdrawals
from office_core.dates import today
from office_core.platforms import resolve_platform
from office_core.sales import LineDraft, SaleDraft, record_sale
from tests.ui.conftest import open_app, texts

PAGE = "pages/reports.py"


@pytest.fixture
def seeded(app_db, ui_admin):
    """Three sales this month, one with a formula-like name, one last year."""
    now = today()
    with app_db.transaction() as session:
        product = products.save_product(session, ui_admin, "NFX", "Netflix", 45_000, 1)
        for platform, name, price, day in [
            ("Shopee", '=HYPERLINK("http://x","klik")', 45_000, now),
            ("Tokopedia", "Budi", 90_000, now),
            ("Shopee", "Sari", 1_500_000, now.replace(day=1)),
            ("Shopee", "Lama", 10_000, dt.date(now.year - 1, 5, 5)),
        ]:
            draft = SaleDraft(
                platform_id=resolve_platform(session, platform).id,
                lines=[LineDraft(product.id, unit_price=price)],
                sold_on=day,
                customer_name=name,
                payment_method="QRIS",
            )
            record_sale(session, ui_admin, draft)
        withdrawals.record_withdrawal(session, ui_admin, "Shopee", 500_000, now)
    return now


def table(at):
    (frame,) = [element.value for element in at.dataframe]
    return frame


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_both_roles_see_this_months_sales(seeded, ui_admin, ui_manager, role):
    at = open_app(ui_admin if role == "admin" else ui_manager, PAGE)
    frame = table(at)

    assert not at.exception
    assert sorted(frame["Pelanggan"]) == sorted(
        ['=HYPERLINK("http://x","klik")', "Budi", "Sari"]
    )
    assert set(frame["Total"]) == {"Rp45.000", "Rp90.000", "Rp1.500.000"}
    assert "3 baris." in texts(at)


def test_each_report_lists_its_rows(seeded, ui_manager):
    at = open_app(ui_manager, PAGE)
    at.radio(key="rep_kind").set_value("withdrawals").run()
    assert table(at)["Nominal"].tolist() == ["Rp500.000"]

    at.radio(key="rep_kind").set_value("monthly").run()
    summary = table(at)
    assert summary["Jumlah penjualan"].tolist() == [3]
    assert summary["Pendapatan"].tolist() == ["Rp1.635.000"]

    at.radio(key="rep_kind").set_value("sale_lines").run()
    assert table(at)["Produk"].tolist() == ["Netflix"] * 3


def test_platform_filter_narrows_the_list(seeded, ui_manager):
    at = open_app(ui_manager, PAGE)
    at.multiselect(key="rep_platforms").set_value(["Tokopedia"]).run()

    assert table(at)["Pelanggan"].tolist() == ["Budi"]


@pytest.mark.parametrize(
    ("report", "word"),
    [
        ("sales", "penjualan"),
        ("sale_lines", "baris-penjualan"),
        ("withdrawals", "penarikan"),
    ],
)
def test_export_files_are_named_in_indonesian(seeded, ui_manager, report, word):
    at = open_app(ui_manager, PAGE)
    at.radio(key="rep_kind").set_value(report).run()
    at.button(key="rep_make_csv").click().run()

    name = at.session_state["rep_file"]["file_name"]
    assert name.startswith(f"laporan-{word}-")
    assert name.endswith(".csv")


def test_a_month_of_sales_exports_to_xlsx_with_numbers_and_dates(seeded, ui_manager):
    at = open_app(ui_manager, PAGE)
    at.button(key="rep_make_xlsx").click().run()
    ready = at.session_state["rep_file"]
    sheet = openpyxl.load_workbook(io.BytesIO(ready["data"])).active
    header, *rows = list(sheet.iter_rows())
    column = {cell.value: n for n, cell in enumerate(header)}

    assert not at.exception
    assert ready["file_name"].endswith(".xlsx")
    assert len(rows) == 3
    assert sorted(row[column["Total"]].value for row in rows) == [
        45_000, 90_000, 1_500_000
    ]  # fmt: skip
    assert {row[column["Total"]].data_type for row in rows} == {"n"}
    assert {row[column["Tanggal"]].data_type for row in rows} == {"d"}
    assert all(cell.data_type != "f" for row in rows for cell in row)
    formula_like = [
        row[column["Pelanggan"]] for row in rows
        if row[column["Pelanggan"]].value.startswith("=")
    ]  # fmt: skip
    assert formula_like[0].data_type == "s"
    assert formula_like[0].quotePrefix
    assert at.get("download_button")


def test_csv_export_neutralises_formula_like_text(seeded, ui_admin):
    at = open_app(ui_admin, PAGE)
    at.button(key="rep_make_csv").click().run()
    text = at.session_state["rep_file"]["data"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))

    assert {row["Pelanggan"] for row in rows} == {
        "'=HYPERLINK(\"http://x\",\"klik\")", "Budi", "Sari"
    }  # fmt: skip
    assert sorted(int(row["Total"]) for row in rows) == [45_000, 90_000, 1_500_000]


def test_an_empty_period_offers_no_export(seeded, ui_manager):
    at = open_app(ui_manager, PAGE)
    at.date_input(key="rep_period").set_value(
        (dt.date(2001, 1, 1), dt.date(2001, 1, 31))
    ).run()

    assert "Tidak ada data untuk filter ini." in texts(at)
    assert at.button(key="rep_make_xlsx").disabled
