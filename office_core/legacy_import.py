"""Importing the hand-kept legacy spreadsheets: preview every row, then write.

A preview parses a whole file and reports each row it cannot take (row number,
column, value, reason) before anything is written; the write then records every
good row through the ordinary domain functions in the caller's transaction.
"""

import csv
import datetime as dt
import hashlib
import io
import logging
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import select
from sqlalchemy.orm import Session

from office_core import audit
from office_core.accounts import Actor, require_admin
from office_core.customers import MAX_NAME, clean_name
from office_core.dates import parse_date
from office_core.durations import parse_duration
from office_core.errors import OfficeError, UnknownPlatform, ValidationError
from office_core.invoices import SEQUENCE_DIGITS, reserve_legacy_number
from office_core.models import ImportedRow, Platform, Product, Sale, Withdrawal
from office_core.money import format_rupiah, parse_rupiah
from office_core.phones import normalize_phone
from office_core.platforms import NON_PLATFORM, list_platforms, match_platform
from office_core.products import list_products, match_product, save_product
from office_core.sales import (
    MAX_NOTES,
    MAX_QTY,
    LineDraft,
    SaleDraft,
    line_subtotal,
    record_sale,
    sale_date,
)
from office_core.text import clean_text
from office_core.withdrawals import record_withdrawal, withdrawal_date

log = logging.getLogger(__name__)

PRODUCTS, WITHDRAWALS, SALES = "products", "withdrawals", "sales"
KIND_LABELS = {PRODUCTS: "Produk", WITHDRAWALS: "Penarikan Dana", SALES: "Penjualan"}
ERROR, WARNING, DUPLICATE = "error", "warning", "duplicate"
LEVEL_LABELS = {ERROR: "Masalah", WARNING: "Peringatan", DUPLICATE: "Duplikat"}
COLUMNS = {
    PRODUCTS: ("Kode", "Nama Produk", "Harga", "Durasi Default (bulan)"),
    WITHDRAWALS: ("Tanggal", "Sumber Dana", "Nominal", "Keterangan"),
    SALES: (
        "Tanggal", "No Faktur", "Customer", "Produk", "Platform", "Nama Konsumen",
        "No HP", "Durasi", "Harga", "Qty", "Diskon", "Total", "Pembayaran",
        "Keterangan",
    ),
}  # fmt: skip
OPTIONAL_COLUMNS = {"Keterangan", "Diskon", "Customer"}
TOTAL_WORDS = {"total", "grand total", "jumlah", "subtotal"}
FREE_TEXT_COLUMNS = {"keterangan", "customer", "nama konsumen"}
MAX_ROWS = 50_000
READ_LIMIT = MAX_ROWS * 2  # past this a file is refused without reading it all
MAX_INVOICE = 36
MAX_PAYMENT = 60
MAX_CODE = 20
MAX_PRODUCT_NAME = 120
WITHDRAWAL_KIND = "withdrawal"
SOURCE = "import"
_CHUNK = 500


