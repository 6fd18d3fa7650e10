"""Dashboard aggregates, platform balances, exports and the data version.

Each figure is checked against sums computed here, independently, from the
rows themselves, on every supported database.
"""

import argparse
import csv
import datetime as dt
import io
from collections import Counter, defaultdict

import openpyxl
import pytest
from sqlalchemy import select

from benchmarks import generate
from office_core import (
    dashboard,
    data_version,
    exports,
    platforms,
    sales,
    settings,
    withdrawals,
)
from office_core.dashboard import Period
from office_core.dates import today
from office_core.errors import PermissionDenied, ValidationError
from office_core.models import Platform, Sale, SaleLine, Subscription, Withdrawal
from office_core.sales import LineDraft, SaleDraft, record_sale, void_sale

D = dt.date
# Names keep these as typed; tabs and carriage returns are cleaned out on entry.
HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "Biasa"]


def sell(session, actor, platform_id, product_id, price, day, name="", phone=""):
    draft = SaleDraft(
        platform_id=platform_id,
        lines=[LineDraft(product_id, unit_price=price, duration_months=1)],
        sold_on=day,
        customer_name=name,
        customer_phone=phone,
        payment_method="QRIS",
        notes=name,
    )
    return record_sale(session, actor, draft)


@pytest.fixture
def generated(db):
    """A small generated database: 300 lines over 60 days."""
    args = argparse.Namespace(
        lines=300, withdrawals=40, subscriptions=60, days=60, seed=7
    )
    return generate.generate(db, args)


def all_rows(db):
    with db.transaction() as session:
        sales = session.execute(
            select(Sale.id, Sale.status, Sale.sold_on, Sale.total, Platform.name).join(
                Sale.platform
            )
        ).all()
        lines = session.execute(
            select(SaleLine.sale_id, SaleLine.product_name, SaleLine.qty,
                   SaleLine.subtotal)
        ).all()  # fmt: skip
        withdrawn = session.execute(
            select(Withdrawal.withdrawn_on, Withdrawal.amount, Platform.name)
            .join(Withdrawal.platform)
            .where(Withdrawal.deleted_at.is_(None))
        ).all()
    return sales, lines, withdrawn


def test_generator_writes_the_sizes_asked_for(db, generated):
    with db.transaction() as session:
        channels = [
            s.line.sale.platform.name for s in session.scalars(select(Subscription))
        ]
        sales = session.scalars(select(Sale)).all()
        sums = [(sale.total, [line.subtotal for line in sale.lines]) for sale in sales]

    assert generated["sale lines"] == 300
    assert generated["withdrawals"] == 40
    assert generated["subscriptions"] == len(channels) == 60
    assert set(channels) == {"Non Platform"}
    assert all(total == sum(lines) for total, lines in sums)
    assert {len(lines) for _, lines in sums} == {1, 2, 3}


def test_dashboard_figures_equal_sums_of_the_rows(db, generated):
    period = Period(today() - dt.timedelta(days=20), today())
    sales, lines, withdrawn = all_rows(db)
    inside = [s for s in sales if s.status == "completed"
              and period.start <= s.sold_on <= period.end]  # fmt: skip
    by_platform = Counter()
    per_week = Counter()
    for sale in inside:
        by_platform[sale.name] += sale.total
        per_week[(dashboard.bucket_start(sale.sold_on, "week"), sale.name)] += (
            sale.total
        )
    ids = {sale.id for sale in inside}
    products = Counter()
    for line in lines:
        if line.sale_id in ids:
            products[line.product_name] += line.subtotal
    taken = sum(w.amount for w in withdrawn if period.start <= w.withdrawn_on
                <= period.end)  # fmt: skip

    with db.transaction() as session:
        kpis = dashboard.kpis(session, period)
        revenue = dashboard.revenue_by_platform(session, period.start, period.end)
        weekly = dashboard.revenue_over_time(session, period, dashboard.WEEK)
        top = dashboard.top_products(session, period, limit=100)

    assert kpis.revenue == sum(by_platform.values()) > 0
    assert kpis.sales == len(inside)
    assert kpis.average_sale == kpis.revenue // kpis.sales
    assert kpis.withdrawn == taken
    assert dict(zip(revenue.platform, revenue.revenue, strict=True)) == by_platform
    assert {(r.bucket, r.platform): r.amount for r in weekly.itertuples()} == per_week
    assert dict(zip(top["product"], top["revenue"], strict=True)) == products
    assert top["revenue"].is_monotonic_decreasing


