"""Receipts: what they show, and that stored text can never become markup."""

import datetime as dt
from urllib.parse import unquote

import pytest

from office_core import receipts
from office_core.errors import ValidationError
from office_core.models import Platform, Sale, SaleLine

HOSTILE = '<script>alert("x")</script>&<b>'


def make_sale(marketplace=False, **values) -> Sale:
    platform = Platform(name="Shopee" if marketplace else "Non Platform")
    platform.is_marketplace = marketplace
    values.setdefault("customer_name", "Pak Arif")
    values.setdefault("customer_phone", None if marketplace else "+6281298760001")
    values.setdefault("notes", "")
    values.setdefault("status", "completed")
    sale = Sale(
        invoice_no="DW250900012",
        sold_on=dt.date(2025, 9, 7),
        payment_method="Cash",
        total=165_000,
        amount_paid=200_000,
        **values,
    )
    sale.platform = platform
    sale.lines = [
        SaleLine(
            position=1,
            product_name="ChatGPT Plus",
            unit_price=85_000,
            qty=1,
            discount=0,
            subtotal=85_000,
            duration_months=None if marketplace else 3,
        ),
        SaleLine(
            position=2,
            product_name="Jasa Website",
            unit_price=45_000,
            qty=2,
            discount=10_000,
            subtotal=80_000,
            duration_months=None,
        ),
    ]
    return sale


def test_receipt_page_shows_number_date_lines_and_payment():
    page = receipts.receipt_html(make_sale(), "Dwigital")

    assert page.startswith("<!DOCTYPE html>")
    for shown in [
        "<title>Struk DW250900012</title>",
        "<h1>Dwigital</h1>",
        "No faktur: DW250900012",
        "Tanggal: 07 September 2025",
        "WhatsApp: 0812-9876-0001",
        "1 × Rp85.000",
        "2 × Rp45.000, diskon Rp10.000",
        "3 bulan, s.d. 07 Desember 2025",
        "Rp165.000",
        "Dibayar (Cash)",
        "Rp200.000",
        "Kembalian",
        "Rp35.000",
    ]:
        assert shown in page
    assert "DIBATALKAN" not in page
    assert "http" not in page  # nothing loaded from elsewhere when printing


def test_every_stored_text_on_the_receipt_page_is_escaped():
    sale = make_sale(customer_name=HOSTILE, notes=HOSTILE)
    sale.payment_method = HOSTILE
    sale.lines[0].product_name = HOSTILE

    page = receipts.receipt_html(sale, HOSTILE)
    places = 5  # business, customer, product, payment method, notes

    assert "<script>" not in page
    assert "<b>" not in page
    assert (
        page.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;") == places
    )


def test_a_voided_sale_prints_as_cancelled():
    sale = make_sale()
    sale.status = "void"

    assert "DIBATALKAN" in receipts.receipt_html(sale, "Dwigital")


def test_receipt_text_summarises_the_sale_for_whatsapp():
    text = receipts.receipt_text(make_sale(), "Dwigital")

    assert text.splitlines()[:4] == [
        "*Dwigital*",
        "Struk DW250900012",
        "Tanggal: 07 September 2025",
        "Pelanggan: Pak Arif",
    ]
    assert "1. ChatGPT Plus (3 bulan, s.d. 07 Desember 2025)" in text
    assert "2 × Rp45.000 − diskon Rp10.000 = Rp80.000" in text
    assert "Total: Rp165.000" in text
    assert "Kembalian: Rp35.000" in text


def test_exact_payment_shows_no_change():
    sale = make_sale()
    sale.amount_paid = sale.total

    assert "Kembalian" not in receipts.receipt_text(sale)


def test_whatsapp_receipt_link_opens_the_customers_chat_with_the_summary():
    sale = make_sale(customer_name="Bu Sari & Co #1")

    link = receipts.receipt_whatsapp_link(sale, "Dwigital")

    assert link.startswith("https://wa.me/6281298760001?text=")
    text = link.split("?text=", 1)[1]
    assert "&" not in text and "#" not in text and " " not in text
    assert unquote(text) == receipts.receipt_text(sale, "Dwigital")


def test_whatsapp_receipt_is_only_for_non_platform_customers():
    with pytest.raises(ValidationError, match="hanya untuk pelanggan non-platform"):
        receipts.receipt_whatsapp_link(make_sale(marketplace=True))


def test_a_voided_sale_is_marked_and_not_sent_by_whatsapp():
    sale = make_sale(status="void")

    assert '<p class="void">DIBATALKAN</p>' in receipts.receipt_html(sale, "Dwigital")
    assert receipts.receipt_text(sale, "Dwigital").startswith("*DIBATALKAN*\n")
    assert "DIBATALKAN" not in receipts.receipt_text(make_sale(), "Dwigital")
    with pytest.raises(ValidationError, match="dibatalkan"):
        receipts.receipt_whatsapp_link(sale, "Dwigital")
