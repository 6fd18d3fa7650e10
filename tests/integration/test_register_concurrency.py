"""Eight registers completing sales at once: no duplicate number, nothing lost."""

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import func, select

from office_core import products, register
from office_core.models import InvoiceCounter, Platform, Sale, SaleLine

REGISTERS = 8
SALES_EACH = 500
PHONES = [f"08129876{n:04d}" for n in range(16)]


def catalogue(db, admin) -> list[int]:
    rows = [
        ("NFX", "Netflix", 45_000),
        ("GPT", "ChatGPT", 85_000),
        ("CNV", "Canva", 30_000),
    ]
    with db.transaction() as session:
        return [
            products.save_product(session, admin, code, name, price, 1).id
            for code, name, price in rows
        ]


def channels(db) -> tuple[int, int]:
    with db.transaction() as session:
        names = dict(session.execute(select(Platform.name, Platform.id)).all())
    return names["Non Platform"], names["Shopee"]


def draft(register_no: int, n: int, product_ids, direct: int, shopee: int) -> dict:
    """Return the n-th three-line sale of one register."""
    non_platform = n % 2 == 0
    # A few customers shared by all registers: their first sales race.
    phone = PHONES[(register_no + n) % len(PHONES)]
    lines = [
        register.DraftLine(pid, qty=1 + (n + k) % 3, discount=(n % 5) * 1_000)
        for k, pid in enumerate(product_ids)
    ]
    return register.Draft(
        platform_id=direct if non_platform else shopee,
        sold_on=dt.date(2025, 9, 7),
        customer_name=f"Pelanggan {phone[-4:]}",
        customer_phone=phone if non_platform else "",
        payment_method="QRIS",
        lines=lines,
    ).to_dict()


@pytest.mark.load
@pytest.mark.timeout(900)
def test_eight_registers_completing_500_sales_each_lose_and_duplicate_nothing(
    db, admin
):
    """The issue's load: 8 registers × 500 three-line sales on every database.

    On a two-core machine this takes about 25–35 s on SQLite and 35–55 s on
    PostgreSQL or MariaDB.
    """
    product_ids = catalogue(db, admin)
    direct, shopee = channels(db)
    errors: list[BaseException] = []
    start = threading.Barrier(REGISTERS)

    def counter(register_no: int) -> None:
        start.wait()
        try:
            for n in range(SALES_EACH):
                sale = draft(register_no, n, product_ids, direct, shopee)
                with db.transaction() as session:
                    register.complete_sale(session, admin, sale)
        except BaseException as exc:  # reported below, with the register's number
            errors.append(exc)

    began = time.perf_counter()
    threads = [threading.Thread(target=counter, args=(i,)) for i in range(REGISTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began

    assert errors == []
    expected = REGISTERS * SALES_EACH
    with db.transaction() as session:
        numbers = list(session.scalars(select(Sale.invoice_no)))
        line_count = session.scalar(select(func.count(SaleLine.id)))
        line_sums = select(SaleLine.sale_id, func.sum(SaleLine.subtotal).label("sum"))
        line_sums = line_sums.group_by(SaleLine.sale_id).subquery()
        mismatched = session.scalar(
            select(func.count(Sale.id))
            .join(line_sums, line_sums.c.sale_id == Sale.id)
            .where(line_sums.c.sum != Sale.total)
        )
        bad_lines = session.scalar(
            select(func.count(SaleLine.id)).where(
                SaleLine.subtotal
                != SaleLine.unit_price * SaleLine.qty - SaleLine.discount
            )
        )
        last_seq = session.scalar(select(InvoiceCounter.last_seq))
    assert len(numbers) == len(set(numbers)) == expected
    assert line_count == 3 * expected
    assert (mismatched, bad_lines) == (0, 0)
    # Numbers run 1..4000 without a gap: none was skipped or used twice.
    assert sorted(int(number[-5:]) for number in numbers) == list(
        range(1, expected + 1)
    )
    assert last_seq == expected
    print(f"{db.engine.dialect.name}: {expected} sales in {elapsed:.1f} s")
