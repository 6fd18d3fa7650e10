"""Monitoring lists and dashboard figures, computed by each real database."""

import datetime as dt
from urllib.parse import unquote, urlsplit

import pytest

from office_core import dashboard, products, settings, withdrawals
from office_core.dates import format_date_id
from office_core.models import Subscription
from office_core.monitoring import (
    ACTIVE,
    EXPIRED,
    EXPIRING,
    RENEWED,
    STATUSES,
    MonitorFilter,
    count_subscriptions,
    list_subscriptions,
    subscription_products,
)
from office_core.platforms import resolve_platform
from office_core.sales import LineDraft, SaleDraft, record_sale, restore_sale, void_sale

D = dt.date
ON = D(2025, 10, 1)
ALL = MonitorFilter(statuses=STATUSES)
PHONE = "081200000010"


def sell(session, actor, platform, lines, sold_on, name="Pelanggan", phone=None):
    """Record a sale of (product, price, months) lines; return it."""
    draft = SaleDraft(
        platform_id=resolve_platform(session, platform).id,
        lines=[
            LineDraft(p.id, unit_price=price, duration_months=m)
            for p, price, m in lines
        ],
        sold_on=sold_on,
        customer_name=name,
        customer_phone=phone or "",
        payment_method="Transfer BCA",
    )
    return record_sale(session, actor, draft)


@pytest.fixture
def catalogue(db, admin):
    with db.transaction() as session:
        return {
            code: products.save_product(session, admin, code, name, 50_000, 1)
            for code, name in [("GPT", "ChatGPT Plus"), ("NFX", "Netflix Premium"),
                               ("WEB", "Jasa Website")]
        }  # fmt: skip


@pytest.fixture
def subscriptions(db, admin, catalogue):
    """Non-platform sales whose expiry falls on each side of every boundary."""
    gpt, nfx = catalogue["GPT"], catalogue["NFX"]
    rows = [
        ("Expired Eka", "081200000001", gpt, D(2025, 6, 15), 3),  # 2025-09-15
        ("Today Tono", "081200000002", nfx, D(2025, 9, 1), 1),  # 2025-10-01
        ("Soon Sari", "081200000003", gpt, D(2025, 7, 5), 3),  # 2025-10-05
        ("Edge Edi", "081200000004", nfx, D(2025, 7, 8), 3),  # 2025-10-08
        ("After Adi", "081200000005", gpt, D(2025, 7, 9), 3),  # 2025-10-09
        ("Long Lina", "081200000006", nfx, D(2025, 9, 7), 12),  # 2026-09-07
    ]
    with db.transaction() as session:
        sales = {
            name: sell(session, admin, "Non Platform", [(p, 50_000, m)], d, name, phone)
            for name, phone, p, d, m in rows
        }
        sell(session, admin, "Shopee", [(gpt, 60_000, None)], D(2025, 9, 30), "Toko")
        return {name: sale.id for name, sale in sales.items()}


def names(frame) -> list[str]:
    return frame["customer_name"].tolist()


def test_default_view_is_expiring_and_active_soonest_first(db, subscriptions):
    with db.transaction() as session:
        frame = list_subscriptions(session, MonitorFilter(), on=ON)
        count = count_subscriptions(session, MonitorFilter(), on=ON)

    assert names(frame) == ["Today Tono", "Soon Sari", "Edge Edi", "After Adi",
                            "Long Lina"]  # fmt: skip
    assert count == 5
    assert frame["expires_on"].tolist() == sorted(frame["expires_on"])
    assert frame["status"].tolist() == [EXPIRING, EXPIRING, EXPIRING, ACTIVE, ACTIVE]
    assert frame["days_left"].tolist() == [0, 4, 7, 8, 341]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (EXPIRED, ["Expired Eka"]),
        (EXPIRING, ["Today Tono", "Soon Sari", "Edge Edi"]),
        (ACTIVE, ["After Adi", "Long Lina"]),
        (RENEWED, []),
    ],
)
def test_each_status_filter_matches_the_status_shown(
    db, subscriptions, status, expected
):
    wanted = MonitorFilter(statuses=(status,))
    with db.transaction() as session:
        frame = list_subscriptions(session, wanted, on=ON)
        count = count_subscriptions(session, wanted, on=ON)

    assert names(frame) == expected
    assert set(frame["status"]) <= {status}
    assert count == len(expected)


