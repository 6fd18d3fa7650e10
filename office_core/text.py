"""Free text typed by users: notes, names and search words."""

import math
import re
import unicodedata

from office_core.errors import ValidationError

_ALLOWED_CONTROLS = {"\n", "\t"}


def clean_text(
    value: object, field: str, max_length: int, required: bool = False
) -> str:
    """Return `value` as tidy text, refusing non-text, control characters, excess."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        value = ""
    if not isinstance(value, str | int | float):
        raise ValidationError(f"{field} harus berupa teks.")
    text = str(value).strip()
    if any(_is_control(ch) for ch in text):
        raise ValidationError(f"{field} berisi karakter yang tidak boleh dipakai.")
    if required and not text:
        raise ValidationError(f"{field} wajib diisi.")
    if len(text) > max_length:
        raise ValidationError(f"{field} terlalu panjang (maks. {max_length} huruf).")
    return text


def _is_control(ch: str) -> bool:
    return ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs")


_WHOLE = re.compile(r"-?[0-9]{1,18}")


def whole_number(value: object) -> int | None:
    """Return the whole number typed in `value`, or None if it is not one.

    Only ASCII digits count: int() alone would also read '١٢' or '1_0',
    which nobody at the counter means as a quantity.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if _WHOLE.fullmatch(text) else None
