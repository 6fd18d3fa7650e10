"""Held sales, double submits, corrections and invoice numbers on every database."""

import datetime as dt
import json
import re
import threading
import time

import pytest
from sqlalchemy import func, select

from office_core import dashboard, products, register, sales, settings
from office_core.errors import (
    HeldSaleNotFound,
    HeldSaleUnavailable,
    InvalidPhoneNumber,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from office_core.invoices import next_invoice_number, reserve_legacy_number
from office_core.models import (
    AuditEntry,
    HeldSale,
    InvoiceCounter,
    Product,
    Sale,
    Subscription,
)

DAY = dt.date(2025, 9, 7)
NUMBER = re.compile(r"DW\d{4}\d{5}")


def new_draft(channels, lines, channel="Non Platform", **header) -> dict:
    """Return a register draft as the page would send it."""
    header.setdefault("sold_on", DAY)
    header.setdefault("payment_method", "QRIS")
    return register.Draft(
        platform_id=channels[channel],
        lines=[register.DraftLine(**line) for line in lines],
        **header,
    ).to_dict()


def run(db, function, *args, **kwargs):
    """Run one domain call in its own transaction, as a page click does."""
    with db.transaction() as session:
        return function(session, *args, **kwargs)


def sale_count(db) -> int:
    return run(db, lambda session: session.scalar(select(func.count(Sale.id))))


def revenue(db) -> tuple[int, int]:
    return run(db, sales.history_totals, sales.SaleFilter())


def held_row(db, held_id: int) -> HeldSale:
    return run(db, lambda session: session.get(HeldSale, held_id))


def audit_actions(db, entity: str) -> list[str]:
    query = (
        select(AuditEntry.action)
        .where(AuditEntry.entity == entity)
        .order_by(AuditEntry.id)
    )
    return run(db, lambda session: list(session.scalars(query)))


def test_held_sales_use_no_number_and_no_revenue_until_completed(
    db, admin, catalogue, channels
):
    # A non-platform sale parked before the customer gave their number.
    first = new_draft(
        channels,
        [
            {"product_id": catalogue["GPT"], "qty": 2, "discount": 5_000},
            {"product_id": catalogue["CNV"], "duration_months": 6},
        ],
        customer_name="Pak Arif",
        payment_method="Cash",
        amount_paid=200_000,
        notes="minta struk",
    )
    second = new_draft(
        channels, [{"product_id": catalogue["NFX"]}], "Shopee", customer_name="sari"
    )
    one = run(db, register.hold_sale, admin, first)
    two = run(db, register.hold_sale, admin, second)

    listed = run(db, register.list_held)
    assert [h.reference for h in listed] == [one.reference, two.reference]
    assert re.fullmatch(r"T-\d{6}", one.reference)
    assert [(h.customer, h.total, h.created_by) for h in listed] == [
        ("Pak Arif", 195_000, "admin"),
        ("sari", 45_000, "admin"),
    ]
    assert listed[0].lines == ("ChatGPT Plus × 2", "Canva Pro × 1")
    assert sale_count(db) == 0
    assert revenue(db) == (0, 0)

    resumed = run(db, register.resume_held, admin, one.id)
    header = ["platform_id", "customer_name", "customer_phone", "payment_method"]
    header += ["amount_paid", "notes", "client_token"]
    assert {key: resumed[key] for key in header} == {key: first[key] for key in header}
    assert resumed["sold_on"] == DAY.isoformat()
    assert [
        (ln["product_id"], ln["qty"], ln["discount"]) for ln in resumed["lines"]
    ] == [
        (catalogue["GPT"], 2, 5_000),
        (catalogue["CNV"], 1, 0),
    ]
    assert resumed["lines"][1]["duration_months"] == 6
    assert (resumed["held_id"], resumed["held_version"]) == (one.id, 1)

    resumed["customer_phone"] = "0812-9876-0001"
    sale = run(db, register.complete_sale, admin, resumed)

    assert NUMBER.fullmatch(sale.invoice_no)
    assert int(sale.invoice_no[-5:]) == 1  # holding took no number
    assert (sale.total, sale.amount_paid, sale.change) == (195_000, 200_000, 5_000)
    assert [h.reference for h in run(db, register.list_held)] == [two.reference]
    assert revenue(db) == (1, 195_000)
    done = held_row(db, one.id)
    assert (done.status, done.completed_sale_id) == (register.COMPLETED, sale.id)
    assert held_row(db, two.id).status == register.HELD
    assert audit_actions(db, "held_sale") == ["hold", "hold", "complete"]


def test_held_sales_are_left_out_of_the_dashboard(db, admin, catalogue, channels):
    draft = new_draft(channels, [{"product_id": catalogue["NFX"]}], "Shopee")
    run(db, register.hold_sale, admin, draft)

    frame = run(db, dashboard.revenue_by_platform, DAY, DAY)

    assert int(frame["revenue"].sum()) == 0


def test_cancelled_held_sale_is_kept_audited_and_cannot_come_back(
    db, admin, catalogue, channels
):
    draft = new_draft(channels, [{"product_id": catalogue["NFX"]}], "Shopee")
    held = run(db, register.hold_sale, admin, draft)

    run(db, register.cancel_held, admin, held.id)

    assert run(db, register.list_held) == []
    assert held_row(db, held.id).status == register.CANCELLED
    assert audit_actions(db, "held_sale") == ["hold", "cancel"]
    for action in (register.resume_held, register.cancel_held):
        with pytest.raises(HeldSaleUnavailable, match="sudah dibatalkan oleh admin"):
            run(db, action, admin, held.id)
    with pytest.raises(HeldSaleUnavailable, match="dibatalkan"):
        run(db, register.complete_held, admin, held.id, draft)
    assert sale_count(db) == 0


def test_completed_held_sale_cannot_be_resumed_cancelled_or_completed_again(
    db, admin, catalogue, channels
):
    draft = new_draft(channels, [{"product_id": catalogue["NFX"]}], "Shopee")
    held = run(db, register.hold_sale, admin, draft)
    sale = run(db, register.complete_held, admin, held.id, draft)

    refused = f"sudah diselesaikan oleh admin dengan no faktur {sale.invoice_no}"
    for action in (register.resume_held, register.cancel_held):
        with pytest.raises(HeldSaleUnavailable, match=refused):
            run(db, action, admin, held.id)
    with pytest.raises(HeldSaleUnavailable, match=refused):
        run(db, register.complete_held, admin, held.id, draft)
    with pytest.raises(HeldSaleUnavailable, match=refused):
        run(db, register.hold_sale, admin, draft)
    assert sale_count(db) == 1


def test_holding_a_resumed_sale_again_updates_it_instead_of_copying_it(
    db, admin, catalogue, channels
):
    draft = new_draft(channels, [{"product_id": catalogue["NFX"]}], "Shopee")
    held = run(db, register.hold_sale, admin, draft)
    resumed = run(db, register.resume_held, admin, held.id)
    stale = dict(resumed)

    resumed["lines"][0]["qty"] = 3
    again = run(db, register.hold_sale, admin, resumed)

    assert (again.id, again.version, again.total) == (held.id, 2, 135_000)
    assert [h.total for h in run(db, register.list_held)] == [135_000]
    with pytest.raises(HeldSaleUnavailable, match="sudah diubah oleh admin"):
        run(db, register.hold_sale, admin, stale)
    with pytest.raises(HeldSaleUnavailable, match="sudah diubah"):
        run(db, register.complete_held, admin, held.id, stale)
    assert audit_actions(db, "held_sale") == ["hold", "update"]


def test_an_unfinished_sale_may_be_held_but_completes_only_when_valid(
    db, admin, catalogue, channels
):
    draft = new_draft(
        channels,
        [{"product_id": catalogue["GPT"], "qty": "dua"}, {"product_id": None}],
        customer_name="Bu Sari",
    )
    held = run(db, register.hold_sale, admin, draft)
    assert held.total is None  # a line cannot be priced yet
    assert run(db, register.list_held)[0].lines == (
        "ChatGPT Plus × dua",
        "(produk belum dipilih) × 1",
    )

    with pytest.raises(ValidationError, match="Baris 1: Jumlah 'dua'"):
        run(db, register.complete_held, admin, held.id, draft)
    draft["lines"] = [{"product_id": catalogue["GPT"], "qty": 2}]
    with pytest.raises(InvalidPhoneNumber):
        run(db, register.complete_held, admin, held.id, draft)

    assert held_row(db, held.id).status == register.HELD
    assert sale_count(db) == 0


def test_an_empty_draft_cannot_be_held(db, admin, channels):
    with pytest.raises(ValidationError, match="Belum ada yang bisa ditahan"):
        run(db, register.hold_sale, admin, register.Draft().to_dict())


def test_unknown_held_sale_is_refused(db, admin):
    for action in (register.resume_held, register.cancel_held):
        with pytest.raises(HeldSaleNotFound, match="#999 tidak ditemukan"):
            run(db, action, admin, 999)


def test_a_draft_cannot_complete_another_held_sale(db, admin, catalogue, channels):
    held = run(
        db,
        register.hold_sale,
        admin,
        new_draft(channels, [{"product_id": catalogue["NFX"]}], "Shopee"),
    )
    other = new_draft(channels, [{"product_id": catalogue["GPT"]}], "Shopee")

    with pytest.raises(ValidationError, match="bukan penjualan tahan"):
        run(db, register.complete_held, admin, held.id, other)
    assert sale_count(db) == 0


def test_completing_a_fresh_draft_that_was_held_completes_that_held_sale(
    db, admin, catalogue, channels
):
    draft = new_draft(channels, [{"product_id": catalogue["NFX"]}], "Shopee")
    held = run(db, register.hold_sale, admin, draft)

    sale = run(db, register.complete_sale, admin, draft)

    assert held_row(db, held.id).completed_sale_id == sale.id
    assert run(db, register.list_held) == []


def test_management_can_neither_hold_nor_sell(db, admin, manager, catalogue, channels):
    draft = new_draft(channels, [{"product_id": catalogue["NFX"]}], "Shopee")
    held = run(db, register.hold_sale, admin, draft)
    sale = run(
        db,
        sales.record_sale,
        admin,
        register.Draft.from_dict(
            new_draft(channels, [{"product_id": catalogue["NFX"]}], "Shopee")
        ).to_sale_draft(),
    )
    attempts = [
        (register.hold_sale, (draft,)),
        (register.resume_held, (held.id,)),
        (register.cancel_held, (held.id,)),
        (register.complete_held, (held.id, draft)),
        (register.complete_sale, (draft,)),
        (sales.correct_lines, (sale.id, 1, [sales.LineDraft(catalogue["GPT"])])),
    ]
    for function, args in attempts:
        with pytest.raises(PermissionDenied):
            run(db, function, manager, *args)
    assert held_row(db, held.id).status == register.HELD
    assert sale_count(db) == 1


def test_two_registers_completing_one_held_sale_record_it_once(
    db, admin, catalogue, channels
):
    draft = new_draft(
        channels,
        [{"product_id": catalogue["GPT"]}],
        customer_phone="081311112222",
        customer_name="Bu Rina",
    )
    held = run(db, register.hold_sale, admin, draft)
    first_done, release = threading.Event(), threading.Event()
    outcomes: dict[str, object] = {}

    def first() -> None:
        with db.transaction() as session:
            outcomes["first"] = register.complete_held(session, admin, held.id, draft)
            first_done.set()
            release.wait(10)  # still uncommitted while the second one starts

    def second() -> None:
        first_done.wait(10)
        try:
            with db.transaction() as session:
                register.complete_held(session, admin, held.id, draft)
        except HeldSaleUnavailable as exc:
            outcomes["second"] = exc.message

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_done.wait(10)
    time.sleep(0.5)  # let the second register reach the held row and wait on it
    release.set()
    for thread in threads:
        thread.join(30)

    number = outcomes["first"].invoice_no
    assert outcomes["second"] == (
        f"Penjualan tahan {held.reference} sudah diselesaikan oleh admin dengan "
        f"no faktur {number}. Tidak dicatat dua kali."
    )
    assert sale_count(db) == 1
    assert held_row(db, held.id).completed_sale_id == outcomes["first"].id


def test_the_same_draft_submitted_twice_records_one_sale(
    db, admin, catalogue, channels
):
    draft = new_draft(channels, [{"product_id": catalogue["NFX"]}], "Shopee")

    first = run(db, register.complete_sale, admin, draft)
    again = run(db, register.complete_sale, admin, draft)

    assert (again.id, again.invoice_no) == (first.id, first.invoice_no)
    assert sale_count(db) == 1
    assert run(db, next_invoice_number).endswith("00002")  # no number was used up
    assert audit_actions(db, "sale") == ["create"]


def test_two_tabs_racing_with_one_draft_record_one_sale_and_no_gap(
    db, admin, catalogue, channels
):
    # A new customer too: both tabs try to create them at the same moment.
    draft = new_draft(
        channels,
        [{"product_id": catalogue["CNV"]}],
        customer_name="Pak Budi",
        customer_phone="0857-1234-5678",
    )
    sale_draft = register.Draft.from_dict(draft)
    first_done, release = threading.Event(), threading.Event()
    outcomes: dict[str, Sale] = {}

    def submit(name: str, hold_open: bool) -> None:
        if not hold_open:
            first_done.wait(10)
        with db.transaction() as session:
            outcomes[name] = sales.record_sale(
                session,
                admin,
                sale_draft.to_sale_draft(),
                client_token=sale_draft.client_token,
            )
            if hold_open:
                first_done.set()
                release.wait(10)

    threads = [
        threading.Thread(target=submit, args=("first", True)),
        threading.Thread(target=submit, args=("second", False)),
    ]
    for thread in threads:
        thread.start()
    first_done.wait(10)
    time.sleep(0.5)
    release.set()
    for thread in threads:
        thread.join(30)

    assert outcomes["first"].id == outcomes["second"].id
    assert sale_count(db) == 1
    counter = run(db, lambda session: session.scalar(select(InvoiceCounter.last_seq)))
    assert counter == 1


def test_a_client_token_must_be_a_uuid(db, admin, catalogue, channels):
    draft = new_draft(channels, [{"product_id": catalogue["NFX"]}], "Shopee")
    draft["client_token"] = "x' OR 1=1 --"

    with pytest.raises(ValidationError, match="Formulir penjualan tidak sah"):
        run(db, register.complete_sale, admin, draft)


def test_non_cash_paid_defaults_to_total_and_gives_no_change(
    db, admin, catalogue, channels
):
    draft = new_draft(channels, [{"product_id": catalogue["NFX"]}], "Shopee")

    sale = run(db, register.complete_sale, admin, draft)

    assert (sale.amount_paid, sale.change) == (45_000, 0)


def record(db, admin, channels, lines, channel="Non Platform", **header) -> Sale:
    header.setdefault("customer_name", "Pak Arif")
    header.setdefault("customer_phone", "081298760001")
    draft = new_draft(channels, lines, channel, **header)
    return run(db, register.complete_sale, admin, draft)


def reload(db, sale_id: int) -> Sale:
    def load(session):
        sale = session.get(Sale, sale_id)
        for line in sale.lines:
            _ = line.subscription
        return sale

    return run(db, load)


def test_correcting_lines_recomputes_totals_and_subscriptions(
    db, admin, catalogue, channels
):
    sale = record(
        db,
        admin,
        channels,
        [
            {"product_id": catalogue["GPT"], "duration_months": 3},
            {"product_id": catalogue["NFX"]},
            {"product_id": catalogue["CNV"]},
        ],
    )
    kept_subscription = reload(db, sale.id).lines[0].subscription.id

    run(
        db,
        sales.correct_lines,
        admin,
        sale.id,
        sale.version,
        [
            sales.LineDraft(
                catalogue["GPT"], qty=2, discount=10_000, duration_months=6
            ),
            sales.LineDraft(catalogue["NFX"], unit_price=40_000),
        ],
    )

    fixed = reload(db, sale.id)
    assert [(ln.product_name, ln.subtotal) for ln in fixed.lines] == [
        ("ChatGPT Plus", 160_000),
        ("Netflix Premium", 40_000),
    ]
    assert fixed.total == fixed.amount_paid == 200_000
    assert (fixed.invoice_no, fixed.version) == (sale.invoice_no, sale.version + 1)
    assert fixed.lines[0].subscription.id == kept_subscription
    assert fixed.lines[0].subscription.expires_on == dt.date(2026, 3, 7)
    with db.transaction() as session:
        assert session.scalar(select(func.count(Subscription.id))) == 2
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "sale")
            .order_by(AuditEntry.id.desc())
        ).first()
    assert entry.action == "update"
    assert len(json.loads(entry.before)["lines"]) == 3
    assert len(json.loads(entry.after)["lines"]) == 2


