"""Lockout timing and password rules, with the clock and the policy set by tests."""

import datetime as dt

import pytest
from sqlalchemy import select

from office_core import accounts
from office_core.errors import AuthenticationFailed, ValidationError
from office_core.models import User
from tests.conftest import PASSWORD

WRONG = "salah-sekali-123"
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _attempt(db, password: str, at: dt.datetime):
    with db.transaction() as session:
        return accounts.attempt_sign_in(session, "admin", password, at)


def _fail(db, times: int, at: dt.datetime = START) -> None:
    for _ in range(times):
        assert isinstance(_attempt(db, WRONG, at), AuthenticationFailed)


def test_the_lock_lasts_fifteen_minutes_from_the_fifth_failure(db, admin):
    _fail(db, 5)

    locked = _attempt(db, PASSWORD, START + dt.timedelta(minutes=14, seconds=59))
    assert (locked.reason, locked.message) == ("dikunci", accounts.locked_message())
    assert "15 menit" in locked.message
    assert _attempt(db, PASSWORD, START + dt.timedelta(minutes=15, seconds=1)) == admin


def test_the_lock_follows_the_configured_attempts_and_minutes(db, admin, monkeypatch):
    monkeypatch.setenv("DWIGITAL_MAX_FAILED_ATTEMPTS", "3")
    monkeypatch.setenv("DWIGITAL_LOCK_MINUTES", "60")
    _fail(db, 3)

    locked = _attempt(db, PASSWORD, START + dt.timedelta(minutes=59))
    assert locked.reason == "dikunci"
    assert "60 menit" in locked.message
    assert _attempt(db, PASSWORD, START + dt.timedelta(minutes=61)) == admin


def test_failures_while_locked_do_not_extend_the_lock(db, admin):
    _fail(db, 5)
    _fail(db, 3, START + dt.timedelta(minutes=10))

    assert _attempt(db, PASSWORD, START + dt.timedelta(minutes=16)) == admin


def test_a_disabled_account_is_refused_even_with_the_right_password(db, admin, manager):
    with db.transaction() as session:
        accounts.set_active(session, admin, manager.user_id, False)
    with db.transaction() as session:
        outcome = accounts.attempt_sign_in(session, "pemilik", PASSWORD, START)

    assert (outcome.reason, outcome.message) == ("nonaktif", accounts.DISABLED)


@pytest.mark.parametrize(
    "password",
    ["1234567890", "qwertyuiop", "password123", "P@ssw0rd123", "Dragon2024!",
     "manchester", "iloveyou12345"],
)  # fmt: skip
def test_a_common_password_is_refused_in_indonesian(db, admin, password):
    with pytest.raises(ValidationError) as refusal, db.transaction() as session:
        accounts.create_user(session, admin, "kasir", password, accounts.ADMIN)

    assert refusal.value.message == accounts.COMMON_PASSWORD
    assert "terlalu umum" in refusal.value.message


def test_the_user_name_as_password_is_refused(db, admin):
    with (
        pytest.raises(ValidationError, match="terlalu umum"),
        db.transaction() as session,
    ):
        accounts.create_user(session, admin, "kasirtoko", "kasirtoko2025", "admin")


def test_a_short_password_is_refused_with_the_configured_length(db, admin, monkeypatch):
    monkeypatch.setenv("DWIGITAL_MIN_PASSWORD_LENGTH", "14")
    with pytest.raises(ValidationError) as refusal, db.transaction() as session:
        accounts.reset_password(session, admin, admin.user_id, "kopi-susu-123")

    assert refusal.value.message == "Kata sandi minimal 14 karakter."


def test_a_common_new_own_password_is_refused_and_the_old_one_kept(db, manager):
    with (
        pytest.raises(ValidationError, match="terlalu umum"),
        db.transaction() as session,
    ):
        accounts.change_own_password(session, manager, PASSWORD, "qwerty123456")

    with db.transaction() as session:
        user = session.scalar(select(User).where(User.username == "pemilik"))
        assert accounts.attempt_sign_in(session, "pemilik", PASSWORD) == manager
        assert user.active


def test_an_unusual_long_password_is_accepted(db, admin):
    with db.transaction() as session:
        made = accounts.create_user(
            session, admin, "kasir", "teh-manis-di-warung-pojok", accounts.ADMIN
        )
    assert made.username == "kasir"
