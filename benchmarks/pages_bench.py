"""Time the pages at 10k sale lines and at workload S, on SQLite and PostgreSQL.

For each database it measures, with Streamlit's AppTest through app.py:
the script run time of the dashboard, the sales history, the withdrawals and
the monitoring pages, each cold (first run after a write) and warm (the data
version unchanged), and the bytes each page sends for its grids; then the
dashboard's queries run directly ("SQL"), and a naive dashboard that loads
every row into pandas and groups there.

Databases are made with benchmarks.generate, or given with --url (an already
generated database is reused as is). Run from the repository root:

    PYTHONPATH=. .venv/bin/python benchmarks/pages_bench.py --size 10k \\
        --backend sqlite --backend postgresql
    PYTHONPATH=. .venv/bin/python benchmarks/pages_bench.py --url sqlite:///s.db
"""

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from office_core import dashboard, data_version
from office_core.accounts import ADMIN, Actor
from office_core.dashboard import Period
from office_core.dates import today
from office_core.db import Database
from office_core.models import (
    Platform,
    Sale,
    SaleLine,
    Subscription,
    User,
    Withdrawal,
)

SIZES = {"10k": (10_000, 1_000, 2_000), "S": (1_000_000, 100_000, 200_000)}
PAGES = {
    "dashboard": "pages/dashboard.py",
    "history": "pages/history.py",
    "withdrawals": "pages/withdrawals.py",
    "monitoring": "pages/monitoring.py",
}
RUNS = 7
ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    args = parse_args()
    targets = [(url, "given") for url in args.url]
    for size in args.size:
        for backend in args.backend:
            targets.append((None, f"{backend}:{size}"))
    for url, label in targets:
        if url:
            measure(url, label, args.naive)
        else:
            with generated(*label.split(":")) as made:
                measure(made, label, args.naive)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", default=[])
    parser.add_argument("--size", action="append", default=[], choices=SIZES)
    parser.add_argument(
        "--backend", action="append", default=[], choices=("sqlite", "postgresql")
    )
    parser.add_argument(
        "--no-naive",
        dest="naive",
        action="store_false",
        help="skip the naive pandas dashboard (about 20 s a run at S)",
    )
    return parser.parse_args()


class generated:
    """A fresh database of one size, generated, then dropped on exit."""

    def __init__(self, backend: str, size: str):
        self.backend, self.size = backend, size

    def __enter__(self) -> str:
        from tests.conftest import fresh_database_url

        self.folder = tempfile.TemporaryDirectory()
        self.url, self.drop = fresh_database_url(self.backend, Path(self.folder.name))
        lines, withdrawals, subscriptions = SIZES[self.size]
        command = [sys.executable, "-m", "benchmarks.generate", "--url", self.url]
        command += ["--lines", str(lines), "--withdrawals", str(withdrawals)]
        command += ["--subscriptions", str(subscriptions)]
        subprocess.run(command, check=True, cwd=ROOT, env=_env())
        return self.url

    def __exit__(self, *_exc) -> None:
        self.drop()
        self.folder.cleanup()


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def measure(url: str, label: str, naive: bool = True) -> None:
    """Print every figure for one database."""
    database = Database(url)
    database.migrate()
    print(f"\n## {label} ({database.engine.dialect.name})")
    print(row_counts(database))
    period = Period(today() - dt.timedelta(days=29), today())
    sql = timed(lambda: dashboard_queries(database, period))
    print(f"dashboard SQL queries: median {sql:.0f} ms")
    if naive:
        slow = timed(lambda: naive_dashboard(database, period), runs=3)
        check_same(database, period)
        print(f"naive pandas dashboard: median {slow:.0f} ms ({slow / sql:.0f}x)")
    for name, path in PAGES.items():
        measure_page(database, url, name, path)
    database.dispose()


def row_counts(database: Database) -> str:
    with database.transaction() as session:
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Sale, SaleLine, Withdrawal, Subscription)
        }
    return ", ".join(f"{n:,} {name}" for name, n in counts.items())


