"""Black-box scenarios 7 and 8 of the paper, through the monitoring page.

The customers are the rows of paper/monitoring.csv (Pak Arif, 081298760001; GPT,
Web and Netflix; invoiced 2025-09-07 for 3, 3 and 12 months), recorded through
office_core.sales.record_sale with the products of the legacy catalogue.

"Today" moves while the paper's dates do not, and the page reads today from
office_core.dates.today(). So each scenario is checked twice:
- with the paper's own invoice dates: the page, showing every status, must show
  the expiry dates of monitoring.csv (an expiry does not depend on today), and
  list_subscriptions(on=2025-09-07) must call all three active with those dates;
- with the same customers, products and durations invoiced 7 days before the real
  today, so they are active on whatever day the tests run: the default view of the
  page must list them, and each row, once selected, has a working "Kirim WA"
  button (the button, not a link in the table, so that the click is logged).
"""

import csv
import datetime as dt
from urllib.parse import unquote, urlsplit

import pytest

from office_core import products
from office_core.dates import expiry_date, format_date_id, parse_date, today
from office_core.durations import parse_duration
from office_core.monitoring import ACTIVE, MonitorFilter, list_subscriptions
from office_core.platforms import resolve_platform
from office_core.sales import LineDraft, SaleDraft, record_sale
from tests.paths import legacy_file, paper_file
from tests.ui.conftest import open_app

PAGE = "pages/monitoring.py"
PAPER_DAY = dt.date(2025, 9, 7)


def scenario(number: int) -> dict[str, str]:
    """Return one row of the paper's black-box test table (1-based)."""
    with paper_file("black_box_tests.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))[number - 1]


def paper_rows() -> list[dict]:
    """Return the paper's monitoring table with parsed values."""
    with paper_file("monitoring.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        {
            "name": row["Nama"],
            "phone": row["Nomor HP"],
            "product": row["Produk"],
            "invoice_date": parse_date(row["Tanggal Faktur"]),
            "months": parse_duration(row["Durasi Langganan"]),
            "expires_on": parse_date(row["Tanggal Kadaluarsa"]),
        }
        for row in rows
    ]


def seed(db, admin, invoice_date: dt.date | None = None) -> list[dict]:
    """Record the paper's sales (on `invoice_date` if given); return the rows."""
    rows = paper_rows()
    with legacy_file("produk.csv").open(encoding="utf-8") as handle:
        catalogue = list(csv.DictReader(handle))
    with db.transaction() as session:
        saved = [
            products.save_product(session, admin, r["Kode"], r["Nama Produk"],
                                  r["Harga"], int(r["Durasi Default (bulan)"]))
            for r in catalogue
        ]  # fmt: skip
        non_platform = resolve_platform(session, "Non Platform").id
        for row in rows:
            product = products.match_product(saved, row["product"])
            row["catalogue_name"] = product.name
            row["sold_on"] = invoice_date or row["invoice_date"]
            sale = record_sale(session, admin, SaleDraft(
                platform_id=non_platform,
                lines=[LineDraft(product.id, duration_months=row["months"])],
                sold_on=row["sold_on"],
                customer_name=row["name"],
                customer_phone=row["phone"],
                payment_method="Transfer BCA",
            ))  # fmt: skip
            row["invoice_no"] = sale.invoice_no
    return rows


def shown_by_name(at) -> dict[str, dict]:
    frame = at.dataframe[0].value
    return {row["Nama"]: row for row in frame.to_dict("records")}


def decode(link: str) -> tuple[str, str]:
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc) == ("https", "wa.me")
    return parts.path.removeprefix("/"), unquote(parts.query.removeprefix("text="))


def select_row(at, position: int):
    at.session_state[at.dataframe[0].key] = {
        "selection": {"rows": [position], "columns": []}
    }
    return at.run()


def send_button(at):
    return next(b for b in at.get("link_button") if b.proto.label == "Kirim WA")


def test_the_paper_describes_scenarios_7_and_8():
    assert "monitoring" in scenario(7)["Fitur yang diuji"]
    assert "aktif non-platform" in scenario(7)["Skenario Pengujian"]
    assert "Whatsapp" in scenario(8)["Fitur yang diuji"]
    assert len(paper_rows()) == 3


