"""Time the register: three-line sales completed on SQLite and PostgreSQL.

Creates its own databases (a temporary SQLite file; a PostgreSQL database on
the server of DWIGITAL_BENCH_POSTGRES) and drops them afterwards. Run from the
repository root:

    PYTHONPATH=. .venv/bin/python benchmarks/register_bench.py

Reports, per database, the median and 99th percentile time to complete one
sale (one transaction, as the register page runs it), then the sales per
second of concurrent registers on PostgreSQL: as threads of one process (how
one Streamlit server serves several counters) and as separate processes (how
several server processes or machines share one database).
"""

import argparse
import datetime as dt
import multiprocessing
import os
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from office_core import accounts, products, register
from office_core.db import Database
from office_core.models import Platform, Sale

POSTGRES = os.environ.get(
    "DWIGITAL_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PASSWORD = "kata-sandi-bench-123"
CATALOGUE = [("NFX", "Netflix", 45_000), ("GPT", "ChatGPT", 85_000)]
CATALOGUE += [("CNV", "Canva", 30_000)]
CUSTOMERS = 500


def create_postgres() -> tuple[str, callable]:
    """Create an empty PostgreSQL database; return its URL and a dropper."""
    server = make_url(POSTGRES)
    name = f"dw_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


def prepare(url: str) -> dict:
    """Migrate the database and add an admin and the catalogue."""
    database = Database(url)
    database.migrate()
    with database.transaction() as session:
        admin = accounts.create_first_admin(session, "admin", PASSWORD)
        ids = [
            products.save_product(session, admin, code, name, price, 1).id
            for code, name, price in CATALOGUE
        ]
        channels = dict(session.execute(select(Platform.name, Platform.id)).all())
    database.dispose()
    return {
        "admin": admin,
        "products": ids,
        "direct": channels["Non Platform"],
        "shopee": channels["Shopee"],
    }


def draft(setup: dict, n: int) -> dict:
    """Return the n-th sale: three lines, every other one for a known customer."""
    direct = n % 2 == 0
    phone = f"0812{n % CUSTOMERS:08d}"
    return register.Draft(
        platform_id=setup["direct"] if direct else setup["shopee"],
        sold_on=dt.date(2025, 9, 7),
        customer_name=f"Pelanggan {n % CUSTOMERS}",
        customer_phone=phone if direct else "",
        payment_method="QRIS",
        lines=[
            register.DraftLine(pid, qty=1 + (n + k) % 3, discount=(n % 4) * 1_000)
            for k, pid in enumerate(setup["products"])
        ],
    ).to_dict()


def complete(database: Database, setup: dict, n: int) -> float:
    """Complete one sale as the register page does; return its time in ms."""
    started = time.perf_counter()
    with database.transaction() as session:
        register.complete_sale(session, setup["admin"], draft(setup, n))
    return (time.perf_counter() - started) * 1000


def sequential(url: str, setup: dict, count: int) -> list[float]:
    database = Database(url)
    try:
        return [complete(database, setup, n) for n in range(count)]
    finally:
        database.dispose()


def _register(url: str, setup: dict, first: int, count: int, start) -> None:
    database = Database(url)
    try:
        start.wait()
        for n in range(first, first + count):
            complete(database, setup, n)
    finally:
        database.dispose()


def concurrent(url: str, setup: dict, registers: int, each: int, kind: str) -> float:
    """Run `registers` registers at once; return sales per second."""
    if kind == "threads":
        start = threading.Barrier(registers + 1)
        make = threading.Thread
    else:
        start = multiprocessing.Barrier(registers + 1)
        make = multiprocessing.get_context("fork").Process
    workers = [
        make(target=_register, args=(url, setup, i * each, each, start))
        for i in range(registers)
    ]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.perf_counter()
    for worker in workers:
        worker.join()
    return registers * each / (time.perf_counter() - began)


def check(url: str, expected: int) -> None:
    """Refuse figures from a run that lost or duplicated a sale."""
    database = Database(url)
    with database.transaction() as session:
        count, distinct = session.execute(
            select(func.count(Sale.id), func.count(func.distinct(Sale.invoice_no)))
        ).one()
    database.dispose()
    assert count == distinct == expected, (count, distinct, expected)


def report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"{label}: {len(times)} sales, median {statistics.median(times):.1f} ms, "
        f"p99 {p99:.1f} ms per sale"
    )


def bench_sqlite(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        setup = prepare(url)
        report("SQLite", sequential(url, setup, count))
        check(url, count)


def bench_postgres(count: int) -> None:
    url, drop = create_postgres()
    try:
        setup = prepare(url)
        report("PostgreSQL", sequential(url, setup, count))
        check(url, count)
    finally:
        drop()


def bench_registers(registers: int, each: int) -> None:
    for kind in ("threads", "processes"):
        url, drop = create_postgres()
        try:
            rate = concurrent(url, prepare(url), registers, each, kind)
            check(url, registers * each)
            print(
                f"PostgreSQL, {registers} registers as {kind}: "
                f"{registers * each} sales, {rate:.0f} sales/s"
            )
        finally:
            drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=10_000)
    parser.add_argument("--registers", type=int, default=8)
    parser.add_argument("--each", type=int, default=1_250)
    parser.add_argument(
        "--part", choices=["all", "sqlite", "postgresql", "registers"], default="all"
    )
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, Python {os.sys.version.split()[0]}")
    if args.part in ("all", "sqlite"):
        bench_sqlite(args.sales)
    if args.part in ("all", "postgresql"):
        bench_postgres(args.sales)
    if args.part in ("all", "registers"):
        bench_registers(args.registers, args.each)


if __name__ == "__main__":
    main()
