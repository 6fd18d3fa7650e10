"""Monitoring Langganan page: default view, filters, WhatsApp links, template.

The page reads today from office_core.dates.today(), so the sales here are dated
relative to the real today: a 1-month subscription sold 28 days ago ends within
0–3 days (expiring soon), a 3-month one sold 10 days ago is active, a 1-month one
sold 100 days ago has expired.
"""

import datetime as dt
from urllib.parse import unquote, urlsplit

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState

from office_core import products
from office_core.dates import expiry_date, format_date_id, today
from office_core.followups import set_no_reminders
from office_core.models import FollowUp, Subscription
from office_core.platforms import resolve_platform
from office_core.sales import LineDraft, SaleDraft, record_sale
from tests.ui.conftest import open_app, texts

PAGE = "pages/monitoring.py"


def sell(session, actor, product, sold_on, months, name, phone):
    """Record a non-platform sale of one subscription; return it."""
    draft = SaleDraft(
        platform_id=resolve_platform(session, "Non Platform").id,
        lines=[LineDraft(product.id, duration_months=months)],
        sold_on=sold_on,
        customer_name=name,
        customer_phone=phone,
        payment_method="QRIS",
    )
    return record_sale(session, actor, draft)


@pytest.fixture
def seeded(app_db, ui_admin):
    """Three customers: one expiring soon, one active, one expired."""
    now = today()
    rows = [
        ("Bu Sari", "081211110001", "NFX", now - dt.timedelta(days=28), 1),
        ("Pak Budi", "081211110002", "GPT", now - dt.timedelta(days=10), 3),
        ("Mas Eko", "081211110003", "NFX", now - dt.timedelta(days=100), 1),
    ]
    with app_db.transaction() as session:
        catalogue = {
            "NFX": products.save_product(
                session, ui_admin, "NFX", "Netflix", 50_000, 1
            ),
            "GPT": products.save_product(
                session, ui_admin, "GPT", "ChatGPT", 90_000, 1
            ),
        }
        sales = {
            name: sell(session, ui_admin, catalogue[code], day, months, name, phone)
            for name, phone, code, day, months in rows
        }
        return {
            name: (sale.invoice_no, expiry_date(day, months))
            for (name, _, _, day, months), sale in zip(
                rows, sales.values(), strict=True
            )
        }


def table(at):
    return at.dataframe[0].value


def decode(link: str) -> tuple[str, str]:
    """Return the number and the decoded message of a wa.me link."""
    parts = urlsplit(link)
    assert parts.netloc == "wa.me"
    return parts.path.removeprefix("/"), unquote(parts.query.removeprefix("text="))


def select_row(at, position: int):
    """Select one row of the table the way a click does, then rerun."""
    key = at.dataframe[0].key
    at.session_state[key] = {"selection": {"rows": [position], "columns": []}}
    return at.run()


def send_button(at):
    """Return the "Kirim WA" link button of the selected row."""
    return next(b for b in at.get("link_button") if b.proto.label == "Kirim WA")


def click_send(at):
    """Click "Kirim WA" the way the browser does: the link opens, the page reruns.

    AppTest cannot click a link button, so the click is sent as the trigger
    value the browser sends for a link button with an on_click callback.
    """
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=send_button(at).proto.id, trigger_value=True))
    return at._run(states)


def save_template(at):
    """Press the template form's save button."""
    button = next(b for b in at.button if b.label == "Simpan template")
    return button.click().run()


def show_every_expiry(at):
    """Clear the default 'ended since 30 days ago' start of the expiry range."""
    return at.date_input(key="mon_from").set_value(None).run()


