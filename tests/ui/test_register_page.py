"""Kasir: ringing up, holding, resuming and completing sales as an admin does."""

import base64
from urllib.parse import unquote

import pytest
from streamlit.testing.v1 import AppTest

from office_core import register
from office_core.errors import PermissionDenied
from office_core.models import HeldSale
from tests.paths import REPO
from tests.ui.conftest import TIMEOUT, open_app, sign_in_tab, texts
from tests.ui.sales_seed import (
    ARIF,
    ARIF_PHONE,
    PAPER_DAY,
    all_sales,
    platform_id,
    record,
    seed_catalogue,
)

REGISTER = "pages/register.py"
DRAFT = "reg_draft"


@pytest.fixture
def catalogue(app_db, ui_admin) -> dict[str, int]:
    return seed_catalogue(app_db, ui_admin)


def open_register(actor) -> AppTest:
    at = open_app(actor, REGISTER)
    assert not at.exception
    return at


def pick(at: AppTest, product_id: int) -> None:
    """Choose a product in the search box, which adds it as a line."""
    at.selectbox(key="reg_add_product").set_value(product_id).run()
    assert not at.exception


def as_customer(at: AppTest, name: str, phone: str, day=PAPER_DAY) -> None:
    at.radio(key="reg_kind").set_value("pelanggan").run()
    at.text_input(key="reg_name").input(name)
    at.text_input(key="reg_phone").input(phone)
    at.date_input(key="reg_date").set_value(day).run()


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception
    return at


def held(db) -> list[register.HeldSummary]:
    with db.transaction() as session:
        return register.list_held(session)


def wa_link(at: AppTest) -> str:
    [link] = [b for b in at.get("link_button") if b.proto.label == "Kirim struk via WA"]
    return link.proto.url


