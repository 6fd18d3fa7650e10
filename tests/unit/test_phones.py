"""Indonesian mobile numbers: every usual form to E.164, the rest refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from office_core.errors import InvalidPhoneNumber
from office_core.phones import display_phone, mask_phone, normalize_phone

E164 = "+6281234567890"


@pytest.mark.parametrize(
    "typed",
    [
        "0812-3456-7890",
        "+62 812 3456 7890",
        "6281234567890",
        "62 812-3456-7890",
        "81234567890",
        "0812.3456.7890",
        "0812 3456 7890",
        "(0812) 3456 7890",
        "+62 (812) 3456-7890",
        " 081234567890 ",
    ],
)
def test_usual_forms_of_a_mobile_number_become_e164(typed):
    assert normalize_phone(typed) == E164


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("08123", "bukan nomor HP Indonesia"),
        ("0812abc4567", "hanya boleh berisi angka"),
        ("021-5550123", "bukan nomor HP Indonesia"),
        ("(021) 5550 1234", "bukan nomor HP Indonesia"),
        ("+60 12-345 6789", "bukan nomor HP Indonesia"),
        ("+1 415 555 0100", "bukan nomor HP Indonesia"),
        ("", "wajib diisi"),
        (None, "wajib diisi"),
        ("   ", "wajib diisi"),
    ],
)
def test_numbers_that_are_not_indonesian_mobiles_are_refused_clearly(typed, reason):
    with pytest.raises(InvalidPhoneNumber, match=reason):
        normalize_phone(typed)


@given(st.text(max_size=40))
def test_hostile_text_raises_nothing_but_invalid_phone_number(text):
    try:
        number = normalize_phone(text)
    except InvalidPhoneNumber:
        return
    assert number.startswith("+628")
    assert number[1:].isdigit()


@given(st.from_regex(r"\A[+0-9 ().\-/]{0,30}\Z"))
def test_phone_shaped_junk_raises_nothing_but_invalid_phone_number(text):
    try:
        number = normalize_phone(text)
    except InvalidPhoneNumber:
        return
    assert normalize_phone(number) == number


@given(st.integers(min_value=10_000_000, max_value=999_999_999))
def test_a_normalised_number_is_stable(rest):
    try:
        number = normalize_phone(f"0812{rest}")
    except InvalidPhoneNumber:
        return
    assert normalize_phone(number) == number
    assert normalize_phone(display_phone(number)) == number


def test_a_stored_number_is_shown_the_indonesian_way():
    assert display_phone(E164) == "0812-3456-7890"


def test_a_masked_number_hides_its_middle():
    masked = mask_phone(E164)
    assert masked.endswith("7890")
    assert "3456" not in masked
