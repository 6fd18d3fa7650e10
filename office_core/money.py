"""Whole-Rupiah amounts: parse what people type, show them the Indonesian way."""

import math
import re
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency

from office_core.errors import InvalidAmount

MAX_AMOUNT = 1_000_000_000_000

_PREFIX = re.compile(r"^(rp\.?|idr)\s*", re.IGNORECASE)
_ZERO_CENTS = re.compile(r"(,0{1,2}|,-)$")
_SCALES = {"rb": 1_000, "ribu": 1_000, "k": 1_000, "jt": 1_000_000, "juta": 1_000_000}
_SCALED = re.compile(r"^([0-9]+(?:[.,][0-9]+)?)\s*(rb|ribu|k|jt|juta)$", re.IGNORECASE)
_GROUPED = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")
_DIGITS = re.compile(r"^[0-9]+$")
MAX_TEXT = 40


def parse_rupiah(value: object, field: str = "Nominal") -> int:
    """Return the whole-Rupiah amount in `value`, refusing anything unclear."""
    if isinstance(value, bool):
        raise InvalidAmount(f"{field}: nilai '{value}' bukan angka Rupiah.")
    if value is None:
        raise InvalidAmount(f"{field} wajib diisi.")
    if isinstance(value, int):
        return _checked(value, field, value)
    if isinstance(value, float | Decimal):
        return _from_number(value, field)
    text = _PREFIX.sub("", str(value).strip()).strip()
    if not text:
        raise InvalidAmount(f"{field} wajib diisi.")
    return _checked(_parse_text(text, field, value), field, value)


def _from_number(value: float | Decimal, field: str) -> int:
    finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    if not finite:
        raise InvalidAmount(f"{field} wajib diisi dengan angka.")
    # Range first: int() of Decimal("1e999999999") would never finish.
    _checked(value, field, value)
    if value != int(value):
        raise InvalidAmount(f"{field}: {value} bukan Rupiah bulat (tanpa sen).")
    return int(value)


def _parse_text(text: str, field: str, original: object) -> int:
    negative = text.startswith("-")
    text = text.lstrip("-").strip()
    text = _PREFIX.sub("", text).replace(" ", "")
    text = _ZERO_CENTS.sub("", text)
    amount = _scaled(text) if _SCALED.match(text) else _plain(text)
    if amount is None:
        raise InvalidAmount(
            f"{field}: '{original}' tidak dapat dibaca sebagai Rupiah "
            "(contoh: Rp 150.000 atau 150000)."
        )
    return -amount if negative else amount


def _plain(text: str) -> int | None:
    # ASCII digits only: \d and int() also read "١٢"; int() caps digit strings.
    if len(text) > MAX_TEXT:
        return None
    if _DIGITS.match(text):
        return int(text)
    if _GROUPED.match(text):
        return int(text.replace(".", ""))
    return None


def _scaled(text: str) -> int | None:
    number, unit = _SCALED.match(text).groups()
    try:
        amount = Decimal(number.replace(",", ".")) * _SCALES[unit.lower()]
    except InvalidOperation:
        return None
    return int(amount) if amount == int(amount) else None


def _checked(amount: int | float | Decimal, field: str, original: object) -> int:
    if amount < 0:
        raise InvalidAmount(f"{field} tidak boleh negatif ({original}).")
    if amount > MAX_AMOUNT:
        raise InvalidAmount(f"{field} terlalu besar ({original}).")
    return int(amount)


def format_rupiah(amount: int) -> str:
    """Show `amount` as Indonesians write it, e.g. Rp170.000."""
    return format_currency(
        amount, "IDR", locale="id_ID", format="¤#,##0", currency_digits=False
    )