@dataclass(frozen=True)
class Table:
    """A spreadsheet as text: the header (row 1) and numbered data rows."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Problem:
    """Why one row (or one cell) is not imported as it is."""

    row: int
    column: str
    value: str
    reason: str
    level: str = ERROR


@dataclass(frozen=True)
class ProductRow:
    code: str
    name: str
    price: int
    months: int


@dataclass(frozen=True)
class WithdrawalRow:
    platform: str
    amount: int
    withdrawn_on: dt.date
    notes: str


@dataclass(frozen=True)
class SaleRow:
    draft: SaleDraft
    legacy_no: str


@dataclass(frozen=True)
class Item:
    """One record ready to write: a product, a withdrawal or a whole sale."""

    rows: tuple[int, ...]
    key: str
    values: ProductRow | WithdrawalRow | SaleRow
    summary: dict


@dataclass
class Preview:
    """Everything a file would import, and every row it would not."""

    kind: str
    file_name: str
    digest: str = ""
    rows: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    done_keys: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == WARNING]

    @property
    def duplicates(self) -> int:
        return sum(p.level == DUPLICATE for p in self.problems)

    @property
    def problem_rows(self) -> int:
        return len({p.row for p in self.errors})

    @property
    def pending(self) -> list[Item]:
        return [item for item in self.items if item.key not in self.done_keys]

    @property
    def ready_rows(self) -> int:
        return sum(len(item.rows) for item in self.pending)

    @property
    def already_rows(self) -> int:
        done = (item for item in self.items if item.key in self.done_keys)
        return sum(len(item.rows) for item in done)


@dataclass(frozen=True)
class ImportResult:
    """What one write added, and what it found already imported."""

    kind: str
    file_name: str
    written: list[Item]
    already: int

    @property
    def rows(self) -> int:
        return sum(len(item.rows) for item in self.written)


@dataclass(frozen=True)
class Catalogue:
    """The platforms and products rows are matched against, loaded once."""

    platforms: list[Platform]
    products: list[Product]


def file_digest(data: bytes) -> str:
    """Return the SHA-256 of a file's bytes, to tie a write to its preview."""
    return hashlib.sha256(data).hexdigest()


def preview_import(
    session: Session, actor: Actor, kind: str, file_name: str, data: bytes
) -> Preview:
    """Parse a legacy file and report what it would import; write nothing."""
    require_admin(session, actor)
    table = read_table(file_name, data)
    catalogue = Catalogue(
        list_platforms(session), list_products(session, active_only=False)
    )
    preview = parse_table(kind, file_name, table, catalogue, file_digest(data))
    _mark_existing(session, preview)
    return preview


def write_import(session: Session, actor: Actor, preview: Preview) -> ImportResult:
    """Write every good row of a preview not yet in the database; admins only."""
    user = require_admin(session, actor)
    done = _existing_keys(session, preview.kind, [i.key for i in preview.items])
    todo = [item for item in preview.items if item.key not in done]
    # The session keeps only weak references; holding the account and the
    # catalogue here spares the domain functions one reload per row.
    pinned = (user, list_platforms(session), list_products(session, False))
    for item in todo:
        _write_item(session, actor, preview.kind, item)
    del pinned
    if preview.kind == SALES:
        _reserve_numbers(session, [item.values.legacy_no for item in todo])
    result = ImportResult(preview.kind, preview.file_name, todo, len(done))
    _audit(session, actor, preview, result)
    log.info("legacy %s imported: %d records", preview.kind, len(todo))
    return result


def _reserve_numbers(session: Session, numbers: list[str]) -> None:
    # Numbers that differ only in their last digits either all fit the invoice
    # format or none do, so reserving the highest of each group is enough.
    highest: dict[str, str] = {}
    for number in numbers:
        head, tail = number[:-SEQUENCE_DIGITS], number[-SEQUENCE_DIGITS:]
        if tail.isascii() and tail.isdigit():
            highest[head] = max(highest.get(head, tail), tail)
    for head, tail in highest.items():
        reserve_legacy_number(session, head + tail)


def _write_item(session: Session, actor: Actor, kind: str, item: Item) -> None:
    try:
        WRITERS[kind](session, actor, item)
    except OfficeError as exc:
        raise type(exc)(f"{_rows_label(item.rows)}: {exc.message}") from exc


def _rows_label(rows: tuple[int, ...]) -> str:
    return "Baris " + ", ".join(str(row) for row in rows)


def _write_product(session: Session, actor: Actor, item: Item) -> None:
    row = item.values
    save_product(session, actor, row.code, row.name, row.price, row.months)


def _write_withdrawal(session: Session, actor: Actor, item: Item) -> None:
    row = item.values
    record_withdrawal(
        session, actor, row.platform, row.amount, row.withdrawn_on, row.notes
    )
    session.add(ImportedRow(kind=WITHDRAWAL_KIND, fingerprint=item.key))


def _write_sale(session: Session, actor: Actor, item: Item) -> None:
    record_sale(
        session,
        actor,
        item.values.draft,
        invoice_no=item.key,
        source=SOURCE,
        allow_any_payment=True,
    )


