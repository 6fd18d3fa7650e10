"""Accounts, sign-in and the role checks every change goes through."""

import datetime as dt
import logging
from contextlib import suppress
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from office_core import audit
from office_core.config import SignInPolicy, sign_in_policy
from office_core.dates import now
from office_core.errors import (
    AuthenticationFailed,
    PermissionDenied,
    SetupAlreadyDone,
    ValidationError,
)
from office_core.models import SignInSession, User

log = logging.getLogger(__name__)

ADMIN = "admin"
MANAGEMENT = "management"
ROLES = {ADMIN: "Admin", MANAGEMENT: "Manajemen"}
# The defaults; the policy in force comes from config.sign_in_policy().
MIN_PASSWORD_LENGTH = SignInPolicy.min_password_length
MAX_FAILED_ATTEMPTS = SignInPolicy.max_failed_attempts
LOCK_MINUTES = SignInPolicy.lock_minutes
MAX_PASSWORD_LENGTH = 256
WRONG_PASSWORD = "Nama pengguna atau kata sandi salah."
DISABLED = "Akun ini dinonaktifkan. Hubungi admin."
COMMON_PASSWORD = (
    "Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain, "
    "misalnya beberapa kata yang tidak berhubungan."
)
_LEET = str.maketrans("@4310$5!7", "aaeiosslt")

_hasher = PasswordHasher()


@dataclass(frozen=True)
class Actor:
    """The signed-in account on whose behalf an action runs."""

    user_id: int
    username: str
    role: str


def needs_first_admin(session: Session) -> bool:
    """Tell whether no account exists yet."""
    return session.scalar(select(func.count(User.id))) == 0


def create_first_admin(session: Session, username: str, password: str) -> Actor:
    """Create the first admin account on an empty database."""
    if not needs_first_admin(session):
        raise SetupAlreadyDone("Akun admin pertama sudah dibuat. Silakan masuk.")
    user = _new_user(session, username, password, ADMIN)
    audit.record(session, user.username, "create", "user", user.id, after=_view(user))
    log.info("first admin account created")
    return _actor(user)


def create_user(
    session: Session, actor: Actor, username: str, password: str, role: str
) -> Actor:
    """Create an account; only an admin may."""
    require_admin(session, actor)
    user = _new_user(session, username, password, role)
    audit.record(session, actor.username, "create", "user", user.id, after=_view(user))
    return _actor(user)


def _new_user(session: Session, username: str, password: str, role: str) -> User:
    username = _check_username(username)
    if role not in ROLES:
        raise ValidationError(f"Peran '{role}' tidak dikenal.")
    check_password(password, username)
    if session.scalar(select(User.id).where(User.username == username)):
        raise ValidationError(f"Nama pengguna '{username}' sudah dipakai.")
    user = User(username=username, password_hash=_hasher.hash(password), role=role)
    session.add(user)
    session.flush()
    return user


def _check_username(username: str) -> str:
    username = (username or "").strip().lower()
    if (
        not 3 <= len(username) <= 64
        or not username.replace(".", "").replace("_", "").isalnum()
    ):
        raise ValidationError(
            "Nama pengguna harus 3–64 huruf/angka (boleh titik dan garis bawah)."
        )
    return username


