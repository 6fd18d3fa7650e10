"""Dasbor page: KPIs and Plotly charts of revenue and withdrawals per platform.

The default period runs from 1 January of the current year (Jakarta) to today, so
the data meant to be inside it is dated today and the data meant to be outside it
is dated in the previous year.
"""

import datetime as dt
import json

import pytest

from office_core import products, withdrawals
from office_core.dates import today
from office_core.platforms import resolve_platform
from office_core.sales import LineDraft, SaleDraft, record_sale, void_sale
from tests.ui.conftest import open_app, texts

PAGE = "pages/dashboard.py"
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


def label(day: dt.date) -> str:
    return f"{MONTHS_ID[day.month - 1]} {day.year}"


def test_kpis_of_the_default_period(seeded, ui_admin):
    at = open_app(ui_admin, PAGE)

    assert not at.exception
    assert metrics(at) == {
        "Pendapatan": "Rp2.860.000",
        "Jumlah penjualan": "4",
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
    at = open_app(ui_admin, PAGE)
    chart = figures(at)["Penarikan dana per platform per bulan"]
    traces = {trace["name"]: trace for trace in chart["data"]}

    assert chart["layout"]["barmode"] == "stack"
    assert set(traces) == {"Shopee", "Lazada"}
    assert traces["Shopee"]["x"] == [label(now)]
    assert traces["Shopee"]["y"] == [1_000_000]
    assert traces["Lazada"]["y"] == [300_000]
    assert traces["Lazada"]["customdata"] == ["Rp300.000"]


def test_each_platform_keeps_its_colour_across_charts(seeded, ui_admin):
    at = open_app(ui_admin, PAGE)
    charts = figures(at)
    bars = charts["Pendapatan per platform"]["data"][0]
    revenue_colour = dict(zip(bars["x"], bars["marker"]["color"], strict=True))
    withdrawn = charts["Penarikan dana per platform per bulan"]["data"]
    withdrawn_colour = {trace["name"]: trace["marker"]["color"] for trace in withdrawn}

    assert withdrawn_colour["Shopee"] == revenue_colour["Shopee"]
    assert len(set(revenue_colour.values())) == len(revenue_colour)
    assert withdrawn_colour["Lazada"] not in revenue_colour.values()


def test_a_longer_period_adds_last_years_figures_in_month_order(seeded, ui_admin):
    now, last_year = seeded
    at = open_app(ui_admin, PAGE)
    at.date_input(key="dash_period").set_value((dt.date(now.year - 1, 1, 1), now))
    at.run()
    chart = figures(at)["Penarikan dana per platform per bulan"]

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


def test_management_sees_the_same_figures(seeded, ui_manager):
    at = open_app(ui_manager, PAGE)

    assert not at.exception
    assert metrics(at)["Pendapatan"] == "Rp2.860.000"
    assert len(at.get("plotly_chart")) == 2
