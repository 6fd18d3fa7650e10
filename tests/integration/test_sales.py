"""Recording, correcting and voiding sales on every supported database."""

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from office_core import dashboard, monitoring, products, sales
from office_core.errors import (
    InvalidDuration,
    InvalidPhoneNumber,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from office_core.models import AuditEntry, Platform, Sale, Subscription

PAPER_DAY = dt.date(2025, 9, 7)
ALL_STATUSES = monitoring.MonitorFilter(statuses=monitoring.STATUSES)


def platform(db, name: str) -> int:
    with db.transaction() as session:
        return session.scalar(select(Platform.id).where(Platform.name == name))


def draft(db, lines, channel="Non Platform", **header) -> sales.SaleDraft:
    """Build a sale; `lines` are LineDraft keyword dicts."""
    header.setdefault("sold_on", PAPER_DAY)
    header.setdefault("payment_method", "QRIS")
    if channel == "Non Platform":
        header.setdefault("customer_name", "Pak Arif Wibowo")
        header.setdefault("customer_phone", "081298760001")
    return sales.SaleDraft(
        platform_id=platform(db, channel),
        lines=[sales.LineDraft(**line) for line in lines],
        **header,
    )


def record(db, actor, sale_draft: sales.SaleDraft) -> Sale:
    with db.transaction() as session:
        sale = sales.record_sale(session, actor, sale_draft)
        for line in sale.lines:
            _ = line.subscription
        return sale


def sale_count(db) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count(Sale.id)))


def reload(db, sale_id: int) -> Sale:
    with db.transaction() as session:
        sale = session.get(Sale, sale_id)
        for line in sale.lines:
            _ = line.subscription
        return sale


def grid_rows(db, filters=None) -> list[tuple[int, int, int]]:
    with db.transaction() as session:
        frame = sales.list_history(session, filters or sales.SaleFilter())
    return list(zip(frame.line_id, frame.sale_id, frame.version, strict=True))


def correct(db, actor, edited_rows: dict, rows=None) -> int:
    rows = rows if rows is not None else grid_rows(db)
    with db.transaction() as session:
        return sales.apply_history_grid(
            session, actor, rows, {"edited_rows": edited_rows}
        )


def test_total_is_the_sum_of_line_subtotals(db, admin, catalogue):
    sale = record(
        db,
        admin,
        draft(
            db,
            [
                {"product_id": catalogue["NFX"], "qty": 2, "discount": "Rp 5.000"},
                {"product_id": catalogue["CNV"], "unit_price": 25_000},
                {"product_id": catalogue["GPT"], "qty": "3", "discount": 55_000},
            ],
        ),
    )

    assert [line.subtotal for line in sale.lines] == [85_000, 25_000, 200_000]
    assert sale.total == sale.amount_paid == 310_000
    assert [line.position for line in sale.lines] == [1, 2, 3]


def test_discount_may_reach_but_not_pass_price_times_qty(db, admin, catalogue):
    free = record(
        db, admin, draft(db, [{"product_id": catalogue["NFX"], "discount": 45_000}])
    )
    assert free.total == 0

    for discount, message in [(45_001, "Diskon Rp45.001"), (-1, "tidak boleh negatif")]:
        line = {"product_id": catalogue["NFX"], "discount": discount}
        with pytest.raises(ValidationError, match=message) as refused:
            record(db, admin, draft(db, [line]))
        assert refused.value.message.startswith("Baris 1: ")
    assert sale_count(db) == 1


@pytest.mark.parametrize("qty", [0, -1, "dua", 10_001])
def test_quantity_must_be_a_whole_number_from_1(db, admin, catalogue, qty):
    with pytest.raises(ValidationError, match="Jumlah"):
        record(db, admin, draft(db, [{"product_id": catalogue["NFX"], "qty": qty}]))
    assert sale_count(db) == 0


def test_a_sale_needs_a_line_and_a_known_product(db, admin, catalogue):
    with pytest.raises(ValidationError, match="minimal satu baris"):
        record(db, admin, draft(db, []))
    with pytest.raises(ValidationError, match="Pilih produk dari katalog"):
        record(db, admin, draft(db, [{"product_id": 999_999}]))
    assert sale_count(db) == 0


def test_invoice_numbers_are_unique_and_increasing(db, admin, catalogue):
    line = {"product_id": catalogue["NFX"]}
    numbers = [record(db, admin, draft(db, [line])).invoice_no for _ in range(4)]

    assert len(set(numbers)) == 4
    assert numbers == sorted(numbers)
    assert all(re.fullmatch(r"DW\d{4}\d{5}", number) for number in numbers)
    sequences = [int(number[-5:]) for number in numbers]
    assert sequences == list(range(sequences[0], sequences[0] + 4))


