"""Every write the domain offers leaves an audit entry: who, when, what, values.

The walk finds every public office_core function that takes a session and an
acting account; each must be listed below, either with a call that performs
it or with the reason it writes nothing. A new write function that is not
listed fails the first test, so the audit cannot silently fall behind.
"""

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from sqlalchemy import func, select

import office_core
from office_core import (
    accounts,
    audit,
    followups,
    legacy_import,
    platforms,
    products,
    register,
    sales,
    settings,
    withdrawals,
)
from office_core.models import AuditEntry, Customer, Platform, Subscription
from tests.conftest import PASSWORD
from tests.paths import legacy_file

DAY = dt.date(2025, 9, 7)
SIGN_IN_FUNCTIONS = {"accounts.attempt_sign_in", "accounts.sign_in"}
NOT_WRITES = {
    "accounts.refresh_actor": "reads the account again",
    "accounts.require_active": "a check that raises or returns",
    "accounts.require_admin": "a check that raises or returns",
    "legacy_import.preview_import": "parses a file and writes nothing",
    "register.resume_held": "reads a held sale back into the register",
    "followups.renewal_draft": "builds a register draft, writes nothing",
    "sessions.start": "the sign-in it follows is audited by attempt_sign_in",
}


def acting_functions() -> set[str]:
    """Return `module.function` for each public function taking (session, actor)."""
    found = set()
    for module_info in pkgutil.iter_modules(office_core.__path__):
        module = importlib.import_module(f"office_core.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            parameters = list(inspect.signature(function).parameters)
            if parameters[:2] == ["session", "actor"]:
                found.add(f"{module_info.name}.{name}")
    return found


class World:
    """One of each record, so every write has something to act on."""

    def __init__(self, db, admin, manager):
        self.db, self.admin, self.manager = db, admin, manager
        with db.transaction() as session:
            self.product = products.save_product(
                session, admin, "GPT", "ChatGPT Plus", 85_000, 1
            ).id
            self.direct = session.scalar(
                select(Platform.id).where(~Platform.is_marketplace)
            )
            self.shopee = session.scalar(
                select(Platform.id).where(Platform.name == "Shopee")
            )
            self.withdrawal = withdrawals.record_withdrawal(
                session, admin, "Shopee", 150_000, DAY
            )
            self.sale = sales.record_sale(session, admin, self.sale_draft())
        with db.transaction() as session:
            self.subscription = session.scalars(select(Subscription.id)).first()
            self.customer = session.scalars(select(Customer.id)).first()

    def sale_draft(self) -> sales.SaleDraft:
        return sales.SaleDraft(
            platform_id=self.direct,
            sold_on=DAY,
            customer_name="Pak Arif Wibowo",
            customer_phone="081298760001",
            payment_method="QRIS",
            lines=[sales.LineDraft(product_id=self.product)],
        )

    def register_draft(self) -> dict:
        return register.Draft(
            platform_id=self.direct,
            sold_on=DAY,
            customer_name="Bu Sari",
            customer_phone="081298760002",
            payment_method="QRIS",
            lines=[register.DraftLine(product_id=self.product)],
        ).to_dict()

    def held(self, session) -> int:
        return register.hold_sale(session, self.admin, self.register_draft()).id

    def undo(self, session, remove, restore, record_id):
        """Remove a record, then restore it: the restore is what is checked."""
        remove(session, self.admin, record_id)
        return restore(session, self.admin, record_id)

    def complete_held(self, session):
        held_id = self.held(session)
        draft = register.resume_held(session, self.admin, held_id)
        return register.complete_held(session, self.admin, held_id, draft)

    def import_preview(self, session):
        data = legacy_file("withdraw.csv").read_bytes()
        return legacy_import.preview_import(
            session, self.admin, legacy_import.WITHDRAWALS, "withdraw.csv", data
        )


# name: (call, action, entity, values); values: which of before/after it keeps.
# Every call acts as (or signs in as) "admin".
WRITES = {
    "accounts.create_user": (
        lambda s, w: accounts.create_user(s, w.admin, "rina", PASSWORD, accounts.ADMIN),
        "create",
        "user",
        "after",
    ),
    "accounts.set_active": (
        lambda s, w: accounts.set_active(s, w.admin, w.manager.user_id, False),
        "update",
        "user",
        "both",
    ),
    "accounts.reset_password": (
        lambda s, w: accounts.reset_password(
            s, w.admin, w.manager.user_id, "kata-sandi-baru-9876"
        ),
        "reset_password",
        "user",
        "",
    ),
    "accounts.change_own_password": (
        lambda s, w: accounts.change_own_password(
            s, w.admin, PASSWORD, "kata-sandi-baru-9876"
        ),
        "change_password",
        "user",
        "",
    ),
    "accounts.attempt_sign_in": (
        lambda s, w: accounts.attempt_sign_in(s, "admin", PASSWORD),
        "sign_in",
        "user",
        "",
    ),
    "accounts.sign_in (failed)": (
        lambda s, w: accounts.attempt_sign_in(s, "admin", "salah-sandi-000"),
        "sign_in_failed",
        "user",
        "",
    ),
    "products.save_product": (
        lambda s, w: products.save_product(
            s, w.admin, "GPT", "ChatGPT Plus", 90_000, 1, True, w.product
        ),
        "update",
        "product",
        "both",
    ),
    "products.delete_product": (
        lambda s, w: products.delete_product(s, w.admin, w.product),
        "delete",
        "product",
        "before",
    ),
    "products.restore_product": (
        lambda s, w: w.undo(
            s, products.delete_product, products.restore_product, w.product
        ),
        "restore",
        "product",
        "after",
    ),
    "platforms.set_fee_percent": (
        lambda s, w: platforms.set_fee_percent(s, w.admin, w.shopee, "8,5"),
        "update",
        "platform",
        "both",
    ),
    "settings.update": (
        lambda s, w: settings.update(s, w.admin, "business_name", "Dwigital Store"),
        "update",
        "setting",
        "both",
    ),
    "withdrawals.record_withdrawal": (
        lambda s, w: withdrawals.record_withdrawal(s, w.admin, "Lazada", 1_000, DAY),
        "create",
        "withdrawal",
        "after",
    ),
    "withdrawals.update_withdrawal": (
        lambda s, w: withdrawals.update_withdrawal(
            s, w.admin, w.withdrawal.id, {"amount": 2_000}, 1
        ),
        "update",
        "withdrawal",
        "both",
    ),
    "withdrawals.apply_grid": (
        lambda s, w: withdrawals.apply_grid(
            s, w.admin, [(w.withdrawal.id, 1)], {"edited_rows": {0: {"notes": "x"}}}
        ),
        "update",
        "withdrawal",
        "both",
    ),
    "withdrawals.delete_withdrawal": (
        lambda s, w: withdrawals.delete_withdrawal(s, w.admin, w.withdrawal.id, 1),
        "delete",
        "withdrawal",
        "before",
    ),
    "withdrawals.restore_withdrawal": (
        lambda s, w: w.undo(
            s,
            withdrawals.delete_withdrawal,
            withdrawals.restore_withdrawal,
            w.withdrawal.id,
        ),
        "restore",
        "withdrawal",
        "after",
    ),
    "sales.record_sale": (
        lambda s, w: sales.record_sale(s, w.admin, w.sale_draft()),
        "create",
        "sale",
        "after",
    ),
    "sales.correct_lines": (
        lambda s, w: sales.correct_lines(
            s, w.admin, w.sale.id, 1, [sales.LineDraft(product_id=w.product, qty=2)]
        ),
        "update",
        "sale",
        "both",
    ),
    "sales.apply_history_grid": (
        lambda s, w: sales.apply_history_grid(
            s,
            w.admin,
            [(w.sale.lines[0].id, w.sale.id, 1)],
            {"edited_rows": {0: {"notes": "x"}}},
        ),
        "update",
        "sale",
        "both",
    ),
    "sales.void_sale": (
        lambda s, w: sales.void_sale(s, w.admin, w.sale.id),
        "void",
        "sale",
        "before",
    ),
    "sales.restore_sale": (
        lambda s, w: w.undo(s, sales.void_sale, sales.restore_sale, w.sale.id),
        "restore",
        "sale",
        "after",
    ),
    "register.complete_sale": (
        lambda s, w: register.complete_sale(s, w.admin, w.register_draft()),
        "create",
        "sale",
        "after",
    ),
    "register.hold_sale": (
        lambda s, w: w.held(s),
        "hold",
        "held_sale",
        "after",
    ),
    "register.cancel_held": (
        lambda s, w: register.cancel_held(s, w.admin, w.held(s)),
        "cancel",
        "held_sale",
        "both",
    ),
    "register.complete_held": (
        lambda s, w: w.complete_held(s),
        "complete",
        "held_sale",
        "both",
    ),
    "legacy_import.write_import": (
        lambda s, w: legacy_import.write_import(s, w.admin, w.import_preview(s)),
        "import",
        "legacy_import",
        "after",
    ),
    "followups.record_follow_up": (
        lambda s, w: followups.record_follow_up(s, w.admin, w.subscription),
        "create",
        "follow_up",
        "after",
    ),
    "followups.set_no_reminders": (
        lambda s, w: followups.set_no_reminders(s, w.admin, w.customer, True),
        "update",
        "customer",
        "both",
    ),
}


def test_every_public_function_taking_an_actor_is_listed():
    listed = {name.split(" ")[0] for name in WRITES} | set(NOT_WRITES)

    unlisted = acting_functions() - listed

    assert not unlisted, f"write functions without an audit check: {unlisted}"
    assert listed >= SIGN_IN_FUNCTIONS


@pytest.fixture
def world(sqlite_db) -> World:
    with sqlite_db.transaction() as session:
        admin = accounts.create_first_admin(session, "admin", PASSWORD)
    with sqlite_db.transaction() as session:
        manager = accounts.create_user(
            session, admin, "pemilik", PASSWORD, accounts.MANAGEMENT
        )
    return World(sqlite_db, admin, manager)


def _entries_after(db, last_id: int) -> list[AuditEntry]:
    with db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.id > last_id)
        return list(session.scalars(query.order_by(AuditEntry.id)))


