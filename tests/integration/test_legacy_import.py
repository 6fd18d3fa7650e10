"""Importing the business's real spreadsheets on every supported database.

The expected numbers are computed here from the raw CSV with the test's own
small reader, not with the importer's parsers.
"""

import csv
import datetime as dt
import json
import re
from collections import defaultdict

import pytest
from sqlalchemy import func, select

from office_core import cli, sales
from office_core import legacy_import as li
from office_core.errors import PermissionDenied
from office_core.models import (
    AuditEntry,
    ImportedRow,
    Product,
    Sale,
    SaleLine,
    Subscription,
    Withdrawal,
)
from office_core.platforms import resolve_platform
from office_core.withdrawals import WithdrawalFilter, totals_by_platform
from tests.conftest import BACKENDS, _open, make_admin
from tests.paths import legacy_file

FILES = [
    (li.PRODUCTS, "produk.csv"),
    (li.WITHDRAWALS, "withdraw.csv"),
    (li.SALES, "penjualan.csv"),
]
PLATFORM_NAMES = {
    "shopee": "Shopee",
    "tokopedia": "Tokopedia",
    "tokped": "Tokopedia",
    "tiktok": "TikTok Shop",
    "tiktok shop": "TikTok Shop",
    "lazada": "Lazada",
}
DIRECT = {"", "-", "non platform"}


def raw_rows(name: str) -> list[dict[str, str]]:
    """Return the file's data rows, without blank and TOTAL rows and exact copies."""
    with legacy_file(name).open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    header, kept, seen = records[0], [], set()
    for record in records[1:]:
        if is_skipped(record) or tuple(record) in seen:
            continue
        seen.add(tuple(record))
        kept.append(dict(zip(header, record, strict=True)))
    return kept


def is_skipped(record: list[str]) -> bool:
    cells = [cell.strip() for cell in record]
    return not any(cells) or "TOTAL" in cells


def rupiah(text: str) -> int:
    text = text.replace("Rp", "").replace(" ", "").removesuffix(",00")
    return int(text.replace(".", "") or 0)


def buyer(row: dict[str, str]) -> tuple[str, str]:
    return row["No Faktur"], row["Nama Konsumen"] or row["Customer"]


def expected_sales() -> dict[str, int]:
    rows = raw_rows("penjualan.csv")
    # The three numbers too short for any Indonesian mobile cannot be imported,
    # nor can the rest of their sale.
    short = {buyer(r) for r in rows if 0 < len(re.sub(r"\D", "", r["No HP"])) < 9}
    rows = [row for row in rows if buyer(row) not in short]
    sales_keys = {buyer(row) for row in rows}
    return {
        "lines": len(rows),
        "revenue": sum(rupiah(row["Total"]) for row in rows),
        "sales": len(sales_keys),
        "renumbered": len(sales_keys) - len({number for number, _ in sales_keys}),
        "direct_lines": sum(row["Platform"].strip().lower() in DIRECT for row in rows),
        "rejected": len(short),
    }


def expected_withdrawals() -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    rows = raw_rows("withdraw.csv")
    for row in rows:
        totals[PLATFORM_NAMES[row["Sumber Dana"].strip().lower()]] += rupiah(
            row["Nominal"]
        )
    return {"count": len(rows), "per_platform": dict(totals)}


def run_import(db, actor, kind: str, name: str, data: bytes | None = None):
    data = legacy_file(name).read_bytes() if data is None else data
    with db.transaction() as session:
        preview = li.preview_import(session, actor, kind, name, data)
        result = li.write_import(session, actor, preview)
    return preview, result


def import_all(db, actor) -> dict[str, tuple]:
    return {kind: run_import(db, actor, kind, name) for kind, name in FILES}