def test_hold_two_sales_resume_the_first_and_complete_it(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    as_customer(at, ARIF, ARIF_PHONE)
    pick(at, catalogue["GPT"])
    at.text_input(key="reg_line_duration_months_0").input("3").run()
    click(at, "reg_hold")
    pick(at, catalogue["NFX"])
    pick(at, catalogue["CNV"])
    click(at, "reg_hold")
    first, second = held(app_db)
    assert "Penjualan Ditahan" in texts(at)
    assert at.text_input(key="reg_name").value == ""
    assert all_sales(app_db) == []  # held sales take no number

    click(at, f"reg_resume_{first.id}")
    assert at.radio(key="reg_kind").value == "pelanggan"
    assert at.text_input(key="reg_name").value == ARIF
    assert at.text_input(key="reg_phone").value == ARIF_PHONE
    assert at.text_input(key="reg_line_duration_months_0").value == "3"
    click(at, "reg_complete")

    [sale] = all_sales(app_db)
    assert f"No faktur **{sale.invoice_no}**, total Rp85.000" in texts(at)
    assert (sale.customer_name, sale.lines[0].duration_months) == (ARIF, 3)
    assert [h.id for h in held(app_db)] == [second.id]
    assert f"reg_resume_{second.id}" in [b.key for b in at.button]
    assert f"reg_resume_{first.id}" not in [b.key for b in at.button]


def test_the_held_list_shows_who_held_what_and_its_total(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    pick(at, catalogue["NFX"])
    at.text_input(key="reg_line_qty_0").input("2").run()
    click(at, "reg_hold")

    shown = texts(at)
    assert "T-000001** · Umum · Non Platform · **Rp90.000" in shown
    assert "Ditahan oleh admin" in shown and "Netflix Premium × 2" in shown


def test_resuming_while_typing_another_sale_holds_that_one_first(
    app_db, ui_admin, catalogue
):
    at = open_register(ui_admin)
    pick(at, catalogue["GPT"])
    click(at, "reg_hold")
    pick(at, catalogue["NFX"])  # another customer at the counter

    click(at, f"reg_resume_{held(app_db)[0].id}")

    # A resumed sale stays held until completed: a refresh cannot lose it.
    assert [h.lines for h in held(app_db)] == [
        ("ChatGPT Plus × 1",),
        ("Netflix Premium × 1",),
    ]
    assert "Penjualan sebelumnya ditahan sebagai T-000002" in texts(at)
    assert "ChatGPT Plus" in texts(at) and all_sales(app_db) == []


def test_cancelling_a_held_sale_removes_it_from_the_list(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    pick(at, catalogue["GPT"])
    click(at, "reg_hold")
    [parked] = held(app_db)

    click(at, f"reg_cancel_{parked.id}")

    assert held(app_db) == []
    assert "Penjualan tahan T-000001 dibatalkan." in texts(at)
    assert all_sales(app_db) == []


def test_an_empty_sale_cannot_be_held(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)

    click(at, "reg_hold")

    assert [e.value for e in at.error] == [
        "Belum ada yang bisa ditahan. Tambahkan produk atau isi pelanggan dulu."
    ]


def test_double_submit_records_one_sale(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    pick(at, catalogue["GPT"])
    typed = dict(at.session_state[DRAFT])
    click(at, "reg_complete")
    [sale] = all_sales(app_db)

    # The same form arriving again (a click the page had not yet cleared).
    at.session_state[DRAFT] = typed
    click(at, "reg_complete")
    # And a click on the new, empty sale.
    click(at, "reg_complete")

    assert [s.id for s in all_sales(app_db)] == [sale.id]
    assert f"No faktur **{sale.invoice_no}**" in texts(at)
    assert "Belum ada baris produk" not in texts(at)


def open_in_two_tabs(app_db, ui_admin, product_id: int) -> tuple:
    """Hold a sale of `product_id`, then resume it in this tab and another."""
    at = open_register(ui_admin)
    pick(at, product_id)
    click(at, "reg_hold")
    parked = held(app_db)[-1]
    click(at, f"reg_resume_{parked.id}")
    other_tab = open_register(ui_admin)
    click(other_tab, f"reg_resume_{parked.id}")
    return at, other_tab, parked


def test_a_held_sale_completed_elsewhere_is_not_recorded_twice(
    app_db, ui_admin, catalogue
):
    at, other_tab, _ = open_in_two_tabs(app_db, ui_admin, catalogue["GPT"])
    click(other_tab, "reg_complete")

    click(at, "reg_complete")

    [sale] = all_sales(app_db)
    assert [e.value for e in at.error] == [
        f"Penjualan tahan T-000001 sudah diselesaikan oleh admin dengan no faktur "
        f"{sale.invoice_no}. Tidak dicatat dua kali."
    ]


def test_cash_below_the_total_is_refused_and_the_form_kept(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    as_customer(at, ARIF, ARIF_PHONE)
    pick(at, catalogue["GPT"])
    at.selectbox(key="reg_payment").set_value("Cash").run()
    at.text_input(key="reg_paid").input("50000").run()
    assert "Kurang: Rp35.000" in texts(at)

    click(at, "reg_complete")

    assert [e.value for e in at.error] == [
        "Uang tunai yang dibayar kurang dari total belanja."
    ]
    assert all_sales(app_db) == []
    assert at.text_input(key="reg_paid").value == "50000"
    assert at.text_input(key="reg_name").value == ARIF
    assert at.text_input(key="reg_phone").value == ARIF_PHONE
    assert at.text_input(key="reg_line_qty_0").value == "1"


def test_cash_above_the_total_gives_change(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    pick(at, catalogue["GPT"])
    at.selectbox(key="reg_payment").set_value("Cash").run()
    at.text_input(key="reg_paid").input("100000").run()
    assert "Kembalian: Rp15.000" in texts(at)

    click(at, "reg_complete")

    [sale] = all_sales(app_db)
    assert (sale.amount_paid, sale.change) == (100_000, 15_000)
    assert "kembalian Rp15.000" in texts(at)


def test_non_cash_is_paid_the_total(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    pick(at, catalogue["GPT"])
    at.selectbox(key="reg_payment").set_value("Cash").run()
    at.text_input(key="reg_paid").input("50000").run()
    at.selectbox(key="reg_payment").set_value("QRIS").run()
    assert "reg_paid" not in [n.key for n in at.text_input]

    click(at, "reg_complete")

    [sale] = all_sales(app_db)
    assert (sale.payment_method, sale.amount_paid) == ("QRIS", 85_000)


def test_receipt_download_and_wa_link_follow_a_customer_sale(
    app_db, ui_admin, catalogue
):
    at = open_register(ui_admin)
    as_customer(at, ARIF, "+62 812-9876-0001")
    pick(at, catalogue["GPT"])

    click(at, "reg_complete")

    [sale] = all_sales(app_db)
    [download] = at.get("download_button")
    assert download.proto.label == "Unduh struk"
    frame = next(e for e in at.main if getattr(e, "type", "") == "iframe")
    shown = base64.b64decode(frame.proto.src.split(",", 1)[1]).decode()
    assert sale.invoice_no in shown and "Rp85.000" in shown
    link = wa_link(at)
    assert link.startswith("https://wa.me/6281298760001?text=")
    assert f"Struk {sale.invoice_no}" in unquote(link)


def test_a_walk_in_sale_has_a_receipt_but_no_wa_link(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    assert at.radio(key="reg_kind").value == "umum"
    assert "reg_phone" not in [t.key for t in at.text_input]
    pick(at, catalogue["GPT"])

    click(at, "reg_complete")

    [sale] = all_sales(app_db)
    assert (sale.customer_id, sale.customer_phone) == (None, None)
    assert sale.lines[0].subscription is None
    assert at.get("download_button")
    assert not [b for b in at.get("link_button") if "WA" in b.proto.label]


def test_switching_to_a_marketplace_drops_the_phone(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    as_customer(at, "qkuswandari", ARIF_PHONE)
    pick(at, catalogue["VID"])
    at.radio(key="reg_kind").set_value("platform").run()
    at.selectbox(key="reg_platform").set_value(platform_id(app_db, "Shopee")).run()
    at.selectbox(key="reg_payment").set_value("Saldo Shopee").run()
    assert "reg_line_duration_months_0" not in [n.key for n in at.text_input]

    click(at, "reg_complete")

    [sale] = all_sales(app_db)
    assert (sale.platform.name, sale.customer_name) == ("Shopee", "qkuswandari")
    assert (sale.customer_phone, sale.lines[0].subscription) == (None, None)
    assert not [b for b in at.get("link_button") if "WA" in b.proto.label]


def test_a_known_number_fills_the_customers_name(app_db, ui_admin, catalogue):
    record(app_db, ui_admin, [(catalogue["GPT"], 1, 1)])
    at = open_register(ui_admin)
    at.radio(key="reg_kind").set_value("pelanggan").run()

    at.text_input(key="reg_phone").input("+62 812 9876 0001").run()

    assert at.text_input(key="reg_name").value == ARIF
    assert f"Pelanggan lama: {ARIF}" in texts(at)


def test_each_line_subtotal_and_the_total_follow_the_lines(ui_admin, catalogue):
    at = open_register(ui_admin)
    pick(at, catalogue["NFX"])
    pick(at, catalogue["CNV"])
    at.text_input(key="reg_line_qty_0").input("2").run()
    at.text_input(key="reg_line_discount_0").input("5000").run()
    assert "**Rp85.000**" in texts(at)  # 2 × Rp45.000 − Rp5.000
    assert "Total: Rp115.000" in texts(at)

    click(at, "reg_line_remove_0")

    assert "Total: Rp30.000" in texts(at)
    assert "Netflix Premium" not in texts(at)
    assert at.text_input(key="reg_line_qty_0").value == "1"


def test_a_discount_above_price_times_qty_is_named_and_refused(
    app_db, ui_admin, catalogue
):
    at = open_register(ui_admin)
    pick(at, catalogue["GPT"])
    at.text_input(key="reg_line_discount_0").input("90000").run()
    assert "Baris 1: Diskon Rp90.000 harus antara Rp0" in at.warning[0].value

    click(at, "reg_complete")

    assert "Diskon Rp90.000" in at.error[0].value
    assert all_sales(app_db) == []


@pytest.mark.parametrize("phone", ["0812-ABCD-7890", "021-5550123", "0812"])
def test_a_bad_phone_is_refused_and_the_typing_kept(app_db, ui_admin, catalogue, phone):
    at = open_register(ui_admin)
    as_customer(at, ARIF, phone)
    pick(at, catalogue["GPT"])

    click(at, "reg_complete")

    assert len(at.error) == 1
    assert f"Nomor '{phone}'" in at.error[0].value
    assert all_sales(app_db) == []
    assert at.text_input(key="reg_phone").value == phone
    assert at.date_input(key="reg_date").value == PAPER_DAY


def test_a_draft_handed_over_by_another_page_is_loaded_whole(
    app_db, ui_admin, catalogue
):
    at = open_register(ui_admin)
    handed = register.Draft(
        platform_id=platform_id(app_db, "Non Platform"),
        customer_name=ARIF,
        customer_phone=ARIF_PHONE,
        lines=[register.DraftLine(product_id=catalogue["GPT"], duration_months=6)],
        client_token="",
    ).to_dict() | {"renews_subscription_id": 7}
    handed.pop("client_token")
    at.session_state["register_prefill"] = handed
    at.run()

    draft = at.session_state[DRAFT]
    assert draft["renews_subscription_id"] == 7
    assert register.Draft.from_dict(draft).client_token
    assert at.text_input(key="reg_name").value == ARIF
    assert at.text_input(key="reg_line_duration_months_0").value == "6"


def test_the_draft_survives_a_visit_to_another_page(ui_admin, catalogue):
    at = open_register(ui_admin)
    as_customer(at, ARIF, ARIF_PHONE)
    pick(at, catalogue["GPT"])

    at.switch_page("pages/history.py").run()
    at.switch_page(REGISTER).run()

    assert at.text_input(key="reg_name").value == ARIF
    assert at.date_input(key="reg_date").value == PAPER_DAY
    assert "ChatGPT Plus" in texts(at)


def test_page_without_active_products_points_to_the_catalogue(ui_admin):
    at = open_register(ui_admin)

    assert "Belum ada produk aktif" in texts(at)
    assert {button.key for button in at.button} <= {"app_sign_out"}


def test_management_cannot_sell(app_db, ui_admin, ui_manager, catalogue):
    at = open_app(ui_manager)
    with pytest.raises(ValueError):
        at.switch_page(REGISTER)

    # Even run directly, with a forged draft handed in, the page refuses.
    page = AppTest.from_file(str(REPO / REGISTER), default_timeout=TIMEOUT)
    sign_in_tab(page, ui_manager)
    page.session_state["register_prefill"] = {"lines": [{"product_id": 1}]}
    page.run()
    assert [e.value for e in page.error] == ["Halaman ini hanya untuk admin."]
    assert not page.button

    # And the domain refuses the call a forged request would make.
    draft = register.Draft(
        platform_id=platform_id(app_db, "Non Platform"),
        walk_in=True,
        payment_method="QRIS",
        lines=[register.DraftLine(product_id=catalogue["GPT"])],
    ).to_dict()
    for action in (register.complete_sale, register.hold_sale):
        with pytest.raises(PermissionDenied), app_db.transaction() as session:
            action(session, ui_manager, draft)
    assert all_sales(app_db) == []
    with app_db.transaction() as session:
        assert session.query(HeldSale).count() == 0


def messages(at: AppTest) -> list[str]:
    return [str(m.value) for m in (*at.error, *at.warning)]


@pytest.mark.parametrize(
    ("key", "typed", "refusal"),
    [
        ("reg_line_qty_0", "0", "Baris 1: Jumlah harus 1–10000, bukan 0."),
        ("reg_line_qty_0", "10001", "Baris 1: Jumlah harus 1–10000, bukan 10001."),
        ("reg_line_unit_price_0", "-5000", "Baris 1: Harga tidak boleh negatif"),
        ("reg_line_discount_0", "1e15", "Baris 1: Diskon: '1e15' tidak dapat"),
    ],
)
def test_a_number_out_of_range_stays_as_typed_and_is_refused_once(
    app_db, ui_admin, catalogue, key, typed, refusal
):
    at = open_register(ui_admin)
    pick(at, catalogue["GPT"])
    at.text_input(key=key).input(typed).run()
    assert at.text_input(key=key).value == typed
    assert "Total: –" in texts(at)

    click(at, "reg_complete")

    assert all_sales(app_db) == []
    [message] = messages(at)
    assert message.startswith(refusal)
    assert at.text_input(key=key).value == typed


@pytest.mark.parametrize("paid", ["1e15", "Rp 12,5", "-100000"])
def test_cash_typed_as_nonsense_is_refused_not_read_as_another_amount(
    app_db, ui_admin, catalogue, paid
):
    at = open_register(ui_admin)
    pick(at, catalogue["GPT"])
    at.selectbox(key="reg_payment").set_value("Cash").run()
    at.text_input(key="reg_paid").input(paid).run()
    assert "Kembalian" not in texts(at)

    click(at, "reg_complete")

    assert all_sales(app_db) == []
    [message] = messages(at)
    assert message.startswith("Dibayar")
    assert at.text_input(key="reg_paid").value == paid


def test_typed_cash_in_rupiah_style_is_recorded_as_shown(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    pick(at, catalogue["GPT"])
    at.text_input(key="reg_line_qty_0").input("3").run()
    at.selectbox(key="reg_payment").set_value("Cash").run()
    at.text_input(key="reg_paid").input("Rp 300.000").run()
    assert "Kembalian: Rp45.000" in texts(at)

    click(at, "reg_complete")

    [sale] = all_sales(app_db)
    assert (sale.lines[0].qty, sale.amount_paid, sale.change) == (3, 300_000, 45_000)


def with_number_and_cash(ui_admin, catalogue) -> AppTest:
    """A customer sale with a WhatsApp number and Rp100.000 cash typed."""
    at = open_register(ui_admin)
    as_customer(at, ARIF, ARIF_PHONE)
    pick(at, catalogue["GPT"])
    at.selectbox(key="reg_payment").set_value("Cash").run()
    at.text_input(key="reg_paid").input("100000").run()
    return at


def test_switching_buyer_or_method_back_keeps_what_was_typed(
    app_db, ui_admin, catalogue
):
    at = with_number_and_cash(ui_admin, catalogue)

    at.radio(key="reg_kind").set_value("platform").run()
    at.selectbox(key="reg_payment").set_value("QRIS").run()
    at.radio(key="reg_kind").set_value("pelanggan").run()
    at.selectbox(key="reg_payment").set_value("Cash").run()

    assert at.text_input(key="reg_phone").value == ARIF_PHONE
    assert at.text_input(key="reg_paid").value == "100000"


def test_a_walk_in_sale_never_sends_a_number_typed_before_switching(
    app_db, ui_admin, catalogue
):
    at = with_number_and_cash(ui_admin, catalogue)
    at.radio(key="reg_kind").set_value("umum").run()
    at.selectbox(key="reg_payment").set_value("QRIS").run()

    click(at, "reg_complete")

    [sale] = all_sales(app_db)
    assert (sale.customer_phone, sale.customer_id) == (None, None)
    assert (sale.payment_method, sale.amount_paid) == ("QRIS", 85_000)


def held_version_edited_elsewhere(app_db, ui_admin, catalogue) -> tuple:
    """Two tabs open T-000001; the other tab changes it to 2 × and holds it."""
    at, other_tab, parked = open_in_two_tabs(app_db, ui_admin, catalogue["GPT"])
    other_tab.text_input(key="reg_line_qty_0").input("2").run()
    click(other_tab, "reg_hold")
    return at, parked


def test_a_stale_held_copy_is_dropped_when_the_latest_is_resumed(
    app_db, ui_admin, catalogue
):
    at, parked = held_version_edited_elsewhere(app_db, ui_admin, catalogue)
    click(at, "reg_complete")
    assert "sudah diubah oleh admin" in at.error[0].value

    click(at, f"reg_resume_{parked.id}")

    assert not at.error
    assert "Perubahan di kasir ini tidak disimpan." in at.info[0].value
    assert at.text_input(key="reg_line_qty_0").value == "2"
    [kept] = held(app_db)
    assert (kept.lines, kept.total) == (("ChatGPT Plus × 2",), 170_000)
    click(at, "reg_complete")
    [sale] = all_sales(app_db)
    assert sale.total == 170_000


def test_a_held_copy_completed_elsewhere_does_not_block_another(
    app_db, ui_admin, catalogue
):
    at = open_register(ui_admin)
    pick(at, catalogue["GPT"])
    click(at, "reg_hold")
    pick(at, catalogue["NFX"])
    click(at, "reg_hold")
    first, second = held(app_db)
    click(at, f"reg_resume_{first.id}")
    other_tab = open_register(ui_admin)
    click(other_tab, f"reg_resume_{first.id}")
    click(other_tab, "reg_complete")

    click(at, f"reg_resume_{second.id}")

    assert "sudah diselesaikan oleh admin" in at.info[0].value
    assert at.session_state[DRAFT]["held_id"] == second.id
    assert [s.total for s in all_sales(app_db)] == [85_000]


def test_a_click_on_a_held_row_gone_meanwhile_says_why(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    pick(at, catalogue["GPT"])
    click(at, "reg_hold")
    [parked] = held(app_db)
    other_tab = open_register(ui_admin)
    click(other_tab, f"reg_cancel_{parked.id}")

    click(at, f"reg_resume_{parked.id}")

    assert [w.value for w in at.warning] == [
        "Penjualan tahan T-000001 sudah dibatalkan oleh admin."
    ]


def test_clearing_the_counter_asks_first_when_it_has_lines(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    pick(at, catalogue["GPT"])
    click(at, "reg_clear")
    assert "Kosongkan kasir?" in at.warning[0].value
    click(at, "reg_clear_no")
    assert at.text_input(key="reg_line_qty_0").value == "1"

    click(at, "reg_clear")
    click(at, "reg_clear_yes")

    assert at.session_state[DRAFT]["lines"] == []
    assert "Kasir dikosongkan." in texts(at)
    assert held(app_db) == [] and all_sales(app_db) == []


def test_clearing_a_resumed_sale_keeps_it_held(app_db, ui_admin, catalogue):
    at = open_register(ui_admin)
    at.text_input(key="reg_name").input("Bu Sari").run()
    click(at, "reg_hold")
    [parked] = held(app_db)
    click(at, f"reg_resume_{parked.id}")

    click(at, "reg_clear")  # no lines: no question

    assert at.session_state[DRAFT]["customer_name"] == ""
    assert [h.id for h in held(app_db)] == [parked.id]


def test_the_receipt_prints_from_its_frame_and_folds_for_the_next_sale(
    app_db, ui_admin, catalogue
):
    at = open_register(ui_admin)
    pick(at, catalogue["GPT"])
    click(at, "reg_complete")
    frame = next(e for e in at.main if getattr(e, "type", "") == "iframe")
    shown = base64.b64decode(frame.proto.src.split(",", 1)[1]).decode()
    assert 'onclick="window.print()">Cetak struk</button>' in shown
    assert "@media print { .print-button { display: none; } }" in shown
    assert at.expander[0].proto.expanded

    pick(at, catalogue["NFX"])
    assert not at.expander[0].proto.expanded
    at.text_input(key="reg_line_qty_0").input("2").run()
    assert not at.expander[0].proto.expanded

    click(at, "reg_complete")  # the next sale's receipt opens again

    assert at.expander[0].proto.expanded


def test_stored_text_is_not_read_as_math_or_colour(app_db, ui_admin, catalogue):
    record(app_db, ui_admin, [(catalogue["GPT"], 1, 1)], customer_name="$x^2$")
    at = open_register(ui_admin)
    at.text_input(key="reg_name").input(":red[Bu Sari]").run()
    pick(at, catalogue["GPT"])
    click(at, "reg_hold")
    at.radio(key="reg_kind").set_value("pelanggan").run()
    at.text_input(key="reg_phone").input(ARIF_PHONE).run()

    shown = texts(at)
    assert "\\:red\\[Bu Sari\\]" in shown
    assert "Pelanggan lama: \\$x^2\\$" in shown