@pytest.mark.parametrize(
    "phone", ["", "0812", "0812-ABCD-7890", "021-5550123", "+1 415 555 2671"]
)
def test_non_platform_sale_needs_a_valid_mobile_number(db, admin, catalogue, phone):
    sale_draft = draft(db, [{"product_id": catalogue["GPT"]}], customer_phone=phone)

    with pytest.raises(InvalidPhoneNumber):
        record(db, admin, sale_draft)
    assert sale_count(db) == 0


def test_non_platform_phone_is_stored_in_e164(db, admin, catalogue):
    sale_draft = draft(
        db, [{"product_id": catalogue["GPT"]}], customer_phone="(0812) 9876.0001"
    )

    assert record(db, admin, sale_draft).customer_phone == "+6281298760001"


@pytest.mark.parametrize("months", [0, 37, "2 minggu", -3])
def test_non_platform_duration_must_be_1_to_36_months(db, admin, catalogue, months):
    line = {"product_id": catalogue["GPT"], "duration_months": months}

    with pytest.raises(InvalidDuration):
        record(db, admin, draft(db, [line]))
    assert sale_count(db) == 0


def test_duration_defaults_to_the_product_and_understands_years(db, admin, catalogue):
    sale = record(
        db,
        admin,
        draft(
            db,
            [
                {"product_id": catalogue["CNV"]},
                {"product_id": catalogue["GPT"], "duration_months": "1 tahun"},
                {"product_id": catalogue["NFX"], "duration_months": 36},
            ],
        ),
    )

    assert [line.duration_months for line in sale.lines] == [12, 12, 36]


@pytest.mark.parametrize(
    "sold_on, months, expiry",
    [
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 1, 31), 3, dt.date(2025, 4, 30)),
        (PAPER_DAY, 3, dt.date(2025, 12, 7)),
        (PAPER_DAY, 12, dt.date(2026, 9, 7)),
    ],
)
def test_each_non_platform_line_starts_a_subscription_to_its_expiry(
    db, admin, catalogue, sold_on, months, expiry
):
    line = {"product_id": catalogue["GPT"], "duration_months": months}
    sale = record(db, admin, draft(db, [line], sold_on=sold_on))

    subscription = sale.lines[0].subscription
    assert (subscription.starts_on, subscription.months) == (sold_on, months)
    assert subscription.expires_on == expiry


def test_marketplace_sale_has_no_phone_and_starts_no_subscription(db, admin, catalogue):
    line = {"product_id": catalogue["NFX"], "duration_months": 3}
    sale = record(db, admin, draft(db, [line], "Shopee", customer_name="qkuswandari"))

    assert (sale.customer_name, sale.customer_phone, sale.customer_id) == (
        "qkuswandari",
        None,
        None,
    )
    assert sale.lines[0].duration_months is None
    assert sale.lines[0].subscription is None


def test_cash_paid_below_total_is_refused(db, admin, catalogue):
    short = draft(
        db,
        [{"product_id": catalogue["GPT"]}],
        payment_method="cash",
        amount_paid=80_000,
    )
    with pytest.raises(ValidationError, match="kurang dari total"):
        record(db, admin, short)

    short.amount_paid = "Rp 100.000"
    sale = record(db, admin, short)
    assert (sale.payment_method, sale.amount_paid) == ("Cash", 100_000)


def test_unknown_payment_method_is_refused(db, admin, catalogue):
    sale_draft = draft(db, [{"product_id": catalogue["GPT"]}], payment_method="Kripto")

    with pytest.raises(ValidationError, match="Metode pembayaran 'Kripto'"):
        record(db, admin, sale_draft)


def test_history_grid_corrects_the_duration_and_the_expiry(db, admin, catalogue):
    sale = record(db, admin, draft(db, [{"product_id": catalogue["GPT"]}]))

    assert correct(db, admin, {0: {"duration_months": 3}}) == 1

    corrected = reload(db, sale.id)
    assert corrected.lines[0].duration_months == 3
    assert corrected.lines[0].subscription.expires_on == dt.date(2025, 12, 7)
    assert corrected.version == sale.version + 1
    with db.transaction() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "sale")
        ).all()
    assert actions == ["create", "update"]


def test_history_grid_corrects_the_header_fields(db, admin, catalogue):
    sale = record(db, admin, draft(db, [{"product_id": catalogue["GPT"]}]))

    correct(
        db,
        admin,
        {
            0: {
                "customer_name": "  Pak  Arif W. ",
                "customer_phone": "62 813 1111 2222",
                "payment_method": "transfer bca",
                "notes": "nomor baru",
            }
        },
    )

    corrected = reload(db, sale.id)
    assert corrected.customer_name == "Pak Arif W."
    assert corrected.customer_phone == "+6281311112222"
    assert (corrected.payment_method, corrected.notes) == ("Transfer BCA", "nomor baru")
    assert corrected.lines[0].subscription.customer_id == corrected.customer_id


