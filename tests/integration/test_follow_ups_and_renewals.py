"""Follow-ups, opting out, one customer per number, renewals and their report."""

import datetime as dt

import pytest
from sqlalchemy import select, update

from office_core import followups, products, register
from office_core.errors import PermissionDenied, ValidationError
from office_core.models import Customer, FollowUp, Subscription
from office_core.monitoring import (
    EXPIRED,
    RENEWED,
    STATUSES,
    MonitorFilter,
    list_subscriptions,
)
from office_core.platforms import resolve_platform
from office_core.renewal_report import FOLLOWED, NOT_FOLLOWED, renewal_report
from office_core.sales import LineDraft, SaleDraft, record_sale, restore_sale, void_sale

D = dt.date
ON = D(2025, 10, 1)
ALL = MonitorFilter(statuses=STATUSES)


@pytest.fixture
def catalogue(db, admin):
    with db.transaction() as session:
        return {
            code: products.save_product(session, admin, code, name, 50_000, 1).id
            for code, name in [("NFX", "Netflix"), ("GPT", "ChatGPT")]
        }


def sell(db, admin, product_id, sold_on, name="Sari", phone="081200000001", **extra):
    """Record a one-line non-platform sale; return (sale id, subscription id)."""
    with db.transaction() as session:
        sale = record_sale(session, admin, SaleDraft(
            platform_id=resolve_platform(session, "Non Platform").id,
            lines=[LineDraft(product_id, duration_months=1)], sold_on=sold_on,
            customer_name=name, customer_phone=phone, payment_method="QRIS", **extra,
        ))  # fmt: skip
        return sale.id, sale.lines[0].subscription.id


def renewed_by(db, subscription_id: int) -> int | None:
    with db.transaction() as session:
        return session.get(Subscription, subscription_id).renewed_by_sale_id


def test_a_follow_up_is_logged_with_who_when_template_and_subscription(
    db, admin, catalogue
):
    _, subscription = sell(db, admin, catalogue["NFX"], D(2025, 9, 5))
    with db.transaction() as session:
        sent = followups.record_follow_up(session, admin, subscription, on=ON)
    with db.transaction() as session:
        logged = session.scalars(select(FollowUp)).one()
        row = list_subscriptions(session, ALL, on=ON).iloc[0]

    assert sent.link.startswith("https://wa.me/6281200000001?text=Halo%20Sari")
    assert (logged.subscription_id, logged.created_by) == (subscription, "admin")
    assert (logged.channel, logged.template) == ("link", "follow_up_template")
    assert logged.message == sent.message
    assert row["last_contact_by"] == "admin"
    assert row["last_contact_at"] is not None


def test_management_cannot_log_a_follow_up(db, admin, manager, catalogue):
    _, subscription = sell(db, admin, catalogue["NFX"], D(2025, 9, 5))
    with pytest.raises(PermissionDenied), db.transaction() as session:
        followups.record_follow_up(session, manager, subscription, on=ON)


def test_a_customer_who_wants_no_reminders_is_refused_unless_chosen(
    db, admin, catalogue
):
    _, subscription = sell(db, admin, catalogue["NFX"], D(2025, 9, 5))
    with db.transaction() as session:
        customer = session.get(Subscription, subscription).customer_id
        followups.set_no_reminders(session, admin, customer, True)
    with pytest.raises(ValidationError, match="tidak ingin"), db.transaction() as s:
        followups.record_follow_up(s, admin, subscription, on=ON)
    with db.transaction() as session:
        followups.record_follow_up(
            session, admin, subscription, even_if_opted_out=True, on=ON
        )
        assert session.query(FollowUp).count() == 1


def test_one_customer_per_number_whatever_the_spelling(db, admin, catalogue):
    sell(db, admin, catalogue["NFX"], D(2025, 8, 1), "Bu Sari", "0812-0000-0001")
    sell(db, admin, catalogue["GPT"], D(2025, 9, 1), "sari", "+62 812 0000 0001")
    with db.transaction() as session:
        customer = session.scalars(select(Customer)).one()
        found = followups.search_customers(session, "0000-0001")
        file = followups.customer_file(session, customer.id, on=ON)

    assert list(found) == [customer.id]
    assert file.names_used == ("sari", "Bu Sari")
    assert file.purchases["product_name"].tolist() == ["ChatGPT", "Netflix"]
    assert len(file.subscriptions) == 2


def test_perpanjang_draft_completed_links_the_sale_and_renews(db, admin, catalogue):
    _, old = sell(db, admin, catalogue["NFX"], D(2025, 9, 5))
    with db.transaction() as session:
        draft = followups.renewal_draft(session, admin, old, on=ON)
    draft["payment_method"] = "QRIS"
    with db.transaction() as session:
        sale = register.complete_sale(session, admin, draft)

    assert draft["renews_subscription_id"] == old
    assert draft["customer_phone"] == "0812-0000-0001"
    assert renewed_by(db, old) == sale.id
    with db.transaction() as session:
        frame = list_subscriptions(session, MonitorFilter(statuses=(RENEWED,)), on=ON)
    assert frame["subscription_id"].tolist() == [old]