def counts(db) -> dict[str, int]:
    """Count what the imports wrote (sales made at the register are left out)."""
    imported_sales = Sale.source == "import"
    with db.transaction() as session:
        return {
            "products": session.scalar(select(func.count(Product.id))),
            "withdrawals": session.scalar(select(func.count(Withdrawal.id))),
            "withdrawn": int(
                session.scalar(select(func.coalesce(func.sum(Withdrawal.amount), 0)))
            ),
            "sales": session.scalar(select(func.count(Sale.id)).where(imported_sales)),
            "lines": session.scalar(
                select(func.count(SaleLine.id))
                .join(SaleLine.sale)
                .where(imported_sales)
            ),
            "revenue": int(
                session.scalar(
                    select(func.coalesce(func.sum(Sale.total), 0)).where(imported_sales)
                )
            ),
            "subscriptions": session.scalar(select(func.count(Subscription.id))),
            "imported_rows": session.scalar(select(func.count(ImportedRow.id))),
        }


@pytest.fixture(scope="module", params=BACKENDS)
def imported(request, tmp_path_factory):
    """One database per backend holding the three real files, imported once."""
    opened = _open(request.param, tmp_path_factory.mktemp("legacy"))
    database = next(opened)
    try:
        admin = make_admin(database)
        yield database, admin, import_all(database, admin)
    finally:
        opened.close()


def test_the_total_row_of_the_sales_file_checks_the_tests_own_reader():
    with legacy_file("penjualan.csv").open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    total_row = next(r for r in records if r["Produk"] == "TOTAL")
    lines = [r for r in records if r["No Faktur"]]

    assert sum(rupiah(r["Total"]) for r in lines) == rupiah(total_row["Total"])


def test_the_real_sales_import_matches_the_raw_file(imported):
    db, _, results = imported
    expected = expected_sales()
    preview, result = results[li.SALES]
    found = counts(db)

    assert found["sales"] == len(result.written) == expected["sales"]
    assert found["lines"] == result.rows == expected["lines"]
    assert found["revenue"] == expected["revenue"]
    assert found["subscriptions"] == expected["direct_lines"]
    assert len(preview.warnings) == expected["renumbered"]
    assert preview.problem_rows == expected["rejected"]
    assert preview.duplicates == 6 and preview.skipped == 2
    with db.transaction() as session:
        renumbered = select(func.count(Sale.id)).where(Sale.invoice_no.like("%-%"))
        assert session.scalar(renumbered) == expected["renumbered"]
        sources = set(session.scalars(select(Sale.source).distinct()))
    assert sources == {"import"}


def test_an_imported_non_platform_sale_keeps_its_customer_and_expiry(imported):
    db = imported[0]
    with db.transaction() as session:
        sale = session.scalar(select(Sale).where(Sale.invoice_no == "DW250100007"))
        line = sale.lines[0]
        assert (sale.customer_name, sale.customer_phone, sale.platform.name) == (
            "Mas Wadi Nasyiah",
            "+628149603699",
            "Non Platform",
        )
        assert (line.product_name, line.duration_months) == ("Disney+ Hotstar", 1)
        assert line.subscription.expires_on == dt.date(2025, 2, 4)
        assert sale.payment_method == "Transfer BCA"


def test_the_real_withdrawals_and_products_import_matches_the_raw_files(imported):
    db = imported[0]
    expected = expected_withdrawals()
    with db.transaction() as session:
        totals = totals_by_platform(session, WithdrawalFilter())
        codes = set(session.scalars(select(Product.code)))
    found = counts(db)

    assert found["withdrawals"] == found["imported_rows"] == expected["count"]
    assert {name: total for name, _, total in totals} == expected["per_platform"]
    assert found["withdrawn"] == sum(expected["per_platform"].values())
    assert codes == {row["Kode"] for row in raw_rows("produk.csv")}


def test_importing_the_same_files_again_adds_nothing(imported):
    db, admin, first = imported
    before = counts(db)

    again = import_all(db, admin)

    assert counts(db) == before
    for kind, (preview, result) in again.items():
        assert result.written == [], kind
        assert preview.ready_rows == 0, kind
        assert preview.already_rows == first[kind][1].rows, kind