def test_moving_a_sale_to_a_marketplace_ends_its_subscriptions(db, admin, catalogue):
    sale = record(db, admin, draft(db, [{"product_id": catalogue["CNV"]}]))

    correct(db, admin, {0: {"platform": "tokped"}})

    moved = reload(db, sale.id)
    assert (moved.platform.name, moved.customer_phone) == ("Tokopedia", None)
    assert moved.lines[0].duration_months is None
    with db.transaction() as session:
        assert session.scalar(select(func.count(Subscription.id))) == 0


def test_moving_a_marketplace_sale_to_non_platform_needs_a_number(db, admin, catalogue):
    line = {"product_id": catalogue["CNV"]}
    sale = record(db, admin, draft(db, [line], "Lazada", customer_name="budi"))

    with pytest.raises(InvalidPhoneNumber, match="wajib diisi"):
        correct(db, admin, {0: {"platform": "Non Platform"}})
    correct(
        db, admin, {0: {"platform": "Non Platform", "customer_phone": "0812 1234 5678"}}
    )

    moved = reload(db, sale.id)
    assert moved.lines[0].duration_months == 12  # the product's default
    assert moved.lines[0].subscription.expires_on == dt.date(2026, 9, 7)


def test_an_edit_made_on_a_stale_grid_is_refused(db, admin, catalogue):
    sale = record(db, admin, draft(db, [{"product_id": catalogue["GPT"]}]))
    stale = grid_rows(db)
    correct(db, admin, {0: {"notes": "lebih dulu"}})

    with pytest.raises(ValidationError, match="sudah diubah orang lain"):
        correct(db, admin, {0: {"notes": "belakangan"}}, rows=stale)

    assert reload(db, sale.id).notes == "lebih dulu"


@pytest.mark.parametrize(
    "edit, message",
    [
        ({"total": 1}, "Kolom Total tidak boleh diubah"),
        ({"invoice_no": "X"}, "Kolom No Faktur tidak boleh diubah"),
        ({"subtotal": 1, "notes": "x"}, "Kolom Subtotal tidak boleh diubah"),
        ({"duration_months": 40}, "Durasi harus 1–36 bulan"),
        ({"platform": "Bukalapak"}, "Platform 'Bukalapak' tidak dikenal"),
        ({"payment_method": "Kripto"}, "Metode pembayaran 'Kripto'"),
        ({"customer_name": ""}, "Nama pelanggan wajib diisi"),
    ],
)
def test_history_grid_refuses_bad_or_forbidden_edits(
    db, admin, catalogue, edit, message
):
    sale = record(db, admin, draft(db, [{"product_id": catalogue["GPT"]}]))

    with pytest.raises(ValidationError, match=message):
        correct(db, admin, {0: edit})

    unchanged = reload(db, sale.id)
    assert (unchanged.version, unchanged.total, unchanged.notes) == (1, 85_000, "")


def test_one_bad_sale_refuses_the_whole_grid_save(db, admin, catalogue):
    first = record(db, admin, draft(db, [{"product_id": catalogue["GPT"]}]))
    record(db, admin, draft(db, [{"product_id": catalogue["NFX"]}]))

    with pytest.raises(ValidationError):
        correct(db, admin, {1: {"notes": "baik"}, 0: {"customer_phone": "123"}})

    assert reload(db, first.id).notes == ""


def test_two_lines_of_one_sale_must_agree_on_its_header(db, admin, catalogue):
    lines = [{"product_id": catalogue["GPT"]}, {"product_id": catalogue["NFX"]}]
    record(db, admin, draft(db, lines))

    with pytest.raises(ValidationError, match="diisi berbeda di dua baris"):
        correct(db, admin, {0: {"notes": "a"}, 1: {"notes": "b"}})
    assert correct(db, admin, {0: {"notes": "a"}, 1: {"duration_months": 6}}) == 1


def test_duration_of_a_marketplace_sale_is_refused(db, admin, catalogue):
    line = {"product_id": catalogue["GPT"]}
    record(db, admin, draft(db, [line], "Shopee"))

    with pytest.raises(ValidationError, match="hanya untuk penjualan non-platform"):
        correct(db, admin, {0: {"duration_months": 3}})