def test_correcting_lines_can_add_a_line(db, admin, catalogue, channels):
    sale = record(db, admin, channels, [{"product_id": catalogue["NFX"]}], "Shopee")

    lines = [sales.LineDraft(catalogue["NFX"]), sales.LineDraft(catalogue["CNV"])]
    run(db, sales.correct_lines, admin, sale.id, 1, lines)

    fixed = reload(db, sale.id)
    assert [ln.position for ln in fixed.lines] == [1, 2]
    assert fixed.total == 75_000


def test_line_corrections_refuse_stale_void_bad_and_underpaid_changes(
    db, admin, catalogue, channels
):
    cash = record(
        db,
        admin,
        channels,
        [{"product_id": catalogue["NFX"]}],
        payment_method="Cash",
        amount_paid=50_000,
    )
    more = [sales.LineDraft(catalogue["GPT"])]

    with pytest.raises(ValidationError, match="kurang dari total"):
        run(db, sales.correct_lines, admin, cash.id, 1, more)
    run(db, sales.correct_lines, admin, cash.id, 1, more, amount_paid=100_000)
    with pytest.raises(ValidationError, match="sudah diubah orang lain"):
        run(db, sales.correct_lines, admin, cash.id, 1, more)
    with pytest.raises(ValidationError, match="minimal satu baris"):
        run(db, sales.correct_lines, admin, cash.id, 2, [])
    with pytest.raises(ValidationError, match="Baris 1: Diskon"):
        bad = [sales.LineDraft(catalogue["GPT"], discount=90_000)]
        run(db, sales.correct_lines, admin, cash.id, 2, bad)
    run(db, sales.void_sale, admin, cash.id)
    with pytest.raises(NotFound):
        run(db, sales.correct_lines, admin, cash.id, 3, more)

    kept = reload(db, cash.id)
    assert (kept.total, kept.amount_paid, kept.change) == (85_000, 100_000, 15_000)
    assert kept.invoice_no == cash.invoice_no


