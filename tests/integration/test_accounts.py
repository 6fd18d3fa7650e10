"""Accounts and sign-in on every supported database."""

import datetime as dt

import pytest
from sqlalchemy import select

from office_core import accounts
from office_core.errors import (
    AuthenticationFailed,
    PermissionDenied,
    SetupAlreadyDone,
    ValidationError,
)
from office_core.models import AuditEntry, User
from tests.conftest import PASSWORD

NEW_PASSWORD = "sandi-baru-yang-panjang"


def _user(db, username: str) -> User:
    with db.transaction() as session:
        return session.scalar(select(User).where(User.username == username))


def _audit(db, action: str) -> list[AuditEntry]:
    with db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.action == action)
        return list(session.scalars(query.order_by(AuditEntry.id)))


def _attempt(db, username: str, password: str):
    with db.transaction() as session:
        return accounts.attempt_sign_in(session, username, password)


def test_an_empty_database_needs_a_first_admin(db):
    with db.transaction() as session:
        assert accounts.needs_first_admin(session)


def test_the_first_admin_can_be_created_only_once(db, admin):
    assert admin.role == accounts.ADMIN
    with pytest.raises(SetupAlreadyDone), db.transaction() as session:
        accounts.create_first_admin(session, "kedua", PASSWORD)
    with db.transaction() as session:
        assert not accounts.needs_first_admin(session)
        assert len(accounts.list_users(session)) == 1


def test_passwords_are_stored_as_argon2id_hashes(db, admin):
    stored = _user(db, "admin").password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_the_right_password_signs_in(db, admin):
    outcome = _attempt(db, "admin", PASSWORD)
    assert outcome == admin
    assert _audit(db, "sign_in")[-1].username == "admin"


def test_user_names_are_matched_without_case_or_spaces(db, admin):
    assert _attempt(db, "  ADMIN ", PASSWORD) == admin


@pytest.mark.parametrize(
    ("username", "password"),
    [("admin", "salah-sekali-123"), ("tidakada", PASSWORD), ("admin", ""), ("", "")],
)
def test_a_wrong_user_name_or_password_is_refused_with_one_message(
    db, admin, username, password
):
    outcome = _attempt(db, username, password)
    assert isinstance(outcome, AuthenticationFailed)
    assert outcome.message == "Nama pengguna atau kata sandi salah."


def test_sign_in_raises_the_refusal(db, admin):
    with pytest.raises(AuthenticationFailed), db.transaction() as session:
        accounts.sign_in(session, "admin", "salah-sekali-123")


def test_failed_sign_ins_are_kept_and_audited_although_sign_in_failed(db, admin):
    for _ in range(3):
        _attempt(db, "admin", "salah-sekali-123")
    assert _user(db, "admin").failed_attempts == 3
    failures = _audit(db, "sign_in_failed")
    assert [entry.username for entry in failures] == ["admin"] * 3


def test_five_failures_lock_the_account_even_for_the_right_password(db, admin):
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        _attempt(db, "admin", "salah-sekali-123")
    assert _user(db, "admin").locked_until is not None

    outcome = _attempt(db, "admin", PASSWORD)

    assert isinstance(outcome, AuthenticationFailed)
    assert "dikunci" in outcome.message
    assert len(_audit(db, "sign_in_failed")) == accounts.MAX_FAILED_ATTEMPTS + 1


def test_four_failures_do_not_lock_and_a_success_clears_them(db, admin):
    for _ in range(accounts.MAX_FAILED_ATTEMPTS - 1):
        _attempt(db, "admin", "salah-sekali-123")
    assert _attempt(db, "admin", PASSWORD) == admin
    assert _user(db, "admin").failed_attempts == 0


def test_a_lock_ends_after_its_time(db, admin):
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        _attempt(db, "admin", "salah-sekali-123")
    with db.transaction() as session:
        user = session.scalar(select(User).where(User.username == "admin"))
        user.locked_until = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    assert _attempt(db, "admin", PASSWORD) == admin


def test_a_disabled_account_cannot_sign_in(db, admin, manager):
    with db.transaction() as session:
        accounts.set_active(session, admin, manager.user_id, False)
    outcome = _attempt(db, "pemilik", PASSWORD)
    assert isinstance(outcome, AuthenticationFailed)
    assert "dinonaktifkan" in outcome.message


def test_a_re_enabled_account_signs_in_again(db, admin, manager):
    with db.transaction() as session:
        accounts.set_active(session, admin, manager.user_id, False)
    with db.transaction() as session:
        accounts.set_active(session, admin, manager.user_id, True)
    assert _attempt(db, "pemilik", PASSWORD) == manager