def test_previous_period_has_the_same_length_and_ends_the_day_before():
    period = Period(D(2025, 3, 1), D(2025, 3, 31))

    assert period.previous() == Period(D(2025, 1, 29), D(2025, 2, 28))
    assert period.previous().days == period.days == 31


def test_subscription_kpis_and_expiring_weeks(db, admin, catalogue, channels):
    direct, nfx = channels["Non Platform"], catalogue["NFX"]
    with db.transaction() as session:
        for n, day in enumerate([D(2025, 8, 3), D(2025, 8, 28), D(2025, 9, 10)]):
            sell(session, admin, direct, nfx, 45_000, day, f"Pelanggan {n}",
                 f"08120000010{n}")  # fmt: skip
        voided = sell(session, admin, direct, nfx, 45_000, D(2025, 8, 29), "Batal",
                      "081200000109")  # fmt: skip
        void_sale(session, admin, voided.id)
    period = Period(D(2025, 9, 1), D(2025, 9, 30))

    with db.transaction() as session:
        kpis = dashboard.kpis(session, period, on=D(2025, 9, 25))
        weeks = dashboard.expiring_per_week(session, period)

    # On 25 Sep: the 28 Aug and 10 Sep ones run (to 28 Sep, 10 Oct); 3 Aug's ended.
    assert kpis.active_subscriptions == 2
    assert kpis.expiring_soon == 1
    assert dict(zip(weeks.week, weeks["count"], strict=True)) == {
        D(2025, 9, 1): 1,
        D(2025, 9, 22): 1,
        D(2025, 10, 6): 1,
    }


def test_balance_is_sales_net_of_fee_minus_withdrawals(db, admin, catalogue,
                                                       channels):  # fmt: skip
    shopee, lazada = channels["Shopee"], channels["Lazada"]
    with db.transaction() as session:
        platforms.set_fee_percent(session, admin, shopee, "2,5")
        sell(session, admin, shopee, catalogue["NFX"], 1_000_001, D(2025, 9, 1))
        sell(session, admin, lazada, catalogue["NFX"], 100_000, D(2025, 9, 1))
        withdrawals.record_withdrawal(session, admin, "Shopee", 900_000, D(2025, 9, 2))
        withdrawals.record_withdrawal(session, admin, "Lazada", 150_000, D(2025, 9, 2))
        withdrawals.record_withdrawal(session, admin, "Shopee", 1, D(2025, 10, 1))

    with db.transaction() as session:
        balances = {b.platform: b for b in dashboard.platform_balances(
            session, D(2025, 9, 30))}  # fmt: skip

    shop, laz = balances["Shopee"], balances["Lazada"]
    assert shop.fee == 25_000  # 2.5% of 1,000,001 rounded to whole Rupiah
    assert shop.net_sales == 975_001
    assert shop.held == 75_001
    assert not shop.overdrawn
    assert laz.held == -50_000
    assert laz.overdrawn
    assert "Non Platform" not in balances


@pytest.mark.parametrize("bad", ["-1", "100.5", "abc", "1.234", "NaN", ""])
def test_fee_percent_refuses_bad_values(db, admin, channels, bad):
    with db.transaction() as session, pytest.raises(ValidationError):
        platforms.set_fee_percent(session, admin, channels["Shopee"], bad)


def test_only_admins_set_fees_and_only_on_marketplaces(db, admin, manager, channels):
    with db.transaction() as session, pytest.raises(PermissionDenied):
        platforms.set_fee_percent(session, manager, channels["Shopee"], "3")
    with db.transaction() as session, pytest.raises(ValidationError):
        platforms.set_fee_percent(session, admin, channels["Non Platform"], "3")