def test_a_voided_sale_keeps_its_number_and_it_is_never_issued_again(
    db, admin, catalogue, channels
):
    first = record(db, admin, channels, [{"product_id": catalogue["NFX"]}], "Shopee")
    run(db, sales.void_sale, admin, first.id)

    second = record(db, admin, channels, [{"product_id": catalogue["NFX"]}], "Shopee")

    assert reload(db, first.id).invoice_no == first.invoice_no
    assert second.invoice_no > first.invoice_no


def test_imported_numbers_are_never_issued_to_new_sales(db, admin):
    with db.transaction() as session:
        upcoming = next_invoice_number(session)
        session.rollback()
    legacy = f"{upcoming[:-5]}00041"
    with db.transaction() as session:
        reserve_legacy_number(session, legacy)
        reserve_legacy_number(session, f"{upcoming[:-5]}00007")  # lower: no effect
        reserve_legacy_number(session, "INV/2024/77")  # another format: no effect

    assert run(db, next_invoice_number).endswith("00042")


def test_a_number_already_taken_by_an_import_is_skipped(db, admin, catalogue, channels):
    with db.transaction() as session:
        upcoming = next_invoice_number(session)
        session.rollback()
    # An imported sale holds the next number but the counter was never moved.
    line = {"product_id": catalogue["NFX"]}
    draft = register.Draft.from_dict(new_draft(channels, [line], "Shopee"))
    with db.transaction() as session:
        sales.record_sale(
            session, admin, draft.to_sale_draft(), invoice_no=upcoming, source="import"
        )

    sale = record(db, admin, channels, [line], "Shopee")

    assert sale.invoice_no.endswith("00002")


