"""Business settings kept in the database, with sensible defaults."""

import json
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from office_core import audit
from office_core.accounts import Actor, require_admin
from office_core.errors import ValidationError
from office_core.models import Setting
from office_core.whatsapp import DEFAULT_FOLLOW_UP, DEFAULT_REMINDER, check_template

DEFAULTS: dict[str, object] = {
    "business_name": "Dwigital",
    "invoice_prefix": "DW",
    "payment_methods": [
        "Cash",
        "Transfer BCA",
        "Transfer Mandiri",
        "QRIS",
        "GoPay",
        "OVO",
        "DANA",
        "ShopeePay",
        "Saldo Shopee",
        "Saldo Tokopedia",
        "Saldo TikTok Shop",
        "Saldo Lazada",
    ],
    "follow_up_template": DEFAULT_FOLLOW_UP,
    "expiring_soon_days": 7,
    "reminder_days": [7, 3, 0],
    "reminder_template": DEFAULT_REMINDER,
}
_CACHE = "office_core.settings"
MAX_INVOICE_PREFIX = 10
# Letters, digits, '-' and '/': the number is typed, printed and put in links.
_INVOICE_PREFIX = re.compile(rf"[A-Za-z0-9/-]{{1,{MAX_INVOICE_PREFIX}}}")


def get(session: Session, key: str) -> object:
    """Return one setting, or its default when never saved."""
    saved = _saved(session)
    return json.loads(saved[key]) if key in saved else DEFAULTS[key]


def _saved(session: Session) -> dict[str, str]:
    # Read once per transaction: completing a sale alone needs two settings.
    saved = session.info.get(_CACHE)
    if saved is None:
        rows = session.execute(select(Setting.key, Setting.value)).all()
        saved = session.info[_CACHE] = dict(rows)
    return saved


def update(session: Session, actor: Actor, key: str, value: object) -> None:
    """Save one setting after checking it; only an admin may."""
    require_admin(session, actor)
    if key not in DEFAULTS:
        raise ValidationError(f"Pengaturan '{key}' tidak dikenal.")
    value = _checked(key, value)
    before = get(session, key)
    row = session.get(Setting, key) or Setting(key=key, value="null")
    row.value = json.dumps(value, ensure_ascii=False)
    session.add(row)
    _saved(session)[key] = row.value
    audit.record(
        session,
        actor.username,
        "update",
        "setting",
        key,
        {"value": before},
        {"value": value},
    )


def _checked(key: str, value: object) -> object:
    if key in ("follow_up_template", "reminder_template"):
        return check_template(str(value))
    if key == "reminder_days":
        return check_reminder_days(value)
    if key == "expiring_soon_days":
        if not isinstance(value, int) or not 0 <= value <= 90:
            raise ValidationError("Batas 'segera berakhir' harus 0–90 hari.")
        return value
    if key == "invoice_prefix":
        return check_invoice_prefix(value)
    if key == "business_name" and not str(value).strip():
        raise ValidationError("Nama usaha tidak boleh kosong.")
    if key == "payment_methods":
        methods = [str(m).strip() for m in value if str(m).strip()]
        if not methods:
            raise ValidationError("Minimal satu metode pembayaran.")
        return methods
    return value


def _as_typed(value: object) -> str:
    """Return the steps as the user typed them, not as a Python list."""
    if isinstance(value, list | tuple):
        return ", ".join(str(part).strip() for part in value)
    return str(value)


def check_invoice_prefix(prefix: object) -> str:
    """Refuse an invoice prefix that would make an unusable number."""
    text = str(prefix or "").strip()
    if not _INVOICE_PREFIX.fullmatch(text):
        raise ValidationError(
            f"Awalan nomor faktur '{prefix}' tidak sah: 1–{MAX_INVOICE_PREFIX} "
            "huruf atau angka (boleh '-' dan '/')."
        )
    return text


def check_reminder_days(value: object) -> list[int]:
    """Refuse reminder steps that are not whole days from 0 to 60."""
    try:
        days = [int(str(day).strip()) for day in value if str(day).strip()]
    except (TypeError, ValueError):
        days = None
    if not days or any(not 0 <= day <= 60 for day in days):
        raise ValidationError(
            f"Hari pengingat '{_as_typed(value)}' tidak sah: isi angka 0–60, "
            "mis. 7, 3, 0."
        )
    return sorted(set(days), reverse=True)
