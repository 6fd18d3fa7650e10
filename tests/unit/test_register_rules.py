"""The register's pure rules: line and sale arithmetic, drafts, held-sale states."""

import datetime as dt
import json
from dataclasses import fields
from decimal import Decimal

import pytest

from office_core import register, sales, settings
from office_core.errors import HeldSaleUnavailable, ValidationError
from office_core.models import HeldSale, Sale
from office_core.register import Draft, DraftLine


@pytest.mark.parametrize(
    "price, qty, discount, subtotal",
    [
        (45_000, 1, 0, 45_000),
        (45_000, 3, 5_000, 130_000),
        (85_000, 2, 170_000, 0),
        (0, 5, 0, 0),
        (999_999, 10_000, 1, 9_999_989_999),
    ],
)
def test_line_subtotal_is_price_times_qty_minus_discount(
    price, qty, discount, subtotal
):
    assert sales.line_subtotal(price, qty, discount) == subtotal
    assert sales.line_total(price, qty, discount) == subtotal


@pytest.mark.parametrize("discount", [-1, 90_001])
def test_discount_must_stay_between_zero_and_price_times_qty(discount):
    with pytest.raises(ValidationError, match="Diskon"):
        sales.line_subtotal(45_000, 2, discount)


def test_typed_line_values_are_read_like_the_counter_types_them():
    assert sales.line_total("Rp 45.000", "2", "5rb") == 85_000
    for qty in (0, -1, "1,5", "dua", 10_001):
        with pytest.raises(ValidationError, match="Jumlah"):
            sales.line_total(45_000, qty, 0)
    with pytest.raises(ValidationError, match="Harga"):
        sales.line_total(None, 1, 0)


def test_draft_total_is_the_sum_of_its_lines():
    draft = Draft(
        lines=[
            DraftLine(1, qty=2, unit_price=45_000, discount=5_000),
            DraftLine(2, qty="1", unit_price="Rp 85.000"),
            DraftLine(3, qty=3, unit_price=0),
        ]
    )

    assert register.draft_total(draft) == 170_000
    assert register.draft_total(Draft()) == 0


@pytest.mark.parametrize(
    "line",
    [
        DraftLine(1, unit_price=None),
        DraftLine(1, unit_price=45_000, qty="dua"),
        DraftLine(1, unit_price=45_000, discount=50_000),
    ],
)
def test_a_draft_with_a_line_not_priced_yet_has_no_total(line):
    assert register.draft_total(Draft(lines=[DraftLine(2, unit_price=1), line])) is None


@pytest.mark.parametrize(
    "paid, total, change", [(100_000, 90_000, 10_000), (90_000, 90_000, 0), (0, 5, 0)]
)
def test_change_is_paid_minus_total_never_negative(paid, total, change):
    assert Sale(amount_paid=paid, total=total).change == change


def test_a_draft_survives_the_trip_through_json_intact():
    draft = Draft(
        platform_id=5,
        sold_on=dt.date(2025, 9, 7),
        customer_name="Pak Arif <Wibowo>",
        customer_phone="0812-9876-0001",
        payment_method="Cash",
        amount_paid="Rp 200.000",
        notes="bayar di muka",
        lines=[
            DraftLine(3, "ChatGPT Plus", 2, 85_000, "5rb", 3),
            DraftLine(None, "", "1", None, 0, None),
        ],
    )

    stored = json.loads(json.dumps(draft.to_dict()))

    assert Draft.from_dict(stored) == draft


def test_every_new_draft_gets_its_own_token():
    first, second = Draft(), Draft()

    assert first.client_token != second.client_token
    assert Draft.from_dict({}).client_token  # a page that forgot it gets one


def test_a_draft_turns_into_exactly_what_record_sale_takes():
    draft = Draft(
        platform_id=5,
        customer_name="Bu Sari",
        customer_phone="0813",
        lines=[DraftLine(3, "Nama yang diketik", 2, 85_000, 1_000, 6)],
    )

    sale = draft.to_sale_draft()

    assert {f.name for f in fields(DraftLine)} == {
        f.name for f in fields(sales.LineDraft)
    }
    assert sale.lines == [sales.LineDraft(3, 2, 85_000, 1_000, 6, None)]
    assert (sale.platform_id, sale.customer_name, sale.customer_phone) == (
        5,
        "Bu Sari",
        "0813",
    )


