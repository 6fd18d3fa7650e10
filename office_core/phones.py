"""Indonesian mobile numbers, stored in E.164."""

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

from office_core.errors import InvalidPhoneNumber

_ALLOWED = re.compile(r"^\+?[\d\s().\-/]+$")
_MOBILE = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalize_phone(value: object) -> str:
    """Return `value` as an E.164 Indonesian mobile number, e.g. +6281234567890."""
    text = str(value or "").strip()
    if not text:
        raise InvalidPhoneNumber("Nomor WhatsApp wajib diisi.")
    if not _ALLOWED.match(text):
        raise InvalidPhoneNumber(
            f"Nomor '{text}' hanya boleh berisi angka, spasi, titik, tanda hubung, "
            "kurung, dan + di depan."
        )
    number = _parse(text)
    if number is None or not _is_indonesian_mobile(number):
        raise InvalidPhoneNumber(
            f"Nomor '{text}' bukan nomor HP Indonesia yang valid "
            "(contoh: 0812-3456-7890 atau +62 812 3456 7890)."
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse(text: str) -> phonenumbers.PhoneNumber | None:
    digits = re.sub(r"\D", "", text)
    if text.startswith("+") or digits.startswith("62"):
        candidate = "+" + digits
    else:
        candidate = digits
    try:
        return phonenumbers.parse(candidate, "ID")
    except NumberParseException:
        return None


def _is_indonesian_mobile(number: phonenumbers.PhoneNumber) -> bool:
    return (
        number.country_code == 62
        and phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) in _MOBILE
    )


def mask_phone(e164: str | None) -> str:
    """Hide the middle of a number for logs: +62812****7890."""
    if not e164:
        return ""
    return e164[:6] + "****" + e164[-4:]


def display_phone(e164: str | None) -> str:
    """Show a stored number the way Indonesians read it: 0812-3456-7890."""
    if not e164:
        return ""
    national = "0" + e164.removeprefix("+62")
    return f"{national[:4]}-{national[4:8]}-{national[8:]}".rstrip("-")