def test_default_view_shows_expiring_then_active_and_hides_old_expired(
    seeded, ui_admin
):
    at = open_app(ui_admin, PAGE)
    frame = table(at)

    assert not at.exception
    assert frame["Nama"].tolist() == ["Bu Sari", "Pak Budi"]
    assert frame["Status"].tolist() == ["Segera berakhir", "Aktif"]
    assert frame["Terakhir Dihubungi"].tolist() == ["-", "-"]
    assert "Kirim WA" not in frame.columns  # only the button logs a follow-up
    assert "dari 2 langganan" in texts(at)
    expires = seeded["Bu Sari"][1]
    first = frame.iloc[0]
    assert first["No WhatsApp"] == "0812-1111-0001"
    assert first["Produk"] == "Netflix"
    assert first["Durasi"] == "1 bulan"
    assert first["No Faktur"] == seeded["Bu Sari"][0]
    assert first["Tanggal Faktur"] == format_date_id(today() - dt.timedelta(days=28))
    assert first["Tanggal Kedaluwarsa"] == format_date_id(expires)
    assert first["Sisa Hari"] == (expires - today()).days


def test_recently_expired_come_after_expiring_and_before_active(app_db, ui_admin):
    now = today()
    with app_db.transaction() as session:
        product = products.save_product(session, ui_admin, "NFX", "Netflix", 1, 1)
        for name, phone, ago, months in [
            ("Aktif", "081211110011", 10, 3),
            ("Lewat", "081211110012", 40, 1),
            ("Segera", "081211110013", 28, 1),
        ]:
            sell(session, ui_admin, product, now - dt.timedelta(days=ago), months,
                 name, phone)  # fmt: skip
    frame = table(open_app(ui_admin, PAGE))

    assert frame["Nama"].tolist() == ["Segera", "Lewat", "Aktif"]
    assert frame["Status"].tolist() == ["Segera berakhir", "Kedaluwarsa", "Aktif"]


def test_status_filter_shows_expired_customers(seeded, ui_admin):
    at = show_every_expiry(open_app(ui_admin, PAGE))
    at.multiselect(key="mon_status").set_value(["kedaluwarsa"]).run()

    assert table(at)["Nama"].tolist() == ["Mas Eko"]
    assert table(at)["Status"].tolist() == ["Kedaluwarsa"]
    assert table(at)["Sisa Hari"].iloc[0] < 0


def test_clearing_the_status_filter_shows_every_status(seeded, ui_admin):
    at = show_every_expiry(open_app(ui_admin, PAGE))
    at.multiselect(key="mon_status").set_value([]).run()

    assert sorted(table(at)["Nama"]) == ["Bu Sari", "Mas Eko", "Pak Budi"]


def test_expiry_range_filter(seeded, ui_admin):
    at = open_app(ui_admin, PAGE)
    at.date_input(key="mon_from").set_value(today() + dt.timedelta(days=10)).run()

    assert table(at)["Nama"].tolist() == ["Pak Budi"]

    at.date_input(key="mon_to").set_value(today() + dt.timedelta(days=20)).run()
    assert not at.dataframe


def test_product_filter_and_search(seeded, ui_admin):
    at = open_app(ui_admin, PAGE)
    at.selectbox(key="mon_product").set_value("ChatGPT").run()
    assert table(at)["Nama"].tolist() == ["Pak Budi"]

    at.selectbox(key="mon_product").set_value("").run()
    at.text_input(key="mon_search").input("0812-1111-0001").run()
    assert table(at)["Nama"].tolist() == ["Bu Sari"]

    at.text_input(key="mon_search").input(seeded["Pak Budi"][0]).run()
    assert table(at)["Nama"].tolist() == ["Pak Budi"]

    at.text_input(key="mon_search").input("tidak ada").run()
    assert not at.dataframe
    assert "Tidak ada langganan yang cocok" in texts(at)


