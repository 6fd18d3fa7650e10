"""Walk-in sales, finding customers and sales by what the counter types, receipts."""

import pytest

from office_core import customers, receipts, register, sales
from office_core.errors import NotFound, ValidationError
from tests.integration.test_register import new_draft, run

ARIF_PHONE = "0812-9876-0001"


def complete(db, admin, draft: dict) -> sales.Sale:
    return run(db, register.complete_sale, admin, draft)


def test_a_walk_in_sale_has_no_customer_no_duration_and_no_subscription(
    db, admin, catalogue, channels
):
    draft = new_draft(
        channels, [{"product_id": catalogue["GPT"], "duration_months": 3}],
        walk_in=True,
    )  # fmt: skip

    sale = complete(db, admin, draft)

    found = run(db, sales.sale_by_invoice, sale.invoice_no)
    assert (found.customer_id, found.customer_phone, found.customer_name) == (
        None, None, "",
    )  # fmt: skip
    assert [line.duration_months for line in found.lines] == [None]
    assert [line.subscription for line in found.lines] == [None]
    assert found.total == 85_000


@pytest.mark.parametrize(
    "walk_in, channel", [(True, "Non Platform"), (False, "Shopee")]
)
def test_a_walk_in_or_marketplace_sale_keeps_no_number_and_no_customer(
    db, admin, catalogue, channels, walk_in, channel
):
    draft = new_draft(
        channels, [{"product_id": catalogue["GPT"]}], channel,
        walk_in=walk_in, customer_phone=ARIF_PHONE, payment_method="QRIS",
    )  # fmt: skip

    sale = run(db, sales.sale_by_invoice, complete(db, admin, draft).invoice_no)

    assert (sale.customer_phone, sale.customer_id) == (None, None)
    assert [line.subscription for line in sale.lines] == [None]


def test_a_customer_sale_still_needs_a_name_and_a_number(
    db, admin, catalogue, channels
):
    draft = new_draft(channels, [{"product_id": catalogue["GPT"]}])

    with pytest.raises(ValidationError, match="Nama pelanggan wajib diisi"):
        complete(db, admin, draft)


def history_row(db, sale) -> tuple[int, int, int]:
    frame = run(db, sales.list_history, sales.SaleFilter())
    row = frame[frame["sale_id"] == sale.id].iloc[0]
    return int(row["line_id"]), int(row["sale_id"]), int(row["version"])


def edit(db, admin, sale, values: dict) -> None:
    state = {"edited_rows": {0: values}, "added_rows": [], "deleted_rows": []}
    run(db, sales.apply_history_grid, admin, [history_row(db, sale)], state)


def test_a_walk_in_sale_keeps_its_notes_editable_and_gains_a_customer_by_number(
    db, admin, catalogue, channels
):
    draft = new_draft(channels, [{"product_id": catalogue["CNV"]}], walk_in=True)
    sale = complete(db, admin, draft)

    edit(db, admin, sale, {"notes": "bayar di toko"})
    assert run(db, sales.sale_by_invoice, sale.invoice_no).customer_id is None
    with pytest.raises(ValidationError, match="pelanggan dengan nomor WA"):
        edit(db, admin, sale, {"duration_months": 3})

    edit(db, admin, sale, {"customer_name": "Bu Sari", "customer_phone": ARIF_PHONE})
    found = run(db, sales.sale_by_invoice, sale.invoice_no)
    assert (found.customer_name, found.customer_phone) == ("Bu Sari", "+6281298760001")
    # The catalogue's 12 months now start a subscription.
    assert [line.subscription.months for line in found.lines] == [12]


def test_a_customer_is_found_by_any_spelling_of_their_number(
    db, admin, catalogue, channels
):
    draft = new_draft(
        channels, [{"product_id": catalogue["GPT"]}],
        customer_name="Pak Arif", customer_phone=ARIF_PHONE,
    )  # fmt: skip
    complete(db, admin, draft)

    for typed in ("+62 812 9876 0001", "6281298760001", "081298760001"):
        assert run(db, customers.find_customer, typed).name == "Pak Arif"
    for typed in ("", "0812", "081298760002", "abc"):
        assert run(db, customers.find_customer, typed) is None


@pytest.mark.parametrize("number", ["DW999900001", "", "' OR 1=1 --", "x" * 500])
def test_an_unknown_invoice_number_is_refused_by_name(db, number):
    with pytest.raises(NotFound, match="tidak ditemukan"):
        run(db, sales.sale_by_invoice, number)


def test_the_receipt_of_a_customer_sale_carries_its_wa_link(
    db, admin, catalogue, channels
):
    draft = new_draft(
        channels, [{"product_id": catalogue["GPT"], "qty": 2}],
        customer_name="Pak Arif", customer_phone=ARIF_PHONE,
        payment_method="Cash", amount_paid=200_000,
    )  # fmt: skip
    sale = complete(db, admin, draft)

    shown = run(db, receipts.receipt, sale.id)

    assert (shown.invoice_no, shown.total, shown.change) == (
        sale.invoice_no, 170_000, 30_000,
    )  # fmt: skip
    assert sale.invoice_no in shown.html and "Rp170.000" in shown.html
    assert shown.whatsapp_link.startswith("https://wa.me/6281298760001?text=")
    assert sale.invoice_no in shown.whatsapp_link


@pytest.mark.parametrize(
    "channel, walk_in", [("Shopee", False), ("Non Platform", True)]
)
def test_a_receipt_without_a_customer_number_has_no_wa_link(
    db, admin, catalogue, channels, channel, walk_in
):
    draft = new_draft(
        channels, [{"product_id": catalogue["NFX"]}], channel, walk_in=walk_in
    )
    sale = complete(db, admin, draft)

    shown = run(db, receipts.receipt, sale.id)

    assert shown.whatsapp_link is None
    assert "Umum" in shown.html or channel == "Shopee"
