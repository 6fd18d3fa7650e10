"""The withdrawal ledger on every supported database."""

import datetime as dt
import json
from collections import defaultdict

import pytest
from sqlalchemy import func, select

from office_core import withdrawals
from office_core.errors import NotFound, PermissionDenied, ValidationError
from office_core.models import AuditEntry, Withdrawal
from office_core.withdrawals import WithdrawalFilter

ALL = WithdrawalFilter()
DELETED = WithdrawalFilter(deleted=True)
SEPT_7 = dt.date(2025, 9, 7)


def _record(db, actor, platform="Shopee", amount=150_000, on=SEPT_7, notes=""):
    with db.transaction() as session:
        return withdrawals.record_withdrawal(
            session, actor, platform, amount, on, notes
        ).id


def _get(db, withdrawal_id: int) -> Withdrawal:
    with db.transaction() as session:
        return session.get(Withdrawal, withdrawal_id)


def _listed(db, filters=ALL):
    with db.transaction() as session:
        return withdrawals.list_withdrawals(session, filters)


def _count(db) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count(Withdrawal.id)))


def _audit(db, action: str) -> list[AuditEntry]:
    with db.transaction() as session:
        query = select(AuditEntry).where(
            AuditEntry.action == action, AuditEntry.entity == "withdrawal"
        )
        return list(session.scalars(query.order_by(AuditEntry.id)))


def _rows(frame) -> list[tuple[int, int]]:
    return list(zip(frame["id"].tolist(), frame["version"].tolist(), strict=True))


def _apply(db, actor, edit_state):
    frame = _listed(db)
    with db.transaction() as session:
        return withdrawals.apply_grid(session, actor, _rows(frame), edit_state)


def test_a_recorded_withdrawal_is_listed_with_its_values(db, admin):
    _record(db, admin, "tokped", "Rp 1.500.000", "07/09/2025", "pencairan mingguan")
    frame = _listed(db)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["platform"] == "Tokopedia"
    assert row["amount"] == 1_500_000
    assert row["withdrawn_on"] == SEPT_7
    assert row["notes"] == "pencairan mingguan"
    assert row["created_by"] == "admin"


def test_a_withdrawal_without_a_date_is_dated_today_in_jakarta(db, admin):
    from office_core.dates import today

    withdrawal_id = _record(db, admin, on=None)
    assert _get(db, withdrawal_id).withdrawn_on == today()


def test_recording_is_audited_with_the_values_after(db, admin):
    withdrawal_id = _record(db, admin, amount=250_000)
    entry = _audit(db, "create")[-1]
    assert entry.username == "admin"
    assert entry.entity_id == str(withdrawal_id)
    assert json.loads(entry.after)["amount"] == 250_000


@pytest.mark.parametrize("amount", [0, -5_000, "Rp 0", "-Rp 10.000", "abc", 1.5])
def test_an_amount_that_is_not_positive_whole_rupiah_is_refused(db, admin, amount):
    with pytest.raises(ValidationError):
        _record(db, admin, amount=amount)
    assert _count(db) == 0


@pytest.mark.parametrize("platform", ["Non Platform", "-", "WhatsApp", "Bukalapak", ""])
def test_only_a_marketplace_can_be_withdrawn_from(db, admin, platform):
    with pytest.raises(ValidationError):
        _record(db, admin, platform=platform)
    assert _count(db) == 0


def test_an_impossible_date_is_refused(db, admin):
    with pytest.raises(ValidationError):
        _record(db, admin, on="31/02/2025")
    assert _count(db) == 0


@pytest.mark.parametrize(
    "change",
    [
        lambda s, actor, wid: withdrawals.record_withdrawal(s, actor, "Shopee", 5_000),
        lambda s, actor, wid: withdrawals.update_withdrawal(
            s, actor, wid, {"amount": 1}
        ),
        lambda s, actor, wid: withdrawals.delete_withdrawal(s, actor, wid),
        lambda s, actor, wid: withdrawals.apply_grid(
            s, actor, [(wid, 1)], {"edited_rows": {0: {"amount": 1}}}
        ),
    ],
    ids=["record", "update", "delete", "apply_grid"],
)
def test_a_management_account_cannot_change_withdrawals(db, admin, manager, change):
    withdrawal_id = _record(db, admin)
    with pytest.raises(PermissionDenied), db.transaction() as session:
        change(session, manager, withdrawal_id)
    frame = _listed(db)
    assert frame["amount"].tolist() == [150_000]
    assert _count(db) == 1


def test_a_management_account_cannot_restore_a_withdrawal(db, admin, manager):
    withdrawal_id = _record(db, admin)
    with db.transaction() as session:
        withdrawals.delete_withdrawal(session, admin, withdrawal_id)
    with pytest.raises(PermissionDenied), db.transaction() as session:
        withdrawals.restore_withdrawal(session, manager, withdrawal_id)
    assert _listed(db).empty


