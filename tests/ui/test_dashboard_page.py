"""Dasbor page: KPIs, Plotly charts and platform balances.

The default period is the last 30 days (Jakarta) up to today, so the data meant
to be inside it is dated today and the data meant to be outside it is dated in
the previous year.
"""

import datetime as dt
import json

import pytest

from office_core import data_version, products, withdrawals
from office_core.dates import today
from office_core.platforms import resolve_platform
from office_core.sales import LineDraft, SaleDraft, record_sale, void_sale
from tests.ui.conftest import open_app, texts

PAGE = "pages/dashboard.py"
WITHDRAWALS = "Penarikan dana per platform (bulanan)"
MONTHS_ID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt",
             "Nov", "Des"]  # fmt: skip


def sell(session, actor, platform, amount, sold_on, phone=""):
    """Record a one-line sale of `amount` on `platform`; return it."""
    product = products.list_products(session)[0]
    draft = SaleDraft(
        platform_id=resolve_platform(session, platform).id,
        lines=[LineDraft(product.id, unit_price=amount)],
        sold_on=sold_on,
        customer_name="Pelanggan",
        customer_phone=phone,
        payment_method="QRIS",
    )
    return record_sale(session, actor, draft)


@pytest.fixture
def seeded(app_db, ui_admin):
    """Sales and withdrawals today, voided/deleted ones, and some last year."""
    now = today()
    last_year = dt.date(now.year - 1, 6, 15)
    with app_db.transaction() as session:
        products.save_product(session, ui_admin, "NFX", "Netflix", 50_000, 1)
        sell(session, ui_admin, "Shopee", 60_000, now)
        sell(session, ui_admin, "Shopee", 1_500_000, now)
        sell(session, ui_admin, "Tokopedia", 1_250_000, now)
        sell(session, ui_admin, "Non Platform", 50_000, now, "081233330001")
        voided = sell(session, ui_admin, "Tokopedia", 999_000, now)
        void_sale(session, ui_admin, voided.id)
        sell(session, ui_admin, "Shopee", 70_000, last_year)
        withdrawals.record_withdrawal(session, ui_admin, "Shopee", 1_000_000, now)
        withdrawals.record_withdrawal(session, ui_admin, "Lazada", 300_000, now)
        deleted = withdrawals.record_withdrawal(
            session, ui_admin, "Tokopedia", 777_000, now
        )
        withdrawals.delete_withdrawal(session, ui_admin, deleted.id)
        withdrawals.record_withdrawal(session, ui_admin, "Shopee", 5_000, last_year)
    return now, last_year


