"""Time the monitoring page's script run with 200,000 subscriptions.

Fills a temporary SQLite database (or the PostgreSQL server of
DWIGITAL_BENCH_POSTGRES with --postgres) with non-platform sales, one
subscription each, sold over the last two years, for 40,000
customers; about 1,500 of them follow-ups. Then runs the app (app.py, signed
in as an admin) on the monitoring page with Streamlit's AppTest and times
each script run: the default view, a search by number, a status filter, and
the last page. Run from the repository root:

    PYTHONPATH=. .venv/bin/python benchmarks/monitoring_bench.py
    PYTHONPATH=. .venv/bin/python benchmarks/monitoring_bench.py --postgres
"""

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time

from sqlalchemy import insert, select, text

from benchmarks.register_bench import create_postgres
from office_core import accounts, products
from office_core.dates import expiry_date, now, today
from office_core.db import Database
from office_core.models import (
    Customer,
    FollowUp,
    Platform,
    Sale,
    SaleLine,
    Subscription,
)

SUBSCRIPTIONS = 200_000
CUSTOMERS = 40_000
CHUNK = 10_000
RUNS = 20
PASSWORD = "kata-sandi-bench-123"


def fill(database: Database, count: int) -> accounts.Actor:
    """Add an admin, two products and `count` subscriptions; return the admin."""
    with database.transaction() as session:
        admin = accounts.create_first_admin(session, "admin", PASSWORD)
        ids = [
            products.save_product(session, admin, code, name, 50_000, 1).id
            for code, name in (("NFX", "Netflix"), ("GPT", "ChatGPT"))
        ]
        direct = session.scalar(select(Platform.id).where(~Platform.is_marketplace))
    with database.engine.begin() as connection:
        _customers(connection)
        for start in range(0, count, CHUNK):
            _chunk(connection, start, min(count, start + CHUNK), ids, direct)
    if database.engine.dialect.name == "postgresql":
        # What autovacuum would soon do after such a load: gather statistics.
        with database.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("ANALYZE")
            )
    return admin


def _customers(connection) -> None:
    connection.execute(insert(Customer), [
        {"id": n + 1, "name": f"Pelanggan {n}", "phone": f"+628122{n:07d}",
         "created_at": now(), "no_reminders": n % 50 == 0}
        for n in range(CUSTOMERS)
    ])  # fmt: skip


def _chunk(connection, start: int, end: int, product_ids, platform_id) -> None:
    first_day = today() - dt.timedelta(days=730)
    sales, lines, subs, follow_ups = [], [], [], []
    for n in range(start, end):
        sold_on = first_day + dt.timedelta(days=(n * 7919) % 731)
        customer = n % CUSTOMERS + 1
        months = 1 + n % 3
        sales.append({"id": n + 1, "invoice_no": f"BENCH{n:08d}", "status": "completed",
                      "sold_on": sold_on, "platform_id": platform_id,
                      "customer_id": customer, "customer_name": f"Pelanggan {n}",
                      "customer_phone": f"+628122{customer - 1:07d}",
                      "payment_method": "QRIS", "total": 50_000, "amount_paid": 50_000,
                      "notes": "", "source": "bench", "version": 1,
                      "created_by": "admin", "created_at": now()})  # fmt: skip
        lines.append({"id": n + 1, "sale_id": n + 1, "position": 1,
                      "product_id": product_ids[n % 2],
                      "product_name": ("Netflix", "ChatGPT")[n % 2],
                      "unit_price": 50_000, "qty": 1, "discount": 0,
                      "subtotal": 50_000, "duration_months": months})  # fmt: skip
        subs.append({"id": n + 1, "sale_line_id": n + 1, "customer_id": customer,
                     "starts_on": sold_on, "months": months,
                     "expires_on": expiry_date(sold_on, months)})  # fmt: skip
        if n % 130 == 0:
            follow_ups.append({"subscription_id": n + 1, "customer_id": customer,
                               "channel": "link", "template": "follow_up_template",
                               "message": "Halo", "created_by": "admin",
                               "created_at": now()})  # fmt: skip
    for table, rows in ((Sale, sales), (SaleLine, lines), (Subscription, subs),
                        (FollowUp, follow_ups)):  # fmt: skip
        connection.execute(insert(table), rows)


def time_runs(url: str, admin: accounts.Actor) -> dict[str, list[float]]:
    """Return the script run times of each view, in milliseconds."""
    import pytest

    from tests.ui.conftest import open_app
    from tests.ui.served_app import run_like_a_server

    os.environ["DWIGITAL_DATABASE_URL"] = url
    with pytest.MonkeyPatch.context() as patch:
        run_like_a_server(patch)
        return _views(open_app(admin, "pages/monitoring.py"))


def _views(at) -> dict[str, list[float]]:
    views = {
        "default view": lambda: None,
        "search by number": lambda: at.text_input(key="mon_search").set_value(
            "0812-2000-1234"
        ),
        "expired filter, all dates": lambda: (
            at.text_input(key="mon_search").set_value(""),
            at.date_input(key="mon_from").set_value(None),
            at.multiselect(key="mon_status").set_value(["kedaluwarsa"]),
        ),
        "last page of every status": lambda: (
            at.multiselect(key="mon_status").set_value([]),
            at.number_input(key="mon_page").set_value(SUBSCRIPTIONS // 50),
        ),
    }
    results = {}
    for name, change in views.items():
        change()
        results[name] = [_timed(at) for _ in range(RUNS)]
        assert not at.exception, at.exception
    return results


def _timed(at) -> float:
    started = time.perf_counter()
    at.run()
    return (time.perf_counter() - started) * 1000


def report(label: str, results: dict[str, list[float]]) -> None:
    print(f"\n{label}: {RUNS} script runs per view (ms)")
    for name, times in results.items():
        print(f"  {name:30} median {statistics.median(times):7.1f}   "
              f"max {max(times):7.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--subscriptions", type=int, default=SUBSCRIPTIONS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url, drop = (create_postgres() if args.postgres
                     else (f"sqlite:///{folder}/bench.db", lambda: None))  # fmt: skip
        database = Database(url)
        try:
            database.migrate()
            started = time.perf_counter()
            admin = fill(database, args.subscriptions)
            print(f"filled {args.subscriptions} subscriptions in "
                  f"{time.perf_counter() - started:.0f} s")  # fmt: skip
            report("PostgreSQL" if args.postgres else "SQLite", time_runs(url, admin))
        finally:
            database.dispose()
            drop()


if __name__ == "__main__":
    main()