def test_kirim_wa_opens_the_customers_number_with_the_message(seeded, ui_admin):
    at = select_row(open_app(ui_admin, PAGE), 0)
    number, message = decode(send_button(at).proto.url)

    assert number == "6281211110001"
    invoice, expires = seeded["Bu Sari"]
    days = (expires - today()).days
    assert message == (
        f"Halo Bu Sari, langganan Netflix Anda di Dwigital berakhir pada "
        f"{format_date_id(expires)} ({days} hari lagi). Mau diperpanjang? "
        f"Balas pesan ini ya. No faktur: {invoice}"
    )


def test_selected_row_gets_a_button_and_a_message_preview(seeded, ui_admin):
    at = open_app(ui_admin, PAGE)
    assert not at.get("link_button")

    select_row(at, 1)
    button = send_button(at)
    number, message = decode(button.proto.url)

    assert button.proto.label == "Kirim WA"
    assert number == "6281211110002"
    assert "Halo Pak Budi" in message
    assert seeded["Pak Budi"][0] in message
    assert [t.value for t in at.text][:2] == ["Pelanggan: Pak Budi", message]


def test_kirim_wa_click_logs_the_follow_up_and_the_row_shows_it(
    app_db, seeded, ui_admin
):
    at = click_send(select_row(open_app(ui_admin, PAGE), 0))

    assert not at.exception
    assert "Tindak lanjut dicatat." in texts(at)
    with app_db.transaction() as session:
        logged = session.query(FollowUp).one()
        sari = session.get(Subscription, logged.subscription_id).line.sale
        assert (logged.channel, logged.created_by) == ("link", "admin")
        assert logged.template == "follow_up_template"
        assert "Halo Bu Sari" in logged.message
        assert sari.invoice_no == seeded["Bu Sari"][0]
    shown = table(at).set_index("Nama")["Terakhir Dihubungi"]
    assert shown["Bu Sari"].endswith("oleh admin")
    assert shown["Pak Budi"] == "-"


def test_customer_who_wants_no_reminders_gets_no_button_by_default(
    app_db, seeded, ui_admin
):
    with app_db.transaction() as session:
        customer = session.query(Subscription).first().customer_id
        set_no_reminders(session, ui_admin, customer, True)
    at = select_row(open_app(ui_admin, PAGE), 0)

    assert table(at)["Pengingat"].iloc[0] == "Tidak mau"
    assert "tidak ingin dihubungi" in texts(at)
    assert not at.get("link_button")

    next(box for box in at.checkbox if box.label == "Tetap hubungi kali ini").check()
    at.run()
    click_send(at)
    with app_db.transaction() as session:
        assert session.query(FollowUp).count() == 1


def test_perpanjang_opens_the_register_with_the_renewal_draft(app_db, seeded, ui_admin):
    at = select_row(open_app(ui_admin, PAGE), 0)
    at.button(key="mon_renew").click().run()
    draft = at.session_state["reg_draft"]

    assert not at.exception
    assert "Kasir" in [t.value for t in at.title]
    assert "register_prefill" not in at.session_state
    with app_db.transaction() as session:
        renewed = session.get(Subscription, draft["renews_subscription_id"])
        assert renewed.line.sale.invoice_no == seeded["Bu Sari"][0]
    assert draft["customer_name"] == "Bu Sari"
    assert draft["lines"][0]["duration_months"] == 1


def test_customer_name_with_markdown_is_shown_as_plain_text(app_db, ui_admin):
    name = "[klik](https://contoh.invalid) **Bu** <b>Ani</b>"
    with app_db.transaction() as session:
        product = products.save_product(session, ui_admin, "NFX", "Netflix", 1, 1)
        sell(session, ui_admin, product, today(), 3, name, "081211110009")
    at = select_row(open_app(ui_admin, PAGE), 0)
    label = send_button(at).proto.label

    assert table(at)["Nama"].tolist() == [name]
    assert label == "Kirim WA"
    assert at.text[0].value == f"Pelanggan: {name}"


