"""Reports as lists paged by the database, and their export to CSV and XLSX.

A report is a query plus its columns. Pages read one slice with LIMIT and
OFFSET; exports walk the whole report by id in chunks, so neither ever reads
more than a chunk of rows at once, whatever the size of the tables.

Text that a spreadsheet would run as a formula (starting with =, +, -, @, a
tab or a carriage return) is written so that it stays text: in CSV behind an
apostrophe, in XLSX as a text cell marked "quote prefix".
"""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from office_core.errors import ValidationError
from office_core.models import (
    Customer,
    Platform,
    Sale,
    SaleLine,
    Subscription,
    Withdrawal,
)
from office_core.phones import display_phone
from office_core.sales import COMPLETED

TEXT, INTEGER, MONEY, DATE = "text", "integer", "money", "date"
PHONE = "phone"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 5_000
# One XLSX sheet holds 1,048,576 rows; a larger export must be narrowed.
MAX_ROWS = 1_000_000
# Runs function(session, *args) in a transaction of its own; returns its result.
Reader = Callable[..., Any]
MONEY_FORMAT = '"Rp"#,##0'
DATE_FORMAT = "DD/MM/YYYY"


@dataclass(frozen=True)
class ReportFilter:
    """The filters every report shares: a date range and platforms."""

    start: dt.date | None = None
    end: dt.date | None = None
    platform_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Column:
    """One column of a report: its key, heading, kind and SQL expression."""

    key: str
    label: str
    kind: str = TEXT
    expr: object = None


@dataclass(frozen=True)
class Report:
    """A list that can be paged and exported."""

    name: str
    title: str
    columns: tuple[Column, ...]
    key: object
    source: Callable
    newest_first: tuple = ()

    def build(self, filters: ReportFilter):
        """Return the report's query with `filters`; the key comes out as id."""
        query = select(
            self.key.label("id"), *(c.expr.label(c.key) for c in self.columns)
        )
        return self.source(query, filters)


def _sales(query, filters: ReportFilter):
    query = query.select_from(Sale).join(Sale.platform)
    return _completed(query, filters)


def _sale_lines(query, filters: ReportFilter):
    query = query.select_from(SaleLine).join(SaleLine.sale).join(Sale.platform)
    return _completed(query, filters)


def _withdrawals(query, filters: ReportFilter):
    query = query.select_from(Withdrawal).join(Withdrawal.platform)
    query = query.where(Withdrawal.deleted_at.is_(None))
    return _range(query, filters, Withdrawal.withdrawn_on, Withdrawal.platform_id)


def _subscriptions(query, filters: ReportFilter):
    query = (
        query.select_from(Subscription)
        .join(Subscription.line)
        .join(SaleLine.sale)
        .join(Subscription.customer)
        .where(Sale.status == COMPLETED)
    )
    return _range(query, filters, Subscription.starts_on, Sale.platform_id)


def _completed(query, filters: ReportFilter):
    query = query.where(Sale.status == COMPLETED)
    return _range(query, filters, Sale.sold_on, Sale.platform_id)


def _range(query, filters: ReportFilter, day, platform):
    if filters.start:
        query = query.where(day >= filters.start)
    if filters.end:
        query = query.where(day <= filters.end)
    if filters.platform_ids:
        query = query.where(platform.in_(filters.platform_ids))
    return query