def test_no_status_chosen_lists_every_subscription(db, subscriptions):
    with db.transaction() as session:
        frame = list_subscriptions(session, MonitorFilter(statuses=()), on=ON)

    assert len(frame) == 6
    assert "Toko" not in names(frame)


def test_expiring_soon_threshold_comes_from_the_settings(db, admin, subscriptions):
    with db.transaction() as session:
        settings.update(session, admin, "expiring_soon_days", 8)
    with db.transaction() as session:
        frame = list_subscriptions(session, MonitorFilter(statuses=(EXPIRING,)), on=ON)

    assert names(frame) == ["Today Tono", "Soon Sari", "Edge Edi", "After Adi"]


def test_renewed_subscription_leaves_the_default_view(db, subscriptions):
    sari = subscriptions["Soon Sari"]
    with db.transaction() as session:
        subscription = (
            session.query(Subscription)
            .join(Subscription.line)
            .filter_by(sale_id=sari)
            .one()
        )
        subscription.renewed_by_sale_id = subscriptions["Long Lina"]
    with db.transaction() as session:
        default = list_subscriptions(session, MonitorFilter(), on=ON)
        renewed = list_subscriptions(session, MonitorFilter(statuses=(RENEWED,)), on=ON)

    assert "Soon Sari" not in names(default)
    assert names(renewed) == ["Soon Sari"]
    assert renewed["status"].tolist() == [RENEWED]


def test_voided_sale_leaves_monitoring_and_comes_back_when_restored(
    db, admin, subscriptions
):
    sari = subscriptions["Soon Sari"]
    with db.transaction() as session:
        void_sale(session, admin, sari)
    with db.transaction() as session:
        after_void = names(list_subscriptions(session, ALL, on=ON))
        counted = count_subscriptions(session, ALL, on=ON)
    with db.transaction() as session:
        restore_sale(session, admin, sari)
    with db.transaction() as session:
        restored = names(list_subscriptions(session, ALL, on=ON))

    assert "Soon Sari" not in after_void
    assert counted == 5
    assert "Soon Sari" in restored


def test_product_filter_and_product_list(db, subscriptions):
    wanted = MonitorFilter(statuses=STATUSES, product="Netflix Premium")
    with db.transaction() as session:
        frame = list_subscriptions(session, wanted, on=ON)
        offered = subscription_products(session)

    assert names(frame) == ["Today Tono", "Edge Edi", "Long Lina"]
    assert set(frame["product"]) == {"Netflix Premium"}
    assert offered == ["ChatGPT Plus", "Netflix Premium"]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("sari", ["Soon Sari"]),
        ("SOON", ["Soon Sari"]),
        ("0812-0000-0004", ["Edge Edi"]),
        ("+62 812 0000 0006", ["Long Lina"]),
        ("%", []),
        ("_", []),
    ],
)
def test_search_by_name_or_number(db, subscriptions, search, expected):
    with db.transaction() as session:
        frame = list_subscriptions(
            session, MonitorFilter(statuses=STATUSES, search=search), on=ON
        )

    assert names(frame) == expected


def test_search_by_invoice_number(db, subscriptions):
    with db.transaction() as session:
        every = list_subscriptions(session, ALL, on=ON)
        invoice = every.loc[every["customer_name"] == "Edge Edi", "invoice_no"].item()
        frame = list_subscriptions(
            session, MonitorFilter(statuses=STATUSES, search=invoice.lower()), on=ON
        )

    assert names(frame) == ["Edge Edi"]


def test_pages_put_together_give_the_whole_list(db, subscriptions):
    with db.transaction() as session:
        whole = names(list_subscriptions(session, ALL, on=ON))
        pages = [
            names(list_subscriptions(session, ALL, limit=4, offset=offset, on=ON))
            for offset in (0, 4, 8)
        ]

    assert [len(page) for page in pages] == [4, 2, 0]
    assert pages[0] + pages[1] == whole


def test_each_row_links_to_its_customer_with_the_message_filled(db, subscriptions):
    with db.transaction() as session:
        frame = list_subscriptions(session, MonitorFilter(search="Edge"), on=ON)
    row = frame.iloc[0]
    link = urlsplit(row["wa_link"])
    message = unquote(link.query.removeprefix("text="))

    assert link.netloc == "wa.me"
    assert link.path == "/6281200000004"
    assert message == row["message"]
    assert "Edge Edi" in message
    assert "Netflix Premium" in message
    assert format_date_id(D(2025, 10, 8)) in message
    assert "(7 hari lagi)" in message
    assert row["invoice_no"] in message
    assert row["phone"] == "0812-0000-0004"