WRITERS = {PRODUCTS: _write_product, WITHDRAWALS: _write_withdrawal, SALES: _write_sale}


def _audit(session: Session, actor: Actor, preview: Preview, result) -> None:
    counts = {
        "file": preview.file_name,
        "sha256": preview.digest,
        "rows": preview.rows,
        "written_records": len(result.written),
        "written_rows": result.rows,
        "already_imported": result.already,
        "skipped": preview.skipped,
        "duplicates": preview.duplicates,
        "problem_rows": preview.problem_rows,
    }
    audit.record(
        session, actor.username, "import", "legacy_import", preview.kind, after=counts
    )


def _mark_existing(session: Session, preview: Preview) -> None:
    if preview.kind == SALES:
        _drop_taken_numbers(session, preview)
    keys = [item.key for item in preview.items]
    preview.done_keys |= _existing_keys(session, preview.kind, keys)
    if preview.kind == WITHDRAWALS:
        _warn_recorded_alike(session, preview)


def _warn_recorded_alike(session: Session, preview: Preview) -> None:
    # A re-typed copy of an old file has new fingerprints; the same date,
    # platform and amount already in the ledger is worth a second look.
    pending = preview.pending
    if not pending:
        return
    dates = {item.values.withdrawn_on for item in pending}
    query = (
        select(Withdrawal.withdrawn_on, Platform.name, Withdrawal.amount)
        .join(Withdrawal.platform)
        .where(Withdrawal.deleted_at.is_(None))
        .where(Withdrawal.withdrawn_on.between(min(dates), max(dates)))
    )
    recorded = {tuple(row) for row in session.execute(query)}
    for item in pending:
        w = item.values
        if (w.withdrawn_on, w.platform, w.amount) in recorded:
            preview.problems.append(_recorded_alike(item.rows[0], w))
    preview.problems.sort(key=_problem_order)


def _recorded_alike(number: int, withdrawal: WithdrawalRow) -> Problem:
    return Problem(
        number,
        "",
        "",
        f"Penarikan {format_rupiah(withdrawal.amount)} dari {withdrawal.platform} "
        "pada tanggal ini sudah ada di database; pastikan bukan catatan ganda.",
        WARNING,
    )


def _existing_keys(session: Session, kind: str, keys: list[str]) -> set[str]:
    if kind == SALES:
        found_sales = _sale_numbers(session, keys)
        return {n for n, source in found_sales.items() if _imported(n, source)}
    if kind == PRODUCTS:
        column, query = Product.code, select(Product.code)
    else:
        column = ImportedRow.fingerprint
        query = select(column).where(ImportedRow.kind == WITHDRAWAL_KIND)
    found: set[str] = set()
    for chunk in _chunks(keys):
        found.update(session.scalars(query.where(column.in_(chunk))))
    return found


def _imported(number: str, source: str) -> bool:
    if source != SOURCE:
        raise ValidationError(
            f"No faktur {number} sudah dipakai penjualan lain (bukan hasil impor). "
            "Buat pratinjau ulang."
        )
    return True


