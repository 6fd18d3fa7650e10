"""Sign-in tokens on every supported database: expiry, idle, revocation."""

import datetime as dt

import pytest
from sqlalchemy import select

from office_core import accounts, sessions
from office_core.errors import SessionEnded
from office_core.models import AuditEntry, SignInSession, User
from tests.conftest import PASSWORD

NEW_PASSWORD = "sandi-baru-yang-panjang"
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _start(db, actor, at=START) -> str:
    with db.transaction() as session:
        return sessions.start(session, actor, at)


def _resume(db, token: str, at=START):
    with db.transaction() as session:
        return sessions.resume(session, token, at)


def _refused(db, token: str, at=START) -> str:
    with pytest.raises(SessionEnded) as refusal:
        _resume(db, token, at)
    return refusal.value.message


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def test_a_token_signs_its_account_in_and_keeps_no_password(db, admin):
    token = _start(db, admin)

    assert _resume(db, token, START + minutes(1)) == admin
    assert PASSWORD not in token
    with db.transaction() as session:
        (row,) = session.scalars(select(SignInSession))
        assert token.split(".")[2] not in row.token_hash


def test_activity_slides_the_idle_timeout(db, admin):
    token = _start(db, admin)
    for step in range(1, 5):
        assert _resume(db, token, START + minutes(25 * step)) == admin


def test_an_idle_token_is_refused(db, admin):
    token = _start(db, admin)

    assert "lama tidak aktif" in _refused(db, token, START + minutes(31))


def test_the_idle_timeout_follows_the_setting(db, admin, monkeypatch):
    monkeypatch.setenv("DWIGITAL_IDLE_MINUTES", "5")
    token = _start(db, admin)

    assert _resume(db, token, START + minutes(4)) == admin
    assert "lama tidak aktif" in _refused(db, token, START + minutes(10))


def test_a_token_expires_after_its_lifetime_even_when_active(db, admin):
    token = _start(db, admin)
    at = START
    while at < START + dt.timedelta(hours=11, minutes=30):
        at += minutes(20)
        _resume(db, token, at)

    assert "terlalu lama" in _refused(db, token, START + dt.timedelta(hours=12))


def test_sign_out_revokes_the_token(db, admin):
    token = _start(db, admin)
    with db.transaction() as session:
        assert sessions.end(session, token, START)

    assert "diakhiri" in _refused(db, token, START + minutes(1))
    with db.transaction() as session:
        assert not sessions.end(session, token, START)
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "sign_out")
        )
        assert [(e.username, e.entity_id) for e in entries] == [
            ("admin", str(admin.user_id))
        ]


def test_signing_out_one_browser_keeps_the_other(db, admin):
    first, second = _start(db, admin), _start(db, admin)
    with db.transaction() as session:
        sessions.end(session, first, START)

    assert _resume(db, second, START + minutes(1)) == admin


def test_changing_the_own_password_revokes_every_token(db, manager):
    tokens = [_start(db, manager), _start(db, manager)]
    with db.transaction() as session:
        accounts.change_own_password(session, manager, PASSWORD, NEW_PASSWORD)

    for token in tokens:
        assert "diakhiri" in _refused(db, token, START + minutes(1))


def test_an_admin_reset_revokes_the_accounts_tokens_only(db, admin, manager):
    mine, theirs = _start(db, admin), _start(db, manager)
    with db.transaction() as session:
        accounts.reset_password(session, admin, manager.user_id, NEW_PASSWORD)

    assert "diakhiri" in _refused(db, theirs, START + minutes(1))
    assert _resume(db, mine, START + minutes(1)) == admin


def test_a_token_of_a_disabled_account_is_refused(db, admin, manager):
    token = _start(db, manager)
    with db.transaction() as session:
        accounts.set_active(session, admin, manager.user_id, False)
    with db.transaction() as session:
        accounts.set_active(session, admin, manager.user_id, True)

    # Re-enabling does not bring old tokens back: they were revoked.
    assert "diakhiri" in _refused(db, token, START + minutes(1))


def test_a_role_change_applies_to_an_open_token(db, admin, manager):
    token = _start(db, manager)
    with db.transaction() as session:
        session.get(User, manager.user_id).role = accounts.ADMIN

    assert _resume(db, token, START + minutes(1)).role == accounts.ADMIN


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: t.replace("v1.", "v2.", 1),
        lambda t: ".".join([*t.split(".")[:1], "9999999999", *t.split(".")[2:]]),
        lambda t: t.rpartition(".")[0],
        lambda t: "",
        lambda t: "bukan-token",
        lambda t: t + ".",
    ],
    ids=["signature", "version", "expiry", "unsigned", "empty", "junk", "extra"],
)
def test_a_tampered_token_is_refused(db, admin, tamper):
    token = _start(db, admin)

    assert "tidak sah" in _refused(db, tamper(token), START + minutes(1))


def test_a_token_signed_with_another_key_is_refused(db, admin):
    with db.transaction() as session:
        token = sessions.start(session, admin, START, secret="kunci-lain")

    assert "tidak sah" in _refused(db, token, START + minutes(1))


def test_a_well_signed_token_unknown_to_the_database_is_refused(db, admin):
    token = _start(db, admin)
    with db.transaction() as session:
        session.query(SignInSession).delete()

    assert "tidak sah" in _refused(db, token, START + minutes(1))


def test_a_token_of_an_account_being_disabled_says_so(db, admin, manager):
    token = _start(db, manager)
    with db.transaction() as session:
        accounts.set_active(session, admin, manager.user_id, False)

    assert _refused(db, token, START + minutes(1)) == sessions.INACTIVE