def test_an_update_changes_the_fields_and_the_version_and_is_audited(db, admin):
    withdrawal_id = _record(db, admin)
    with db.transaction() as session:
        withdrawals.update_withdrawal(
            session,
            admin,
            withdrawal_id,
            {"amount": "Rp 175.000", "platform": "Lazada"},
        )
    withdrawal = _get(db, withdrawal_id)
    assert (withdrawal.amount, withdrawal.version) == (175_000, 2)
    entry = _audit(db, "update")[-1]
    assert json.loads(entry.before)["amount"] == 150_000
    assert json.loads(entry.after) == {
        "amount": 175_000,
        "notes": "",
        "platform": "Lazada",
        "withdrawn_on": "2025-09-07",
    }


def test_a_stale_edit_is_refused(db, admin):
    withdrawal_id = _record(db, admin)
    with db.transaction() as session:
        withdrawals.update_withdrawal(
            session, admin, withdrawal_id, {"amount": 1}, expected_version=1
        )
    stale = pytest.raises(ValidationError, match="diubah orang lain")
    with stale, db.transaction() as session:
        withdrawals.update_withdrawal(
            session, admin, withdrawal_id, {"amount": 2}, expected_version=1
        )
    assert _get(db, withdrawal_id).amount == 1


def test_a_bad_update_changes_nothing(db, admin):
    withdrawal_id = _record(db, admin)
    with pytest.raises(ValidationError), db.transaction() as session:
        withdrawals.update_withdrawal(session, admin, withdrawal_id, {"amount": -1})
    withdrawal = _get(db, withdrawal_id)
    assert (withdrawal.amount, withdrawal.version) == (150_000, 1)


def test_a_delete_hides_the_row_and_a_restore_brings_it_back(db, admin):
    withdrawal_id = _record(db, admin)
    with db.transaction() as session:
        withdrawals.delete_withdrawal(session, admin, withdrawal_id)

    assert _listed(db).empty
    assert _listed(db, DELETED)["id"].tolist() == [withdrawal_id]
    assert _get(db, withdrawal_id).deleted_by == "admin"
    assert _audit(db, "delete")[-1].entity_id == str(withdrawal_id)

    with db.transaction() as session:
        withdrawals.restore_withdrawal(session, admin, withdrawal_id)

    assert _listed(db)["id"].tolist() == [withdrawal_id]
    assert _listed(db, DELETED).empty
    assert _audit(db, "restore")[-1].entity_id == str(withdrawal_id)


def test_a_deleted_withdrawal_cannot_be_edited_or_deleted_again(db, admin):
    withdrawal_id = _record(db, admin)
    with db.transaction() as session:
        withdrawals.delete_withdrawal(session, admin, withdrawal_id)
    with pytest.raises(NotFound), db.transaction() as session:
        withdrawals.update_withdrawal(session, admin, withdrawal_id, {"amount": 1})
    with pytest.raises(NotFound), db.transaction() as session:
        withdrawals.delete_withdrawal(session, admin, withdrawal_id)


def test_restoring_a_live_withdrawal_is_refused(db, admin):
    withdrawal_id = _record(db, admin)
    with pytest.raises(NotFound), db.transaction() as session:
        withdrawals.restore_withdrawal(session, admin, withdrawal_id)


LEDGER = [
    ("Shopee", 150_000, dt.date(2025, 8, 1)),
    ("Shopee", 275_500, dt.date(2025, 8, 31)),
    ("Shopee", 1_000_000, dt.date(2025, 9, 1)),
    ("Tokopedia", 320_000, dt.date(2025, 9, 7)),
    ("TikTok Shop", 99_999, dt.date(2025, 9, 30)),
    ("Lazada", 42_000, dt.date(2025, 10, 1)),
]


def _ledger(db, admin) -> None:
    for platform, amount, on in LEDGER:
        _record(db, admin, platform, amount, on)


def test_totals_per_platform_equal_the_sum_of_their_rows(db, admin):
    _ledger(db, admin)
    deleted = _record(db, admin, "Shopee", 5_000_000, dt.date(2025, 9, 2))
    with db.transaction() as session:
        withdrawals.delete_withdrawal(session, admin, deleted)
        totals = withdrawals.totals_by_platform(session, ALL)

    expected = defaultdict(lambda: [0, 0])
    for platform, amount, _ in LEDGER:
        expected[platform][0] += 1
        expected[platform][1] += amount
    assert {name: [count, total] for name, count, total in totals} == expected
    assert sum(total for *_, total in totals) == sum(a for _, a, _ in LEDGER)


def test_totals_per_month_equal_the_sum_of_their_rows(db, admin):
    _ledger(db, admin)
    with db.transaction() as session:
        totals = withdrawals.totals_by_month(session, ALL)

    expected = defaultdict(int)
    for platform, amount, on in LEDGER:
        expected[(on.year, on.month, platform)] += amount
    assert {(y, m, p): t for y, m, p, t in totals} == expected