def test_the_invoice_prefix_is_configurable_and_checked(db, admin, catalogue, channels):
    run(db, settings.update, admin, "invoice_prefix", "INV-")
    sale = record(db, admin, channels, [{"product_id": catalogue["NFX"]}], "Shopee")
    assert re.fullmatch(r"INV-\d{4}00001", sale.invoice_no)

    for bad in ["", "DW 01", "<b>", "ABCDEFGHIJK"]:
        with pytest.raises(ValidationError, match="Awalan nomor faktur"):
            run(db, settings.update, admin, "invoice_prefix", bad)


def import_sale(db, admin, channels, catalogue, number: str) -> Sale:
    """Save a sale under a number of its own, as the legacy import does."""
    line = {"product_id": catalogue["NFX"]}
    draft = register.Draft.from_dict(new_draft(channels, [line], "Shopee"))
    with db.transaction() as session:
        return sales.record_sale(
            session, admin, draft.to_sale_draft(), invoice_no=number, source="import"
        )


def test_a_new_prefix_starts_after_the_numbers_it_already_has(
    db, admin, catalogue, channels
):
    # Imported while the prefix was still DW: nothing reserved INV numbers then.
    import_sale(db, admin, channels, catalogue, "INV250300017")
    import_sale(db, admin, channels, catalogue, "INV-TUA-3")

    run(db, settings.update, admin, "invoice_prefix", "INV")
    sale = record(db, admin, channels, [{"product_id": catalogue["NFX"]}], "Shopee")

    assert sale.invoice_no.startswith("INV") and sale.invoice_no.endswith("00018")