@pytest.mark.parametrize("name", sorted(WRITES))
def test_each_write_records_who_when_what_and_the_values(world, name):
    call, action, entity, values = WRITES[name]
    with world.db.transaction() as session:
        last_id = session.scalar(select(func.max(AuditEntry.id)))

    with world.db.transaction() as session:
        call(session, world)

    entries = [
        e for e in _entries_after(world.db, last_id) if (e.action, e.entity) == (
            action, entity
        )
    ]  # fmt: skip
    assert entries, f"{name} wrote no '{action} {entity}' entry"
    entry = entries[-1]
    assert entry.username == "admin"
    assert entry.at is not None
    assert (entry.before is not None) == (values in ("before", "both"))
    assert (entry.after is not None) == (values in ("after", "both"))


def test_nothing_in_office_core_edits_or_deletes_audit_entries():
    # The only write is audit.record, which adds; no function takes an entry id.
    writers = [
        name
        for name, function in inspect.getmembers(audit, inspect.isfunction)
        if function.__module__ == audit.__name__ and not name.startswith("_")
    ]
    source = inspect.getsource(audit)

    assert "session.delete" not in source
    assert ".update(" not in source
    assert "session.add(" in inspect.getsource(audit.record)
    assert not [name for name in writers if "delete" in name or "edit" in name]