def test_totals_follow_the_date_and_platform_filters(db, admin):
    _ledger(db, admin)
    with db.transaction() as session:
        shopee = withdrawals.resolve_platform(session, "Shopee").id
        september = WithdrawalFilter(
            start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 30), platform_ids=(shopee,)
        )
        totals = withdrawals.totals_by_platform(session, september)
        count = withdrawals.count_withdrawals(session, september)
    assert totals == [("Shopee", 1, 1_000_000)]
    assert count == 1


def test_a_grid_save_applies_added_edited_and_deleted_rows(db, admin):
    _ledger(db, admin)
    frame = _listed(db)
    first, second = int(frame.iloc[0]["id"]), int(frame.iloc[1]["id"])
    state = {
        "edited_rows": {0: {"amount": 60_000, "notes": "dikoreksi"}},
        "added_rows": [
            {"platform": "Tokopedia", "amount": 80_000, "withdrawn_on": "2025-10-02"}
        ],
        "deleted_rows": [1],
    }

    changes = _apply(db, admin, state)

    assert (len(changes.added), len(changes.updated), len(changes.deleted)) == (1, 1, 1)
    after = _listed(db)
    assert after.set_index("id").loc[first, "amount"] == 60_000
    assert after.set_index("id").loc[first, "notes"] == "dikoreksi"
    assert second not in after["id"].tolist()
    added = after[after["amount"] == 80_000].iloc[0]
    assert (added["platform"], added["withdrawn_on"]) == (
        "Tokopedia",
        dt.date(2025, 10, 2),
    )
    assert len(after) == len(LEDGER)


def test_a_grid_row_added_without_a_date_is_dated_today(db, admin):
    from office_core.dates import today

    _apply(db, admin, {"added_rows": [{"platform": "Shopee", "amount": 5_000}]})
    assert _listed(db)["withdrawn_on"].tolist() == [today()]


@pytest.mark.parametrize(
    ("bad_state", "message"),
    [
        ({"added_rows": [{"platform": "Shopee", "amount": -1}]}, "baru ke-2"),
        ({"added_rows": [{"platform": "Non Platform", "amount": 1}]}, "baru ke-2"),
        ({"added_rows": [{"platform": "Shopee", "amount": None}]}, "baru ke-2"),
        ({"edited_rows": {2: {"amount": 0}}}, "Baris 3"),
        ({"edited_rows": {2: {"withdrawn_on": "31/02/2025"}}}, "Baris 3"),
        ({"edited_rows": {2: {"notes": ["x"]}}}, "Baris 3"),
        ({"edited_rows": {2: {"created_by": "orang lain"}}}, "tidak boleh diubah"),
        ({"edited_rows": {99: {"amount": 1}}}, "tidak ada di tabel"),
        ({"deleted_rows": [99]}, "tidak ada di tabel"),
    ],
)
def test_one_bad_row_means_nothing_of_that_save_is_written(
    db, admin, bad_state, message
):
    _ledger(db, admin)
    before = _listed(db)
    state = {
        "edited_rows": {0: {"amount": 1}},
        "added_rows": [{"platform": "Lazada", "amount": 7_000}],
        "deleted_rows": [1],
    }
    for key, value in bad_state.items():
        if isinstance(value, dict):
            state[key] = {**state[key], **value}
        else:
            state[key] = state[key] + value

    with pytest.raises(ValidationError, match=message):
        _apply(db, admin, state)

    after = _listed(db)
    assert after[["id", "amount", "version"]].equals(
        before[["id", "amount", "version"]]
    )
    assert _listed(db, DELETED).empty
    assert len(_audit(db, "update")) == len(_audit(db, "delete")) == 0


def test_a_grid_edit_of_a_row_changed_since_it_was_shown_is_refused(db, admin):
    withdrawal_id = _record(db, admin)
    shown = _rows(_listed(db))
    with db.transaction() as session:
        withdrawals.update_withdrawal(session, admin, withdrawal_id, {"amount": 1})
    stale = pytest.raises(ValidationError, match="diubah orang lain")
    with stale, db.transaction() as session:
        withdrawals.apply_grid(
            session, admin, shown, {"edited_rows": {0: {"amount": 2}}}
        )
    assert _get(db, withdrawal_id).amount == 1


def test_a_grid_save_is_audited_row_by_row(db, admin):
    _ledger(db, admin)
    _apply(
        db,
        admin,
        {
            "edited_rows": {0: {"amount": 1}, 1: {"amount": 2}},
            "added_rows": [{"platform": "Shopee", "amount": 3}],
            "deleted_rows": [2],
        },
    )
    assert len(_audit(db, "update")) == 2
    assert len(_audit(db, "create")) == len(LEDGER) + 1
    assert len(_audit(db, "delete")) == 1


def test_a_row_edited_then_deleted_in_the_same_save_is_deleted(db, admin):
    withdrawal_id = _record(db, admin)
    _apply(db, admin, {"edited_rows": {0: {"amount": 1}}, "deleted_rows": [0]})
    assert _listed(db).empty
    assert _get(db, withdrawal_id).deleted_at is not None