SALE_HEADER = (
    Column("invoice_no", "No Faktur", TEXT, Sale.invoice_no),
    Column("sold_on", "Tanggal", DATE, Sale.sold_on),
    Column("platform", "Platform", TEXT, Platform.name),
    Column("customer_name", "Pelanggan", TEXT, Sale.customer_name),
)
REPORTS = {
    report.name: report
    for report in (
        Report(
            "sales",
            "Penjualan",
            (
                *SALE_HEADER,
                Column("customer_phone", "Nomor HP", PHONE, Sale.customer_phone),
                Column("payment_method", "Pembayaran", TEXT, Sale.payment_method),
                Column("total", "Total", MONEY, Sale.total),
                Column("amount_paid", "Dibayar", MONEY, Sale.amount_paid),
                Column("notes", "Catatan", TEXT, Sale.notes),
            ),
            Sale.id,
            _sales,
            (Sale.sold_on.desc(), Sale.id.desc()),
        ),
        Report(
            "sale_lines",
            "Baris penjualan",
            (
                *SALE_HEADER,
                Column("product_name", "Produk", TEXT, SaleLine.product_name),
                Column("unit_price", "Harga", MONEY, SaleLine.unit_price),
                Column("qty", "Qty", INTEGER, SaleLine.qty),
                Column("discount", "Diskon", MONEY, SaleLine.discount),
                Column("subtotal", "Subtotal", MONEY, SaleLine.subtotal),
                Column(
                    "duration_months",
                    "Durasi (bulan)",
                    INTEGER,
                    SaleLine.duration_months,
                ),
            ),
            SaleLine.id,
            _sale_lines,
            (Sale.sold_on.desc(), SaleLine.id.desc()),
        ),
        Report(
            "withdrawals",
            "Penarikan dana",
            (
                Column("withdrawn_on", "Tanggal", DATE, Withdrawal.withdrawn_on),
                Column("platform", "Platform", TEXT, Platform.name),
                Column("amount", "Nominal", MONEY, Withdrawal.amount),
                Column("notes", "Catatan", TEXT, Withdrawal.notes),
                Column("created_by", "Dicatat oleh", TEXT, Withdrawal.created_by),
            ),
            Withdrawal.id,
            _withdrawals,
            (Withdrawal.withdrawn_on.desc(), Withdrawal.id.desc()),
        ),
        Report(
            "subscriptions",
            "Langganan",
            (
                Column("customer_name", "Pelanggan", TEXT, Customer.name),
                Column("phone", "Nomor WhatsApp", PHONE, Customer.phone),
                Column("product_name", "Produk", TEXT, SaleLine.product_name),
                Column("invoice_no", "No Faktur", TEXT, Sale.invoice_no),
                Column("starts_on", "Tanggal faktur", DATE, Subscription.starts_on),
                Column("months", "Durasi (bulan)", INTEGER, Subscription.months),
                Column("expires_on", "Kedaluwarsa", DATE, Subscription.expires_on),
            ),
            Subscription.id,
            _subscriptions,
            (Subscription.expires_on, Subscription.id),
        ),
    )
}
MONTHLY = "monthly"
MONTHLY_COLUMNS = (
    Column("month", "Bulan"),
    Column("sales", "Jumlah penjualan", INTEGER),
    Column("revenue", "Pendapatan", MONEY),
    Column("withdrawn", "Penarikan dana", MONEY),
)
REPORT_TITLES = {name: report.title for name, report in REPORTS.items()}
REPORT_TITLES[MONTHLY] = "Ringkasan bulanan"


def report(name: str) -> Report:
    """Return the report called `name`, refusing an unknown one."""
    if name not in REPORTS:
        raise ValidationError(f"Laporan '{name}' tidak dikenal.")
    return REPORTS[name]


def columns_of(name: str) -> tuple[Column, ...]:
    return MONTHLY_COLUMNS if name == MONTHLY else report(name).columns


def count_rows(session: Session, name: str, filters: ReportFilter) -> int:
    """Return how many rows the report has with these filters."""
    if name == MONTHLY:
        return len(monthly_summary(session, filters))
    query = report(name).build(filters)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def page(
    session: Session, name: str, filters: ReportFilter, limit: int, offset: int = 0
) -> pd.DataFrame:
    """Return one page of the report, newest first, columns as in the export."""
    if name == MONTHLY:
        return monthly_summary(session, filters).iloc[offset : offset + limit]
    chosen = report(name)
    query = chosen.build(filters).order_by(*chosen.newest_first)
    rows = session.execute(query.limit(limit).offset(offset)).mappings().all()
    keys = [column.key for column in chosen.columns]
    return pd.DataFrame(_shown(rows, chosen.columns), columns=keys)


def monthly_summary(session: Session, filters: ReportFilter) -> pd.DataFrame:
    """Return per month: number of sales, revenue and amount withdrawn."""
    sales = _per_month(session, _sales, filters, Sale.sold_on, Sale.total)
    withdrawn = _per_month(
        session, _withdrawals, filters, Withdrawal.withdrawn_on, Withdrawal.amount
    )
    months = sorted(set(sales) | set(withdrawn))
    rows = [
        {
            "month": f"{year:04d}-{month:02d}",
            "sales": sales.get((year, month), (0, 0))[0],
            "revenue": sales.get((year, month), (0, 0))[1],
            "withdrawn": withdrawn.get((year, month), (0, 0))[1],
        }
        for year, month in months
    ]
    return pd.DataFrame(rows, columns=[column.key for column in MONTHLY_COLUMNS])


def _per_month(session: Session, source, filters: ReportFilter, day, amount) -> dict:
    """Return {(year, month): (rows, total of amount)} of one report's rows."""
    year, month = extract("year", day), extract("month", day)
    query = select(year, month, func.count(), func.sum(amount))
    grouped = source(query, filters).group_by(year, month)
    return {
        (int(y), int(m)): (int(n), int(total))
        for y, m, n, total in session.execute(grouped)
    }


