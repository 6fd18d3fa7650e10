"""Fill a database with realistic sales, withdrawals and subscriptions.

Run from the repository root, e.g. workload S:

    PYTHONPATH=. .venv/bin/python -m benchmarks.generate --url sqlite:///s.db \\
        --lines 1000000 --withdrawals 100000 --subscriptions 200000

The sales are spread over `--days` days ending today (Jakarta), one to three
lines each; a non-platform line starts a subscription, so the share of
non-platform lines follows from `--subscriptions`. Rows go in with bulk
inserts in chunks, not through the register, which would take hours.
"""

import argparse
import datetime as dt
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from office_core import accounts, data_version, products
from office_core.dates import expiry_date, today
from office_core.db import Database
from office_core.models import (
    Customer,
    InvoiceCounter,
    Platform,
    Product,
    Sale,
    SaleLine,
    Subscription,
    User,
    Withdrawal,
)
from office_core.platforms import NON_PLATFORM

TABLES = ["sales", "sale_lines", "subscriptions", "withdrawals", "customers"]
PASSWORD = "kata-sandi-generator-123"
CHUNK = 20_000
CATALOGUE = [
    ("NFX1", "Netflix Premium 1 Bulan", 45_000, 1),
    ("NFX3", "Netflix Premium 3 Bulan", 125_000, 3),
    ("GPT1", "ChatGPT Plus 1 Bulan", 85_000, 1),
    ("CNV12", "Canva Pro 1 Tahun", 150_000, 12),
    ("SPT1", "Spotify Premium 1 Bulan", 25_000, 1),
    ("YT1", "YouTube Premium 1 Bulan", 20_000, 1),
    ("YT6", "YouTube Premium 6 Bulan", 99_000, 6),
    ("DSN1", "Disney+ Hotstar 1 Bulan", 30_000, 1),
    ("CAP1", "CapCut Pro 1 Bulan", 35_000, 1),
    ("WEB", "Jasa Website", 1_500_000, 12),
]
MARKETPLACE_SHARE = {"Shopee": 40, "Tokopedia": 25, "TikTok Shop": 22, "Lazada": 13}
NAMES = ["Arif", "Budi", "Citra", "Dewi", "Eka", "Fajar", "Gita", "Hadi", "Indah"]
NAMES += ["Joko", "Kartika", "Lina", "Made", "Nur", "Putri", "Rizky", "Sari", "Tono"]
PAYMENTS = ["QRIS", "Transfer BCA", "GoPay", "OVO", "DANA", "Cash"]


@dataclass
class Plan:
    """What to generate, and the ids already taken in the database."""

    lines: int
    withdrawals: int
    subscriptions: int
    days: int
    end: dt.date
    rng: random.Random
    next_id: dict[str, int] = field(default_factory=dict)

    @property
    def start(self) -> dt.date:
        return self.end - dt.timedelta(days=self.days - 1)

    def take_id(self, table: str) -> int:
        self.next_id[table] += 1
        return self.next_id[table]


@dataclass
class Setup:
    """The catalogue, platforms and customers the generated rows refer to."""

    products: list[Product]
    marketplaces: list[tuple[int, int]]
    direct: int
    customers: list[tuple[int, str, str]]


def main() -> None:
    args = parse_args()
    database = Database(args.url)
    database.migrate()
    started = time.perf_counter()
    counts = generate(database, args)
    analyze(database)
    database.dispose()
    seconds = time.perf_counter() - started
    summary = ", ".join(f"{n:,} {what}" for what, n in counts.items())
    print(f"{summary} in {seconds:.0f} s")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="SQLAlchemy database URL")
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--withdrawals", type=int, help="default: lines / 10")
    parser.add_argument("--subscriptions", type=int, help="default: lines / 5")
    parser.add_argument("--days", type=int, default=3 * 365)
    parser.add_argument("--seed", type=int, default=5)
    return parser.parse_args()