@pytest.fixture
def hostile_sales(db, admin, catalogue, channels):
    """Sales whose customer names and notes look like spreadsheet formulas."""
    with db.transaction() as session:
        return [
            sell(session, admin, channels["Shopee"], catalogue["GPT"],
                 85_000 + n, D(2025, 9, 1 + n), name)
            for n, name in enumerate(HOSTILE)
        ]  # fmt: skip


def test_xlsx_keeps_types_and_never_holds_a_formula(db, hostile_sales):
    read = exports.reader_for(db)
    data = exports.export_xlsx(read, "sales", exports.ReportFilter())
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header, *rows = list(sheet.iter_rows())
    labels = [cell.value for cell in header]
    by_name = [dict(zip(labels, row, strict=True)) for row in rows]

    assert labels[:3] == ["No Faktur", "Tanggal", "Platform"]
    assert len(rows) == len(HOSTILE)
    assert all(cell.data_type != "f" for row in rows for cell in row)
    for row, sale in zip(by_name, hostile_sales, strict=True):
        assert row["Tanggal"].data_type == "d"
        assert row["Tanggal"].value.date() == sale.sold_on
        assert row["Total"].data_type == "n"
        assert row["Total"].value == sale.total
        assert row["Pelanggan"].data_type == "s"
        assert row["Pelanggan"].value == sale.customer_name
        assert row["Pelanggan"].quotePrefix == (sale.customer_name != "Biasa")
        assert row["No Faktur"].value == sale.invoice_no


def test_csv_puts_an_apostrophe_before_formula_like_text(db, hostile_sales):
    read = exports.reader_for(db)
    data = exports.export_csv(read, "sales", exports.ReportFilter())
    text = data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))

    assert data.startswith(b"\xef\xbb\xbf")
    assert [row["Pelanggan"] for row in rows] == [
        "'" + name for name in HOSTILE[:-1]
    ] + ["Biasa"]
    assert [int(row["Total"]) for row in rows] == [s.total for s in hostile_sales]
    assert rows[0]["Tanggal"] == "2025-09-01"


def test_exports_walk_every_row_once_in_chunks(db, generated):
    filters = exports.ReportFilter(platform_ids=())
    pieces = list(exports.chunks(exports.reader_for(db), "sale_lines", filters, 7))
    with db.transaction() as session:
        count = exports.count_rows(session, "sale_lines", filters)
        first = exports.page(session, "sale_lines", filters, limit=10)
    seen = [row["id"] for piece in pieces for row in piece]

    assert len(seen) == len(set(seen)) == count
    assert seen == sorted(seen)
    assert max(len(piece) for piece in pieces) == 7
    assert list(first.columns) == [c.key for c in exports.columns_of("sale_lines")]
    assert first["sold_on"].is_monotonic_decreasing


def test_progress_reaches_the_total(db, generated):
    seen = []
    exports.export_csv(
        exports.reader_for(db),
        "withdrawals",
        exports.ReportFilter(),
        lambda done, total: seen.append((done, total)),
    )

    assert seen[-1] == (40, 40)


def test_a_long_export_lets_others_write_between_chunks(
    db, admin, generated, monkeypatch
):
    # SQLite locks the database for a whole transaction: an export in one
    # transaction would stop every register until the file is written.
    monkeypatch.setattr(exports, "CHUNK", 50)
    day = D(2025, 1, 1)

    def write_meanwhile(done, total):
        with db.transaction() as session:
            withdrawals.record_withdrawal(session, admin, "Shopee", 1_000, day)

    exports.export_xlsx(
        exports.reader_for(db), "sale_lines", exports.ReportFilter(), write_meanwhile
    )

    with db.transaction() as session:
        added = exports.count_rows(
            session, "withdrawals", exports.ReportFilter(end=day)
        )
    assert added == 6