def test_a_new_sale_after_the_import_is_numbered_above_every_imported_one(imported):
    db, admin, _ = imported
    with db.transaction() as session:
        numbers = list(session.scalars(select(Sale.invoice_no)))
        shopee = resolve_platform(session, "Shopee")
        product = session.scalar(select(Product).where(Product.code == "NFX"))
        draft = sales.SaleDraft(
            platform_id=shopee.id,
            lines=[sales.LineDraft(product.id)],
            customer_name="pembeli_baru",
            payment_method="Saldo Shopee",
        )
        new = sales.record_sale(session, admin, draft).invoice_no

    highest = max(int(number.split("-")[0][-5:]) for number in numbers)
    assert new not in numbers
    assert int(new[-5:]) > highest


def test_a_bad_row_is_reported_and_the_good_rows_are_imported(db, admin):
    data = (
        b"Tanggal,Sumber Dana,Nominal,Keterangan\n"
        b"10/01/2025,tokopedia,Rp 378.000,Tarik\n"
        b"11/01/2025,Shopee,tiga ratus ribu,\n"
        b'12/01/2025,lazada,"Rp327.000,00",\n'
    )

    preview, result = run_import(db, admin, li.WITHDRAWALS, "withdraw.csv", data)

    assert [(p.row, p.column, p.value) for p in preview.errors] == [
        (3, "Nominal", "tiga ratus ribu")
    ]
    assert result.rows == 2
    assert counts(db)["withdrawn"] == 378_000 + 327_000


def test_a_sale_with_a_bad_line_is_held_back_whole(db, admin):
    run_import(db, admin, li.PRODUCTS, "produk.csv")
    data = (
        b"Tanggal,No Faktur,Customer,Produk,Platform,Nama Konsumen,No HP,Durasi,Harga,"
        b"Qty,Diskon,Total,Pembayaran,Keterangan\n"
        b"05/01/2025,DW250100011,Walk in Customer,YT Premium,,Dwi,08324373233,"
        b"1 bulan,20000,1,,20000,Transfer BCA,\n"
        b"05/01/2025,DW250100011,Walk in Customer,CapCut,,Dwi,08324373233,"
        b"1 bulan,40000,1,,45000,Transfer BCA,\n"
        b"05/01/2025,DW250100012,ani,canva pro 1 thn,Shopee,,,,30000,1,,30000,"
        b"Saldo Shopee,\n"
    )

    preview, result = run_import(db, admin, li.SALES, "penjualan.csv", data)

    assert [(p.row, p.column) for p in preview.errors] == [
        (2, "No Faktur"),
        (3, "Total"),
    ]
    assert [item.key for item in result.written] == ["DW250100012"]
    assert counts(db)["revenue"] == 30_000


def test_a_payment_method_outside_the_configured_list_is_imported_as_written(db, admin):
    run_import(db, admin, li.PRODUCTS, "produk.csv")
    data = (
        b"Tanggal,No Faktur,Customer,Produk,Platform,Nama Konsumen,No HP,Durasi,Harga,"
        b"Qty,Diskon,Total,Pembayaran,Keterangan\n"
        b"05/01/2025,DW250100012,ani,Netflix,Shopee,,,,45000,1,,45000,"
        b"SPayLater,\n"
    )

    run_import(db, admin, li.SALES, "penjualan.csv", data)

    with db.transaction() as session:
        assert session.scalar(select(Sale.payment_method)) == "SPayLater"


def test_a_preview_writes_nothing(db, admin):
    for kind, name in FILES:
        with db.transaction() as session:
            li.preview_import(
                session, admin, kind, name, legacy_file(name).read_bytes()
            )

    assert set(counts(db).values()) == {0}
    with db.transaction() as session:
        assert (
            session.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
            is None
        )


def test_each_import_leaves_one_audit_entry_with_file_name_and_counts(imported):
    db = imported[0]
    with db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.action == "import")
        entries = list(session.scalars(query.order_by(AuditEntry.id).limit(3)))

    assert [entry.entity_id for entry in entries] == [kind for kind, _ in FILES]
    after = json.loads(entries[2].after)
    assert after["file"] == "penjualan.csv"
    assert after["written_rows"] == expected_sales()["lines"]
    assert after["duplicates"] == 6