def check_password(password: str, username: str = "") -> None:
    """Refuse a password that is too short, too long or commonly used."""
    password = password or ""
    shortest = sign_in_policy().min_password_length
    if len(password) < shortest:
        raise ValidationError(f"Kata sandi minimal {shortest} karakter.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"Kata sandi maksimal {MAX_PASSWORD_LENGTH} karakter.")
    if is_common_password(password, username):
        raise ValidationError(COMMON_PASSWORD)


def is_common_password(password: str, username: str = "") -> bool:
    """Tell whether a password is a well-known one or the user name.

    Checked against zxcvbn's list of the 30,000 most used passwords, also
    with look-alike characters undone (p@ssw0rd) and trailing digits or
    symbols dropped (dragon2024!).
    """
    plain = password.strip().lower()
    base = plain.rstrip("0123456789!?.*#_-")
    candidates = {plain, base, plain.translate(_LEET), base.translate(_LEET)}
    name = (username or "").strip().lower()
    if name and name in candidates:
        return True
    return not candidates.isdisjoint(_common_passwords())


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def sign_in(session: Session, username: str, password: str) -> Actor:
    """Return the actor for a correct user name and password, or raise the refusal.

    Raising rolls the caller's transaction back, the failure count with it;
    where failures must be kept (the sign-in route), use attempt_sign_in.
    """
    outcome = attempt_sign_in(session, username, password)
    if isinstance(outcome, AuthenticationFailed):
        raise outcome
    return outcome


def attempt_sign_in(
    session: Session,
    username: str,
    password: str,
    at: dt.datetime | None = None,
) -> Actor | AuthenticationFailed:
    """Check a sign-in made at `at` (default now); return the actor or the refusal.

    The refusal is returned, not raised, so that the failure count and the
    audit entry are committed with the caller's transaction.
    """
    at = at or now()
    policy = sign_in_policy()
    name = (username or "").strip().lower()[:64]
    user = session.scalar(select(User).where(User.username == name))
    if user is None:
        _verify_nothing(password)
        audit.record(session, name or "-", "sign_in_failed", "user")
        return AuthenticationFailed(WRONG_PASSWORD)
    if user.locked_until and _aware(user.locked_until) > at:
        audit.record(session, user.username, "sign_in_failed", "user", user.id)
        return AuthenticationFailed(locked_message(policy), "dikunci")
    if not _verify(user, password):
        _count_failure(session, user, at, policy)
        return AuthenticationFailed(WRONG_PASSWORD)
    if not user.active:
        audit.record(session, user.username, "sign_in_failed", "user", user.id)
        return AuthenticationFailed(DISABLED, "nonaktif")
    user.failed_attempts = 0
    user.locked_until = None
    audit.record(session, user.username, "sign_in", "user", user.id)
    return _actor(user)


def locked_message(policy: SignInPolicy | None = None) -> str:
    """Return the message shown while an account is locked."""
    minutes = (policy or sign_in_policy()).lock_minutes
    return (
        "Akun dikunci sementara karena terlalu banyak percobaan gagal. "
        f"Coba lagi setelah {minutes} menit."
    )


def refusal_message(reason: str) -> str:
    """Return the sign-in refusal for a reason code carried by a redirect."""
    if reason == "dikunci":
        return locked_message()
    if reason == "nonaktif":
        return DISABLED
    return WRONG_PASSWORD


@cache
def _dummy_hash() -> str:
    return _hasher.hash("no-such-account")


def _verify_nothing(password: str) -> None:
    # Spend as long as a real check, so timing does not reveal user names.
    with suppress(VerificationError, InvalidHashError):
        _hasher.verify(_dummy_hash(), password or "")


def refresh_actor(session: Session, actor: Actor) -> Actor | None:
    """Return the actor as the database knows it now; None once disabled."""
    user = session.get(User, actor.user_id)
    if user is None or not user.active:
        return None
    return _actor(user)


def _verify(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def _count_failure(
    session: Session, user: User, at: dt.datetime, policy: SignInPolicy
) -> None:
    user.failed_attempts += 1
    if user.failed_attempts >= policy.max_failed_attempts:
        user.locked_until = at + dt.timedelta(minutes=policy.lock_minutes)
        user.failed_attempts = 0
        log.warning("account locked after failed sign-ins")
    audit.record(session, user.username, "sign_in_failed", "user", user.id)


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite gives naive datetimes back; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def require_admin(session: Session, actor: Actor) -> User:
    """Refuse the action unless `actor` is an active admin right now."""
    user = session.get(User, actor.user_id)
    if user is None or not user.active or user.role != ADMIN:
        log.warning("refused a change by a non-admin account")
        raise PermissionDenied(
            "Akun Anda tidak berhak mengubah data. Hanya admin yang boleh."
        )
    return user


def require_active(session: Session, actor: Actor) -> User:
    """Refuse the action unless `actor` is still an active account."""
    user = session.get(User, actor.user_id)
    if user is None or not user.active:
        raise PermissionDenied("Akun Anda tidak aktif lagi. Silakan masuk kembali.")
    return user


def list_users(session: Session) -> list[User]:
    """Return every account, by user name."""
    return list(session.scalars(select(User).order_by(User.username)))


def set_active(session: Session, actor: Actor, user_id: int, active: bool) -> None:
    """Enable or disable an account; an admin cannot disable themself."""
    require_admin(session, actor)
    user = _get_user(session, user_id)
    if user.id == actor.user_id and not active:
        raise ValidationError("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    before = _view(user)
    user.active = active
    if not active:
        end_sessions(session, user.id, "disabled")
    audit.record(
        session, actor.username, "update", "user", user.id, before, _view(user)
    )


def reset_password(
    session: Session, actor: Actor, user_id: int, new_password: str
) -> None:
    """Set a new password for an account; only an admin may."""
    require_admin(session, actor)
    user = _get_user(session, user_id)
    check_password(new_password, user.username)
    user.password_hash = _hasher.hash(new_password)
    user.failed_attempts = 0
    user.locked_until = None
    end_sessions(session, user.id, "password_reset")
    audit.record(session, actor.username, "reset_password", "user", user.id)


def change_own_password(
    session: Session, actor: Actor, old_password: str, new_password: str
) -> None:
    """Change the signed-in user's own password after checking the old one."""
    user = require_active(session, actor)
    if not _verify(user, old_password):
        raise AuthenticationFailed("Kata sandi lama salah.")
    check_password(new_password, user.username)
    user.password_hash = _hasher.hash(new_password)
    end_sessions(session, user.id, "password_changed")
    audit.record(session, actor.username, "change_password", "user", user.id)


def end_sessions(session: Session, user_id: int, reason: str) -> None:
    """Revoke every open sign-in of an account, in every browser."""
    session.execute(
        update(SignInSession)
        .where(SignInSession.user_id == user_id, SignInSession.revoked_at.is_(None))
        .values(revoked_at=now(), revoked_reason=reason)
    )


def _get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise ValidationError(f"Akun dengan id {user_id} tidak ditemukan.")
    return user


def _actor(user: User) -> Actor:
    return Actor(user_id=user.id, username=user.username, role=user.role)


def _view(user: User) -> dict:
    return {"username": user.username, "role": user.role, "active": user.active}