def test_a_subscription_is_renewed_once_only(db, admin, catalogue):
    _, old = sell(db, admin, catalogue["NFX"], D(2025, 9, 5))
    with db.transaction() as session:
        first = followups.renewal_draft(session, admin, old, on=ON)
        second = followups.renewal_draft(session, admin, old, on=ON)
    for draft in (first, second):
        draft["payment_method"] = "QRIS"
    with db.transaction() as session:
        register.complete_sale(session, admin, first)

    with (
        pytest.raises(ValidationError, match="sudah diperpanjang"),
        db.transaction() as session,
    ):
        register.complete_sale(session, admin, second)


def test_renewal_must_be_for_the_same_number(db, admin, catalogue):
    _, old = sell(db, admin, catalogue["NFX"], D(2025, 9, 5))
    with pytest.raises(ValidationError, match="nomor WhatsApp yang sama"):
        sell(db, admin, catalogue["NFX"], D(2025, 10, 1), phone="081200000009",
             renews_subscription_id=old)  # fmt: skip


@pytest.mark.parametrize(
    ("sold_on", "product", "phone", "linked"),
    [
        (D(2025, 10, 30), "NFX", "081200000001", True),  # 25 days after expiry
        (D(2025, 11, 5), "NFX", "081200000001", False),  # 31 days after
        (D(2025, 10, 1), "NFX", "081200000001", True),  # a few days early
        (D(2025, 10, 10), "GPT", "081200000001", False),  # another product
        (D(2025, 10, 10), "NFX", "081200000002", False),  # another number
    ],
)
def test_a_same_product_sale_to_the_same_number_is_linked_without_the_button(
    db, admin, catalogue, sold_on, product, phone, linked
):
    _, old = sell(db, admin, catalogue["NFX"], D(2025, 9, 5))  # ends 2025-10-05
    new_sale, _ = sell(db, admin, catalogue[product], sold_on, phone=phone)

    assert renewed_by(db, old) == (new_sale if linked else None)


def test_voiding_the_renewing_sale_reopens_the_subscription(db, admin, catalogue):
    _, old = sell(db, admin, catalogue["NFX"], D(2025, 9, 5))
    new_sale, _ = sell(db, admin, catalogue["NFX"], D(2025, 10, 3))
    with db.transaction() as session:
        void_sale(session, admin, new_sale)
    assert renewed_by(db, old) is None
    with db.transaction() as session:
        row = list_subscriptions(session, ALL, on=D(2025, 10, 20)).iloc[0]
        assert row["status"] == EXPIRED

    with db.transaction() as session:
        restore_sale(session, admin, new_sale)
    assert renewed_by(db, old) == new_sale


def test_renewal_report_counts_rates_and_days_to_renewal(db, admin, catalogue):
    nfx, gpt = catalogue["NFX"], catalogue["GPT"]
    # Counted on 3 November: Fajar's ChatGPT ended in September; in October
    # Ani (followed up, renews 3 days later), Budi (followed up, no renewal),
    # Citra (renews without follow-up), Dewi (ChatGPT, no renewal). Eko's and
    # the renewals' own subscriptions have not ended yet.
    subs = {
        "Fajar": sell(db, admin, gpt, D(2025, 8, 20), "Fajar", "081200000006")[1],
        "Ani": sell(db, admin, nfx, D(2025, 9, 2), "Ani", "081200000001")[1],
        "Budi": sell(db, admin, nfx, D(2025, 9, 3), "Budi", "081200000002")[1],
        "Citra": sell(db, admin, nfx, D(2025, 9, 4), "Citra", "081200000003")[1],
        "Dewi": sell(db, admin, gpt, D(2025, 9, 25), "Dewi", "081200000004")[1],
        "Eko": sell(db, admin, gpt, D(2025, 10, 20), "Eko", "081200000005")[1],
    }
    for name in ("Ani", "Budi"):
        with db.transaction() as session:
            followups.record_follow_up(session, admin, subs[name], on=ON)
    with db.transaction() as session:
        # Logged on 2 October 2025, 10:00 in Jakarta.
        session.execute(
            update(FollowUp).values(
                created_at=dt.datetime(2025, 10, 2, 3, tzinfo=dt.UTC)
            )
        )
    sell(db, admin, nfx, D(2025, 10, 5), "Ani", "081200000001")
    sell(db, admin, nfx, D(2025, 10, 4), "Citra", "081200000003")

    with db.transaction() as session:
        report = renewal_report(
            session, D(2025, 9, 1), D(2025, 12, 31), on=D(2025, 11, 3)
        )
    by_follow_up = report.by_follow_up.set_index("tindak lanjut")

    assert (report.subscriptions, report.renewed) == (5, 2)
    assert report.rate == 0.4
    assert by_follow_up.loc[FOLLOWED, ["langganan", "diperpanjang"]].tolist() == [2, 1]
    assert by_follow_up.loc[NOT_FOLLOWED, ["langganan", "diperpanjang"]].tolist() == [
        3, 1
    ]  # fmt: skip
    assert report.by_month["bulan"].tolist() == ["2025-09", "2025-10"]
    assert report.by_month["langganan"].tolist() == [1, 4]
    products_ = report.by_product.set_index("produk")
    assert products_.loc["Netflix", "tingkat"] == pytest.approx(2 / 3)
    assert products_.loc["ChatGPT", "diperpanjang"] == 0
    assert report.median_days_to_renewal == 3
    assert report.renewals_after_follow_up == 1