def figures(at) -> dict[str, dict]:
    """Return the page's Plotly figures by title."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {spec["layout"]["title"]["text"]: spec for spec in specs}


def metrics(at) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def monthly(at):
    """Show the charts per month and return the page."""
    at.radio(key="dash_grain").set_value("month")
    return at.run()


def balances(at):
    """Return the platform balance table the page shows."""
    (table,) = [t.value for t in at.dataframe if "Saldo di platform" in t.value]
    return table


def label(day: dt.date) -> str:
    return f"{MONTHS_ID[day.month - 1]} {day.year}"


def test_kpis_of_the_default_period(seeded, ui_admin):
    at = open_app(ui_admin, PAGE)

    assert not at.exception
    assert metrics(at) == {
        "Pendapatan": "Rp2.860.000",
        "Jumlah penjualan": "4",
        "Rata-rata penjualan": "Rp715.000",
        "Langganan aktif": "1",
        "Berakhir dalam 7 hari": "0",
        "Penarikan dana": "Rp1.300.000",
    }


def test_revenue_chart_has_one_bar_per_platform_with_non_platform(seeded, ui_admin):
    at = open_app(ui_admin, PAGE)
    revenue = figures(at)["Pendapatan per platform"]
    bars = revenue["data"][0]

    assert bars["type"] == "bar"
    assert bars["x"] == ["Shopee", "Tokopedia", "Non Platform"]
    assert bars["y"] == [1_560_000, 1_250_000, 50_000]
    assert [row[0] for row in bars["customdata"]] == [
        "Rp1.560.000", "Rp1.250.000", "Rp50.000"
    ]  # fmt: skip
    assert "%{customdata[0]}" in bars["hovertemplate"]
    assert revenue["layout"]["yaxis"]["tickprefix"] == "Rp"
    assert revenue["layout"]["separators"] == ",."


def test_withdrawals_chart_stacks_platforms_per_month(seeded, ui_admin):
    now, _ = seeded
    at = monthly(open_app(ui_admin, PAGE))
    chart = figures(at)[WITHDRAWALS]
    traces = {trace["name"]: trace for trace in chart["data"]}

    assert chart["layout"]["barmode"] == "stack"
    assert set(traces) == {"Shopee", "Lazada"}
    assert traces["Shopee"]["x"] == [label(now)]
    assert traces["Shopee"]["y"] == [1_000_000]
    assert traces["Lazada"]["y"] == [300_000]
    assert traces["Lazada"]["customdata"] == ["Rp300.000"]


def test_each_platform_keeps_its_colour_across_charts(seeded, ui_admin):
    at = monthly(open_app(ui_admin, PAGE))
    charts = figures(at)
    bars = charts["Pendapatan per platform"]["data"][0]
    revenue_colour = dict(zip(bars["x"], bars["marker"]["color"], strict=True))
    withdrawn = charts[WITHDRAWALS]["data"]
    withdrawn_colour = {trace["name"]: trace["marker"]["color"] for trace in withdrawn}

    assert withdrawn_colour["Shopee"] == revenue_colour["Shopee"]
    assert len(set(revenue_colour.values())) == len(revenue_colour)
    assert withdrawn_colour["Lazada"] not in revenue_colour.values()


def test_a_longer_period_adds_last_years_figures_in_month_order(seeded, ui_admin):
    now, last_year = seeded
    at = open_app(ui_admin, PAGE)
    at.date_input(key="dash_period").set_value((dt.date(now.year - 1, 1, 1), now))
    chart = figures(monthly(at))[WITHDRAWALS]

    assert metrics(at)["Pendapatan"] == "Rp2.930.000"
    assert metrics(at)["Penarikan dana"] == "Rp1.305.000"
    shopee = next(trace for trace in chart["data"] if trace["name"] == "Shopee")
    assert shopee["x"] == [label(last_year), label(now)]
    assert shopee["y"] == [5_000, 1_000_000]
    assert chart["layout"]["xaxis"]["categoryarray"] == [label(last_year), label(now)]


def test_an_empty_period_shows_a_message_not_an_error(seeded, ui_admin):
    at = open_app(ui_admin, PAGE)
    at.date_input(key="dash_period").set_value(
        (dt.date(2001, 1, 1), dt.date(2001, 12, 31))
    )
    at.run()

    assert not at.exception
    assert not at.get("plotly_chart")
    assert "Belum ada penjualan maupun penarikan dana pada periode ini" in texts(at)


def test_a_new_database_shows_the_empty_message(app_db, ui_admin):
    at = open_app(ui_admin, PAGE)

    assert not at.exception
    assert not at.metric
    assert "Belum ada penjualan maupun penarikan dana" in texts(at)


def test_management_sees_the_same_figures_without_the_fee_editor(seeded, ui_manager):
    at = open_app(ui_manager, PAGE)

    assert not at.exception
    assert metrics(at)["Pendapatan"] == "Rp2.860.000"
    assert len(at.get("plotly_chart")) == 5
    assert not at.expander


def test_kpis_compare_with_the_previous_period(seeded, ui_admin, app_db):
    now, _ = seeded
    with app_db.transaction() as session:
        sell(session, ui_admin, "Shopee", 860_000, now - dt.timedelta(days=40))
    at = open_app(ui_admin, PAGE)
    deltas = {metric.label: metric.delta for metric in at.metric}

    assert deltas["Pendapatan"] == "+Rp2.000.000"
    assert deltas["Jumlah penjualan"] == "+3"
    assert deltas["Rata-rata penjualan"] == "-Rp145.000"
    assert deltas["Penarikan dana"] == "+Rp1.300.000"


def test_every_chart_is_drawn_with_rupiah_and_indonesian_labels(seeded, ui_admin):
    at = open_app(ui_admin, PAGE)
    charts = figures(at)

    assert set(charts) == {
        "Pendapatan per platform",
        "Pendapatan per platform (harian)",
        "Penarikan dana per platform (harian)",
        "Produk terlaris",
        "Langganan berakhir per minggu",
    }
    top = charts["Produk terlaris"]["data"][0]
    assert top["y"] == ["Netflix"]
    assert top["x"] == [2_860_000]
    assert top["customdata"][0][0] == "Rp2.860.000"
    expiring = charts["Langganan berakhir per minggu"]["data"][0]
    assert sum(expiring["y"]) == 1
    assert expiring["x"][0].startswith("Mg ")


def test_balances_use_the_fee_an_admin_sets(seeded, ui_admin, app_db):
    with app_db.transaction() as session:
        shopee = resolve_platform(session, "Shopee").id
    at = open_app(ui_admin, PAGE)
    at.selectbox(key="dash_fee_platform").set_value(shopee)
    at.run()
    at.number_input(key=f"dash_fee_value_{shopee}").set_value(10.0)
    at.button(key="dash_fee_save").click()
    at.run()
    table = balances(at).set_index("Platform")

    assert not at.exception
    assert "Biaya Shopee disimpan: 10,00%." in texts(at)
    # Shopee all time: 1,630,000 sold, 10% fee, 1,005,000 withdrawn.
    assert table.loc["Shopee", "Biaya platform"] == "Rp163.000"
    assert table.loc["Shopee", "Saldo di platform"] == "Rp462.000"
    assert table.loc["Tokopedia", "Saldo di platform"] == "Rp1.250.000"


def test_a_fee_above_100_reaches_the_server_and_is_refused(seeded, ui_admin, app_db):
    with app_db.transaction() as session:
        shopee = resolve_platform(session, "Shopee")
        before = shopee.fee_percent
    at = open_app(ui_admin, PAGE)
    at.selectbox(key="dash_fee_platform").set_value(shopee.id)
    at.run()
    field = at.number_input(key=f"dash_fee_value_{shopee.id}")
    # A browser-side maximum would keep the old value without a word.
    assert field.max is None
    field.set_value(150.0)
    at.button(key="dash_fee_save").click()
    at.run()

    assert "0–100" in " ".join(e.value for e in at.error)
    assert "disimpan" not in texts(at)
    with app_db.transaction() as session:
        assert resolve_platform(session, "Shopee").fee_percent == before


def test_withdrawals_above_net_sales_raise_a_warning(seeded, ui_manager):
    at = open_app(ui_manager, PAGE)

    assert "Penarikan dana Lazada (Rp300.000) melebihi penjualan bersihnya" in texts(at)
    table = balances(at).set_index("Platform")
    assert table.loc["Lazada", "Saldo di platform"] == "-Rp300.000"


def test_a_sale_saved_elsewhere_shows_on_the_next_run(
    seeded, ui_admin, ui_manager, app_db
):
    at = open_app(ui_manager, PAGE)
    before = metrics(at)["Pendapatan"]
    # Another engine on the same database: as another app process would write.
    with app_db.transaction() as session:
        sell(session, ui_admin, "Lazada", 40_000, today())
    at.run()

    assert before == "Rp2.860.000"
    assert metrics(at)["Pendapatan"] == "Rp2.900.000"
    assert metrics(at)["Jumlah penjualan"] == "5"


def test_figures_are_remembered_until_the_data_version_moves(
    seeded, ui_manager, app_db
):
    at = open_app(ui_manager, PAGE)
    # A change that goes around the domain (and so around the version) is not
    # seen: proof the figures come from the cache, keyed on the version.
    with app_db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE sales SET total = total + 1")
    at.run()
    remembered = metrics(at)["Pendapatan"]
    with app_db.transaction() as session:
        data_version.bump(session)
    at.run()

    assert remembered == "Rp2.860.000"
    assert metrics(at)["Pendapatan"] == "Rp2.860.004"


def test_kpis_are_laid_out_in_two_rows_of_three(seeded, ui_admin):
    at = open_app(ui_admin, PAGE)
    # Six in one row cut the Rupiah figures off on a 1400 px screen.
    rows = [
        [metric.label for column in row.children.values() for metric in column.metric]
        for row in at.main.children.values()
        if row.type == "flex_container" and row.metric
    ]

    assert rows == [
        ["Pendapatan", "Jumlah penjualan", "Rata-rata penjualan"],
        ["Langganan aktif", "Berakhir dalam 7 hari", "Penarikan dana"],
    ]