def test_monthly_summary_equals_sums_of_the_rows(db, generated):
    sales, _, withdrawn = all_rows(db)
    expected = defaultdict(lambda: [0, 0, 0])
    for sale in sales:
        if sale.status == "completed":
            expected[f"{sale.sold_on:%Y-%m}"][0] += 1
            expected[f"{sale.sold_on:%Y-%m}"][1] += sale.total
    for w in withdrawn:
        expected[f"{w.withdrawn_on:%Y-%m}"][2] += w.amount

    with db.transaction() as session:
        frame = exports.monthly_summary(session, exports.ReportFilter())

    got = {r.month: [r.sales, r.revenue, r.withdrawn] for r in frame.itertuples()}
    assert got == dict(expected)


def test_platform_filter_narrows_every_list(db, generated, channels):
    wanted = exports.ReportFilter(platform_ids=(channels["Lazada"],))
    with db.transaction() as session:
        frame = exports.page(session, "sales", wanted, limit=1000)
        total = exports.count_rows(session, "sales", exports.ReportFilter())

    assert set(frame["platform"]) == {"Lazada"}
    assert 0 < len(frame) < total


def test_every_write_raises_the_data_version_and_reads_do_not(db, admin, catalogue,
                                                              channels):  # fmt: skip
    other_process = type(db)(db.url)
    with db.transaction() as session:
        start = data_version.current(session)
    with db.transaction() as session:
        dashboard.kpis(session, Period(D(2025, 1, 1), D(2025, 12, 31)))
    with other_process.transaction() as session:
        after_read = data_version.current(session)
    with db.transaction() as session:
        sale = sell(session, admin, channels["Shopee"], catalogue["NFX"], 45_000,
                    D(2025, 9, 1))  # fmt: skip
    with other_process.transaction() as session:
        after_sale = data_version.current(session)
    with db.transaction() as session:
        void_sale(session, admin, sale.id)
    with other_process.transaction() as session:
        after_void = data_version.current(session)
    other_process.dispose()

    assert after_read == start
    assert start < after_sale < after_void


def test_history_line_counts_equal_the_rows_of_each_status(db, generated):
    rows, lines, _ = all_rows(db)
    status_of = {sale.id: sale.status for sale in rows}
    per_status = Counter(status_of[line.sale_id] for line in lines)

    with db.transaction() as session:
        completed = sales.count_history(session, sales.SaleFilter())
        voided = sales.count_history(session, sales.SaleFilter(status=sales.VOID))
        first_week = sales.SaleFilter(
            end=min(sale.sold_on for sale in rows) + dt.timedelta(days=6)
        )
        early = sales.count_history(session, first_week)

    assert completed == per_status[sales.COMPLETED] > 0
    assert voided == per_status[sales.VOID] > 0
    assert early == sum(
        1
        for line in lines
        if status_of[line.sale_id] == sales.COMPLETED
        and next(s.sold_on for s in rows if s.id == line.sale_id) <= first_week.end
    )


def test_a_settings_change_raises_the_data_version(db, admin):
    with db.transaction() as session:
        start = data_version.current(session)
    with db.transaction() as session:
        settings.update(session, admin, "expiring_soon_days", 10)
    with db.transaction() as session:
        assert data_version.current(session) > start


def test_a_refused_write_leaves_the_data_version(db, manager, channels):
    with db.transaction() as session:
        start = data_version.current(session)
    with pytest.raises(PermissionDenied), db.transaction() as session:
        withdrawals.record_withdrawal(session, manager, "Shopee", 1_000, D(2025, 9, 1))
    with db.transaction() as session:
        assert data_version.current(session) == start


def test_too_large_an_export_is_refused_with_a_message(db, generated, monkeypatch):
    monkeypatch.setattr(exports, "MAX_ROWS", 10)
    with pytest.raises(ValidationError) as refused:
        exports.export_xlsx(
            exports.reader_for(db), "sale_lines", exports.ReportFilter()
        )

    assert "Persempit periode" in refused.value.message


@pytest.mark.parametrize("text", ["=1+1", "+62", "-5", "@A1", "\tx", "\rx"])
def test_any_formula_start_is_neutralised(text):
    assert exports.safe_text(text) == "'" + text
    assert exports.safe_text("a" + text) == "a" + text