def test_pages_of_fifty_with_counts(app_db, ui_admin):
    with app_db.transaction() as session:
        product = products.save_product(session, ui_admin, "NFX", "Netflix", 1, 1)
        for number in range(55):
            sold = today() - dt.timedelta(days=number % 20)
            sell(session, ui_admin, product, sold, 3, f"Pelanggan {number:02d}",
                 f"0812222200{number:02d}")  # fmt: skip
    at = open_app(ui_admin, PAGE)

    assert len(table(at)) == 50
    assert "1–50 dari 55 langganan" in texts(at)
    first_page = table(at)

    at.number_input(key="mon_page").set_value(2).run()
    assert len(table(at)) == 5
    assert "51–55 dari 55 langganan" in texts(at)
    assert set(table(at)["Nama"]).isdisjoint(first_page["Nama"])
    assert table(at)["Sisa Hari"].min() >= first_page["Sisa Hari"].max()


def test_admin_saves_a_template_and_the_button_uses_it(seeded, ui_admin):
    at = open_app(ui_admin, PAGE)
    at.text_area(key="mon_follow_up_template").input(
        "Hai {nama} & {produk} #{no_faktur}"
    )
    save_template(at)

    assert "Template pesan tersimpan." in texts(at)
    _, message = decode(send_button(select_row(at, 0)).proto.url)
    assert message == f"Hai Bu Sari & Netflix #{seeded['Bu Sari'][0]}"


def test_template_preview_uses_a_real_row(seeded, ui_admin):
    at = open_app(ui_admin, PAGE)
    at.text_area(key="mon_follow_up_template").input("Tes {nama}: {produk}")
    save_template(at)

    assert "Tes Bu Sari: Netflix" in [t.value for t in at.text]
    assert "Contoh dengan data Bu Sari:" in texts(at)


def test_unknown_placeholder_is_refused_and_nothing_changes(seeded, ui_admin):
    at = open_app(ui_admin, PAGE)
    at.text_area(key="mon_follow_up_template").input("Halo {nama}, kode {kupon}")
    save_template(at)

    assert "Placeholder tidak dikenal: kupon" in texts(at)
    _, message = decode(send_button(select_row(at, 0)).proto.url)
    assert message.startswith("Halo Bu Sari, langganan Netflix")


def test_admin_sets_the_reminder_days(app_db, seeded, ui_admin):
    at = open_app(ui_admin, PAGE)
    at.text_input(key="mon_reminder_days").input("14, 1")
    next(b for b in at.button if b.label == "Simpan pengaturan pengingat").click()
    at.run()

    assert "Pengaturan pengingat tersimpan." in texts(at)
    assert at.text_input(key="mon_reminder_days").value == "14, 1"


def test_a_soon_threshold_above_90_is_refused_with_a_message(app_db, seeded, ui_admin):
    at = open_app(ui_admin, PAGE)
    field = at.number_input(key="mon_soon")
    assert field.max is None  # a browser-side limit would drop 999 silently
    field.set_value(999)
    next(b for b in at.button if b.label == "Simpan pengaturan pengingat").click()
    at.run()

    assert "0–90" in " ".join(e.value for e in at.error)
    assert "Pengaturan pengingat tersimpan." not in texts(at)
    assert at.number_input(key="mon_soon").value == 999


def test_management_sees_the_list_but_no_button_and_no_editor(seeded, ui_manager):
    at = select_row(open_app(ui_manager, PAGE), 0)

    assert not at.exception
    assert table(at)["Nama"].tolist() == ["Bu Sari", "Pak Budi"]
    assert not at.get("link_button")
    assert "Perpanjang" not in [b.label for b in at.button]
    assert not at.text_area
    assert "Simpan template" not in [b.label for b in at.button]


def test_visitor_who_is_not_signed_in_sees_no_subscription(seeded):
    at = open_app(None)
    try:
        at.switch_page(PAGE)
        at.run()
    except ValueError:
        pass  # the navigation of a visitor does not even list the page

    assert not at.dataframe
    assert "Bu Sari" not in texts(at)
