"""Sign-in sessions: signed, expiring browser tokens that the server can revoke.

A token reads `v1.<expiry>.<nonce>.<signature>`. The signature (HMAC-SHA256
with the secret key) lets a forged or altered token be refused before the
database is asked; the database row, found by the SHA-256 of the nonce, holds
the last activity (idle timeout) and the revocation (sign-out, password
change, disabled account). No password is kept anywhere.
"""

import base64
import datetime as dt
import hashlib
import hmac
import logging
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from office_core import audit
from office_core.accounts import Actor
from office_core.config import SignInPolicy, secret_key, sign_in_policy
from office_core.dates import as_utc, now
from office_core.errors import SessionEnded
from office_core.models import SignInSession, User

log = logging.getLogger(__name__)

COOKIE_NAME = "dw_sesi"
VERSION = "v1"
# Last activity is written at most this often: every click is a rerun.
TOUCH_SECONDS = 30
# Ended sessions are kept this long for the record, then deleted.
KEEP_ENDED = dt.timedelta(days=30)

IDLE = "Sesi berakhir karena lama tidak aktif. Silakan masuk kembali."
EXPIRED = "Sesi sudah terlalu lama. Silakan masuk kembali."
REVOKED = "Sesi ini sudah diakhiri (keluar atau kata sandi diganti). Silakan masuk."
INVALID = "Tanda masuk tidak sah. Silakan masuk kembali."
INACTIVE = "Akun Anda tidak aktif lagi. Silakan masuk kembali."


def start(
    session: Session,
    actor: Actor,
    at: dt.datetime | None = None,
    secret: str | None = None,
) -> str:
    """Open a sign-in session for `actor`; return the token for the cookie."""
    at = at or now()
    policy = sign_in_policy()
    expires = at + dt.timedelta(hours=policy.session_hours)
    nonce = secrets.token_urlsafe(32)
    session.add(
        SignInSession(
            user_id=actor.user_id,
            token_hash=_digest(nonce),
            created_at=at,
            last_seen_at=at,
            expires_at=expires,
        )
    )
    _forget_old(session, at)
    return _sign(f"{VERSION}.{int(expires.timestamp())}.{nonce}", secret)


def resume(
    session: Session,
    token: str,
    at: dt.datetime | None = None,
    secret: str | None = None,
) -> Actor:
    """Return the actor a token signs in, sliding its idle time; or raise.

    Raises SessionEnded with the reason to show: a bad signature, an expired
    or revoked token, too long idle, or an account no longer active.
    """
    at = at or now()
    policy = sign_in_policy()
    row = _row(session, token, at, secret)
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise SessionEnded(INACTIVE)
    _check_alive(row, at, policy)
    if (at - as_utc(row.last_seen_at)).total_seconds() >= TOUCH_SECONDS:
        row.last_seen_at = at
    return Actor(user_id=user.id, username=user.username, role=user.role)


def end(
    session: Session,
    token: str,
    at: dt.datetime | None = None,
    secret: str | None = None,
) -> bool:
    """Revoke the session of one token (sign-out); tell whether it was open."""
    at = at or now()
    try:
        row = _row(session, token, at, secret)
    except SessionEnded:
        return False
    if row.revoked_at is not None:
        return False
    row.revoked_at = at
    row.revoked_reason = "signed_out"
    user = session.get(User, row.user_id)
    audit.record(session, user.username, "sign_out", "user", user.id)
    return True


def _row(
    session: Session, token: str, at: dt.datetime, secret: str | None
) -> SignInSession:
    expires, nonce = _verified_parts(token, secret)
    if expires <= at.timestamp():
        raise SessionEnded(EXPIRED)
    row = session.scalar(
        select(SignInSession).where(SignInSession.token_hash == _digest(nonce))
    )
    if row is None:
        raise SessionEnded(INVALID)
    return row


def _check_alive(row: SignInSession, at: dt.datetime, policy: SignInPolicy) -> None:
    if row.revoked_at is not None:
        raise SessionEnded(REVOKED)
    if as_utc(row.expires_at) <= at:
        raise SessionEnded(EXPIRED)
    idle = dt.timedelta(minutes=policy.idle_minutes)
    if at - as_utc(row.last_seen_at) > idle:
        raise SessionEnded(IDLE)


def _verified_parts(token: str, secret: str | None) -> tuple[int, str]:
    """Return the expiry and nonce of a token whose signature is right."""
    body, _, signature = (token or "").rpartition(".")
    parts = body.split(".")
    expected = _signature(body, secret)
    if len(parts) != 3 or parts[0] != VERSION or not parts[1].isdigit():
        raise SessionEnded(INVALID)
    if not hmac.compare_digest(signature.encode(), expected.encode()):
        log.warning("refused a sign-in token with a bad signature")
        raise SessionEnded(INVALID)
    return int(parts[1]), parts[2]


def _sign(body: str, secret: str | None) -> str:
    return f"{body}.{_signature(body, secret)}"


def _signature(body: str, secret: str | None) -> str:
    key = (secret or secret_key()).encode()
    mac = hmac.new(key, body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _forget_old(session: Session, at: dt.datetime) -> None:
    session.execute(
        delete(SignInSession).where(SignInSession.expires_at < at - KEEP_ENDED)
    )