def dashboard_queries(database: Database, period: Period) -> None:
    """Run every query the dashboard page runs, in one transaction."""
    with database.transaction() as session:
        dashboard.kpis(session, period)
        dashboard.kpis(session, period.previous())
        dashboard.revenue_by_platform(session, period.start, period.end)
        dashboard.revenue_over_time(session, period, dashboard.DAY)
        dashboard.withdrawals_over_time(session, period, dashboard.DAY)
        dashboard.top_products(session, period)
        dashboard.expiring_per_week(session, period)
        dashboard.platform_balances(session, period.end)


def naive_dashboard(database: Database, period: Period) -> pd.DataFrame:
    """Load every row into pandas and compute the same figures there."""
    with database.engine.connect() as connection:
        sales = pd.read_sql(
            select(Sale.id, Sale.status, Sale.sold_on, Sale.total, Platform.name).join(
                Sale.platform
            ),
            connection,
        )
        lines = pd.read_sql(
            select(SaleLine.sale_id, SaleLine.product_name, SaleLine.qty,
                   SaleLine.subtotal),
            connection,
        )  # fmt: skip
        withdrawn = pd.read_sql(
            select(Withdrawal.platform_id, Withdrawal.amount, Withdrawal.withdrawn_on,
                   Withdrawal.deleted_at),
            connection,
        )  # fmt: skip
        pd.read_sql(select(Subscription.expires_on, Subscription.sale_line_id),
                    connection)  # fmt: skip
    inside = sales[
        (sales.status == "completed")
        & (sales.sold_on >= period.start)
        & (sales.sold_on <= period.end)
    ]
    by_platform = inside.groupby("name")["total"].agg(["count", "sum"])
    inside.groupby(["sold_on", "name"])["total"].sum()
    lines.merge(inside, left_on="sale_id", right_on="id").groupby("product_name")[
        "subtotal"
    ].sum().nlargest(10)
    withdrawn[withdrawn.deleted_at.isna()].groupby("platform_id")["amount"].sum()
    return by_platform


def check_same(database: Database, period: Period) -> None:
    """Refuse the figures if the SQL and the naive version disagree."""
    naive = naive_dashboard(database, period)
    with database.transaction() as session:
        frame = dashboard.revenue_by_platform(session, period.start, period.end)
    sql = {r.platform: (r.sales, r.revenue) for r in frame.itertuples()}
    pandas = {name: (int(r["count"]), int(r["sum"])) for name, r in naive.iterrows()}
    if sql != pandas:
        raise SystemExit(f"SQL and pandas disagree: {sql} != {pandas}")


def timed(action, runs: int = RUNS) -> float:
    """Return the median milliseconds of `action` after one warm-up run."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure_page(database: Database, url: str, name: str, path: str) -> None:
    """Print the page's run time, warm and cold (after a write), and grid bytes."""
    at = open_page(database, url, path)
    sent = grid_bytes(at)
    warm = timed(lambda: _run(at), runs=RUNS)
    cold = timed(lambda: _run_after_write(database, at), runs=RUNS)
    print(
        f"{name}: warm median {warm:.0f} ms, cold (after a write) median "
        f"{cold:.0f} ms, grids {sent / 1024:.0f} KiB"
    )


def open_page(database: Database, url: str, path: str):
    """Return an AppTest of the app signed in as the admin, on page `path`."""
    os.environ["DWIGITAL_DATABASE_URL"] = url
    from tests.ui.conftest import open_app
    from tests.ui.served_app import run_like_a_server

    run_like_a_server(pytest.MonkeyPatch())
    with database.transaction() as session:
        user = session.scalars(select(User).where(User.role == ADMIN)).first()
        actor = Actor(user_id=user.id, username=user.username, role=user.role)
    at = open_app(actor, path)
    if at.exception:
        raise SystemExit(f"{path} failed: {at.exception}")
    return at


def _run(at) -> None:
    at.run(timeout=120)
    if at.exception:
        raise SystemExit(f"page failed: {at.exception}")


def _run_after_write(database: Database, at) -> None:
    # Another session's write: the version moves and every cached read misses.
    with database.transaction() as session:
        data_version.bump(session)
    _run(at)


def grid_bytes(at) -> int:
    """Return the bytes of every table (dataframe, data editor) the page holds."""
    total = 0
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        # A grid's message holds its Arrow table: its size is what is sent.
        if proto is not None and type(proto).__name__ in ("Arrow", "Dataframe"):
            total += len(proto.SerializeToString())
    return total


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


if __name__ == "__main__":
    main()
