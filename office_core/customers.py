"""Non-platform customers, one per WhatsApp number."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from office_core.errors import InvalidPhoneNumber
from office_core.models import Customer
from office_core.phones import normalize_phone
from office_core.text import clean_text

MAX_NAME = 160


def clean_name(name: object, field: str = "Nama pelanggan") -> str:
    """Return a customer name with spaces tidied, refusing an empty one."""
    return " ".join(clean_text(name, field, MAX_NAME, required=True).split())


def customer_for_phone(session: Session, phone_e164: str, name: str) -> Customer:
    """Return the customer with this number, creating them on first purchase."""
    customer = session.scalar(select(Customer).where(Customer.phone == phone_e164))
    return customer or _add_customer(session, phone_e164, name)


def _add_customer(session: Session, phone_e164: str, name: str) -> Customer:
    try:
        with session.begin_nested():
            customer = Customer(phone=phone_e164, name=name)
            session.add(customer)
        return customer
    except IntegrityError:
        # Another register added this number at the same moment.
        query = select(Customer).where(Customer.phone == phone_e164)
        return session.scalars(query).one()


def find_customer(session: Session, phone: object) -> Customer | None:
    """Return the customer a typed number belongs to; None if new or not valid."""
    try:
        e164 = normalize_phone(phone)
    except InvalidPhoneNumber:
        return None
    return session.scalar(select(Customer).where(Customer.phone == e164))
