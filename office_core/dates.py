"""Dates as the business writes them, Jakarta's today, and subscription expiry."""

import datetime as dt
import math
import re
from zoneinfo import ZoneInfo

from babel.dates import format_date
from dateutil.relativedelta import relativedelta

from office_core.errors import InvalidDate

JAKARTA = ZoneInfo("Asia/Jakarta")

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3,
    "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6,
    "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "nopember": 11, "desember": 12, "des": 12,
    "dec": 12, "january": 1, "february": 2, "march": 3, "june": 6, "july": 7,
    "august": 8, "october": 10, "december": 12,
}  # fmt: skip

_NUMERIC = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$")


def today() -> dt.date:
    """Return today's date in Asia/Jakarta."""
    return dt.datetime.now(JAKARTA).date()


def now() -> dt.datetime:
    """Return the current moment as a timezone-aware UTC datetime."""
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Return a stored moment as aware UTC (SQLite gives naive ones back)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def parse_date(value: object, field: str = "Tanggal") -> dt.date:
    """Return the date in `value`: day first, digits or Indonesian month names."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _build((value.year, value.month, value.day), field, value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise InvalidDate(f"{field} wajib diisi.")
    text = " ".join(str(value).strip().lower().split())
    if not text:
        raise InvalidDate(f"{field} wajib diisi.")
    parts = _date_parts(text)
    if parts is None:
        raise InvalidDate(
            f"{field}: '{value}' tidak dikenali sebagai tanggal "
            "(contoh: 07/09/2025 atau 7 September 2025)."
        )
    return _build(parts, field, value)


def _date_parts(text: str) -> tuple[int, int, int] | None:
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
        return year, month, day
    if match := _NUMERIC.match(text):
        day, month, year = (int(g) for g in match.groups())
        return year, month, day
    if match := _WORDS.match(text):
        day, name, year = match.groups()
        if name in MONTHS:
            return int(year), MONTHS[name], int(day)
    return None


def _build(parts: tuple[int, int, int], field: str, original: object) -> dt.date:
    year, month, day = parts
    if not 2000 <= year <= 2100:
        raise InvalidDate(f"{field}: tahun {year} tidak sah, harus 2000–2100.")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InvalidDate(f"{field}: '{original}' bukan tanggal yang ada.") from None


def expiry_date(invoice_date: dt.date, months: int) -> dt.date:
    """Return the date a subscription of `months` months bought on a date ends."""
    return invoice_date + relativedelta(months=months)


def format_date_id(value: dt.date | None) -> str:
    """Show a date as `07 September 2025`."""
    if value is None:
        return ""
    return format_date(value, "dd MMMM yyyy", locale="id_ID")