def test_switching_back_to_a_prefix_continues_its_count(db, admin, catalogue, channels):
    line = [{"product_id": catalogue["NFX"]}]
    first = record(db, admin, channels, line, "Shopee")
    run(db, settings.update, admin, "invoice_prefix", "TK")
    record(db, admin, channels, line, "Shopee")
    # Imported under the other prefix, then the shop switches back to DW.
    import_sale(db, admin, channels, catalogue, "DW250100040")
    run(db, settings.update, admin, "invoice_prefix", "DW")

    again = record(db, admin, channels, line, "Shopee")

    assert first.invoice_no.endswith("00001")
    assert again.invoice_no.endswith("00041")


def test_a_repeated_token_with_a_changed_draft_is_refused(
    db, admin, catalogue, channels
):
    draft = new_draft(channels, [{"product_id": catalogue["NFX"]}], "Shopee")
    first = run(db, register.complete_sale, admin, draft)
    changed = dict(draft, lines=[*draft["lines"], {"product_id": catalogue["GPT"]}])
    repriced = dict(draft, lines=[{"product_id": catalogue["NFX"], "qty": 3}])

    for later in (changed, repriced):
        with pytest.raises(ValidationError, match=first.invoice_no):
            run(db, register.complete_sale, admin, later)

    assert run(db, register.complete_sale, admin, draft).id == first.id
    assert sale_count(db) == 1


