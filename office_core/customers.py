"""Non-platform customers, one per WhatsApp number."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from office_core.errors import ValidationError
from office_core.models import Customer

MAX_NAME = 160


def clean_name(name: object, field: str = "Nama pelanggan") -> str:
    """Return a customer name with spaces tidied, refusing an empty one."""
    text = " ".join(str(name or "").split())
    if not text:
        raise ValidationError(f"{field} wajib diisi.")
    if len(text) > MAX_NAME:
        raise ValidationError(f"{field} terlalu panjang (maks. {MAX_NAME} huruf).")
    return text


def customer_for_phone(session: Session, phone_e164: str, name: str) -> Customer:
    """Return the customer with this number, creating them on first purchase."""
    customer = session.scalar(select(Customer).where(Customer.phone == phone_e164))
    if customer is None:
        customer = Customer(phone=phone_e164, name=name)
        session.add(customer)
        session.flush()
    return customer