@pytest.mark.parametrize("sent, walk_in", [(True, True), ("true", False), (1, False)])
def test_only_a_true_walk_in_flag_makes_a_walk_in_sale(sent, walk_in):
    draft = Draft.from_dict({"platform_id": 5, "walk_in": sent})

    assert draft.walk_in is walk_in
    assert draft.to_sale_draft().walk_in is walk_in
    assert Draft.from_dict(json.loads(json.dumps(draft.to_dict()))) == draft


def test_a_draft_without_a_platform_cannot_be_recorded():
    with pytest.raises(ValidationError, match="Pilih platform"):
        Draft(lines=[DraftLine(1)]).to_sale_draft()


def test_reading_a_draft_keeps_unfinished_values_as_typed():
    draft = Draft.from_dict(
        {
            "platform_id": "5",
            "sold_on": "07/09/2025",
            "amount_paid": 150000.0,
            "unknown": "ignored",
            "lines": [
                {"product_id": "abc", "qty": " 2 ", "discount": Decimal("1000")},
                {"product_id": 4, "qty": 1.5, "unit_price": float("nan")},
            ],
        }
    )

    assert (draft.platform_id, draft.sold_on) == (5, dt.date(2025, 9, 7))
    assert draft.amount_paid == 150_000
    assert draft.lines[0] == DraftLine(None, "", "2", None, 1000, None)
    assert (draft.lines[1].qty, draft.lines[1].unit_price) == ("1.5", "nan")
    assert Draft.from_dict({"sold_on": "kemarin"}).sold_on == "kemarin"


@pytest.mark.parametrize(
    "data, message",
    [
        ("bukan draf", "Draf penjualan tidak terbaca"),
        ({"lines": ["x"]}, "Baris penjualan tidak terbaca"),
        ({"lines": [{}] * 101}, "paling banyak 100 baris"),
        ({"customer_name": "a" * 161}, "customer_name terlalu panjang"),
        ({"notes": "a" * 501}, "notes terlalu panjang"),
        ({"client_token": "<script>"}, "Formulir penjualan tidak sah"),
    ],
)
def test_a_forged_or_oversized_draft_is_refused(data, message):
    with pytest.raises(ValidationError, match=message):
        Draft.from_dict(data)


def test_a_draft_is_empty_until_something_is_typed():
    assert Draft(platform_id=5, payment_method="Cash").is_empty()
    assert not Draft(customer_name="Sari").is_empty()
    assert not Draft(lines=[DraftLine()]).is_empty()


def held(status: str, **values) -> HeldSale:
    return HeldSale(id=123, status=status, updated_by="rina", **values)


def test_only_a_held_sale_can_be_resumed_changed_or_completed():
    assert register.check_held(held(register.HELD)).status == register.HELD

    with pytest.raises(HeldSaleUnavailable) as done:
        register.check_held(held(register.COMPLETED), "DW250900012")
    assert done.value.message == (
        "Penjualan tahan T-000123 sudah diselesaikan oleh rina dengan no faktur "
        "DW250900012. Tidak dicatat dua kali."
    )
    with pytest.raises(HeldSaleUnavailable) as cancelled:
        register.check_held(held(register.CANCELLED))
    assert cancelled.value.message == (
        "Penjualan tahan T-000123 sudah dibatalkan oleh rina."
    )


def test_a_held_sale_changed_since_it_was_opened_is_named_in_the_refusal():
    message = register.refusal(held(register.HELD))

    assert message.startswith("Penjualan tahan T-000123 sudah diubah oleh rina")


@pytest.mark.parametrize("prefix", ["DW", "INV-", "TOKO/01", "A", "ABCDEFGHIJ"])
def test_invoice_prefix_may_use_letters_digits_dash_and_slash(prefix):
    assert settings.check_invoice_prefix(f" {prefix} ") == prefix


@pytest.mark.parametrize("prefix", ["", " ", "DW 01", "<b>", "ABCDEFGHIJK", "D#"])
def test_invoice_prefix_that_breaks_a_number_is_refused(prefix):
    with pytest.raises(ValidationError, match="Awalan nomor faktur"):
        settings.check_invoice_prefix(prefix)