def generate(database: Database, args: argparse.Namespace) -> dict[str, int]:
    """Add the rows `args` asks for; return how many of each were added."""
    plan = Plan(
        lines=args.lines,
        withdrawals=_or(args.withdrawals, args.lines // 10),
        subscriptions=_or(args.subscriptions, args.lines // 5),
        days=args.days,
        end=today(),
        rng=random.Random(args.seed),
    )
    with database.transaction() as session:
        setup = prepare(session, plan)
    counts = {"sales": 0, "sale lines": 0, "subscriptions": 0, "withdrawals": 0}
    net = {platform_id: 0 for platform_id, _ in setup.marketplaces}
    for chunk in sale_chunks(plan, setup):
        with database.transaction() as session:
            write_sales(session, chunk, counts, net)
    with database.transaction() as session:
        counts["withdrawals"] = write_withdrawals(session, plan, net)
        finish(session, plan.next_id["sales"])
    return counts


def _or(given: int | None, default: int) -> int:
    return default if given is None else given


def prepare(session: Session, plan: Plan) -> Setup:
    """Add an admin, the catalogue and customers; note the ids in use."""
    admin = _admin(session)
    known = set(session.scalars(select(Product.code)))
    for code, name, price, months in CATALOGUE:
        if code not in known:
            products.save_product(session, admin, code, name, price, months)
    session.flush()
    for table in (Sale, SaleLine, Subscription, Withdrawal, Customer):
        name = table.__tablename__
        plan.next_id[name] = session.scalar(select(func.max(table.id))) or 0
    return Setup(
        products=list(session.scalars(select(Product).where(Product.active))),
        marketplaces=_marketplaces(session),
        direct=session.scalar(select(Platform.id).where(Platform.name == NON_PLATFORM)),
        customers=_customers(session, plan),
    )


def _admin(session: Session) -> accounts.Actor:
    if accounts.needs_first_admin(session):
        return accounts.create_first_admin(session, "admin", PASSWORD)
    user = session.scalars(select(User).where(User.role == accounts.ADMIN)).first()
    return accounts.Actor(user_id=user.id, username=user.username, role=user.role)


def _marketplaces(session: Session) -> list[tuple[int, int]]:
    rows = session.execute(select(Platform.id, Platform.name).where(Platform.active))
    return [
        (platform_id, MARKETPLACE_SHARE.get(name, 5))
        for platform_id, name in rows
        if name != NON_PLATFORM
    ]


def _customers(session: Session, plan: Plan) -> list[tuple[int, str, str]]:
    """Add one customer per about ten subscriptions; return (id, name, phone)."""
    wanted = max(1, plan.subscriptions // 10)
    rows = []
    for _ in range(wanted):
        customer_id = plan.take_id("customers")
        name = f"{plan.rng.choice(NAMES)} {plan.rng.choice(NAMES)}"
        rows.append(
            {"id": customer_id, "name": name, "phone": f"+62812{customer_id:08d}"}
        )
    for part in _parts(rows):
        session.execute(insert(Customer), part)
    return [(r["id"], r["name"], r["phone"]) for r in rows]


def sale_chunks(plan: Plan, setup: Setup) -> Iterator[dict[str, list[dict]]]:
    """Yield the sales, lines and subscriptions to insert, a chunk at a time."""
    lines_left, direct_left = plan.lines, plan.subscriptions
    chunk = _empty_chunk()
    while lines_left > 0:
        size = min(plan.rng.choice((1, 1, 2, 2, 2, 3)), lines_left)
        # Chance follows what is left, so the count comes out (nearly) exact.
        direct = direct_left >= size and plan.rng.random() < direct_left / lines_left
        # Spread evenly over the days, so every period holds a similar share.
        day = (plan.lines - lines_left) * plan.days // plan.lines
        sold_on = plan.start + dt.timedelta(days=day)
        _add_sale(plan, setup, chunk, sold_on, size, direct)
        lines_left -= size
        direct_left -= size if direct else 0
        if len(chunk["sale_lines"]) >= CHUNK:
            yield chunk
            chunk = _empty_chunk()
    if chunk["sales"]:
        yield chunk


def _empty_chunk() -> dict[str, list[dict]]:
    return {"sales": [], "sale_lines": [], "subscriptions": []}


def _add_sale(plan, setup, chunk, sold_on: dt.date, size: int, direct: bool) -> None:
    rng = plan.rng
    sale_id = plan.take_id("sales")
    customer = rng.choice(setup.customers) if direct else None
    lines = [_line(plan, setup, sale_id, n, sold_on, customer) for n in range(size)]
    chunk["sale_lines"].extend(line for line, _ in lines)
    chunk["subscriptions"].extend(sub for _, sub in lines if sub)
    platform_id = setup.direct if direct else _pick_marketplace(rng, setup)
    total = sum(line["subtotal"] for line, _ in lines)
    chunk["sales"].append(
        {
            "id": sale_id,
            # The id as sequence: above every number the register gave before.
            "invoice_no": f"DW{sold_on:%y%m}{sale_id:05d}",
            "status": "void" if rng.random() < 0.01 else "completed",
            "sold_on": sold_on,
            "platform_id": platform_id,
            "customer_id": customer[0] if customer else None,
            "customer_name": customer[1] if customer else "",
            "customer_phone": customer[2] if customer else None,
            "payment_method": rng.choice(PAYMENTS),
            "total": total,
            "amount_paid": total,
            "source": "generated",
            "created_by": "admin",
        }
    )


def _pick_marketplace(rng: random.Random, setup: Setup) -> int:
    ids = [platform_id for platform_id, _ in setup.marketplaces]
    weights = [weight for _, weight in setup.marketplaces]
    return rng.choices(ids, weights)[0]


def _line(plan, setup, sale_id, position, sold_on, customer) -> tuple[dict, dict]:
    product = plan.rng.choice(setup.products)
    qty = 1 if plan.rng.random() < 0.9 else 2
    discount = 5_000 if plan.rng.random() < 0.1 else 0
    months = product.default_months if customer else None
    line = {
        "id": plan.take_id("sale_lines"),
        "sale_id": sale_id,
        "position": position,
        "product_id": product.id,
        "product_name": product.name,
        "unit_price": product.price,
        "qty": qty,
        "discount": discount,
        "subtotal": product.price * qty - discount,
        "duration_months": months,
    }
    if not customer:
        return line, None
    subscription = {
        "id": plan.take_id("subscriptions"),
        "sale_line_id": line["id"],
        "customer_id": customer[0],
        "starts_on": sold_on,
        "months": months,
        "expires_on": expiry_date(sold_on, months),
    }
    return line, subscription


def write_sales(session: Session, chunk: dict, counts: dict, net: dict) -> None:
    """Insert one chunk; add up each marketplace's completed sales."""
    session.execute(insert(Sale), chunk["sales"])
    for part in _parts(chunk["sale_lines"]):
        session.execute(insert(SaleLine), part)
    if chunk["subscriptions"]:
        session.execute(insert(Subscription), chunk["subscriptions"])
    for sale in chunk["sales"]:
        if sale["platform_id"] in net and sale["status"] == "completed":
            net[sale["platform_id"]] += sale["total"]
    counts["sales"] += len(chunk["sales"])
    counts["sale lines"] += len(chunk["sale_lines"])
    counts["subscriptions"] += len(chunk["subscriptions"])


def write_withdrawals(session: Session, plan: Plan, net: dict[int, int]) -> int:
    """Insert withdrawals taking out about 85% of each marketplace's sales."""
    total = sum(net.values()) or 1
    counts = {pid: plan.withdrawals * sold // total for pid, sold in net.items()}
    busiest = max(net, key=net.get)
    counts[busiest] += plan.withdrawals - sum(counts.values())
    rows = []
    for platform_id, sold in net.items():
        amount = sold * 85 // 100
        rows.extend(_withdrawals(plan, platform_id, amount, counts[platform_id]))
    for part in _parts(rows):
        session.execute(insert(Withdrawal), part)
    return len(rows)


def _withdrawals(plan: Plan, platform_id: int, amount: int, count: int) -> list[dict]:
    each = max(1, amount // max(count, 1))
    return [
        {
            "id": plan.take_id("withdrawals"),
            "platform_id": platform_id,
            "amount": each,
            "withdrawn_on": plan.start + dt.timedelta(days=n * plan.days // count),
            "notes": f"Penarikan {n + 1}",
            "created_by": "admin",
        }
        for n in range(count)
    ]


def finish(session: Session, last_sale_id: int) -> None:
    """Move the invoice counter and id sequences past the rows added."""
    counter = session.get(InvoiceCounter, "DW") or InvoiceCounter(prefix="DW")
    counter.last_seq = max(counter.last_seq or 0, last_sale_id)
    session.add(counter)
    if session.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
            )
    data_version.bump(session)


def analyze(database: Database) -> None:
    """Give the planner statistics and the visibility map, as autovacuum soon would.

    Without the map an index-only scan still reads every row it counts.
    """
    if database.engine.dialect.name == "postgresql":
        with database.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE"
            )


def _parts(rows: list[dict], size: int = 5_000) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


if __name__ == "__main__":
    main()