@pytest.mark.parametrize("paid", [1_000, 10**12, "45.001"])
def test_a_non_cash_payment_must_be_the_total(db, admin, catalogue, channels, paid):
    lines = [{"product_id": catalogue["NFX"]}]  # Rp45.000
    draft = new_draft(channels, lines, "Shopee", amount_paid=paid)

    with pytest.raises(ValidationError, match="QRIS harus sama dengan total"):
        run(db, register.complete_sale, admin, draft)

    exact = new_draft(channels, lines, "Shopee", amount_paid=45_000)
    sale = run(db, register.complete_sale, admin, exact)
    assert (sale.amount_paid, sale.change) == (45_000, 0)
    assert sale_count(db) == 1


def test_only_cash_may_be_paid_more_and_get_change(db, admin, catalogue, channels):
    lines = [{"product_id": catalogue["NFX"]}]
    draft = new_draft(
        channels, lines, "Shopee", payment_method="cash", amount_paid=50_000
    )

    sale = run(db, register.complete_sale, admin, draft)

    assert (sale.payment_method, sale.change) == ("Cash", 5_000)


def test_an_imported_payment_method_is_kept_and_paid_its_total(
    db, admin, catalogue, channels
):
    draft = sales.SaleDraft(
        platform_id=channels["Non Platform"],
        lines=[sales.LineDraft(product_id=catalogue["NFX"])],
        sold_on=DAY,
        walk_in=True,
        payment_method="Transfer BRI",
    )
    with pytest.raises(ValidationError, match="tidak dikenal"):
        run(db, sales.record_sale, admin, draft)

    sale = run(db, sales.record_sale, admin, draft, allow_any_payment=True)

    assert (sale.payment_method, sale.amount_paid) == ("Transfer BRI", 45_000)


