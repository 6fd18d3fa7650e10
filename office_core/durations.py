"""Subscription durations in whole months, as typed at the counter."""

import math
import re

from office_core.errors import InvalidDuration

MIN_MONTHS = 1
MAX_MONTHS = 36

_UNITS = {
    "": 1, "bulan": 1, "bln": 1, "bl": 1, "b": 1, "bulanan": 1, "month": 1,
    "months": 1, "tahun": 12, "thn": 12, "th": 12, "tahunan": 12, "year": 12,
}  # fmt: skip
_DURATION = re.compile(r"^([0-9]{1,3})\s*([a-z]*)\.?$")


def parse_duration(value: object, field: str = "Durasi") -> int:
    """Return the months in `value` ("3 bulan", "3 bln", "1 tahun", 3)."""
    if isinstance(value, bool):
        raise InvalidDuration(f"{field}: '{value}' bukan durasi.")
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise InvalidDuration(f"{field} harus bilangan bulat bulan, bukan '{value}'.")
    text = " ".join(str(value if value is not None else "").lower().split())
    if isinstance(value, float):
        text = str(int(value))
    if not text:
        raise InvalidDuration(f"{field} wajib diisi (jumlah bulan).")
    match = _DURATION.match(text)
    if match is None or match.group(2) not in _UNITS:
        raise InvalidDuration(
            f"{field}: '{value}' tidak dikenali (contoh: 3 bulan, 3 bln, 1 tahun)."
        )
    return check_months(int(match.group(1)) * _UNITS[match.group(2)], field)


def check_months(months: int, field: str = "Durasi") -> int:
    """Refuse a duration outside 1–36 months."""
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise InvalidDuration(
            f"{field} harus {MIN_MONTHS}–{MAX_MONTHS} bulan, bukan {months}."
        )
    return months


def format_duration(months: int | None) -> str:
    """Show a duration as `3 bulan`."""
    return "" if months is None else f"{months} bulan"
