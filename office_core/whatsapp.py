"""WhatsApp click-to-chat links and the follow-up message templates."""

import re
from urllib.parse import quote

from office_core.errors import ValidationError

PLACEHOLDERS = {
    "nama": "nama pelanggan",
    "produk": "produk",
    "tanggal_kedaluwarsa": "tanggal kedaluwarsa",
    "sisa_hari": "sisa hari",
    "waktu": "kapan berakhir, mis. '3 hari lagi' atau 'sudah lewat 2 hari'",
    "no_faktur": "no faktur",
    "nama_usaha": "nama usaha",
}

DEFAULT_FOLLOW_UP = (
    "Halo {nama}, langganan {produk} Anda di {nama_usaha} berakhir pada "
    "{tanggal_kedaluwarsa} ({waktu}). Mau diperpanjang? "
    "Balas pesan ini ya. No faktur: {no_faktur}"
)

DEFAULT_REMINDER = (
    "Halo {nama}, pengingat dari {nama_usaha}: langganan {produk} Anda berakhir "
    "{waktu} ({tanggal_kedaluwarsa}). Balas pesan ini untuk memperpanjang."
)

_FIELD = re.compile(r"\{([^{}]*)\}")
# ASCII digits only: str.isdigit() would also let through digits of other scripts.
_WA_NUMBER = re.compile(r"62[0-9]{7,13}")


def time_left(days_left: int) -> str:
    """Say when a subscription ends, in words: '3 hari lagi', 'sudah lewat 2 hari'."""
    if days_left > 0:
        return f"{days_left} hari lagi"
    if days_left == 0:
        return "hari ini"
    return f"sudah lewat {-days_left} hari"


def whatsapp_link(phone_e164: str, text: str) -> str:
    """Return the wa.me link that opens a chat with `text` ready to send."""
    digits = phone_e164.removeprefix("+")
    if not _WA_NUMBER.fullmatch(digits):
        raise ValidationError(
            f"Nomor '{phone_e164}' tidak bisa dipakai untuk WhatsApp."
        )
    return f"https://wa.me/{digits}?text={quote(text, safe='', encoding='utf-8')}"


def check_template(template: str) -> str:
    """Refuse a template that is empty, has a stray brace or an unknown name."""
    if not template or not template.strip():
        raise ValidationError("Template pesan tidak boleh kosong.")
    rest = _FIELD.sub("", template)
    if "{" in rest or "}" in rest:
        raise ValidationError(
            "Kurung kurawal di template tidak berpasangan: tulis placeholder "
            "lengkap, mis. {nama}, dan jangan pakai '{' atau '}' lainnya."
        )
    unknown = sorted({n for n in _FIELD.findall(template) if n not in PLACEHOLDERS})
    if unknown:
        allowed = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        raise ValidationError(
            f"Placeholder tidak dikenal: {', '.join(unknown)}. Gunakan: {allowed}."
        )
    return template


def render_template(template: str, values: dict[str, object]) -> str:
    """Fill the placeholders of `template`; text in the values is not re-read."""
    return _FIELD.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)
