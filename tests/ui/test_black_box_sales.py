"""The paper's black-box scenarios 4, 5 and 6 (sales), through the pages."""

import csv
import datetime as dt

import pytest

from office_core import dashboard, monitoring
from office_core.durations import parse_duration
from office_core.phones import normalize_phone
from tests.paths import paper_file
from tests.ui.conftest import open_app, texts
from tests.ui.sales_seed import all_sales, record, seed_catalogue

ALL_STATUSES = monitoring.MonitorFilter(statuses=monitoring.STATUSES)


def scenario(number: int) -> dict:
    """Return one row of the paper's black_box_tests.csv (numbered from 1)."""
    with paper_file("black_box_tests.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))[number - 1]


@pytest.fixture
def paper_row() -> dict:
    """The paper's monitoring row for Pak Arif Wibowo's ChatGPT subscription."""
    with paper_file("monitoring.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    row = next(r for r in rows if r["Nama"] == "Pak Arif Wibowo")
    return {
        "name": row["Nama"],
        "phone": row["Nomor HP"],
        "day": dt.date.fromisoformat(row["Tanggal Faktur"]),
        "months": parse_duration(row["Durasi Langganan"]),
        "expiry": dt.date.fromisoformat(row["Tanggal Kadaluarsa"]),
    }


@pytest.fixture
def catalogue(app_db, ui_admin) -> dict[str, int]:
    return seed_catalogue(app_db, ui_admin)


def subscriptions(db) -> list[tuple]:
    with db.transaction() as session:
        frame = monitoring.list_subscriptions(session, ALL_STATUSES)
    return list(zip(frame["customer_name"], frame["expires_on"], strict=True))


def revenue_on(db, day: dt.date) -> int:
    with db.transaction() as session:
        return int(dashboard.revenue_by_platform(session, day, day)["revenue"].sum())


def test_4_add_a_non_platform_sale(app_db, ui_admin, catalogue, paper_row):
    assert scenario(4)["Fitur yang diuji"] == "Tambah data penjualan non-platform"
    at = open_app(ui_admin, "pages/register.py")
    at.radio(key="reg_kind").set_value("pelanggan").run()
    at.text_input(key="reg_name").input(paper_row["name"])
    at.text_input(key="reg_phone").input(paper_row["phone"])
    at.date_input(key="reg_date").set_value(paper_row["day"])
    at.selectbox(key="reg_add_product").set_value(catalogue["GPT"]).run()
    at.text_input(key="reg_line_duration_months_0").input(str(paper_row["months"]))

    at.button(key="reg_complete").click().run()

    assert not at.error
    assert "Penjualan selesai. No faktur" in texts(at)
    at.switch_page("pages/history.py").run()
    [row] = at.data_editor[0].value.to_dict("records")
    assert row["customer_name"] == paper_row["name"]
    assert row["customer_phone"] == "0812-9876-0001"
    assert (row["product_name"], row["duration_months"]) == ("ChatGPT Plus", 3)
    assert row["sold_on"] == "07 September 2025"
    assert subscriptions(app_db) == [(paper_row["name"], paper_row["expiry"])]


def test_5_change_a_customers_subscription_duration(
    app_db, ui_admin, catalogue, paper_row
):
    assert scenario(5)["Skenario Pengujian"] == "Mengubah durasi langganan pelanggan"
    record(
        app_db,
        ui_admin,
        [(catalogue["GPT"], 1, 1)],
        customer_name=paper_row["name"],
        customer_phone=paper_row["phone"],
        sold_on=paper_row["day"],
    )
    at = open_app(ui_admin, "pages/history.py")
    key = at.data_editor[0].key
    at.session_state[key] = {
        "edited_rows": {0: {"duration_months": paper_row["months"]}},
        "added_rows": [],
        "deleted_rows": [],
    }

    at.button(key="hist_save").click().run()

    assert "Tersimpan: 1 penjualan diperbarui." in texts(at)
    assert at.data_editor[0].value["duration_months"].tolist() == [3]
    assert subscriptions(app_db) == [(paper_row["name"], paper_row["expiry"])]


def test_6_delete_a_sale(app_db, ui_admin, catalogue, paper_row):
    assert scenario(6)["Fitur yang diuji"] == "Hapus data penjualan"
    sale = record(
        app_db,
        ui_admin,
        [(catalogue["GPT"], 1, paper_row["months"])],
        customer_name=paper_row["name"],
        customer_phone=paper_row["phone"],
        sold_on=paper_row["day"],
    )
    day = paper_row["day"]
    assert revenue_on(app_db, day) == 85_000
    assert len(subscriptions(app_db)) == 1
    at = open_app(ui_admin, "pages/history.py")
    at.selectbox(key="hist_void_pick").set_value(sale.id)
    at.checkbox(key="hist_void_sure").check()

    at.button(key="hist_void").click().run()

    assert at.data_editor[0].value.empty
    assert revenue_on(app_db, day) == 0
    assert subscriptions(app_db) == []
    [kept] = all_sales(app_db)
    assert (kept.invoice_no, kept.status, kept.total) == (
        sale.invoice_no,
        "void",
        85_000,
    )
    assert kept.customer_phone == normalize_phone(paper_row["phone"])
    assert kept.lines[0].subscription.expires_on == paper_row["expiry"]