def test_a_number_already_used_by_a_register_sale_is_reported(db, admin):
    run_import(db, admin, li.PRODUCTS, "produk.csv")
    with db.transaction() as session:
        product = session.scalar(select(Product).where(Product.code == "NFX"))
        draft = sales.SaleDraft(
            platform_id=resolve_platform(session, "Shopee").id,
            lines=[sales.LineDraft(product.id)],
            payment_method="Saldo Shopee",
        )
        sales.record_sale(session, admin, draft, invoice_no="DW250100001")

    with db.transaction() as session:
        data = legacy_file("penjualan.csv").read_bytes()
        preview = li.preview_import(session, admin, li.SALES, "penjualan.csv", data)

    assert (2, "No Faktur", "DW250100001") in [
        (p.row, p.column, p.value) for p in preview.errors
    ]
    assert "DW250100001" not in {item.key for item in preview.items}


def test_a_management_account_can_neither_preview_nor_import(db, admin, manager):
    data = legacy_file("produk.csv").read_bytes()
    with db.transaction() as session:
        preview = li.preview_import(session, admin, li.PRODUCTS, "produk.csv", data)

    with pytest.raises(PermissionDenied), db.transaction() as session:
        li.preview_import(session, manager, li.PRODUCTS, "produk.csv", data)
    with pytest.raises(PermissionDenied), db.transaction() as session:
        li.write_import(session, manager, preview)
    assert counts(db)["products"] == 0


def cli_args(user: str, *extra: str) -> list[str]:
    files = [f"--{kind}={legacy_file(name)}" for kind, name in FILES]
    return ["import-legacy", *files, f"--user={user}", *extra]


def test_the_command_dry_run_reports_everything_and_writes_nothing(
    db, admin, monkeypatch, capsys
):
    monkeypatch.setenv("DWIGITAL_DATABASE_URL", db.url)

    status = cli.main(cli_args(admin.username, "--dry-run"))

    output = capsys.readouterr().out
    assert status == 0
    assert f"Akan disimpan: {expected_sales()['sales']} penjualan" in output
    assert "baris 249, kolom No HP, nilai '081194'" in output
    assert "tidak ada yang disimpan" in output
    assert set(counts(db).values()) == {0}


def test_the_command_imports_the_files_in_order(db, admin, monkeypatch, capsys):
    monkeypatch.setenv("DWIGITAL_DATABASE_URL", db.url)

    status = cli.main(cli_args(admin.username))

    assert status == 0
    assert "Tersimpan: 10 produk (10 baris)" in capsys.readouterr().out
    assert counts(db)["lines"] == expected_sales()["lines"]


def test_the_command_refuses_an_account_that_is_not_an_active_admin(
    db, manager, monkeypatch, capsys
):
    monkeypatch.setenv("DWIGITAL_DATABASE_URL", db.url)

    assert cli.main(cli_args(manager.username)) != 0
    assert cli.main(cli_args("tidak_ada")) != 0
    assert "Tidak ada yang disimpan" in capsys.readouterr().err
    assert set(counts(db).values()) == {0}


def test_a_retyped_copy_of_a_withdrawal_warns_that_it_is_already_recorded(db, admin):
    run_import(db, admin, li.WITHDRAWALS, "withdraw.csv")
    retyped = (
        legacy_file("withdraw.csv")
        .read_bytes()
        .replace(b"Tarik ke rekening Mandiri", b"tarik ke rekening mandiri", 1)
    )

    with db.transaction() as session:
        preview = li.preview_import(session, admin, li.WITHDRAWALS, "w.csv", retyped)

    assert preview.ready_rows == 1
    [warning] = [p for p in preview.problems if p.level == li.WARNING]
    assert warning.row == 2
    assert "sudah ada di database" in warning.reason