def test_a_row_outside_the_grid_is_refused(db, admin, catalogue):
    record(db, admin, draft(db, [{"product_id": catalogue["GPT"]}]))

    with pytest.raises(ValidationError, match="tidak ada di tabel"):
        correct(db, admin, {5: {"notes": "x"}})
    added = {"added_rows": [{"notes": "x"}]}
    with (
        pytest.raises(ValidationError, match="tidak dapat ditambahkan"),
        db.transaction() as session,
    ):
        sales.apply_history_grid(session, admin, grid_rows(db), added)


def test_void_hides_a_sale_everywhere_and_restore_brings_it_back(db, admin, catalogue):
    line = {"product_id": catalogue["GPT"], "duration_months": 3}
    sale = record(db, admin, draft(db, [line]))
    everything = sales.SaleFilter()

    def visible() -> tuple:
        with db.transaction() as session:
            revenue = dashboard.revenue_by_platform(session, PAPER_DAY, PAPER_DAY)
            return (
                len(sales.list_history(session, everything)),
                sales.count_history(session, everything),
                sales.history_totals(session, everything),
                int(revenue["revenue"].sum()),
                monitoring.count_subscriptions(session, ALL_STATUSES),
            )

    assert visible() == (1, 1, (1, 85_000), 85_000, 1)
    with db.transaction() as session:
        sales.void_sale(session, admin, sale.id)

    assert visible() == (0, 0, (0, 0), 0, 0)
    voided = reload(db, sale.id)
    assert (voided.status, voided.voided_by) == (sales.VOID, "admin")
    assert voided.lines[0].subscription is not None
    with db.transaction() as session:
        listed = sales.list_history(session, sales.SaleFilter(status=sales.VOID))
    assert listed["invoice_no"].tolist() == [sale.invoice_no]

    with db.transaction() as session:
        sales.restore_sale(session, admin, sale.id)
    assert visible() == (1, 1, (1, 85_000), 85_000, 1)


def test_void_and_restore_refuse_a_sale_in_the_wrong_state(db, admin, catalogue):
    sale = record(db, admin, draft(db, [{"product_id": catalogue["GPT"]}]))

    with pytest.raises(NotFound), db.transaction() as session:
        sales.restore_sale(session, admin, sale.id)
    with db.transaction() as session:
        sales.void_sale(session, admin, sale.id)
    with pytest.raises(NotFound), db.transaction() as session:
        sales.void_sale(session, admin, sale.id)
    voided_row = [(sale.lines[0].id, sale.id, 2)]
    with pytest.raises(NotFound), db.transaction() as session:
        sales.apply_history_grid(
            session, admin, voided_row, {"edited_rows": {0: {"notes": "x"}}}
        )


def test_history_search_and_totals_count_sales_not_lines(db, admin, catalogue):
    lines = [{"product_id": catalogue["GPT"]}, {"product_id": catalogue["NFX"]}]
    record(db, admin, draft(db, lines))
    record(
        db,
        admin,
        draft(
            db,
            [{"product_id": catalogue["CNV"]}],
            customer_name="Bu Sari",
            customer_phone="0813-1111-2222",
        ),
    )

    with db.transaction() as session:
        by_phone = sales.SaleFilter(search="0812 9876")
        assert sales.count_history(session, by_phone) == 2
        assert sales.history_totals(session, by_phone) == (1, 130_000)
        by_product = sales.SaleFilter(search="canva")
        assert sales.history_totals(session, by_product) == (1, 30_000)
        assert sales.history_totals(session, sales.SaleFilter()) == (2, 160_000)


def test_management_is_refused_by_every_change(db, admin, manager, catalogue):
    sale = record(db, admin, draft(db, [{"product_id": catalogue["GPT"]}]))
    rows = grid_rows(db)
    changes = [
        (sales.record_sale, (draft(db, [{"product_id": catalogue["GPT"]}]),)),
        (sales.apply_history_grid, (rows, {"edited_rows": {0: {"notes": "x"}}})),
        (sales.void_sale, (sale.id,)),
        (sales.restore_sale, (sale.id,)),
        (products.save_product, ("ZZZ", "Baru", 1_000, 1)),
    ]

    for change, args in changes:
        with pytest.raises(PermissionDenied), db.transaction() as session:
            change(session, manager, *args)

    assert sale_count(db) == 1
    unchanged = reload(db, sale.id)
    assert (unchanged.status, unchanged.notes, unchanged.version) == (
        sales.COMPLETED,
        "",
        1,
    )


def test_product_default_duration_is_read_like_a_typed_duration(db, admin):
    with db.transaction() as session:
        product = products.save_product(session, admin, "m365", "MS 365", 1, "1 tahun")
        assert (product.code, product.default_months) == ("M365", 12)
    with pytest.raises(InvalidDuration), db.transaction() as session:
        products.save_product(session, admin, "X", "X", 1, "abc")