def deactivate(db, admin, product_id: int) -> None:
    def switch_off(session, actor):
        product = session.get(Product, product_id)
        products.save_product(
            session, actor, product.code, product.name, product.price,
            product.default_months, active=False, product_id=product.id,
        )  # fmt: skip

    run(db, switch_off, admin)


def test_an_inactive_product_is_not_sold_but_its_old_lines_can_be_corrected(
    db, admin, catalogue, channels
):
    netflix = [{"product_id": catalogue["NFX"]}]
    first = new_draft(channels, netflix, "Shopee")
    sale = run(db, register.complete_sale, admin, first)
    other = new_draft(channels, [{"product_id": catalogue["GPT"]}], "Shopee")
    other_sale = run(db, register.complete_sale, admin, other)
    deactivate(db, admin, catalogue["NFX"])

    with pytest.raises(ValidationError, match="Netflix Premium tidak aktif"):
        run(db, register.complete_sale, admin, new_draft(channels, netflix, "Shopee"))
    with pytest.raises(ValidationError, match="Netflix Premium tidak aktif"):
        run(
            db, sales.correct_lines, admin, other_sale.id, other_sale.version,
            [sales.LineDraft(product_id=catalogue["NFX"])],
        )  # fmt: skip
    fixed = run(
        db, sales.correct_lines, admin, sale.id, sale.version,
        [sales.LineDraft(product_id=catalogue["NFX"], qty=2)],
    )  # fmt: skip

    assert (fixed.total, sale_count(db)) == (90_000, 2)


@pytest.mark.parametrize("qty", ["\u0661\u0662", "1_0", "\uff13", "+3", " 3 ", 3])
def test_a_quantity_is_ascii_digits_only(db, admin, catalogue, channels, qty):
    lines = [{"product_id": catalogue["NFX"], "qty": qty}]
    draft = new_draft(channels, lines, "Shopee")

    if str(qty).strip() == "3":
        assert run(db, register.complete_sale, admin, draft).lines[0].qty == 3
        return
    with pytest.raises(ValidationError, match="harus bilangan bulat"):
        run(db, register.complete_sale, admin, draft)
    assert sale_count(db) == 0