def test_an_admin_creates_a_management_account(db, admin, manager):
    assert manager.role == accounts.MANAGEMENT
    created = [e for e in _audit(db, "create") if e.entity == "user"]
    assert [e.username for e in created] == ["admin", "admin"]
    assert '"role": "management"' in created[-1].after
    assert PASSWORD not in created[-1].after


@pytest.mark.parametrize(
    ("username", "password", "role", "reason"),
    [
        ("admin", PASSWORD, accounts.MANAGEMENT, "sudah dipakai"),
        ("ADMIN", PASSWORD, accounts.MANAGEMENT, "sudah dipakai"),
        ("ab", PASSWORD, accounts.MANAGEMENT, "3–64"),
        ("nama pakai spasi", PASSWORD, accounts.MANAGEMENT, "3–64"),
        ("kasir", "pendek", accounts.ADMIN, "minimal"),
        ("kasir", PASSWORD, "superuser", "tidak dikenal"),
    ],
)
def test_a_bad_new_account_is_refused(db, admin, username, password, role, reason):
    with pytest.raises(ValidationError, match=reason), db.transaction() as session:
        accounts.create_user(session, admin, username, password, role)
    with db.transaction() as session:
        assert len(accounts.list_users(session)) == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda s, actor, target: accounts.create_user(
            s, actor, "baru", PASSWORD, accounts.ADMIN
        ),
        lambda s, actor, target: accounts.reset_password(
            s, actor, target, NEW_PASSWORD
        ),
        lambda s, actor, target: accounts.set_active(s, actor, target, False),
    ],
    ids=["create_user", "reset_password", "set_active"],
)
def test_management_cannot_manage_accounts(db, admin, manager, change):
    with pytest.raises(PermissionDenied), db.transaction() as session:
        change(session, manager, admin.user_id)
    assert _attempt(db, "admin", PASSWORD) == admin
    with db.transaction() as session:
        assert len(accounts.list_users(session)) == 2


def test_a_disabled_admin_can_no_longer_manage_accounts(db, admin):
    with db.transaction() as session:
        other = accounts.create_user(session, admin, "admin2", PASSWORD, "admin")
    with db.transaction() as session:
        accounts.set_active(session, other, admin.user_id, False)
    with pytest.raises(PermissionDenied), db.transaction() as session:
        accounts.create_user(session, admin, "baru", PASSWORD, accounts.ADMIN)


def test_an_admin_cannot_disable_their_own_account(db, admin):
    with pytest.raises(ValidationError), db.transaction() as session:
        accounts.set_active(session, admin, admin.user_id, False)
    assert _user(db, "admin").active


def test_a_reset_password_replaces_the_old_one_and_unlocks(db, admin, manager):
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        _attempt(db, "pemilik", "salah-sekali-123")
    with db.transaction() as session:
        accounts.reset_password(session, admin, manager.user_id, NEW_PASSWORD)
    assert isinstance(_attempt(db, "pemilik", PASSWORD), AuthenticationFailed)
    assert _attempt(db, "pemilik", NEW_PASSWORD) == manager
    assert _audit(db, "reset_password")[-1].entity_id == str(manager.user_id)


def test_a_reset_to_a_short_password_is_refused(db, admin, manager):
    with pytest.raises(ValidationError), db.transaction() as session:
        accounts.reset_password(session, admin, manager.user_id, "pendek")
    assert _attempt(db, "pemilik", PASSWORD) == manager


def test_anyone_changes_their_own_password_with_the_old_one(db, manager):
    with db.transaction() as session:
        accounts.change_own_password(session, manager, PASSWORD, NEW_PASSWORD)
    assert _attempt(db, "pemilik", NEW_PASSWORD) == manager
    assert isinstance(_attempt(db, "pemilik", PASSWORD), AuthenticationFailed)
    assert _audit(db, "change_password")[-1].username == "pemilik"


def test_a_wrong_old_password_changes_nothing(db, manager):
    with pytest.raises(AuthenticationFailed), db.transaction() as session:
        accounts.change_own_password(session, manager, "bukan-sandinya", NEW_PASSWORD)
    assert _attempt(db, "pemilik", PASSWORD) == manager


def test_a_disabled_account_cannot_change_its_password(db, admin, manager):
    with db.transaction() as session:
        accounts.set_active(session, admin, manager.user_id, False)
    with pytest.raises(PermissionDenied), db.transaction() as session:
        accounts.change_own_password(session, manager, PASSWORD, NEW_PASSWORD)
