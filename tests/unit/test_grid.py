"""A grid's edit state is read defensively: the browser may have forged it."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from office_core.errors import ValidationError
from office_core.grid import read_changes

ROW_IDS = [11, 12, 13]
EDITABLE = {"amount", "notes"}


def test_edits_are_keyed_by_the_record_id_of_their_row_position():
    state = {
        "edited_rows": {0: {"amount": 5}, "2": {"notes": "x"}},
        "added_rows": [{"amount": 7}],
        "deleted_rows": [1],
    }
    changes = read_changes(state, ROW_IDS, EDITABLE)
    assert changes.updated == {11: {"amount": 5}, 13: {"notes": "x"}}
    assert changes.added == [{"amount": 7}]
    assert changes.deleted == [12]


def test_an_empty_state_means_no_changes():
    assert read_changes({}, ROW_IDS, EDITABLE).is_empty()


@pytest.mark.parametrize(
    "state",
    [
        {"edited_rows": {0: {"created_by": "someone"}}},
        {"edited_rows": {0: {"id": 99}}},
        {"added_rows": [{"amount": 1, "version": 1}]},
    ],
)
def test_a_locked_column_is_refused(state):
    with pytest.raises(ValidationError, match="tidak boleh diubah"):
        read_changes(state, ROW_IDS, EDITABLE)


@pytest.mark.parametrize(
    "state",
    [
        {"edited_rows": {3: {"amount": 1}}},
        {"edited_rows": {-1: {"amount": 1}}},
        {"edited_rows": {"x": {"amount": 1}}},
        {"edited_rows": {True: {"amount": 1}}},
        {"edited_rows": {1.5: {"amount": 1}}},
        {"edited_rows": {"9" * 5000: {"amount": 1}}},
        {"deleted_rows": [3]},
        {"deleted_rows": [None]},
    ],
)
def test_a_row_position_outside_the_table_is_refused(state):
    with pytest.raises(ValidationError, match="tidak ada di tabel"):
        read_changes(state, ROW_IDS, EDITABLE)


@pytest.mark.parametrize(
    "state",
    [
        None,
        [],
        "edited_rows",
        {"edited_rows": [{"amount": 1}]},
        {"edited_rows": {0: "amount"}},
        {"edited_rows": {0: None}},
        {"added_rows": {"0": {"amount": 1}}},
        {"added_rows": ["amount"]},
        {"deleted_rows": 0},
        {"deleted_rows": {"0": True}},
    ],
)
def test_a_malformed_state_is_refused(state):
    with pytest.raises(ValidationError):
        read_changes(state, ROW_IDS, EDITABLE)


def test_adding_is_refused_where_the_table_allows_no_new_rows():
    with pytest.raises(ValidationError, match="tidak dapat ditambahkan"):
        read_changes(
            {"added_rows": [{"amount": 1}]}, ROW_IDS, EDITABLE, allow_add=False
        )


def test_deleting_is_refused_where_the_table_allows_no_deletes():
    with pytest.raises(ValidationError, match="tidak dapat dihapus"):
        read_changes({"deleted_rows": [0]}, ROW_IDS, EDITABLE, allow_delete=False)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=12), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(
    st.dictionaries(
        st.sampled_from(["edited_rows", "added_rows", "deleted_rows", "other"]),
        JSONISH,
        max_size=3,
    )
)
def test_any_forged_state_is_read_or_refused_with_validation_error(state):
    try:
        changes = read_changes(state, ROW_IDS, EDITABLE)
    except ValidationError:
        return
    assert set(changes.updated) <= set(ROW_IDS)
    assert set(changes.deleted) <= set(ROW_IDS)
    for values in [*changes.updated.values(), *changes.added]:
        assert set(values) <= EDITABLE
