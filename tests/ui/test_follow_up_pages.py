"""Pelanggan, Efektivitas Perpanjangan and Log Pesan pages."""

import datetime as dt
import json

import pytest
from babel.dates import format_date
from sqlalchemy import update

from office_core import followups, products, reminders
from office_core.dates import expiry_date, today
from office_core.models import FollowUp
from office_core.providers import Fonnte
from tests.integration.fake_provider import start_fake
from tests.ui.conftest import open_app, texts
from tests.ui.test_monitoring_page import sell
from ui.format import escape_markdown


@pytest.fixture
def sari(app_db, ui_admin):
    """Sari bought twice under two spellings; her first subscription ended."""
    now = today()
    with app_db.transaction() as session:
        nfx = products.save_product(session, ui_admin, "NFX", "Netflix", 50_000, 1)
        gpt = products.save_product(session, ui_admin, "GPT", "ChatGPT", 90_000, 1)
        first = sell(session, ui_admin, nfx, now - dt.timedelta(days=40), 1, "Bu Sari",
                     "081211110001")  # fmt: skip
        sell(session, ui_admin, gpt, now - dt.timedelta(days=5), 1, "sari",
             "0812 1111 0001")  # fmt: skip
        subscription = first.lines[0].subscription.id
        followups.record_follow_up(session, ui_admin, subscription)
        return first.customer_id


def test_customer_page_shows_purchases_subscriptions_and_follow_ups(sari, ui_admin):
    at = open_app(ui_admin)
    at.session_state["customer_id"] = sari
    at.switch_page("pages/customer.py")
    at.run()

    assert not at.exception
    assert "Nama yang pernah dipakai: sari, Bu Sari" in [t.value for t in at.text]
    subscriptions, purchases, contacts = (d.value for d in at.dataframe)
    assert subscriptions["Produk"].tolist() == ["ChatGPT", "Netflix"]
    assert purchases["Nama di faktur"].tolist() == ["sari", "Bu Sari"]
    assert contacts["Oleh"].tolist() == ["admin"]
    assert contacts["Cara"].tolist() == ["Tautan WA"]


def test_admin_marks_a_customer_as_not_wanting_reminders(app_db, sari, ui_admin):
    at = open_app(ui_admin)
    at.session_state["customer_id"] = sari
    at.switch_page("pages/customer.py")
    at.run()
    at.toggle(key=f"cust_no_reminders_{sari}").set_value(True).run()

    with app_db.transaction() as session:
        assert followups.get_customer(session, sari).no_reminders


def test_customer_page_searches_by_number(sari, ui_manager):
    at = open_app(ui_manager, "pages/customer.py")
    at.text_input(key="cust_search").input("0812-1111-0001").run()

    assert at.selectbox(key="cust_pick").value == sari
    assert not at.toggle  # management reads only
    assert "Menerima pengingat" in [t.value for t in at.text]


def test_a_customer_name_is_shown_as_typed_not_as_markdown(app_db, ui_admin):
    name = "$x^2$ :red[Sari] **Bu**"
    with app_db.transaction() as session:
        nfx = products.save_product(session, ui_admin, "NFX", "Netflix", 50_000, 1)
        sale = sell(session, ui_admin, nfx, today(), 1, name, "081211110002")
    at = open_app(ui_admin)
    at.session_state["customer_id"] = sale.customer_id
    at.switch_page("pages/customer.py")
    at.run()

    assert at.subheader[0].value == escape_markdown(name)


def test_a_search_matching_nobody_says_so_instead_of_the_last_pick(sari, ui_admin):
    at = open_app(ui_admin)
    at.session_state["customer_id"] = sari
    at.switch_page("pages/customer.py")
    at.run()
    at.text_input(key="cust_search").input("tidak ada orang ini").run()

    assert "Tidak ada pelanggan yang cocok." in texts(at)
    assert not at.selectbox
    assert "(dipilih dari monitoring)" not in texts(at)


def test_renewal_report_page_for_management(app_db, sari, ui_manager):
    with app_db.transaction() as session:
        session.execute(
            update(FollowUp).values(created_at=dt.datetime.now(dt.UTC)
                                    - dt.timedelta(days=20))
        )  # fmt: skip
    at = open_app(ui_manager, "pages/renewals.py")

    assert not at.exception
    assert "Efektivitas Perpanjangan" in texts(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Langganan dihitung"] == "1"
    assert metrics["Tingkat perpanjangan"] == "0,0%"
    follow_up = at.dataframe[0].value
    assert follow_up["Tindak lanjut"].tolist() == ["Ditindaklanjuti"]
    assert follow_up["Langganan"].tolist() == [1]


def test_renewal_chart_names_months_in_indonesian(app_db, sari, ui_manager):
    at = open_app(ui_manager, "pages/renewals.py")
    [chart] = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)

    ended = expiry_date(today() - dt.timedelta(days=40), 1)
    expected = format_date(ended, "MMM yyyy", locale="id_ID")
    assert list(spec["data"][0]["x"]) == [expected]
    assert spec["layout"]["xaxis"]["type"] == "category"
    assert expected in at.dataframe[-2].value["Bulan"].tolist()


def test_message_log_shows_the_outbox(app_db, ui_admin):
    now = today()
    with app_db.transaction() as session:
        nfx = products.save_product(session, ui_admin, "NFX", "Netflix", 50_000, 1)
        sell(session, ui_admin, nfx, now - dt.timedelta(days=28), 1, "Tono",
             "081211110005")  # fmt: skip
    fake = start_fake()
    fake.default = (200, {"status": True, "id": ["555"]})
    try:
        reminders.send_reminders(app_db, Fonnte("tok", fake.url), sleep=lambda s: 0)
    finally:
        fake.server.shutdown()
    at = open_app(ui_admin, "pages/messages.py")
    log = at.dataframe[0].value

    assert log["Pelanggan"].tolist() == ["Tono"]
    assert log["Status"].tolist() == ["Terkirim"]
    assert log["ID pesan"].tolist() == ["555"]
    assert log["No WhatsApp"].tolist() == ["0812-1111-0005"]


def test_message_log_explains_the_command_when_empty(app_db, ui_manager):
    at = open_app(ui_manager, "pages/messages.py")

    assert "send-reminders" in texts(at)