def test_an_expired_subscription_message_never_counts_negative_days(db, subscriptions):
    with db.transaction() as session:
        frame = list_subscriptions(session, MonitorFilter(statuses=(EXPIRED,)), on=ON)
    row = frame.iloc[0]

    assert row["days_left"] == -16
    assert "(sudah lewat 16 hari)" in row["message"]
    assert "-16" not in unquote(row["wa_link"])


def test_revenue_by_platform_includes_non_platform_and_excludes_voided(
    db, admin, catalogue
):
    gpt, web = catalogue["GPT"], catalogue["WEB"]
    start, end = D(2025, 9, 1), D(2025, 9, 30)
    two_lines = [(gpt, 60_000, None), (web, 1_500_000, None)]
    with db.transaction() as session:
        kept = [
            sell(session, admin, "Shopee", [(gpt, 60_000, None)], start),
            sell(session, admin, "Shopee", two_lines, D(2025, 9, 15)),
            sell(session, admin, "Tokopedia", [(web, 1_250_000, None)], end),
            sell(
                session, admin, "Non Platform", [(gpt, 50_000, 3)], end, "Arif", PHONE
            ),
        ]
        voided = sell(session, admin, "Tokopedia", [(gpt, 999_000, None)], end)
        sell(session, admin, "Shopee", [(gpt, 70_000, None)], D(2025, 8, 31))
        sell(session, admin, "Lazada", [(gpt, 80_000, None)], D(2025, 10, 1))
        void_sale(session, admin, voided.id)
    expected = {}
    for sale in kept:
        count, total = expected.get(sale.platform.name, (0, 0))
        expected[sale.platform.name] = (count + 1, total + sale.total)

    with db.transaction() as session:
        frame = dashboard.revenue_by_platform(session, start, end)

    got = {r.platform: (r.sales, r.revenue) for r in frame.itertuples()}
    assert got == expected
    assert got["Non Platform"] == (1, 50_000)
    assert got["Shopee"] == (2, 1_620_000)
    assert frame["revenue"].sum() == sum(sale.total for sale in kept) == 2_920_000
    assert str(frame["revenue"].dtype) == "int64"


def test_revenue_by_platform_is_empty_for_a_quiet_period(db, admin):
    with db.transaction() as session:
        frame = dashboard.revenue_by_platform(session, D(2020, 1, 1), D(2020, 12, 31))

    assert frame.empty
    assert list(frame.columns) == ["platform", "sales", "revenue"]


def test_withdrawals_by_platform_per_month_excludes_deleted(db, admin):
    rows = [
        ("Shopee", 1_000_000, D(2025, 8, 1)),
        ("Shopee", 250_000, D(2025, 8, 31)),
        ("Tokopedia", 400_000, D(2025, 8, 15)),
        ("Shopee", 2_000_000, D(2025, 9, 30)),
        ("Lazada", 300_000, D(2025, 9, 2)),
    ]
    with db.transaction() as session:
        for platform, amount, day in rows:
            withdrawals.record_withdrawal(session, admin, platform, amount, day)
        deleted = withdrawals.record_withdrawal(
            session, admin, "Tokopedia", 777_000, D(2025, 9, 3)
        )
        withdrawals.record_withdrawal(session, admin, "Shopee", 5_000, D(2025, 7, 31))
        withdrawals.record_withdrawal(session, admin, "Shopee", 6_000, D(2025, 10, 1))
        withdrawals.delete_withdrawal(session, admin, deleted.id)

    with db.transaction() as session:
        frame = dashboard.withdrawals_over_time(
            session, dashboard.Period(D(2025, 8, 1), D(2025, 9, 30)), dashboard.MONTH
        )

    got = {(r.bucket, r.platform): r.amount for r in frame.itertuples()}
    assert got == {
        (D(2025, 8, 1), "Shopee"): 1_250_000,
        (D(2025, 8, 1), "Tokopedia"): 400_000,
        (D(2025, 9, 1), "Shopee"): 2_000_000,
        (D(2025, 9, 1), "Lazada"): 300_000,
    }
    assert frame["amount"].sum() == sum(amount for _, amount, _ in rows)
    assert frame["bucket"].is_monotonic_increasing