def chunks(
    read: Reader, name: str, filters: ReportFilter, size: int | None = None
) -> Iterator[list[dict]]:
    """Yield the whole report in id order, `size` rows at a time.

    Each chunk is read in a transaction of its own through `read`, so a long
    export never holds the database (SQLite locks it for a whole transaction),
    and starts after the last id of the one before, so a chunk costs the same
    at the end of a million rows as at the start.
    """
    if name == MONTHLY:
        yield read(monthly_summary, filters).to_dict("records")
        return
    last = None
    while rows := read(chunk_after, name, filters, last, size or CHUNK):
        yield rows
        last = rows[-1]["id"]


def chunk_after(
    session: Session, name: str, filters: ReportFilter, last: int | None, size: int
) -> list[dict]:
    """Return up to `size` rows of the report whose id comes after `last`."""
    chosen = report(name)
    query = chosen.build(filters).order_by(chosen.key).limit(size)
    if last is not None:
        query = query.where(chosen.key > last)
    return _shown(session.execute(query).mappings().all(), chosen.columns)


def _shown(rows, columns: tuple[Column, ...]) -> list[dict]:
    """Return rows as plain dicts, phone numbers written as people read them."""
    phones = [column.key for column in columns if column.kind == PHONE]
    shown = [dict(row) for row in rows]
    for row in shown:
        for key in phones:
            row[key] = display_phone(row[key]) if row[key] else ""
    return shown


def safe_text(value: object) -> str:
    """Return text a spreadsheet shows as typed and never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_csv(
    read: Reader,
    name: str,
    filters: ReportFilter,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Return the report as CSV (UTF-8 with a BOM, which Excel needs)."""
    check_size(read, name, filters)
    columns = columns_of(name)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_text(column.label) for column in columns])
    for rows in _counted_chunks(read, name, filters, progress):
        writer.writerows(
            [_csv_value(row.get(c.key), c) for c in columns] for row in rows
        )
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(value: object, column: Column) -> object:
    if value is None or (column.kind not in (TEXT, PHONE) and pd.isna(value)):
        return ""
    if column.kind == DATE:
        return value.isoformat()
    if column.kind in (MONEY, INTEGER):
        return int(value)
    return safe_text(value)


def export_xlsx(
    read: Reader,
    name: str,
    filters: ReportFilter,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Return the report as an XLSX workbook with typed cells."""
    check_size(read, name, filters)
    columns = columns_of(name)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(REPORT_TITLES[name][:31])
    sheet.append([_text_cell(sheet, column.label) for column in columns])
    for rows in _counted_chunks(read, name, filters, progress):
        for row in rows:
            sheet.append([_xlsx_cell(sheet, row.get(c.key), c) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value: object, column: Column) -> object:
    # Plain values cost a third of a styled cell: only dates, amounts and
    # formula-like text need a cell object of their own.
    if value is None or (column.kind not in (TEXT, PHONE) and pd.isna(value)):
        return None
    if column.kind in (TEXT, PHONE):
        return _text_cell(sheet, value)
    if column.kind == INTEGER:
        return int(value)
    cell = WriteOnlyCell(sheet, value if column.kind == DATE else int(value))
    cell.number_format = DATE_FORMAT if column.kind == DATE else MONEY_FORMAT
    return cell


def _text_cell(sheet, value: object) -> object:
    text = str(value)
    if not text.startswith(FORMULA_STARTS):
        return text
    # openpyxl would store text starting with "=" as a formula: force a text
    # cell, and mark it so that editing it in Excel keeps it text.
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _counted_chunks(read, name, filters, progress) -> Iterator[list[dict]]:
    """Yield the report's chunks, telling `progress` how far along it is."""
    total = read(count_rows, name, filters)
    done = 0
    for rows in chunks(read, name, filters):
        done += len(rows)
        yield rows
        if progress:
            progress(done, total)


def reader_for(database) -> Reader:
    """Return a Reader running each call in its own transaction of `database`."""

    def read(function: Callable[..., Any], *args: Any) -> Any:
        with database.transaction() as session:
            return function(session, *args)

    return read


def check_size(read: Reader, name: str, filters: ReportFilter) -> None:
    """Refuse an export larger than one spreadsheet should hold."""
    total = read(count_rows, name, filters)
    if total > MAX_ROWS:
        raise ValidationError(
            f"Laporan ini berisi {total:,} baris, lebih dari batas "
            f"{MAX_ROWS:,} per file. Persempit periode atau platform.".replace(",", ".")
        )