def test_scenario_7_page_lists_active_customers_with_a_whatsapp_button(
    app_db, ui_admin
):
    invoice_date = today() - dt.timedelta(days=7)
    rows = seed(app_db, ui_admin, invoice_date)
    at = open_app(ui_admin, PAGE)
    shown = shown_by_name(at)

    assert not at.exception
    assert list(shown) == [r["name"] for r in rows]  # soonest expiry first
    for position, row in enumerate(rows):
        line = shown[row["name"]]
        assert line["Produk"] == row["catalogue_name"]
        assert line["Tanggal Faktur"] == format_date_id(invoice_date)
        assert line["Durasi"] == f"{row['months']} bulan"
        assert line["No WhatsApp"] == "0812-9876-0001"
        assert line["Status"] == "Aktif"
        link = send_button(select_row(at, position)).proto.url
        assert link.startswith("https://wa.me/6281298760001?text=")


def test_scenario_7_page_shows_the_papers_expiry_dates(app_db, ui_admin):
    rows = seed(app_db, ui_admin)
    at = open_app(ui_admin, PAGE)
    at.date_input(key="mon_from").set_value(None)
    at.multiselect(key="mon_status").set_value([]).run()
    shown = shown_by_name(at)

    assert [r["expires_on"] for r in rows] == [
        dt.date(2025, 12, 7), dt.date(2025, 12, 7), dt.date(2026, 9, 7)
    ]  # fmt: skip
    for row in rows:
        line = shown[row["name"]]
        assert line["Tanggal Faktur"] == "07 September 2025"
        assert line["Durasi"] == f"{row['months']} bulan"
        assert line["Tanggal Kedaluwarsa"] == format_date_id(row["expires_on"])


def test_scenario_7_on_the_papers_day_all_three_are_active(app_db, ui_admin):
    rows = seed(app_db, ui_admin)
    with app_db.transaction() as session:
        frame = list_subscriptions(session, MonitorFilter(), on=PAPER_DAY)

    assert frame["customer_name"].tolist() == [r["name"] for r in rows]
    assert frame["expires_on"].tolist() == [r["expires_on"] for r in rows]
    assert frame["invoice_date"].tolist() == [PAPER_DAY] * 3
    assert frame["months"].tolist() == [3, 3, 12]
    assert set(frame["status"]) == {ACTIVE}


def test_scenario_8_button_opens_the_customers_number_with_the_message(
    app_db, ui_admin
):
    rows = seed(app_db, ui_admin, today() - dt.timedelta(days=7))
    at = open_app(ui_admin, PAGE)

    for position, row in enumerate(rows):
        button = send_button(select_row(at, position))
        number, message = decode(button.proto.url)
        expires = expiry_date(row["sold_on"], row["months"])

        assert button.proto.label == "Kirim WA"
        assert number == "6281298760001"
        assert message == (
            f"Halo {row['name']}, langganan {row['catalogue_name']} Anda di "
            f"Dwigital berakhir pada {format_date_id(expires)} "
            f"({(expires - today()).days} hari lagi). Mau diperpanjang? "
            f"Balas pesan ini ya. No faktur: {row['invoice_no']}"
        )
        assert at.text[1].value == message


def test_scenario_8_message_on_the_papers_day_names_the_papers_expiry(app_db, ui_admin):
    rows = seed(app_db, ui_admin)
    with app_db.transaction() as session:
        frame = list_subscriptions(session, MonitorFilter(), on=PAPER_DAY)

    for row, link in zip(rows, frame["wa_link"], strict=True):
        number, message = decode(link)
        days = (row["expires_on"] - row["invoice_date"]).days
        assert number == "6281298760001"
        assert f"Halo {row['name']}," in message
        assert f"langganan {row['catalogue_name']} " in message
        assert f"{format_date_id(row['expires_on'])} ({days} hari lagi)" in message
        assert message.endswith(f"No faktur: {row['invoice_no']}")


@pytest.mark.parametrize("position", [0, 2])
def test_scenario_8_button_matches_the_domain_link(app_db, ui_admin, position):
    seed(app_db, ui_admin, today() - dt.timedelta(days=7))
    with app_db.transaction() as session:
        frame = list_subscriptions(session, MonitorFilter(), on=today())
    at = select_row(open_app(ui_admin, PAGE), position)

    assert send_button(at).proto.url == frame["wa_link"].iloc[position]