def _sale_numbers(session: Session, numbers: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in _chunks(numbers):
        query = select(Sale.invoice_no, Sale.source).where(Sale.invoice_no.in_(chunk))
        found.update(tuple(row) for row in session.execute(query))
    return found


def _drop_taken_numbers(session: Session, preview: Preview) -> None:
    taken = _sale_numbers(session, [item.key for item in preview.items])
    kept = []
    for item in preview.items:
        if taken.get(item.key, SOURCE) == SOURCE:
            kept.append(item)
            continue
        reason = (
            f"No faktur {item.key} sudah dipakai penjualan lain di database "
            "(bukan hasil impor)."
        )
        for row in item.rows:
            preview.problems.append(
                Problem(row, "No Faktur", item.values.legacy_no, reason)
            )
    preview.items = kept
    preview.problems.sort(key=_problem_order)


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def read_table(file_name: str, data: bytes) -> Table:
    """Read a CSV or XLSX file as text cells; row 1 is the header."""
    name = str(file_name).lower()
    if name.endswith(".csv"):
        records = _csv_records(data, file_name)
    elif name.endswith((".xlsx", ".xlsm")):
        records = _xlsx_records(data, file_name)
    else:
        raise ValidationError(f"Berkas '{file_name}' harus berformat CSV atau XLSX.")
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()  # spreadsheets often carry formatted but empty rows at the end
    if not records:
        raise ValidationError(
            f"Berkas '{file_name}' tidak punya baris judul (baris 1)."
        )
    if len(records) > MAX_ROWS + 1:
        raise ValidationError(f"Berkas '{file_name}' lebih dari {MAX_ROWS} baris.")
    header = tuple(cell.strip() for cell in records[0])
    return Table(header, tuple(enumerate(records[1:], start=2)))


def _csv_records(data: bytes, file_name: str) -> list[tuple[str, ...]]:
    text = _decoded(data, file_name)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [tuple(record) for record in islice(reader, READ_LIMIT)]
    except csv.Error as exc:
        raise ValidationError(
            f"Berkas '{file_name}' bukan CSV yang rapi: {exc}."
        ) from None


def _decoded(data: bytes, file_name: str) -> str:
    # Excel on Windows saves CSV as cp1252 unless told otherwise.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(f"Berkas '{file_name}' bukan teks UTF-8 atau Windows-1252.")


def _xlsx_records(data: bytes, file_name: str) -> list[tuple[str, ...]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ValidationError(
            f"Berkas '{file_name}' bukan XLSX yang dapat dibaca."
        ) from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        return [tuple(map(_cell_text, row)) for row in islice(rows, READ_LIMIT)]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    """Write a spreadsheet cell the way the person saw it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_table(
    kind: str, file_name: str, table: Table, catalogue: Catalogue, digest: str = ""
) -> Preview:
    """Check every row of a read file against the catalogue; pure."""
    if kind not in KIND_LABELS:
        raise ValidationError(f"Jenis impor '{kind}' tidak dikenal.")
    preview = Preview(kind, file_name, digest, rows=len(table.rows))
    rows = _data_rows(table, kind, preview)
    PARSERS[kind](rows, _Lookup(catalogue), preview)
    preview.problems.sort(key=_problem_order)
    return preview


def _problem_order(problem: Problem) -> tuple:
    return problem.row, list(LEVEL_LABELS).index(problem.level)


@dataclass(frozen=True)
class Row:
    """One data row, its cells keyed by the expected column names."""

    number: int
    cells: dict[str, str]

    def text(self, column: str) -> str:
        return self.cells.get(column, "")


def _normal(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _data_rows(table: Table, kind: str, preview: Preview) -> list[Row]:
    index = _column_index(table.header, kind, preview.file_name)
    free_text = {
        i for i, name in enumerate(table.header) if _normal(name) in FREE_TEXT_COLUMNS
    }
    rows: list[Row] = []
    seen: dict[tuple[str, ...], int] = {}
    for number, cells in table.rows:
        if _is_skipped(cells, free_text):
            preview.skipped += 1
            continue
        exact = _trimmed(cells)
        if exact in seen:
            preview.problems.append(_duplicate(number, seen[exact]))
            continue
        seen[exact] = number
        texts = {name: _cell(cells, position) for name, position in index.items()}
        rows.append(Row(number, texts))
    return rows


def _cell(cells: tuple[str, ...], position: int) -> str:
    return cells[position].strip() if position < len(cells) else ""


def _column_index(header: tuple[str, ...], kind: str, file_name: str) -> dict:
    positions: dict[str, int] = {}
    for position, name in enumerate(header):
        positions.setdefault(_normal(name), position)
    index = {c: positions[_normal(c)] for c in COLUMNS[kind] if _normal(c) in positions}
    missing = [c for c in COLUMNS[kind] if c not in index and c not in OPTIONAL_COLUMNS]
    if missing:
        raise ValidationError(
            f"Berkas '{file_name}' bukan berkas {KIND_LABELS[kind]}: kolom "
            f"{', '.join(missing)} tidak ada di baris judul (baris 1)."
        )
    return index


def _is_skipped(cells: tuple[str, ...], free_text: set[int]) -> bool:
    """Tell a blank row or a TOTAL row (a total word outside the notes and names)."""
    texts = [_normal(cell).rstrip(":") for cell in cells]
    labels = (text for i, text in enumerate(texts) if i not in free_text)
    return not any(texts) or any(text in TOTAL_WORDS for text in labels)


def _trimmed(cells: tuple[str, ...]) -> tuple[str, ...]:
    cells = list(cells)
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def _duplicate(number: int, first: int) -> Problem:
    return Problem(
        number,
        "",
        "",
        f"Sama persis dengan baris {first}; hanya baris {first} yang diimpor.",
        DUPLICATE,
    )


class _Lookup:
    """Matches the names typed in a file to the catalogue, once per spelling."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self._memo: dict[tuple[str, str], object] = {}

    def platform(self, text: str) -> Platform:
        return self._remember(
            "platform", text, lambda: match_platform(self.catalogue.platforms, text)
        )

    def marketplace(self, text: str) -> Platform:
        platform = self.platform(_required(text, "Sumber Dana"))
        if not platform.is_marketplace:
            raise UnknownPlatform(
                f"Penarikan dana hanya dari marketplace, bukan '{platform.name}'."
            )
        return platform

    def product(self, text: str) -> Product:
        products = self.catalogue.products
        return self._remember(
            "product", text, lambda: match_product(products, _required(text, "Produk"))
        )

    def _remember(self, kind: str, text: str, find: Callable[[], object]):
        key = (kind, text)
        if key not in self._memo:
            try:
                self._memo[key] = find()
            except OfficeError as exc:
                self._memo[key] = exc
        found = self._memo[key]
        if isinstance(found, OfficeError):
            raise type(found)(found.message)
        return found


class _RowCheck:
    """Parses one row's cells, noting a problem for each one it cannot read."""

    def __init__(self, row: Row, problems: list[Problem]):
        self.row = row
        self.problems = problems
        self.ok = True

    def field(self, column: str, parse: Callable[[str], object]) -> object:
        try:
            return parse(self.row.text(column))
        except OfficeError as exc:
            self.fail(column, exc.message)
            return None

    def fields(self, parsers: dict[str, Callable[[str], object]]) -> dict:
        return {column: self.field(column, parse) for column, parse in parsers.items()}

    def fail(self, column: str, reason: str) -> None:
        self.ok = False
        self.problems.append(
            Problem(self.row.number, column, self.row.text(column), reason)
        )


def _required(text: str, column: str) -> str:
    if not text.strip():
        raise ValidationError(f"{column} wajib diisi.")
    return text


def _invoice_no(text: str) -> str:
    number = _limited(text, "No Faktur", MAX_INVOICE)
    if not INVOICE.fullmatch(number):
        raise ValidationError(
            f"No Faktur '{number}' hanya boleh huruf, angka, '-', '/' dan '.'."
        )
    return number


def _limited(text: str, column: str, limit: int, required: bool = True) -> str:
    text = " ".join(clean_text(text, column, len(text) + 1).split())
    if required:
        _required(text, column)
    if len(text) > limit:
        raise ValidationError(f"{column} terlalu panjang (maks. {limit} huruf).")
    return text


def _notes(text: str) -> str:
    return _limited(text, "Keterangan", MAX_NOTES, required=False)


def _parse_products(rows: list[Row], lookup: _Lookup, preview: Preview) -> None:
    existing = lookup.catalogue.products
    preview.done_keys |= {product.code for product in existing}
    names = {p.name.casefold(): p.code for p in existing}
    first_code: dict[str, int] = {}
    for row in rows:
        check = _RowCheck(row, preview.problems)
        values = check.fields(PRODUCT_FIELDS)
        code, name = values["Kode"], values["Nama Produk"]
        if code in first_code:
            check.fail("Kode", f"Kode {code} sudah ada di baris {first_code[code]}.")
        owner = names.get(name.casefold(), code) if name else code
        if owner != code:
            check.fail("Nama Produk", f"Nama ini sudah dipakai produk kode {owner}.")
        if code:
            first_code.setdefault(code, row.number)
        if check.ok:
            names.setdefault(name.casefold(), code)
            preview.items.append(_product_item(row, values))


PRODUCT_FIELDS = {
    "Kode": lambda text: _limited(text, "Kode", MAX_CODE).upper(),
    "Nama Produk": lambda text: _limited(text, "Nama Produk", MAX_PRODUCT_NAME),
    "Harga": lambda text: parse_rupiah(text, "Harga"),
    "Durasi Default (bulan)": lambda text: parse_duration(text, "Durasi default"),
}


def _product_item(row: Row, values: dict) -> Item:
    product = ProductRow(*values.values())
    summary = {
        "Kode": product.code,
        "Nama Produk": product.name,
        "Harga": product.price,
        "Durasi (bulan)": product.months,
    }
    return Item((row.number,), product.code, product, summary)


def _parse_withdrawals(rows: list[Row], lookup: _Lookup, preview: Preview) -> None:
    parsers = {
        "Tanggal": lambda text: withdrawal_date(parse_date(text, "Tanggal")),
        "Sumber Dana": lookup.marketplace,
        "Nominal": _positive_amount,
        "Keterangan": _notes,
    }
    first_row: dict[tuple, int] = {}
    occurrences: Counter = Counter()
    for row in rows:
        check = _RowCheck(row, preview.problems)
        values = check.fields(parsers)
        if not check.ok:
            continue
        withdrawal = WithdrawalRow(
            values["Sumber Dana"].name, values["Nominal"], values["Tanggal"],
            values["Keterangan"],
        )  # fmt: skip
        normal = (withdrawal.withdrawn_on.isoformat(), withdrawal.platform,
                  withdrawal.amount, withdrawal.notes)  # fmt: skip
        occurrences[normal] += 1
        if normal in first_row:
            preview.problems.append(_look_alike(row.number, first_row[normal]))
        first_row.setdefault(normal, row.number)
        key = _fingerprint(normal, occurrences[normal])
        preview.items.append(_withdrawal_item(row, key, withdrawal))


def _positive_amount(text: str) -> int:
    amount = parse_rupiah(text, "Nominal")
    if amount <= 0:
        raise ValidationError("Nominal penarikan harus lebih dari Rp0.")
    return amount


def _look_alike(number: int, first: int) -> Problem:
    return Problem(
        number,
        "",
        "",
        f"Isinya sama dengan baris {first} walau ditulis berbeda; tetap diimpor "
        "sebagai penarikan tersendiri. Hapus salah satu bila ini catatan ganda.",
        WARNING,
    )


def _fingerprint(normal: tuple, occurrence: int) -> str:
    # The occurrence keeps two genuine, identical withdrawals apart on re-import.
    text = "|".join(str(part) for part in (*normal, occurrence))
    return hashlib.sha256(text.encode()).hexdigest()


def _withdrawal_item(row: Row, key: str, withdrawal: WithdrawalRow) -> Item:
    summary = {
        "Tanggal": withdrawal.withdrawn_on,
        "Platform": withdrawal.platform,
        "Nominal": withdrawal.amount,
        "Keterangan": withdrawal.notes,
    }
    return Item((row.number,), key, withdrawal, summary)


@dataclass
class _Line:
    """A sales row after parsing; `ok` is false when any cell was unreadable."""

    row: Row
    ok: bool
    invoice: str | None
    customer: tuple[str, str]
    values: dict
    platform: Platform | None
    name: str | None = None
    phone: str | None = None
    draft: LineDraft | None = None


def _parse_sales(rows: list[Row], lookup: _Lookup, preview: Preview) -> None:
    lines = [_sale_line(row, lookup, preview.problems) for row in rows]
    groups: dict[tuple, list[_Line]] = {}
    for line in lines:
        if line.invoice:
            groups.setdefault((line.invoice, line.customer), []).append(line)
    for number, group in _numbered(list(groups.values()), preview.problems):
        if _group_ok(number, group, preview.problems):
            preview.items.append(_sale_item(number, group))


def _sale_line(row: Row, lookup: _Lookup, problems: list[Problem]) -> _Line:
    check = _RowCheck(row, problems)
    values = check.fields(_sale_parsers(lookup))
    platform = _sale_platform(check, lookup)
    line = _Line(row, True, values["No Faktur"], _customer_key(row), values, platform)
    if platform is not None and not platform.is_marketplace:
        line.name = check.field(
            "Nama Konsumen", lambda t: clean_name(t, "Nama Konsumen")
        )
        line.phone = check.field("No HP", normalize_phone)
        months = check.field("Durasi", _duration)
    else:
        line.name, months = " ".join(row.text("Customer").split())[:MAX_NAME], None
    _check_total(check, values)
    line.ok = check.ok
    if line.ok:
        line.draft = LineDraft(
            values["Produk"].id, values["Qty"], values["Harga"], values["Diskon"],
            months,
        )  # fmt: skip
    return line


INVOICE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/._-]*")


def _sale_parsers(lookup: _Lookup) -> dict[str, Callable[[str], object]]:
    return {
        "No Faktur": _invoice_no,
        "Tanggal": lambda text: sale_date(parse_date(text, "Tanggal")),
        "Produk": lookup.product,
        "Harga": lambda text: parse_rupiah(text, "Harga"),
        "Qty": _qty,
        "Diskon": lambda text: parse_rupiah(text, "Diskon") if text else 0,
        "Total": lambda text: parse_rupiah(text, "Total"),
        "Pembayaran": lambda text: _limited(text, "Pembayaran", MAX_PAYMENT),
        "Keterangan": _notes,
    }


def _customer_key(row: Row) -> tuple[str, str]:
    # Non-platform rows name the buyer in "Nama Konsumen"; marketplace rows in
    # "Customer". Lines sharing an invoice number but not a buyer are two sales.
    name = _normal(row.text("Nama Konsumen"))
    return ("konsumen", name) if name else ("customer", _normal(row.text("Customer")))


def _sale_platform(check: _RowCheck, lookup: _Lookup) -> Platform | None:
    if check.row.text("Platform"):
        return check.field("Platform", lookup.platform)
    if check.row.text("No HP"):
        return check.field("Platform", lambda _: lookup.platform(NON_PLATFORM))
    check.fail(
        "Platform",
        "Platform kosong dan No HP kosong: tidak jelas marketplace atau non-platform.",
    )
    return None


def _qty(text: str) -> int:
    try:
        qty = int(_required(text, "Qty"))
    except ValueError:
        raise ValidationError(f"Qty '{text}' harus bilangan bulat.") from None
    if not 1 <= qty <= MAX_QTY:
        raise ValidationError(f"Qty harus 1–{MAX_QTY}, bukan {qty}.")
    return qty


def _duration(text: str) -> int:
    if not text:
        raise ValidationError("Durasi wajib diisi untuk penjualan non-platform.")
    return parse_duration(text, "Durasi")


def _check_total(check: _RowCheck, values: dict) -> None:
    price, qty, discount, total = (
        values[c] for c in ("Harga", "Qty", "Diskon", "Total")
    )
    if None in (price, qty, discount, total):
        return
    try:
        subtotal = line_subtotal(price, qty, discount)
    except ValidationError as exc:
        check.fail("Diskon", exc.message)
        return
    if subtotal != total:
        check.fail(
            "Total",
            f"Total {format_rupiah(total)} tidak sama dengan Harga × Qty − Diskon "
            f"= {format_rupiah(subtotal)}.",
        )


def _numbered(groups: list[list[_Line]], problems: list[Problem]) -> list[tuple]:
    """Keep the first buyer's number; give later buyers <number>-2, -3..."""
    taken = {group[0].invoice for group in groups}
    uses: Counter = Counter()
    first_row: dict[str, int] = {}
    numbered = []
    for group in groups:
        base, row = group[0].invoice, group[0].row.number
        uses[base] += 1
        first_row.setdefault(base, row)
        number = base if uses[base] == 1 else _free_number(base, uses[base], taken)
        if number != base:
            problems.append(_renumbered(row, base, number, first_row[base]))
        numbered.append((number, group))
    return numbered


def _free_number(base: str, use: int, taken: set[str]) -> str:
    while f"{base}-{use}" in taken:
        use += 1
    taken.add(f"{base}-{use}")
    return f"{base}-{use}"


def _renumbered(row: int, base: str, number: str, first: int) -> Problem:
    return Problem(
        row,
        "No Faktur",
        base,
        f"No faktur {base} juga dipakai pembeli lain (baris {first}); penjualan "
        f"ini disimpan sebagai {number}.",
        WARNING,
    )


_SAME_IN_SALE = {
    "Tanggal": lambda line: line.values["Tanggal"],
    "Platform": lambda line: line.platform.id if line.platform else None,
    "Pembayaran": lambda line: _normal(line.values["Pembayaran"] or "") or None,
    "No HP": lambda line: line.phone,
}


def _group_ok(number: str, group: list[_Line], problems: list[Problem]) -> bool:
    """Tell whether a sale's lines can be written; report why not otherwise."""
    first, bad = group[0], {line.row.number for line in group if not line.ok}
    for line in group[1:]:
        for column, value in _SAME_IN_SALE.items():
            mine, theirs = value(line), value(first)
            if None not in (mine, theirs) and mine != theirs:
                problems.append(_disagrees(line, column, number, first.row.number))
                bad.add(line.row.number)
    if not bad and len(_sale_notes(group)) > MAX_NOTES:
        reason = f"Keterangan faktur {number} terlalu panjang (maks. {MAX_NOTES})."
        problems.append(_problem(first, "Keterangan", reason))
        bad.add(first.row.number)
    for line in group:
        if bad and line.row.number not in bad:
            problems.append(_held_back(line, number, sorted(bad)))
    return not bad


def _problem(line: _Line, column: str, reason: str) -> Problem:
    return Problem(line.row.number, column, line.row.text(column), reason)


def _disagrees(line: _Line, column: str, number: str, first: int) -> Problem:
    reason = f"Berbeda dengan baris {first} pada faktur {number}."
    return _problem(line, column, reason)


def _held_back(line: _Line, number: str, bad: list[int]) -> Problem:
    rows = ", ".join(str(row) for row in bad)
    reason = f"Tidak diimpor: faktur {number} punya baris bermasalah (baris {rows})."
    return _problem(line, "No Faktur", reason)


def _sale_notes(group: list[_Line]) -> str:
    notes = dict.fromkeys(line.values["Keterangan"] for line in group)
    return "; ".join(note for note in notes if note)


def _sale_item(number: str, group: list[_Line]) -> Item:
    first = group[0]
    draft = SaleDraft(
        platform_id=first.platform.id,
        lines=[line.draft for line in group],
        sold_on=first.values["Tanggal"],
        customer_name=first.name,
        customer_phone=first.phone or "",
        payment_method=first.values["Pembayaran"],
        notes=_sale_notes(group),
    )
    summary = {
        "No Faktur": number,
        "Tanggal": draft.sold_on,
        "Platform": first.platform.name,
        "Pelanggan": first.name,
        "Jumlah baris": len(group),
        "Total": sum(line.values["Total"] for line in group),
    }
    rows = tuple(line.row.number for line in group)
    return Item(rows, number, SaleRow(draft, first.invoice), summary)


PARSERS = {
    PRODUCTS: _parse_products,
    WITHDRAWALS: _parse_withdrawals,
    SALES: _parse_sales,
}
