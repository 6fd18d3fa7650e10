"""Reading the audit log with filters, on every supported database."""

import datetime as dt

from sqlalchemy import select

from office_core import accounts, audit, withdrawals
from office_core.audit import AuditFilter
from office_core.dates import JAKARTA
from office_core.models import AuditEntry
from tests.conftest import PASSWORD

EVERYTHING = AuditFilter()


def _entries(db, filters=EVERYTHING, limit=200):
    with db.transaction() as session:
        return audit.list_entries(session, filters, limit)


def _record(db, actor, amount=150_000):
    with db.transaction() as session:
        return withdrawals.record_withdrawal(session, actor, "Shopee", amount).id


def test_entries_come_newest_first_with_before_and_after_as_text(db, admin):
    withdrawal_id = _record(db, admin)
    with db.transaction() as session:
        withdrawals.update_withdrawal(
            session, admin, withdrawal_id, {"amount": 175_000}
        )

    frame = _entries(db)

    assert frame["action"].tolist() == ["update", "create", "create"]
    assert frame["id"].is_monotonic_decreasing
    newest = frame.iloc[0]
    assert (newest["username"], newest["entity"]) == ("admin", "withdrawal")
    assert newest["entity_id"] == str(withdrawal_id)
    assert "nominal: 150000" in newest["before"]
    assert "nominal: 175000" in newest["after"]
    assert "platform: Shopee" in newest["after"]


def test_entries_filter_by_action_entity_and_user(db, admin, manager):
    _record(db, admin)
    with db.transaction() as session:
        accounts.attempt_sign_in(session, "pemilik", "salah-sekali-123")

    by_action = _entries(db, AuditFilter(actions=("sign_in_failed",)))
    by_entity = _entries(db, AuditFilter(entities=("withdrawal",)))
    by_user = _entries(db, AuditFilter(username=" PEMI "))

    assert by_action["username"].tolist() == ["pemilik"]
    assert by_entity["action"].tolist() == ["create"]
    assert by_user["action"].tolist() == ["sign_in_failed"]


def test_a_user_filter_with_like_wildcards_matches_them_literally(db, admin):
    with db.transaction() as session:
        accounts.attempt_sign_in(session, "a_b%c", PASSWORD)
    assert _entries(db, AuditFilter(username="%"))["username"].tolist() == ["a_b%c"]
    assert _entries(db, AuditFilter(username="a_b"))["username"].tolist() == ["a_b%c"]
    assert _entries(db, AuditFilter(username="_")).shape[0] == 1


def test_entries_filter_by_jakarta_days(db, admin):
    with db.transaction() as session:
        session.add_all(
            [
                _entry_at(dt.datetime(2025, 9, 6, 16, 59, tzinfo=dt.UTC), "a"),
                _entry_at(dt.datetime(2025, 9, 6, 17, 0, tzinfo=dt.UTC), "b"),
                _entry_at(dt.datetime(2025, 9, 7, 16, 59, tzinfo=dt.UTC), "c"),
                _entry_at(dt.datetime(2025, 9, 7, 17, 0, tzinfo=dt.UTC), "d"),
            ]
        )
    sept_7 = dt.date(2025, 9, 7)

    frame = _entries(db, AuditFilter(start=sept_7, end=sept_7))

    assert frame["entity_id"].tolist() == ["c", "b"]
    assert frame["at"].tolist() == [
        dt.datetime(2025, 9, 7, 23, 59),
        dt.datetime(2025, 9, 7, 0, 0),
    ]


def _entry_at(moment: dt.datetime, entity_id: str) -> AuditEntry:
    return AuditEntry(
        at=moment, username="x", action="update", entity="test", entity_id=entity_id
    )


def test_the_limit_is_applied_by_the_database_and_capped(db, admin):
    with db.transaction() as session:
        session.add_all(
            _entry_at(dt.datetime.now(JAKARTA), str(n))
            for n in range(audit.MAX_ENTRIES + 5)
        )
        count = audit.count_entries(session, AuditFilter(entities=("test",)))

    assert len(_entries(db, EVERYTHING, limit=3)) == 3
    assert len(_entries(db, EVERYTHING, limit=10**9)) == audit.MAX_ENTRIES
    assert len(_entries(db, EVERYTHING, limit=0)) == 1
    assert count == audit.MAX_ENTRIES + 5


def test_the_filter_choices_are_the_actions_and_entities_in_the_log(db, admin):
    _record(db, admin)
    with db.transaction() as session:
        known = audit.known_values(session)
        stored = set(session.scalars(select(AuditEntry.action)))
    assert known["actions"] == sorted(stored) == ["create"]
    assert known["entities"] == ["user", "withdrawal"]
